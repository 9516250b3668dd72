//! The REST API: shared state, the `{code, message}` error body, reply helpers and
//! the route table. Handlers live in one file per resource.

mod sandboxes;
mod tags;
mod templates;
mod uploads;

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::builder::Builder;
use crate::config::Config;
use crate::store::{Refusal, Store};

pub use crate::reply::{empty_reply, json_reply};
pub use uploads::UPLOAD_PATH_PREFIX;

/// Everything a handler may touch.
pub struct AppState {
    pub store: Arc<Store>,
    pub builder: Builder,
    pub config: Config,
    pub upload_secret: String,
    pub uploads_dir: PathBuf,
    /// `host:port` to use in upload URLs when a request carries no usable Host header.
    pub fallback_host: String,
}

pub type Shared = Arc<AppState>;

/// An error reply: `{code, message}` with the status as `code`, and a
/// `Retry-After` header when the client should come back later.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            retry_after_secs: None,
        }
    }
    /// 429 for a full build queue, with the seconds until a running build is
    /// planned to end.
    pub fn busy(running: usize, limit: usize, retry_after_secs: u64) -> Self {
        ApiError {
            retry_after_secs: Some(retry_after_secs),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "too many concurrent template builds: {running} running, the limit is {limit}; retry after {retry_after_secs} s"
                ),
            )
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("emulator storage error: {message}"),
        )
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal(e)
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NotFound(m) => ApiError::not_found(m),
            Refusal::Conflict(m) => ApiError::new(StatusCode::CONFLICT, m),
            Refusal::BadRequest(m) => ApiError::bad_request(m),
            Refusal::Busy { running, limit } => ApiError::busy(running.len(), limit, 1),
            Refusal::Db(e) => ApiError::internal(e),
        }
    }
}

impl AppState {
    /// Maps a store refusal to a reply; a full build queue gets a `Retry-After`
    /// from the running builds' plans.
    pub fn refused(&self, r: Refusal) -> ApiError {
        match r {
            Refusal::Busy { running, limit } => ApiError::busy(
                running.len(),
                limit,
                self.builder.seconds_until_one_ends(&running),
            ),
            other => other.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = json_reply(
            self.status,
            &json!({"code": self.status.as_u16(), "message": self.message}),
        );
        if let Some(secs) = self.retry_after_secs {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        // The body of a refused upload or oversized request is read only so far
        // (`drain_then`), so the connection cannot be reused: say so, or a client's
        // next request on it fails.
        if matches!(
            self.status,
            StatusCode::PAYLOAD_TOO_LARGE | StatusCode::LENGTH_REQUIRED
        ) {
            r.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        r
    }
}

pub type ApiResult = Result<Response, ApiError>;

/// Path parameters, with a JSON 400 instead of axum's plain-text rejection.
pub struct PathParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(t)| PathParams(t))
            .map_err(|e| ApiError::bad_request(format!("invalid path: {e}")))
    }
}

/// How much of a refused body is read and thrown away before the refusal is sent, and
/// for how long at most. A client that is still writing its body when the server
/// closes sees a reset instead of the reply; reading the rest first (bounded) lets it
/// read the 413.
const DRAIN_MAX_BYTES: u64 = 64 * 1024 * 1024;
const DRAIN_MAX_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// Reads and discards `body` until it ends, `DRAIN_MAX_BYTES` were read or
/// `DRAIN_MAX_TIME` passed, then returns `refusal` (which says `Connection: close`).
pub async fn drain_then(body: Body, refusal: ApiError) -> ApiError {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut read = 0u64;
    let drain = async {
        while let Some(Ok(frame)) = body.frame().await {
            if let Some(data) = frame.data_ref() {
                read += data.len() as u64;
                if read > DRAIN_MAX_BYTES {
                    break;
                }
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_MAX_TIME, drain).await;
    refusal
}

/// Reads a request body of at most `limit` bytes.
pub async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body is larger than the limit of {limit} bytes"),
        )
    };
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if len > limit as u64 {
            return Err(drain_then(body, too_large()).await);
        }
    }
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let text = e.to_string();
        if text.contains("length limit") {
            too_large()
        } else {
            ApiError::bad_request(format!("could not read the request body: {text}"))
        }
    })
}

/// Reads and parses a JSON object body.
pub async fn read_json(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<serde_json::Map<String, Value>, ApiError> {
    let bytes = read_body(headers, body, state.config.max_json_bytes).await?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request("the request needs a JSON body"));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::bad_request("the JSON body must be an object")),
        Err(e) => Err(ApiError::bad_request(format!("malformed JSON body: {e}"))),
    }
}

/// A list of strings from a JSON field (`None` when absent or null).
pub fn string_list(
    obj: &serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<Vec<String>>, ApiError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    ApiError::bad_request(format!("'{key}' must be an array of strings"))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(ApiError::bad_request(format!(
            "'{key}' must be an array of strings"
        ))),
    }
}

pub fn required_string(
    obj: &serde_json::Map<String, Value>,
    key: &str,
) -> Result<String, ApiError> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        None | Some(Value::Null) => Err(ApiError::bad_request(format!("'{key}' is required"))),
        Some(_) => Err(ApiError::bad_request(format!("'{key}' must be a string"))),
    }
}

/// Parses the query string into (name, value) pairs.
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

async fn no_route() -> ApiError {
    ApiError::not_found("no such endpoint")
}

async fn wrong_method() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "this endpoint does not accept that method",
    )
}

/// The route table of the API.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/v3/templates", post(templates::request_build))
        .route(
            "/v2/templates/{template_id}/builds/{build_id}",
            post(templates::trigger_build),
        )
        .route("/v2/templates", get(templates::list))
        .route(
            "/templates/{template_id}/builds/{build_id}/status",
            get(templates::build_status),
        )
        .route(
            "/templates/{template_id}/files/{hash}",
            get(uploads::upload_link),
        )
        .route(
            &format!("{UPLOAD_PATH_PREFIX}{{hash}}"),
            put(uploads::upload),
        )
        .route("/templates/tags", post(tags::assign).delete(tags::remove))
        .route("/templates/{template_id}/tags", get(tags::list))
        .route("/templates/aliases/{alias}", get(tags::alias_exists))
        .route(
            "/templates/{template_id}",
            get(templates::get).delete(templates::delete),
        )
        .route("/sandboxes", post(sandboxes::create))
        .route(
            "/sandboxes/{sandbox_id}",
            axum::routing::delete(sandboxes::kill),
        )
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(state)
}
