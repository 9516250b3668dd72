//! CORS, so that a web page on any origin can call the emulator: preflight answers
//! for every path, and the allow-origin and expose headers on every reply.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};

/// Every header the official SDK and ours send, plus `accept`: the registry reads
/// send a long `Accept` list, which is not CORS-safelisted, so a browser asks first.
const ALLOWED_HEADERS: &str = "content-type, x-api-key, authorization, browser, lang, lang_version, package_version, publisher, sdk_runtime, system, x-novita-sdk-name, x-novita-sdk-version, user-agent, accept";
/// Reply headers a page may read: the rate-limit hint and the registry's digest.
const EXPOSED_HEADERS: &str = "retry-after, docker-content-digest";
const ALLOWED_METHODS: &str = "GET, POST, PUT, DELETE, OPTIONS";

fn allow_origin(request: &HeaderMap) -> HeaderValue {
    request
        .get(header::ORIGIN)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("*"))
}

/// The reply to an `OPTIONS` preflight (any path, no API key needed).
pub fn preflight(request: &HeaderMap) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::NO_CONTENT;
    let h = r.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOWED_METHODS),
    );
    // Echo extra requested headers too, so a custom header never breaks a browser call.
    let allowed = match request
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .and_then(|v| v.to_str().ok())
    {
        Some(extra) if !extra.is_empty() => format!("{ALLOWED_HEADERS}, {extra}"),
        _ => ALLOWED_HEADERS.to_string(),
    };
    if let Ok(v) = HeaderValue::from_str(&allowed) {
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, v);
    }
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    decorate(request, &mut r);
    r
}

/// Adds the CORS headers every reply carries.
pub fn decorate(request: &HeaderMap, response: &mut Response<Body>) {
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin(request));
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSED_HEADERS),
    );
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
}
