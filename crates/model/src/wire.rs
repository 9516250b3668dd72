//! The trigger body (protocol §4.1-4.5, 4.7), as sent (compact) and as
//! `Template.toJSON` returns it (two-space indent), byte-identical to the official SDK.

use crate::error::ModelError;
use crate::instruction::{Instruction, InstructionKind};
use crate::json_text::JsonValue;
use crate::runtime_env::runtime_env_command;
use crate::template::Template;

fn str_array(items: &[String]) -> JsonValue {
    JsonValue::Array(items.iter().map(|s| JsonValue::Str(s.clone())).collect())
}

fn step_json(i: &Instruction, files_hash: Option<&str>) -> JsonValue {
    let mut members = vec![
        (
            "type".to_string(),
            JsonValue::Str(i.kind.as_str().to_string()),
        ),
        ("args".to_string(), str_array(&i.args)),
        ("force".to_string(), JsonValue::Bool(i.force)),
    ];
    if let Some(b) = i.force_upload {
        members.push(("forceUpload".to_string(), JsonValue::Bool(b)));
    }
    if let Some(b) = i.resolve_symlinks {
        members.push(("resolveSymlinks".to_string(), JsonValue::Bool(b)));
    }
    if let Some(h) = files_hash {
        members.push(("filesHash".to_string(), JsonValue::Str(h.to_string())));
    }
    JsonValue::Object(members)
}

/// The trigger body as a JSON value. `files_hashes` has one hash per COPY step, in
/// step order; `None` leaves `filesHash` out (like `toJSON(t, false)`).
pub fn trigger_body(
    t: &Template,
    files_hashes: Option<&[String]>,
) -> Result<JsonValue, ModelError> {
    if let Some(h) = files_hashes {
        let copies = t.copy_count();
        if h.len() != copies {
            return Err(ModelError::invalid(format!(
                "toJSON: filesHashes has {} entries but the template has {copies} COPY steps",
                h.len()
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
        steps.push(JsonValue::Object(vec![
            ("type".to_string(), JsonValue::Str("RUN".into())),
            (
                "args".to_string(),
                JsonValue::Array(vec![JsonValue::Str(cmd), JsonValue::Str("root".into())]),
            ),
            ("force".to_string(), JsonValue::Bool(t.force_next_layer)),
        ]));
    }
    let mut body = Vec::new();
    let mut opt = |key: &str, v: &Option<String>| {
        if let Some(s) = v {
            body.push((key.to_string(), JsonValue::Str(s.clone())));
        }
    };
    opt("startCmd", &t.start_cmd);
    opt("readyCmd", &t.ready_cmd);
    opt("preBootScript", &t.patch_cmd);
    body.push(("steps".to_string(), JsonValue::Array(steps)));
    body.push(("force".to_string(), JsonValue::Bool(t.force)));
    if let Some(img) = &t.base_image {
        body.push(("fromImage".to_string(), JsonValue::Str(img.clone())));
    }
    if let Some(tpl) = &t.base_template {
        body.push(("fromTemplate".to_string(), JsonValue::Str(tpl.clone())));
    }
    if let Some(r) = &t.registry_config {
        body.push(("fromImageRegistry".to_string(), r.to_json()));
    }
    Ok(JsonValue::Object(body))
}

/// `Template.toJSON(t)` text: `JSON.stringify(body, null, 2)`.
pub fn to_json_pretty(t: &Template, files_hashes: Option<&[String]>) -> Result<String, ModelError> {
    Ok(trigger_body(t, files_hashes)?.to_pretty())
}

/// The trigger request body as sent: `JSON.stringify(body)`.
pub fn to_json_compact(
    t: &Template,
    files_hashes: Option<&[String]>,
) -> Result<String, ModelError> {
    Ok(trigger_body(t, files_hashes)?.to_compact())
}
