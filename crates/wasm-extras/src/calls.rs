//! The calls a console makes rarely, run here so the core module stays small:
//! `exists` / `aliasExists`, `get`, `delete`, a `list` page, `Sandbox.create` /
//! `kill`, and `Template.plan`. The core resolved and checked the connection
//! (`connectionFor`, `checkPlan`); the arguments are checked here, before any request.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use novita_template_error::SdkError;
use novita_template_flow::arguments::{invalid, Args};
use novita_template_flow::calls;
use novita_template_flow::connection::ConnectionConfig;
use novita_template_flow::http::{host_reply, ReplyKind};
use novita_template_flow::machine::Machine;
use novita_template_flow::paginator::{list_page, ListOptions};
use novita_template_flow::plan::{PlanMachine, PlannedCopy};
use novita_template_flow::sandbox::{create_sandbox, SandboxOptions};
use novita_template_json::shape::Num;
use novita_template_json::{parse, Json};
use wasm_bindgen::prelude::*;

use crate::thrown;

/// One running call (`next`, `reply`, `abort`, as the core module's `Machine`).
#[wasm_bindgen]
pub struct Call {
    inner: Box<dyn Machine>,
}

fn seed(random: f64) -> u64 {
    (random * 9_007_199_254_740_992.0) as u64
}

fn connection(json: &str) -> Result<ConnectionConfig, SdkError> {
    parse(json)
        .ok()
        .as_ref()
        .and_then(ConnectionConfig::from_json)
        .ok_or_else(|| SdkError::error("the connection could not be read"))
}

#[wasm_bindgen]
impl Call {
    /// Call `kind` (`exists`, `aliasExists`, `get`, `delete`, `listPage`,
    /// `sandboxCreate`, `sandboxKill`) with `args_json` (its argument array) over
    /// `connection_json` (the core's `connectionFor`); `random` seeds the retry jitter.
    #[wasm_bindgen(constructor)]
    pub fn new(
        kind: &str,
        args_json: &str,
        connection_json: &str,
        random: f64,
    ) -> Result<Call, String> {
        start(kind, args_json, connection_json, seed(random))
            .map(|inner| Call { inner })
            .map_err(thrown)
    }

    /// `Template.plan`: `name` and `connection_json` from the core's `checkPlan`,
    /// `steps_json` from `Model.stepsJson`, `copies_json` the COPY steps as planned
    /// and hashed (`[{src, dest, step, forceUpload, hash, files, bytes}]`).
    pub fn plan(
        name: &str,
        connection_json: &str,
        steps_json: &str,
        copies_json: &str,
        random: f64,
    ) -> Result<Call, String> {
        let c = connection(connection_json).map_err(thrown)?;
        let steps = parse(steps_json).unwrap_or(Json::Null);
        let text =
            |v: &Json, k: &str| -> String { v.get(k).and_then(Json::as_str).unwrap_or("").into() };
        let count =
            |v: &Json, k: &str| v.get(k).and_then(Json::as_integer).unwrap_or(0).max(0) as u64;
        let numbered = steps
            .get("steps")
            .and_then(Json::as_array)
            .unwrap_or(&[])
            .iter()
            .map(|s| s.as_str().unwrap_or("").into())
            .collect();
        let copies = parse(copies_json).unwrap_or(Json::Null);
        let copies: Vec<PlannedCopy> = copies
            .as_array()
            .unwrap_or(&[])
            .iter()
            .map(|c| PlannedCopy {
                src: text(c, "src"),
                dest: text(c, "dest"),
                step: count(c, "step") as usize,
                files_hash: text(c, "hash"),
                files: count(c, "files"),
                bytes: count(c, "bytes"),
                force_upload: c.get("forceUpload").and_then(Json::as_bool) == Some(true),
            })
            .collect();
        let mut m = PlanMachine::new(c, name, seed(random));
        m.ready(
            (text(&steps, "base"), numbered, text(&steps, "finalize")),
            copies,
        );
        Ok(Call { inner: Box::new(m) })
    }

    /// The next step, as JSON (see the core module's `Machine.next`).
    pub fn next(&mut self, now: f64) -> String {
        self.inner.next(now).to_json()
    }

    /// The reply to step `id` (see the core module's `Machine.reply`).
    #[allow(clippy::too_many_arguments)]
    pub fn reply(
        &mut self,
        id: u32,
        kind: u8,
        status: u16,
        status_text: &str,
        headers: &str,
        body: &[u8],
        now: f64,
    ) {
        let reply = host_reply(
            ReplyKind::from_code(kind),
            status,
            status_text,
            headers,
            body,
        );
        self.inner.on_reply(id, reply, now);
    }

    /// The caller's signal aborted.
    pub fn abort(&mut self, now: f64) {
        self.inner.abort(now);
    }
}

fn start(
    kind: &str,
    args_json: &str,
    connection_json: &str,
    seed: u64,
) -> Result<Box<dyn Machine>, SdkError> {
    let (method, _) = calls::signature(kind).ok_or_else(|| invalid(kind, "", "not an API call"))?;
    let args = Args::parse(method, args_json)?;
    let c = connection(connection_json)?;
    let text = |i: usize, name: &str| args.required::<String>(i, name);
    Ok(match kind {
        "exists" => Box::new(calls::alias_exists(&c, method, &text(0, "name")?, seed)?),
        "aliasExists" => Box::new(calls::alias_exists(&c, method, &text(0, "alias")?, seed)?),
        "get" => Box::new(calls::get_template(&c, &text(0, "templateId")?, seed)?),
        "delete" => Box::new(calls::delete_template(&c, &text(0, "templateId")?, seed)?),
        "listPage" => {
            // Checked at each page, as the official paginator does (plain `Error`s).
            let o: ListOptions = args.options(0)?;
            let params = o.validate()?;
            let page = args
                .optional::<Num>(1, "page")?
                .and_then(|p| p.integer())
                .map_or(params.page, |p| p.max(1) as u64);
            Box::new(list_page(&c, &params, page, seed))
        }
        "sandboxCreate" => {
            let o: SandboxOptions = args.options(1)?;
            Box::new(create_sandbox(&c, &text(0, "template")?, &o, seed)?)
        }
        "sandboxKill" => Box::new(calls::kill_sandbox(&c, &text(0, "sandboxId")?, seed)?),
        _ => return Err(invalid(method, "", "not a call of the on-demand module")),
    })
}
