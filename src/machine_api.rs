//! `Machine`: one running call or build, driven by the face's one driver
//! (`next` → do the step → `reply`), and the exports that start each kind.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use novita_template_error::{ErrorClass, SdkError};
use novita_template_flow::calls::{self, GetBuildStatusOptions};
use novita_template_flow::connection::{ConnectionConfig, ConnectionOptions};
use novita_template_flow::log_entry::LogEntry;
use novita_template_flow::machine::Machine as FlowMachine;
use novita_template_flow::session::{
    BuildConfig, BuildOptions, BuildRequest, BuildSession, CopyUpload, WatchOptions,
};
use novita_template_json::shape::{Num, OneOrMany};
use novita_template_json::{parse, Json};
use novita_template_model::InstructionKind;
use wasm_bindgen::prelude::*;

use crate::interop::{invalid, seed, thrown, Args, Environment, Exported};
use crate::model_api::Model;
use novita_template_flow::http::{host_reply, ReplyKind};

/// A running call or build.
#[wasm_bindgen]
pub struct Machine {
    inner: Inner,
}

enum Inner {
    Call(Box<dyn FlowMachine>),
    Build(Box<BuildSession>),
}

impl Machine {
    fn call(m: impl FlowMachine + 'static) -> Machine {
        Machine {
            inner: Inner::Call(Box::new(m)),
        }
    }

    fn flow(&mut self) -> &mut dyn FlowMachine {
        match &mut self.inner {
            Inner::Call(m) => m.as_mut(),
            Inner::Build(b) => b.as_mut(),
        }
    }
}

#[wasm_bindgen]
impl Machine {
    /// The next step, as JSON (`Step::to_json`).
    pub fn next(&mut self, now: f64) -> String {
        self.flow().next(now).to_json()
    }

    /// The reply to step `id`: `kind` is the face's reply kind (0 HTTP, 1 network,
    /// 2 timeout, 3 aborted, 4 local), then the status, status text (or the failure's
    /// description), headers (`name\nvalue\n…`) and body.
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
        let kind = ReplyKind::from_code(kind);
        if let (ReplyKind::Local, Inner::Build(b)) = (kind, &mut self.inner) {
            // The archive could not be made: our failure, not the network's; no retry.
            let e = SdkError::new(ErrorClass::FileUploadError, status_text);
            b.fail(e, now);
            return;
        }
        let r = host_reply(kind, status, status_text, headers, body);
        self.flow().on_reply(id, r, now);
    }

    /// The caller's signal aborted.
    pub fn abort(&mut self, now: f64) {
        self.flow().abort(now);
    }

    /// A build's log entry made by the face (the registry warning), in order.
    pub fn log(&mut self, level: &str, message: &str, now: f64) {
        if let Inner::Build(b) = &mut self.inner {
            b.push_log(LogEntry::new(now, level, message));
        }
    }

    /// A failure found by the face while preparing a build (a COPY source
    /// matching no file), as the JSON of the error (`{class, message}`): the build
    /// ends as every failure does, with its last log entry.
    pub fn fail(&mut self, error_json: &str, now: f64) {
        let v = parse(error_json).unwrap_or(Json::Null);
        let message = v
            .get("message")
            .and_then(Json::as_str)
            .unwrap_or("the build failed");
        let class = v
            .get("class")
            .and_then(Json::as_integer)
            .and_then(|i| ErrorClass::ALL.get(i as usize).copied())
            .unwrap_or(ErrorClass::Error);
        let e = SdkError::new(class, message);
        if let Inner::Build(b) = &mut self.inner {
            b.fail(e, now);
        }
    }

    /// After the `prepare` step: the template, now with its image config, and its COPY
    /// steps as the face planned and hashed them (`[{hash, files, bytes}]`, in order).
    #[wasm_bindgen(js_name = stepsReady)]
    pub fn steps_ready(&mut self, model: &Model, copies_json: &str, now: f64) {
        let Inner::Build(b) = &mut self.inner else {
            return;
        };
        let hashes = hashes(copies_json);
        let body = match model.trigger_body(&hashes) {
            Ok(body) => body,
            Err(e) => return b.fail(e, now),
        };
        let uploads = model
            .template
            .instructions()
            .iter()
            .filter(|i| i.kind == InstructionKind::Copy)
            .zip(hashes)
            .enumerate()
            .map(|(index, (i, files_hash))| CopyUpload {
                index,
                files_hash,
                force_upload: i.force_upload.unwrap_or(false),
                src: i.args.first().cloned().unwrap_or_default(),
            })
            .collect();
        let (base, steps, finalize) = model.template.step_descriptions();
        b.describe_steps(&base, &steps, &finalize);
        b.steps_ready(body, uploads, now);
    }
}

/// The files hashes in the face's `[{hash}, …]` (one per COPY step, in order).
fn hashes(copies_json: &str) -> Vec<String> {
    let found = parse(copies_json).unwrap_or(Json::Null);
    found
        .as_array()
        .unwrap_or(&[])
        .iter()
        .map(|c| c.get("hash").and_then(Json::as_str).unwrap_or("").into())
        .collect()
}

/// The name and options of `build(t, name, options)` (or the deprecated
/// `build(t, {alias, ...options})`), checked, with the connection they resolve to.
fn build_arguments(
    method: &str,
    args_json: &str,
    environment_json: &str,
) -> Result<(String, BuildOptions, ConnectionConfig), SdkError> {
    let args = Args::parse(method, args_json)?;
    let (name, options): (String, BuildOptions) = match args.raw(0) {
        Some(Json::Obj(_)) if args.raw(1).is_none() => {
            let o: BuildOptions = args.options(0)?;
            (o.alias.clone().unwrap_or_default(), o)
        }
        None => (String::new(), args.options(1)?),
        Some(_) => (args.required(0, "name")?, args.options(1)?),
    };
    let connection =
        Environment::parse(environment_json).connection(method, &options.connection)?;
    Ok((name, options, connection))
}

/// `Template.build` / `Template.buildInBackground`: `args_json` is `[name, options]`
/// (or the deprecated `[{alias, …options}]`); `environment_json` says where the code
/// runs (`interop::Environment`); `random` seeds the retry jitter.
#[wasm_bindgen(js_name = startBuild)]
pub fn start_build(
    model: &mut Model,
    args_json: &str,
    environment_json: &str,
    background: bool,
    now: f64,
    random: f64,
) -> Exported<Machine> {
    let method = if background {
        "Template.buildInBackground"
    } else {
        "Template.build"
    };
    let (name, options, connection) =
        build_arguments(method, args_json, environment_json).map_err(thrown)?;
    let config = BuildConfig::new(connection)
        .with_lifecycle(options.timeout_ms.as_ref(), options.delete_on_abort)
        .map_err(|e| thrown(with_method(method, e)))?;
    if options.skip_cache == Some(true) && !name.is_empty() {
        // As in the official SDK, the option marks the template itself (and stays set).
        model.template.set_force(true);
    }
    let request = BuildRequest::from_options(&name, &options);
    let session = BuildSession::new(config, request, background, now, seed(random));
    Ok(Machine {
        inner: Inner::Build(Box::new(session)),
    })
}

/// `Template.waitForBuild({templateId, buildId}, options)`: follows a background
/// build to its end, with its logs, progress and deadline, as `build` does.
#[wasm_bindgen(js_name = watchBuild)]
pub fn watch_build(
    steps_json: Option<String>,
    args_json: &str,
    environment_json: &str,
    now: f64,
    random: f64,
) -> Exported<Machine> {
    let method = "Template.waitForBuild";
    let args = Args::parse(method, args_json).map_err(thrown)?;
    let (template_id, build_id) = build_ids(&args, method).map_err(thrown)?;
    let options: WatchOptions = args.options(1).map_err(thrown)?;
    let env = Environment::parse(environment_json);
    let connection = env
        .connection(method, &options.connection)
        .map_err(thrown)?;
    let config = BuildConfig::new(connection)
        .with_lifecycle(options.timeout_ms.as_ref(), None)
        .map_err(|e| thrown(with_method(method, e)))?;
    let offset = optional_offset(&options.logs_offset, method).map_err(thrown)?;
    let mut session = BuildSession::watch(
        config,
        &template_id,
        &build_id,
        offset.unwrap_or(0),
        now,
        seed(random),
    );
    if let Some(steps) = steps_json.as_deref().and_then(|s| parse(s).ok()) {
        // `Model.stepsJson` of the template the build was started with.
        let text = |k: &str| steps.get(k).and_then(Json::as_str).unwrap_or("");
        let numbered: Vec<String> = steps
            .get("steps")
            .and_then(Json::as_array)
            .unwrap_or(&[])
            .iter()
            .map(|s| s.as_str().unwrap_or("").into())
            .collect();
        session.describe_steps(text("base"), &numbered, text("finalize"));
    }
    Ok(Machine {
        inner: Inner::Build(Box::new(session)),
    })
}

fn with_method(method: &str, mut e: SdkError) -> SdkError {
    e.message = [method, ": ", &e.message].concat();
    e
}

/// `{templateId, buildId}` of a build (as `buildInBackground` returned it).
fn build_ids(args: &Args, method: &str) -> Result<(String, String), SdkError> {
    let v = args.raw(0);
    let text = |key: &str| {
        v.and_then(|v| v.get(key))
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    match (text("templateId"), text("buildId")) {
        (Some(t), Some(b)) => Ok((t, b)),
        _ => Err(invalid(
            method,
            "build",
            "`templateId` and `buildId` are required (as returned by buildInBackground)",
        )),
    }
}

fn optional_offset(n: &Option<Num>, method: &str) -> Result<Option<u64>, SdkError> {
    match n {
        None => Ok(None),
        Some(n) => match n.integer() {
            Some(v) if v >= 0 => Ok(Some(v as u64)),
            _ => Err(invalid(
                method,
                "logsOffset",
                "option `logsOffset` must be a whole number >= 0",
            )),
        },
    }
}

/// The other calls, by name: `exists`, `aliasExists`, `assignTags`, `removeTags`,
/// `getTags`, `get`, `delete`, `getBuildStatus`, `listPage`, `sandboxCreate`,
/// `sandboxKill`. Arguments are checked here, before any request.
#[wasm_bindgen(js_name = startCall)]
pub fn start_call(
    kind: &str,
    args_json: &str,
    environment_json: &str,
    random: f64,
) -> Exported<Machine> {
    start(kind, args_json, environment_json, seed(random)).map_err(thrown)
}

fn start(
    kind: &str,
    args_json: &str,
    environment_json: &str,
    seed: u64,
) -> Result<Machine, SdkError> {
    let (method, at) =
        calls::signature(kind).ok_or_else(|| invalid(kind, "", "not an API call"))?;
    let args = Args::parse(method, args_json)?;
    // Every call's options extend the connection options: read those once.
    let o: ConnectionOptions = args.options(at)?;
    let c = Environment::parse(environment_json).connection(method, &o)?;
    let text = |i: usize, name: &str| args.required::<String>(i, name);
    Ok(match kind {
        "assignTags" | "removeTags" => {
            let target = text(
                0,
                if kind == "assignTags" {
                    "target"
                } else {
                    "name"
                },
            )?;
            let tags = args
                .required::<OneOrMany>(1, "tags")
                .map_err(|_| {
                    invalid(
                        method,
                        "tags",
                        "`tags` must be one or more non-empty strings",
                    )
                })?
                .0;
            if kind == "assignTags" {
                Machine::call(calls::assign_tags(&c, &target, &tags, seed)?)
            } else {
                Machine::call(calls::remove_tags(&c, &target, &tags, seed)?)
            }
        }
        "getTags" => Machine::call(calls::get_tags(&c, &text(0, "templateId")?, seed)?),
        "getBuildStatus" => {
            let (template_id, build_id) = build_ids(&args, method)?;
            let o: GetBuildStatusOptions = args.options(1)?;
            let offset = optional_offset(&o.logs_offset, method)?;
            Machine::call(calls::build_status(
                &c,
                &template_id,
                &build_id,
                offset,
                seed,
            )?)
        }
        // The others are the on-demand module's (`connectionFor` prepares them).
        _ => return Err(invalid(method, "", "not a call of the core module")),
    })
}

/// The calls of the on-demand module (`exists`, `get`, `list`, `delete`, sandboxes):
/// their connection options checked and resolved here, at the call (the module may
/// still be loading), as the JSON it takes.
#[wasm_bindgen(js_name = connectionFor)]
pub fn connection_for(kind: &str, args_json: &str, environment_json: &str) -> Exported<String> {
    let run = || -> Result<String, SdkError> {
        let (method, at) =
            calls::signature(kind).ok_or_else(|| invalid(kind, "", "not an API call"))?;
        let args = Args::parse(method, args_json)?;
        let o: ConnectionOptions = args.options(at)?;
        let c = Environment::parse(environment_json).connection(method, &o)?;
        Ok(c.to_json().to_compact())
    };
    run().map_err(thrown)
}

/// `Template.plan(t, name, options)`: the name and options checked as `build` checks
/// them, and the connection they resolve to (`{name, connection}`), for the plan the
/// on-demand module runs.
#[wasm_bindgen(js_name = checkPlan)]
pub fn check_plan(args_json: &str, environment_json: &str) -> Exported<String> {
    let (name, _, connection) =
        build_arguments("Template.plan", args_json, environment_json).map_err(thrown)?;
    Ok(Json::Obj(alloc::vec![
        ("name".into(), Json::Str(name)),
        ("connection".into(), connection.to_json()),
    ])
    .to_compact())
}
