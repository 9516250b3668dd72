//! `POST /sandboxes` and `DELETE /sandboxes/{sandboxID}`. Sandboxes are records only:
//! nothing is started, and envd is never reachable.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

use super::templates::ENVD_VERSION;
use super::{
    empty_reply, json_reply, read_json, required_string, ApiError, ApiResult, PathParams, Shared,
};
use crate::validation;

/// Creates a sandbox record from a template id, `name` or `name:tag` whose build is ready.
pub async fn create(State(state): State<Shared>, headers: HeaderMap, body: Body) -> ApiResult {
    let obj = read_json(&state, &headers, body).await?;
    let reference = required_string(&obj, "templateID")?;
    validation::path_id("templateID", &reference).map_err(ApiError::bad_request)?;
    if let Some(t) = obj.get("timeout") {
        if !matches!(t, Value::Null) && t.as_u64().is_none() {
            return Err(ApiError::bad_request(
                "'timeout' must be a non-negative integer (seconds)",
            ));
        }
    }
    let (template, build_id) = state.store.resolve_ready_build(&reference)?;
    let sandbox = state.store.create_sandbox(&template.id, &build_id)?;
    Ok(json_reply(
        StatusCode::CREATED,
        &json!({
            "sandboxID": sandbox.id,
            "clientID": sandbox.client_id,
            "templateID": sandbox.template_id,
            "alias": template.name,
            "envdVersion": ENVD_VERSION,
            "envdAccessToken": format!("envd-{}", sandbox.client_id),
            "domain": null,
            "trafficAccessToken": null,
        }),
    ))
}

pub async fn kill(State(state): State<Shared>, PathParams(id): PathParams<String>) -> ApiResult {
    validation::path_id("sandbox id", &id).map_err(ApiError::bad_request)?;
    if state.store.delete_sandbox(&id)? {
        Ok(empty_reply(StatusCode::NO_CONTENT))
    } else {
        Err(ApiError::not_found(format!("sandbox '{id}' not found")))
    }
}
