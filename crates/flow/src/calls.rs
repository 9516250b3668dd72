//! The calls outside a build, each an [`ApiCall`] machine: arguments checked first
//! (before any request, with messages that name the argument), then one request with
//! retries, then its reply read the official way (wire contract §2.5).

use crate::api_call::{encoded, ApiCall, JsonCall};
use crate::connection::{ConnectionConfig, ConnectionOptions};
use crate::endpoint::Endpoint;
use crate::prelude::*;
use crate::wire;
use alloc::rc::Rc;
use novita_template_json::shape::Encode;
use novita_template_json::shape::Num;

novita_template_json::shape! {
    /// Options of `getBuildStatus`.
    input struct GetBuildStatusOptions extends ConnectionOptions as connection {
        /// Number of log entries already seen; only later ones are returned.
        pub logs_offset: Option<Num> = "logsOffset",
    }
}

/// Every public call outside a build, by the name the face gives it: its name in
/// messages, and the index of its options object among its arguments.
pub const CALLS: [(&str, &str, usize); 11] = [
    ("exists", "Template.exists", 1),
    ("aliasExists", "Template.aliasExists", 1),
    ("assignTags", "Template.assignTags", 2),
    ("removeTags", "Template.removeTags", 2),
    ("getTags", "Template.getTags", 1),
    ("get", "Template.get", 1),
    ("delete", "Template.delete", 1),
    ("getBuildStatus", "Template.getBuildStatus", 1),
    ("listPage", "Template.list", 0),
    ("sandboxCreate", "Sandbox.create", 1),
    ("sandboxKill", "Sandbox.kill", 1),
];

/// The method name and options index of call `kind` (see [`CALLS`]).
pub fn signature(kind: &str) -> Option<(&'static str, usize)> {
    CALLS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|&(_, m, at)| (m, at))
}

/// `"<method>: `<name>` must be a non-empty string"` unless `value` has text.
pub fn non_empty(method: &str, name: &str, value: &str) -> Result<(), SdkError> {
    if value.trim().is_empty() {
        return Err(SdkError::invalid(novita_template_json::cat!(
            method,
            ": `",
            name,
            "` must be a non-empty string"
        )));
    }
    Ok(())
}

/// One or more tags, none of them empty.
pub fn tag_list(method: &str, tags: &[String]) -> Result<(), SdkError> {
    if tags.is_empty() || tags.iter().any(|t| t.trim().is_empty()) {
        return Err(SdkError::invalid(novita_template_json::cat!(
            method,
            ": `tags` must be one or more non-empty strings"
        )));
    }
    Ok(())
}

/// `exists` / `aliasExists`: `GET /templates/aliases/{name}`.
pub fn alias_exists(
    config: &ConnectionConfig,
    method: &str,
    name: &str,
    seed: u64,
) -> Result<JsonCall, SdkError> {
    non_empty(method, "name", name)?;
    config.reject_legacy(method)?;
    Ok(ApiCall::new(
        wire::alias_exists(config, name),
        Endpoint::AliasExists,
        encoded(wire::parse_alias_exists),
        seed,
    ))
}

/// `assignTags(target, tags)`.
pub fn assign_tags(
    config: &ConnectionConfig,
    target: &str,
    tags: &[String],
    seed: u64,
) -> Result<JsonCall, SdkError> {
    let method = "Template.assignTags";
    non_empty(method, "target", target)?;
    tag_list(method, tags)?;
    config.reject_legacy(method)?;
    Ok(ApiCall::new(
        wire::assign_tags(config, target, tags),
        Endpoint::AssignTags,
        encoded(wire::parse_assign_tags),
        seed,
    ))
}

/// `removeTags(name, tags)`.
pub fn remove_tags(
    config: &ConnectionConfig,
    name: &str,
    tags: &[String],
    seed: u64,
) -> Result<JsonCall, SdkError> {
    let method = "Template.removeTags";
    non_empty(method, "name", name)?;
    tag_list(method, tags)?;
    config.reject_legacy(method)?;
    Ok(ApiCall::new(
        wire::remove_tags(config, name, tags),
        Endpoint::RemoveTags,
        encoded(wire::parse_remove_tags),
        seed,
    ))
}

/// `getTags(templateId)`.
pub fn get_tags(
    config: &ConnectionConfig,
    template_id: &str,
    seed: u64,
) -> Result<JsonCall, SdkError> {
    let method = "Template.getTags";
    non_empty(method, "templateId", template_id)?;
    config.reject_legacy(method)?;
    Ok(ApiCall::new(
        wire::get_tags(config, template_id),
        Endpoint::GetTags,
        encoded(wire::parse_get_tags),
        seed,
    ))
}

/// `get(templateId)`.
pub fn get_template(
    config: &ConnectionConfig,
    template_id: &str,
    seed: u64,
) -> Result<JsonCall, SdkError> {
    let method = "Template.get";
    non_empty(method, "templateId", template_id)?;
    config.reject_legacy(method)?;
    Ok(ApiCall::new(
        wire::get_template(config, template_id),
        Endpoint::GetTemplate,
        encoded(wire::parse_get_template),
        seed,
    ))
}

/// `delete(templateId)`: an empty id is the official plain `Error`.
pub fn delete_template(
    config: &ConnectionConfig,
    template_id: &str,
    seed: u64,
) -> Result<JsonCall, SdkError> {
    Ok(ApiCall::new(
        wire::delete_template(config, template_id)?,
        Endpoint::DeleteTemplate,
        encoded(wire::parse_delete_template),
        seed,
    ))
}

/// `getBuildStatus({templateId, buildId}, {logsOffset})`: one status request.
pub fn build_status(
    config: &ConnectionConfig,
    template_id: &str,
    build_id: &str,
    logs_offset: Option<u64>,
    seed: u64,
) -> Result<JsonCall, SdkError> {
    let method = "Template.getBuildStatus";
    if template_id.is_empty() || build_id.is_empty() {
        return Err(SdkError::invalid(novita_template_json::cat!(
            method,
            ": `templateId` and `buildId` are required (as returned by buildInBackground)",
        )));
    }
    config.reject_legacy(method)?;
    let parse = |r: &crate::http::HttpResponse, now_ms: f64| {
        wire::parse_build_status(r).map(|s| s.to_response(now_ms).encode().unwrap_or(Json::Null))
    };
    Ok(ApiCall::new(
        wire::build_status(config, template_id, build_id, logs_offset),
        Endpoint::BuildStatus,
        Rc::new(parse),
        seed,
    ))
}

/// `Sandbox.kill(id)` / `sandbox.kill()`: true when killed, false when not found.
/// In debug mode no request is made.
pub fn kill_sandbox(
    config: &ConnectionConfig,
    sandbox_id: &str,
    seed: u64,
) -> Result<JsonCall, SdkError> {
    non_empty("Sandbox.kill", "sandboxId", sandbox_id)?;
    let parse = encoded(wire::parse_kill_sandbox);
    if config.debug {
        return Ok(ApiCall::decided(
            Ok(Json::Bool(true)),
            Endpoint::KillSandbox,
            parse,
        ));
    }
    Ok(ApiCall::new(
        wire::kill_sandbox(config, sandbox_id),
        Endpoint::KillSandbox,
        parse,
        seed,
    ))
}
