//! Reply builders shared by the API and the test registry: JSON and empty bodies,
//! always with an explicit `Content-Length` (never chunked).

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use serde_json::Value;

/// A JSON reply with an explicit `Content-Length`.
pub fn json_reply(status: StatusCode, body: &Value) -> Response<Body> {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let len = bytes.len();
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    r
}

/// An empty reply with `Content-Length: 0`: the official client reads a body on
/// any 2xx that lacks it, and crashes on an empty chunked one (docs/wire-contract.md §2.4).
pub fn empty_reply(status: StatusCode) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
    r
}
