//! The trigger body (docs/wire-contract.md §4.1-4.5, 4.7), as sent (compact) and as
//! `Template.toJSON` returns it (two-space indent), byte-identical to the official SDK.

use crate::instruction::{Instruction, InstructionKind};
use crate::prelude::*;
use crate::runtime_env::runtime_env_command;
use crate::template::Template;

fn str_array(items: &[String]) -> Json {
    Json::Arr(items.iter().map(|s| Json::Str(s.clone())).collect())
}

fn step_json(i: &Instruction, files_hash: Option<&str>) -> Json {
    let mut members = vec![
        ("type".to_string(), Json::Str(i.kind.as_str().to_string())),
        ("args".to_string(), str_array(&i.args)),
        ("force".to_string(), Json::Bool(i.force)),
    ];
    if let Some(b) = i.force_upload {
        members.push(("forceUpload".to_string(), Json::Bool(b)));
    }
    if let Some(b) = i.resolve_symlinks {
        members.push(("resolveSymlinks".to_string(), Json::Bool(b)));
    }
    if let Some(h) = files_hash {
        members.push(("filesHash".to_string(), Json::Str(h.to_string())));
    }
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
        steps.push(Json::Obj(vec![
            ("type".to_string(), Json::Str("RUN".into())),
            (
                "args".to_string(),
                Json::Arr(vec![Json::Str(cmd), Json::Str("root".into())]),
            ),
            ("force".to_string(), Json::Bool(t.force_next_layer)),
        ]));
    }
    let mut body = Vec::new();
    let mut opt = |key: &str, v: &Option<String>| {
        if let Some(s) = v {
            body.push((key.to_string(), Json::Str(s.clone())));
        }
    };
    opt("startCmd", &t.start_cmd);
    opt("readyCmd", &t.ready_cmd);
    opt("preBootScript", &t.patch_cmd);
    body.push(("steps".to_string(), Json::Arr(steps)));
    body.push(("force".to_string(), Json::Bool(t.force)));
    if let Some(img) = &t.base_image {
        body.push(("fromImage".to_string(), Json::Str(img.clone())));
    }
    if let Some(tpl) = &t.base_template {
        body.push(("fromTemplate".to_string(), Json::Str(tpl.clone())));
    }
    if let Some(r) = &t.registry_config {
        body.push(("fromImageRegistry".to_string(), r.to_json()));
    }
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
