//! The plain HTTP exchange types the sans-IO code emits and consumes. The host
//! (fetch in wasm, canned replies in tests) turns an [`HttpRequest`] into an
//! [`HttpResponse`] or a [`TransportError`].

use crate::prelude::*;
use core::fmt;
use novita_template_json::text::find_str;

/// HTTP methods used by the template API.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Method {
    #[default]
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    /// The method name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A request ready to send. `url` is absolute; `headers` are in sending order.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Per-attempt timeout the host must enforce (`None`: no timeout).
    pub timeout_ms: Option<u64>,
    /// Whether repeating the request cannot change the outcome; drives retries.
    pub idempotent: bool,
}

impl HttpRequest {
    /// The path plus query of `url` (everything after the authority).
    pub fn path_and_query(&self) -> &str {
        let after_scheme = find_str(&self.url, "://").map_or(0, |i| i + 3);
        self.url[after_scheme..]
            .find('/')
            .map_or("/", |i| &self.url[after_scheme + i..])
    }

    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// True for header names whose values are credentials and must never be printed.
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "authorization"
        || lower == "cookie"
        || lower == "proxy-authorization"
        || ["key", "token", "secret"]
            .iter()
            .any(|part| find_str(&lower, part).is_some())
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if is_secret_header(k) {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            // Bodies can hold registry credentials (the trigger body): show the size only.
            .field(
                "body",
                &self.body.as_ref().map(|b| format!("<{} bytes>", b.len())),
            )
            .field("timeout_ms", &self.timeout_ms)
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

/// A response as received. Header names must be lower-case.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HttpResponse {
    pub status: u16,
    pub status_text: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The value of header `name` (expects lower-case names; compares case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A bodiless 202, as a trigger that the server took.
    pub fn accepted() -> HttpResponse {
        HttpResponse {
            status: 202,
            status_text: "Accepted".into(),
            ..HttpResponse::default()
        }
    }

    /// True for 2xx statuses.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// True when there is no body to read (204, or zero bytes).
    pub fn is_bodiless(&self) -> bool {
        self.status == 204 || self.body.is_empty()
    }

    /// The status text, or the standard reason phrase when the server (or
    /// HTTP/2, which has none) left it empty.
    pub fn status_text_or_reason(&self) -> &str {
        if !self.status_text.trim().is_empty() {
            return &self.status_text;
        }
        reason_phrase(self.status)
    }
}

/// The standard reason phrase for common statuses ("" when unknown).
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// Why a request produced no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// The per-request timeout (`timeout_ms`) fired.
    Timeout,
    /// DNS, connection, TLS or similar failure, with the host's description.
    Network(String),
    /// The caller cancelled the request.
    Aborted,
    /// A reply came but could not be read (larger than the host accepts); retrying
    /// would get the same.
    Unreadable(String),
}

impl TransportError {
    /// A short description for log entries ("timed out", the host's message, …).
    pub fn describe(&self) -> String {
        match self {
            TransportError::Timeout => "timed out".into(),
            TransportError::Network(m) | TransportError::Unreadable(m) => {
                crate::errors::truncate_detail(m)
            }
            TransportError::Aborted => "aborted".into(),
        }
    }
}

/// How a request ended, as the face's transport reports it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    /// An HTTP reply (of any status).
    Http,
    /// No reply: the connection failed, was refused or dropped.
    Network,
    /// The per-request timeout fired.
    Timeout,
    /// The caller's signal aborted it.
    Aborted,
    /// The host could not make the upload's archive (a file vanished or changed).
    Local,
    /// A reply came that the host could not read (over its size limit).
    Unreadable,
}

impl ReplyKind {
    /// The kind's code (the face's reply kinds: http 0, network 1, timeout 2,
    /// aborted 3, local 4, unreadable 5).
    pub fn from_code(code: u8) -> ReplyKind {
        match code {
            0 => ReplyKind::Http,
            2 => ReplyKind::Timeout,
            3 => ReplyKind::Aborted,
            4 => ReplyKind::Local,
            5 => ReplyKind::Unreadable,
            _ => ReplyKind::Network,
        }
    }
}

/// A reply from the face: its kind, and for HTTP the status, status text, headers
/// (`name\nvalue\n…`, names lower-case) and body. For failures `status_text` carries
/// the host's description.
pub fn host_reply(
    kind: ReplyKind,
    status: u16,
    status_text: &str,
    headers: &str,
    body: &[u8],
) -> Result<HttpResponse, TransportError> {
    match kind {
        ReplyKind::Http => {
            let mut lines = headers.split('\n');
            let mut pairs = Vec::new();
            while let (Some(k), Some(v)) = (lines.next(), lines.next()) {
                pairs.push((k.to_ascii_lowercase(), v.to_string()));
            }
            Ok(HttpResponse {
                status,
                status_text: status_text.to_string(),
                headers: pairs,
                body: body.to_vec(),
            })
        }
        ReplyKind::Timeout => Err(TransportError::Timeout),
        ReplyKind::Aborted => Err(TransportError::Aborted),
        ReplyKind::Unreadable => Err(TransportError::Unreadable(status_text.to_string())),
        ReplyKind::Network | ReplyKind::Local => {
            Err(TransportError::Network(status_text.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_credentials() {
        let req = HttpRequest {
            method: Method::Get,
            url: "https://api.example/x".into(),
            headers: vec![
                ("X-API-KEY".into(), "nvk_secret".into()),
                ("Authorization".into(), "Bearer tok".into()),
                ("lang".into(), "js".into()),
            ],
            body: None,
            timeout_ms: Some(1),
            idempotent: true,
        };
        let text = format!("{req:?}");
        assert!(
            !text.contains("nvk_secret") && !text.contains("Bearer tok"),
            "{text}"
        );
        assert!(text.contains("\"js\""));
        assert_eq!(req.path_and_query(), "/x");
    }

    #[test]
    fn host_replies_carry_headers_in_pairs() {
        let r = host_reply(
            ReplyKind::Http,
            429,
            "Too Many",
            "Retry-After\n3\nx-a\nb",
            b"{}",
        )
        .unwrap();
        assert_eq!(r.header("retry-after"), Some("3"));
        assert_eq!(r.headers.len(), 2);
        assert_eq!(
            host_reply(ReplyKind::Network, 0, "fetch failed (ECONNRESET)", "", b""),
            Err(TransportError::Network("fetch failed (ECONNRESET)".into()))
        );
    }

    #[test]
    fn status_text_falls_back_to_reason_phrase() {
        let resp = HttpResponse {
            status: 503,
            ..Default::default()
        };
        assert_eq!(resp.status_text_or_reason(), "Service Unavailable");
    }
}
