//! Tag endpoints (`POST`/`DELETE /templates/tags`, `GET /templates/{id}/tags`) and the
//! alias check `GET /templates/aliases/{alias}`.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::json;

use super::{
    empty_reply, json_reply, read_json, required_string, string_list, ApiError, ApiResult,
    PathParams, Shared,
};
use crate::clock::rfc3339;
use crate::validation::{self, DEFAULT_TAG};

fn tag_list(obj: &serde_json::Map<String, serde_json::Value>) -> Result<Vec<String>, ApiError> {
    let tags =
        string_list(obj, "tags")?.ok_or_else(|| ApiError::bad_request("'tags' is required"))?;
    if tags.is_empty() {
        return Err(ApiError::bad_request("'tags' must name at least one tag"));
    }
    let mut unique = Vec::new();
    for t in tags {
        validation::tag(&t).map_err(ApiError::bad_request)?;
        if !unique.contains(&t) {
            unique.push(t);
        }
    }
    Ok(unique)
}

/// `POST /templates/tags` `{target: "name:tag", tags}`: points `tags` at the build
/// that `target` points at (`name` alone means `name:default`).
pub async fn assign(State(state): State<Shared>, headers: HeaderMap, body: Body) -> ApiResult {
    let obj = read_json(&state, &headers, body).await?;
    let target = required_string(&obj, "target")?;
    let (name, tag) = validation::name_and_tag(&target).map_err(ApiError::bad_request)?;
    let tags = tag_list(&obj)?;
    let build_id = state
        .store
        .assign_tags(&name, tag.as_deref().unwrap_or(DEFAULT_TAG), &tags)?;
    Ok(json_reply(
        StatusCode::CREATED,
        &json!({"buildID": build_id, "tags": tags}),
    ))
}

/// `DELETE /templates/tags` `{name, tags}`: removes the tags (all or nothing).
pub async fn remove(State(state): State<Shared>, headers: HeaderMap, body: Body) -> ApiResult {
    let obj = read_json(&state, &headers, body).await?;
    let name = validation::template_name(&required_string(&obj, "name")?)
        .map_err(ApiError::bad_request)?;
    let tags = tag_list(&obj)?;
    state.store.remove_tags(&name, &tags)?;
    Ok(empty_reply(StatusCode::NO_CONTENT))
}

/// `GET /templates/{templateID}/tags` (an id or a name).
pub async fn list(State(state): State<Shared>, PathParams(id): PathParams<String>) -> ApiResult {
    validation::path_id("template id", &id).map_err(ApiError::bad_request)?;
    let t = state
        .store
        .find_template(&id)?
        .ok_or_else(|| ApiError::not_found(format!("template '{id}' not found")))?;
    let tags = state.store.tags_of(&t.id)?;
    let body: Vec<_> = tags
        .iter()
        .map(|t| json!({"tag": t.tag, "buildID": t.build_id, "createdAt": rfc3339(t.created_at)}))
        .collect();
    Ok(json_reply(StatusCode::OK, &body.into()))
}

/// `GET /templates/aliases/{alias}`: 200 `{templateID, public}` when the name (and
/// the tag, if one is given) exists, 404 otherwise.
pub async fn alias_exists(
    State(state): State<Shared>,
    PathParams(alias): PathParams<String>,
) -> ApiResult {
    let (name, tag) = validation::name_and_tag(&alias).map_err(ApiError::bad_request)?;
    match state.store.alias_exists(&name, tag.as_deref())? {
        Some(t) => Ok(json_reply(
            StatusCode::OK,
            &json!({"templateID": t.id, "public": false}),
        )),
        None => Err(ApiError::not_found(format!("template '{alias}' not found"))),
    }
}
