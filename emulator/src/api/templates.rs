//! Template and build endpoints: request a build (`POST /v3/templates`), trigger it,
//! read its status and logs, and get, list and delete templates.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

use super::{
    empty_reply, json_reply, query_pairs, read_body, read_json, required_string, string_list,
    ApiError, ApiResult, PathParams, Shared,
};
use crate::clock::rfc3339;
use crate::plan::DISK_SIZE_MB;
use crate::spec;
use crate::store::{level_rank, BuildRow, LogRow, TemplateRow};
use crate::validation::{self, DEFAULT_TAG};

/// Most log entries one status reply carries.
pub const LOG_PAGE: i64 = 100;
/// The envd version reported for every template and sandbox.
pub const ENVD_VERSION: &str = "0.2.0";

fn int_field(
    obj: &serde_json::Map<String, Value>,
    key: &str,
    default: i64,
) -> Result<i64, ApiError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_i64()
            .ok_or_else(|| ApiError::bad_request(format!("'{key}' must be an integer"))),
    }
}

/// `POST /v3/templates`: creates the template on first use and a `waiting` build.
pub async fn request_build(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    let obj = read_json(&state, &headers, body).await?;
    let reference = required_string(&obj, "name")?;
    let (name, name_tag) = validation::name_and_tag(&reference).map_err(ApiError::bad_request)?;
    let mut tags: Vec<String> = Vec::new();
    for t in name_tag
        .into_iter()
        .chain(string_list(&obj, "tags")?.unwrap_or_default())
    {
        validation::tag(&t).map_err(ApiError::bad_request)?;
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    if tags.is_empty() {
        tags.push(DEFAULT_TAG.to_string());
    }
    let cpu = int_field(&obj, "cpuCount", 2)?;
    let memory = int_field(&obj, "memoryMB", 1024)?;
    validation::cpu_count(cpu).map_err(ApiError::bad_request)?;
    validation::memory_mb(memory).map_err(ApiError::bad_request)?;
    let (template, build) = state
        .store
        .create_build(
            &name,
            &tags,
            cpu,
            memory,
            state.config.max_concurrent_builds,
        )
        .map_err(|r| state.refused(r))?;
    Ok(json_reply(
        StatusCode::ACCEPTED,
        &json!({
            "templateID": template.id,
            "buildID": build.id,
            "tags": tags,
            "names": [template.name],
            "aliases": [template.name],
            "public": false,
        }),
    ))
}

fn check_ids(template_id: &str, build_id: &str) -> Result<(), ApiError> {
    validation::path_id("template id", template_id).map_err(ApiError::bad_request)?;
    validation::path_id("build id", build_id).map_err(ApiError::bad_request)
}

/// `POST /v2/templates/{templateID}/builds/{buildID}`: starts a waiting build.
pub async fn trigger_build(
    State(state): State<Shared>,
    PathParams((template_id, build_id)): PathParams<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    check_ids(&template_id, &build_id)?;
    let bytes = read_body(&headers, body, state.config.max_json_bytes).await?;
    let spec = spec::parse_trigger(&bytes).map_err(ApiError::bad_request)?;
    let canonical = String::from_utf8_lossy(&bytes).into_owned();
    let memory_mb = state
        .store
        .trigger(
            &template_id,
            &build_id,
            &canonical,
            state.config.max_concurrent_builds,
        )
        .map_err(|r| state.refused(r))?;
    state.builder.start(build_id, &spec, memory_mb);
    Ok(empty_reply(StatusCode::ACCEPTED))
}

fn log_json(e: &LogRow) -> Value {
    let mut v = json!({
        "timestamp": rfc3339(e.timestamp),
        "level": e.level,
        "message": e.message,
    });
    if let Some(step) = &e.step {
        v["step"] = json!(step);
    }
    v
}

/// `GET /templates/{templateID}/builds/{buildID}/status?logsOffset=&level=`
pub async fn build_status(
    State(state): State<Shared>,
    PathParams((template_id, build_id)): PathParams<(String, String)>,
    RawQuery(query): RawQuery,
) -> ApiResult {
    check_ids(&template_id, &build_id)?;
    let mut offset = 0i64;
    let mut min_rank = 0i64;
    for (k, v) in query_pairs(query.as_deref()) {
        match k.as_str() {
            "logsOffset" => {
                offset = v.parse().ok().filter(|n: &i64| *n >= 0).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "logsOffset '{v}' must be a non-negative integer"
                    ))
                })?
            }
            "level" => {
                min_rank = level_rank(&v).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "level '{v}' must be one of debug, info, warn, error"
                    ))
                })?
            }
            _ => {}
        }
    }
    let build = state
        .store
        .get_build(&template_id, &build_id)?
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "build '{build_id}' of template '{template_id}' not found"
            ))
        })?;
    let entries = state.store.logs(&build_id, offset, min_rank, LOG_PAGE)?;
    let mut reply = json!({
        "templateID": template_id,
        "buildID": build_id,
        "status": build.status,
        "logEntries": entries.iter().map(log_json).collect::<Vec<_>>(),
        "logs": entries.iter().map(|e| e.message.clone()).collect::<Vec<_>>(),
    });
    if build.status == "error" {
        let errors = state.store.error_logs(&build_id)?;
        let mut reason = json!({
            "message": build.reason_message.clone().unwrap_or_else(|| "unknown error".into()),
            "logEntries": errors.iter().map(log_json).collect::<Vec<_>>(),
        });
        if let Some(step) = &build.reason_step {
            reason["step"] = json!(step);
        }
        reply["reason"] = reason;
    }
    Ok(json_reply(StatusCode::OK, &reply))
}

fn build_json(b: &BuildRow) -> Value {
    json!({
        "buildID": b.id,
        "status": b.status,
        "cpuCount": b.cpu_count,
        "memoryMB": b.memory_mb,
        "createdAt": rfc3339(b.created_at),
        "updatedAt": rfc3339(b.updated_at),
    })
}

/// The fields that `get` and `list` share.
fn template_json(t: &TemplateRow, builds: &[BuildRow]) -> Value {
    let latest = builds.first();
    json!({
        "templateID": t.id,
        "buildID": latest.map(|b| b.id.clone()),
        "buildStatus": latest.map(|b| b.status.clone()),
        "aliases": [t.name],
        "names": [t.name],
        "templateType": "template_build",
        "buildCount": builds.len(),
        "cpuCount": latest.map_or(0, |b| b.cpu_count),
        "memoryMB": latest.map_or(0, |b| b.memory_mb),
        "diskSizeMB": DISK_SIZE_MB,
        "spawnCount": t.spawn_count,
        "envdVersion": ENVD_VERSION,
        "public": false,
        "createdAt": rfc3339(t.created_at),
        "updatedAt": rfc3339(t.updated_at),
        "lastSpawnedAt": t.last_spawned_at.map(rfc3339),
        "createdBy": null,
    })
}

fn find(state: &Shared, id_or_name: &str) -> Result<TemplateRow, ApiError> {
    validation::path_id("template id", id_or_name).map_err(ApiError::bad_request)?;
    state
        .store
        .find_template(id_or_name)?
        .ok_or_else(|| ApiError::not_found(format!("template '{id_or_name}' not found")))
}

/// `GET /templates/{templateID}` (an id or a name): the template and its builds,
/// newest first.
pub async fn get(State(state): State<Shared>, PathParams(id): PathParams<String>) -> ApiResult {
    let t = find(&state, &id)?;
    let builds = state.store.builds_of(&t.id)?;
    let mut v = template_json(&t, &builds);
    v["builds"] = builds.iter().map(build_json).collect::<Vec<_>>().into();
    Ok(json_reply(StatusCode::OK, &v))
}

/// `DELETE /templates/{templateID}` (an id or a name).
pub async fn delete(State(state): State<Shared>, PathParams(id): PathParams<String>) -> ApiResult {
    let t = find(&state, &id)?;
    state.store.delete_template(&t.id)?;
    Ok(empty_reply(StatusCode::NO_CONTENT))
}

/// `GET /v2/templates?template_type=&page=&limit=`
pub async fn list(State(state): State<Shared>, RawQuery(query): RawQuery) -> ApiResult {
    let mut kind = "template_build".to_string();
    let mut page = 1i64;
    let mut limit = 20i64;
    for (k, v) in query_pairs(query.as_deref()) {
        match k.as_str() {
            "template_type" => {
                if v != "template_build" && v != "snapshot_template" {
                    return Err(ApiError::bad_request(format!(
                        "template_type '{v}' must be template_build or snapshot_template"
                    )));
                }
                kind = v;
            }
            "page" => {
                page = v.parse().ok().filter(|n: &i64| *n >= 1).ok_or_else(|| {
                    ApiError::bad_request(format!("page '{v}' must be an integer >= 1"))
                })?
            }
            "limit" => {
                limit = v
                    .parse()
                    .ok()
                    .filter(|n: &i64| (1..=100).contains(n))
                    .ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "limit '{v}' must be an integer from 1 to 100"
                        ))
                    })?
            }
            _ => {}
        }
    }
    // The emulator makes no snapshots, so that listing is always empty.
    let (rows, total) = if kind == "snapshot_template" {
        (Vec::new(), 0)
    } else {
        state.store.list_templates(page, limit)?
    };
    let mut templates = Vec::new();
    for t in &rows {
        let builds = state.store.builds_of(&t.id)?;
        templates.push(template_json(t, &builds));
    }
    let total_pages = (total + limit - 1) / limit;
    Ok(json_reply(
        StatusCode::OK,
        &json!({
            "templates": templates,
            "total": total,
            "page": page,
            "limit": limit,
            "totalPages": total_pages,
        }),
    ))
}
