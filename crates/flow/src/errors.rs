//! The one error type of the crate and the mapping from HTTP replies to it.
//!
//! Classes and message formats follow the official SDK (protocol §2.4, §7,
//! fixture 10) wherever it produces an error. Deliberate differences (see
//! DIFFERENCES.md): a non-2xx reply with an empty body is an error, never a
//! silent success; a JSON error body without `message` shows its JSON text
//! instead of `[object Object]`; long or binary bodies are cut short.

use std::fmt;

use crate::endpoint::Endpoint;
use crate::http::{HttpResponse, TransportError};
use crate::json_text;

/// The JavaScript error class an error surfaces as. `name()` is the JS `name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// A plain JavaScript `Error` (list option validation, `No more pages to fetch`).
    Error,
    SandboxError,
    TemplateError,
    BuildError,
    FileUploadError,
    AuthenticationError,
    RateLimitError,
    NotFoundError,
    TimeoutError,
    InvalidArgumentError,
    /// Cancellation through [`crate::session::BuildSession::abort`] or an AbortSignal.
    AbortError,
}

impl ErrorClass {
    /// The JavaScript `name` of the class.
    pub fn name(self) -> &'static str {
        match self {
            ErrorClass::Error => "Error",
            ErrorClass::SandboxError => "SandboxError",
            ErrorClass::TemplateError => "TemplateError",
            ErrorClass::BuildError => "BuildError",
            ErrorClass::FileUploadError => "FileUploadError",
            ErrorClass::AuthenticationError => "AuthenticationError",
            ErrorClass::RateLimitError => "RateLimitError",
            ErrorClass::NotFoundError => "NotFoundError",
            ErrorClass::TimeoutError => "TimeoutError",
            ErrorClass::InvalidArgumentError => "InvalidArgumentError",
            ErrorClass::AbortError => "AbortError",
        }
    }

    /// The class this one extends in the official SDK (`None`: extends `Error`).
    pub fn parent(self) -> Option<ErrorClass> {
        match self {
            ErrorClass::TemplateError
            | ErrorClass::RateLimitError
            | ErrorClass::NotFoundError
            | ErrorClass::TimeoutError
            | ErrorClass::InvalidArgumentError => Some(ErrorClass::SandboxError),
            ErrorClass::FileUploadError => Some(ErrorClass::BuildError),
            _ => None,
        }
    }
}

/// An error with its class, message and the facts a caller may act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowError {
    pub class: ErrorClass,
    pub message: String,
    /// For failed builds: the server's `reason.step` (`"base"`, `"2"`, `"finalize"`, …).
    pub step: Option<String>,
    /// The HTTP status that caused the error, if any.
    pub status: Option<u16>,
    /// How long the server asked us to wait (`Retry-After`), if it did.
    pub retry_after_ms: Option<u64>,
}

impl FlowError {
    /// An error of `class` with `message` and nothing else.
    pub fn new(class: ErrorClass, message: impl Into<String>) -> Self {
        FlowError {
            class,
            message: message.into(),
            step: None,
            status: None,
            retry_after_ms: None,
        }
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// The JavaScript `name` of the error.
    pub fn name(&self) -> &'static str {
        self.class.name()
    }
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class.name(), self.message)
    }
}

impl std::error::Error for FlowError {}

/// Longest server-provided text (in characters) copied into an error message.
pub const MAX_DETAIL_CHARS: usize = 500;

/// Cuts `text` to [`MAX_DETAIL_CHARS`] characters, marking the cut.
pub fn truncate_detail(text: &str) -> String {
    match text.char_indices().nth(MAX_DETAIL_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}… ({} bytes in total)", &text[..cut], text.len()),
    }
}

/// What the server said in an error body, as the official `error.message ?? error`
/// would print it (but with JSON text instead of `[object Object]`).
/// `None` for an empty body.
fn error_detail(body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    let detail = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => match map.get("message") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(v) if !v.is_null() => v.to_string(),
            _ => json_text::compact(&text).unwrap_or_else(|| text.to_string()),
        },
        Ok(serde_json::Value::String(s)) => s,
        Ok(_) => json_text::compact(&text).unwrap_or_else(|| text.to_string()),
        Err(_) => text.to_string(),
    };
    Some(truncate_detail(&detail))
}

/// The error for a non-2xx reply from `endpoint` (callers handle the statuses
/// that mean something else first, such as 404 on `AliasExists`).
pub fn error_from_status(endpoint: Endpoint, response: &HttpResponse) -> FlowError {
    let status = response.status;
    let detail = error_detail(&response.body);
    // Delay-seconds only: an HTTP-date needs the clock, which the retry logic has.
    let retry_after_ms = response
        .header("retry-after")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e9)
        .map(|s| (s * 1000.0).ceil() as u64);
    let with_status = |class: ErrorClass, message: String| FlowError {
        retry_after_ms,
        ..FlowError::new(class, message).with_status(status)
    };
    let fallback = || format!("{status}: {}", response.status_text_or_reason());
    match endpoint {
        Endpoint::FileUpload => with_status(
            ErrorClass::FileUploadError,
            format!(
                "Failed to upload file: {}",
                response.status_text_or_reason()
            ),
        ),
        Endpoint::GetTemplate => {
            // The official SDK prints `JSON.stringify(error)` for this call.
            let message = if response.body.is_empty() {
                fallback()
            } else {
                let text = String::from_utf8_lossy(&response.body);
                let shown = json_text::compact(&text).unwrap_or_else(|| json_text::quote(&text));
                format!("{status}: {}", truncate_detail(&shown))
            };
            with_status(ErrorClass::BuildError, message)
        }
        Endpoint::ListTemplates => {
            // Raw fetch: `body.message ?? JSON.stringify(body)`, or statusText for non-JSON.
            let text = String::from_utf8_lossy(&response.body);
            let message = match serde_json::from_slice::<serde_json::Value>(&response.body) {
                Ok(_) => format!("{status}: {}", detail.unwrap_or_default()),
                Err(_) if text.trim().is_empty() => fallback(),
                Err(_) => fallback(),
            };
            with_status(ErrorClass::BuildError, message)
        }
        _ => {
            let suffix = detail
                .as_deref()
                .filter(|d| !d.is_empty())
                .map(|d| format!(" - {d}"))
                .unwrap_or_default();
            match status {
                401 => with_status(
                    ErrorClass::AuthenticationError,
                    format!("Unauthorized, please check your credentials.{suffix}"),
                ),
                429 => with_status(
                    ErrorClass::RateLimitError,
                    format!("Rate limit exceeded, please try again later{suffix}"),
                ),
                _ => match detail {
                    Some(d) if !d.is_empty() => {
                        with_status(endpoint.error_class(), format!("{status}: {d}"))
                    }
                    _ => with_status(endpoint.error_class(), fallback()),
                },
            }
        }
    }
}

/// The error for a request that got no response.
pub fn error_from_transport(
    endpoint: Endpoint,
    error: &TransportError,
    timeout_ms: Option<u64>,
) -> FlowError {
    match error {
        TransportError::Aborted => {
            FlowError::new(ErrorClass::AbortError, "The request was aborted")
        }
        TransportError::Timeout => {
            let after = timeout_ms
                .map(|ms| format!(" after {ms} ms"))
                .unwrap_or_default();
            FlowError::new(
                ErrorClass::TimeoutError,
                format!("Request timed out{after}"),
            )
        }
        TransportError::Network(msg) if endpoint == Endpoint::FileUpload => FlowError::new(
            ErrorClass::FileUploadError,
            format!("Failed to upload file: {}", truncate_detail(msg)),
        ),
        TransportError::Network(msg) => FlowError::new(
            endpoint.error_class(),
            format!("Network error: {}", truncate_detail(msg)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, status_text: &str, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            status_text: status_text.into(),
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn typed_client_formats() {
        let e = error_from_status(
            Endpoint::RequestBuild,
            &reply(400, "", r#"{"code":400,"message":"invalid name"}"#),
        );
        assert_eq!(
            (e.class, e.message.as_str()),
            (ErrorClass::BuildError, "400: invalid name")
        );
        let e = error_from_status(
            Endpoint::AliasExists,
            &reply(401, "", r#"{"message":"bad key"}"#),
        );
        assert_eq!(
            e.message,
            "Unauthorized, please check your credentials. - bad key"
        );
        let mut limited = reply(429, "", "");
        limited.headers.push(("retry-after".into(), "7".into()));
        assert_eq!(
            error_from_status(Endpoint::AssignTags, &limited).retry_after_ms,
            Some(7000)
        );
        let e = error_from_status(Endpoint::AssignTags, &reply(429, "", ""));
        assert_eq!((e.status, e.retry_after_ms), (Some(429), None));
        assert_eq!(
            (e.class, e.message.as_str()),
            (
                ErrorClass::RateLimitError,
                "Rate limit exceeded, please try again later"
            )
        );
        let e = error_from_status(
            Endpoint::TriggerBuild,
            &reply(500, "Internal Server Error", ""),
        );
        assert_eq!(e.message, "500: Internal Server Error");
        let e = error_from_status(
            Endpoint::RequestBuild,
            &reply(500, "", "{ \"error\": \"boom\" }"),
        );
        assert_eq!(e.message, r#"500: {"error":"boom"}"#);
        let e = error_from_status(Endpoint::RequestBuild, &reply(500, "", "null"));
        assert_eq!(e.message, "500: null");
    }

    #[test]
    fn long_bodies_are_cut() {
        let body = "x".repeat(100_000);
        let e = error_from_status(Endpoint::RequestBuild, &reply(502, "Bad Gateway", &body));
        assert!(e.message.len() < 700, "{}", e.message.len());
        assert!(e.message.ends_with("(100000 bytes in total)"));
        let e = error_from_status(
            Endpoint::RequestBuild,
            &HttpResponse {
                status: 500,
                body: vec![0xff, 0xfe, 0x00],
                ..Default::default()
            },
        );
        assert!(e.message.starts_with("500: "));
    }

    #[test]
    fn get_and_list_formats() {
        let e = error_from_status(
            Endpoint::GetTemplate,
            &reply(404, "", r#"{"code":404,"message":"nope"}"#),
        );
        assert_eq!(e.message, r#"404: {"code":404,"message":"nope"}"#);
        let e = error_from_status(
            Endpoint::ListTemplates,
            &reply(401, "Unauthorized", r#"{"code":401,"message":"bad key"}"#),
        );
        assert_eq!(
            (e.class, e.message.as_str()),
            (ErrorClass::BuildError, "401: bad key")
        );
        let e = error_from_status(
            Endpoint::ListTemplates,
            &reply(502, "Bad Gateway", "<html>"),
        );
        assert_eq!(e.message, "502: Bad Gateway");
    }
}
