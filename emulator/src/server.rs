//! The front of every request: CORS preflight, fault injection, API-key check, then
//! static files or the route table, and CORS headers on the way out.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use axum::Router;
use serde_json::json;
use tower::ServiceExt;

use crate::api::{Shared, UPLOAD_PATH_PREFIX};
use crate::cors;
use crate::faults::{Fault, FaultInjector, Verdict};
use crate::reply::json_reply;
use crate::static_files;

/// What kind of resource a path names; decides auth and faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteClass {
    /// The REST API: needs a key, subject to faults.
    Api,
    /// The presigned upload URL: token instead of key, subject to faults.
    Upload,
    /// The test registry: open, no faults.
    Registry,
    /// Anything else: static files, open, no faults.
    Static,
}

fn under(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

pub fn classify(path: &str) -> RouteClass {
    if under(path, "/registry") {
        RouteClass::Registry
    } else if path.starts_with(UPLOAD_PATH_PREFIX) {
        RouteClass::Upload
    } else if ["/v2", "/v3", "/templates", "/sandboxes"]
        .iter()
        .any(|p| under(path, p))
    {
        RouteClass::Api
    } else {
        RouteClass::Static
    }
}

/// Returned instead of a reply to make hyper close the connection silently.
#[derive(Debug)]
pub struct DroppedByFault;

impl std::fmt::Display for DroppedByFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DroppedByFault {}

pub struct Front {
    pub state: Shared,
    /// The REST API ([`crate::api::router`]).
    pub router: Router,
    /// The test registry ([`crate::registry::router`]).
    pub registry: Router,
    pub faults: FaultInjector,
    pub api_keys: Vec<String>,
}

fn authorized(keys: &[String], headers: &HeaderMap) -> bool {
    let given = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(k) = given(header::HeaderName::from_static("x-api-key")) {
        if keys.iter().any(|key| key == k) {
            return true;
        }
    }
    given(header::AUTHORIZATION)
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|k| keys.iter().any(|key| key == k.trim()))
}

fn fault_reply(status: StatusCode, message: &str) -> Response<Body> {
    json_reply(
        status,
        &json!({"code": status.as_u16(), "message": message}),
    )
}

impl Front {
    pub async fn handle<B>(
        self: Arc<Self>,
        req: Request<B>,
    ) -> Result<Response<Body>, DroppedByFault>
    where
        B: http_body::Body<Data = axum::body::Bytes> + Send + 'static,
        B::Error: Into<axum::BoxError>,
    {
        let headers = req.headers().clone();
        if req.method() == Method::OPTIONS {
            return Ok(cors::preflight(&headers));
        }
        let started = std::time::Instant::now();
        let label = self
            .state
            .config
            .log_requests
            .then(|| format!("{} {}", req.method(), req.uri().path()));
        let (result, handled) = self.respond(req.map(Body::new)).await;
        if let Some(label) = label {
            let outcome = match &result {
                Ok(r) => r.status().as_u16().to_string(),
                Err(_) => "dropped".to_string(),
            };
            let late = handled
                .map(|s| format!(" after handling (the handler answered {s})"))
                .unwrap_or_default();
            eprintln!(
                "{label} -> {outcome} ({} ms){late}",
                started.elapsed().as_millis()
            );
        }
        let mut response = result?;
        cors::decorate(&headers, &mut response);
        Ok(response)
    }

    /// Applies the faults around [`Front::dispatch`]. Besides the reply, returns the
    /// status the handler gave when a late fault replaced it.
    async fn respond(
        &self,
        req: Request<Body>,
    ) -> (Result<Response<Body>, DroppedByFault>, Option<u16>) {
        let class = classify(req.uri().path());
        let mut verdict = Verdict {
            fault: Fault::None,
            late: false,
        };
        if matches!(class, RouteClass::Api | RouteClass::Upload) {
            if let Some(delay) = self.faults.latency() {
                tokio::time::sleep(delay).await;
            }
            verdict = self.faults.roll();
        }
        if verdict.fault == Fault::RateLimit {
            let mut r = fault_reply(
                StatusCode::TOO_MANY_REQUESTS,
                "injected fault: rate limit exceeded, retry after 1 second",
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return (Ok(r), None);
        }
        let mut handled = None;
        if verdict.late || verdict.fault == Fault::None {
            let reply = self.dispatch(req, class).await;
            if verdict.fault == Fault::None {
                return (Ok(reply), None);
            }
            handled = Some(reply.status().as_u16());
        }
        let faulted = match verdict.fault {
            Fault::Drop => Err(DroppedByFault),
            _ => Ok(fault_reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "injected fault: internal server error",
            )),
        };
        (faulted, handled)
    }

    /// Auth, then static files, the registry or the API.
    async fn dispatch(&self, req: Request<Body>, class: RouteClass) -> Response<Body> {
        let path = req.uri().path().to_string();
        if class == RouteClass::Api && !authorized(&self.api_keys, req.headers()) {
            return fault_reply(
                StatusCode::UNAUTHORIZED,
                "invalid or missing API key: send it as X-API-KEY (or Authorization: Bearer)",
            );
        }
        if class == RouteClass::Static && matches!(*req.method(), Method::GET | Method::HEAD) {
            let head = req.method() == Method::HEAD;
            let config = &self.state.config;
            let mounted = match (&config.serve_pkg, path.strip_prefix("/pkg")) {
                (Some(dir), Some(rest)) if rest.is_empty() || rest.starts_with('/') => {
                    Some((dir, rest))
                }
                _ => config.serve.as_ref().map(|dir| (dir, path.as_str())),
            };
            if let Some((dir, rest)) = mounted {
                if let Some(r) = static_files::serve(dir, rest, head).await {
                    return r;
                }
            }
        }
        let table = if class == RouteClass::Registry {
            &self.registry
        } else {
            &self.router
        };
        table
            .clone()
            .oneshot(req)
            .await
            .unwrap_or_else(|never| match never {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        assert_eq!(classify("/v3/templates"), RouteClass::Api);
        assert_eq!(classify("/templates/x/tags"), RouteClass::Api);
        assert_eq!(classify("/sandboxes"), RouteClass::Api);
        assert_eq!(classify("/uploads/abc"), RouteClass::Upload);
        assert_eq!(classify("/registry/v2/x"), RouteClass::Registry);
        assert_eq!(classify("/"), RouteClass::Static);
        assert_eq!(classify("/pkg/index.js"), RouteClass::Static);
        assert_eq!(classify("/templatesx"), RouteClass::Static);
    }
}
