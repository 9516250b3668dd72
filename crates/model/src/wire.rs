//! The trigger body (docs/wire-contract.md §4.1-4.5, 4.7), as sent (compact) and as
//! `Template.toJSON` returns it (two-space indent), byte-identical to the official SDK.

use crate::instruction::{Instruction, InstructionKind};
use crate::prelude::*;
use crate::runtime_env::runtime_env_command;
use crate::template::Template;
use novita_template_json::shape::put;

fn str_array(items: &[String]) -> Json {
    Json::Arr(items.iter().map(|s| Json::Str(s.clone())).collect())
}

fn step_json(i: &Instruction, files_hash: Option<&str>) -> Json {
    let mut members = Vec::with_capacity(6);
    put(&mut members, "type", Some(Json::str(i.kind.as_str())));
    put(&mut members, "args", Some(str_array(&i.args)));
    put(&mut members, "force", Some(Json::Bool(i.force)));
    put(&mut members, "forceUpload", i.force_upload.map(Json::Bool));
    put(
        &mut members,
        "resolveSymlinks",
        i.resolve_symlinks.map(Json::Bool),
    );
    put(&mut members, "filesHash", files_hash.map(Json::str));
    Json::Obj(members)
}

/// The trigger body as a JSON value. `files_hashes` has one hash per COPY step, in
/// step order; `None` leaves `filesHash` out (like `toJSON(t, false)`).
pub fn trigger_body(t: &Template, files_hashes: Option<&[String]>) -> Result<Json, SdkError> {
    if let Some(h) = files_hashes {
        let copies = t.copy_count();
        if h.len() != copies {
            return Err(SdkError::invalid(novita_template_json::cat!(
                "toJSON: filesHashes has ",
                &u64_text(h.len() as u64),
                " entries but the template has ",
                &u64_text(copies as u64),
                " COPY steps",
            )));
        }
    }
    let mut hashes = files_hashes.map(|h| h.iter());
    let mut steps = Vec::with_capacity(t.instructions.len() + 1);
    for i in &t.instructions {
        let hash = if i.kind == InstructionKind::Copy {
            hashes.as_mut().and_then(|it| it.next())
        } else {
            None
        };
        steps.push(step_json(i, hash.map(String::as_str)));
    }
    if let Some(cmd) = runtime_env_command(&t.envs) {
        let mut members = Vec::with_capacity(3);
        put(&mut members, "type", Some(Json::str("RUN")));
        put(
            &mut members,
            "args",
            Some(Json::Arr(vec![Json::Str(cmd), Json::str("root")])),
        );
        put(&mut members, "force", Some(Json::Bool(t.force_next_layer)));
        steps.push(Json::Obj(members));
    }
    let text = |v: &Option<String>| v.as_deref().map(Json::str);
    let mut body = Vec::with_capacity(8);
    put(&mut body, "startCmd", text(&t.start_cmd));
    put(&mut body, "readyCmd", text(&t.ready_cmd));
    put(&mut body, "preBootScript", text(&t.patch_cmd));
    put(&mut body, "steps", Some(Json::Arr(steps)));
    put(&mut body, "force", Some(Json::Bool(t.force)));
    put(&mut body, "fromImage", text(&t.base_image));
    put(&mut body, "fromTemplate", text(&t.base_template));
    put(
        &mut body,
        "fromImageRegistry",
        t.registry_config.as_ref().map(|r| r.to_json()),
    );
    Ok(Json::Obj(body))
}

/// `Template.toJSON(t)` text: `JSON.stringify(body, null, 2)`.
pub fn to_json_pretty(t: &Template, files_hashes: Option<&[String]>) -> Result<String, SdkError> {
    Ok(trigger_body(t, files_hashes)?.to_pretty())
}

/// The trigger request body as sent: `JSON.stringify(body)`.
pub fn to_json_compact(t: &Template, files_hashes: Option<&[String]>) -> Result<String, SdkError> {
    Ok(trigger_body(t, files_hashes)?.to_compact())
}
