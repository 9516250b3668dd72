//! The mapping from HTTP replies (and their absence) to the package's errors.
//!
//! Classes and message formats follow the official SDK (docs/wire-contract.md §2.4, §7,
//! fixture 10) wherever it produces an error. Deliberate differences (see
//! DIFFERENCES.md): a non-2xx reply with an empty body is an error, never a
//! silent success; a JSON error body without `message` shows its JSON text
//! instead of `[object Object]`; long or binary bodies are cut short.

use crate::prelude::*;

use crate::endpoint::Endpoint;
use crate::http::{HttpResponse, TransportError};
use novita_template_json::text::utf8_lossy;
use novita_template_json::{parse_bytes, quote, u64_text};

/// Longest server-provided text (in characters) copied into an error message.
pub const MAX_DETAIL_CHARS: usize = 500;

/// Cuts `text` to [`MAX_DETAIL_CHARS`] characters, marking the cut.
pub fn truncate_detail(text: &str) -> String {
    match text.char_indices().nth(MAX_DETAIL_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => novita_template_json::cat!(
            &text[..cut],
            "… (",
            &u64_text(text.len() as u64),
            " bytes in total)",
        ),
    }
}

/// `JSON.stringify(JSON.parse(text))` for valid JSON (key order and strings as they
/// are), `None` otherwise.
pub fn compact_json(text: &[u8]) -> Option<String> {
    parse_bytes(text).ok().map(|v| v.to_compact())
}

/// What the server said in an error body, as the official `error.message ?? error`
/// would print it (but with JSON text instead of `[object Object]`).
/// `None` for an empty body.
fn error_detail(body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    let detail = match parse_bytes(body) {
        Ok(v @ Json::Obj(_)) => match v.get("message") {
            Some(Json::Str(s)) => s.clone(),
            Some(m) if !m.is_null() => m.to_compact(),
            _ => v.to_compact(),
        },
        Ok(Json::Str(s)) => s,
        Ok(v) => v.to_compact(),
        Err(_) => utf8_lossy(body).into_owned(),
    };
    Some(truncate_detail(&detail))
}

/// The error for a non-2xx reply from `endpoint` (callers handle the statuses
/// that mean something else first, such as 404 on `AliasExists`).
pub fn error_from_status(endpoint: Endpoint, response: &HttpResponse) -> SdkError {
    let status = response.status;
    let detail = error_detail(&response.body);
    let code = u64_text(u64::from(status));
    let with_code = |text: &str| novita_template_json::cat!(code.as_str(), ": ", text);
    let reason = response.status_text_or_reason();
    let (class, message) = match endpoint {
        Endpoint::FileUpload => (
            ErrorClass::FileUploadError,
            novita_template_json::cat!("Failed to upload file: ", reason),
        ),
        // The official SDK prints `JSON.stringify(error)` for this call.
        Endpoint::GetTemplate if !response.body.is_empty() => {
            let shown =
                compact_json(&response.body).unwrap_or_else(|| quote(&utf8_lossy(&response.body)));
            (ErrorClass::BuildError, with_code(&truncate_detail(&shown)))
        }
        // Raw fetch: `body.message ?? JSON.stringify(body)`, or statusText for non-JSON.
        Endpoint::ListTemplates if parse_bytes(&response.body).is_ok() => (
            ErrorClass::BuildError,
            with_code(detail.as_deref().unwrap_or_default()),
        ),
        Endpoint::GetTemplate | Endpoint::ListTemplates => {
            (ErrorClass::BuildError, with_code(reason))
        }
        _ => {
            let detail = detail.as_deref().unwrap_or_default();
            let suffix = if detail.is_empty() { "" } else { " - " };
            match status {
                401 => (
                    ErrorClass::AuthenticationError,
                    novita_template_json::cat!(
                        "Unauthorized, please check your credentials.",
                        suffix,
                        detail,
                    ),
                ),
                429 => (
                    ErrorClass::RateLimitError,
                    novita_template_json::cat!(
                        "Rate limit exceeded, please try again later",
                        suffix,
                        detail,
                    ),
                ),
                _ if detail.is_empty() => (endpoint.error_class(), with_code(reason)),
                _ => (endpoint.error_class(), with_code(detail)),
            }
        }
    };
    let mut e = SdkError::new(class, message).with_status(status);
    // Delay-seconds only: an HTTP-date needs the clock, which the retry logic has.
    e.retry_after_ms = response
        .header("retry-after")
        .and_then(crate::retry::delay_seconds_ms);
    e
}

/// The error for a request that got no response.
pub fn error_from_transport(
    endpoint: Endpoint,
    error: &TransportError,
    timeout_ms: Option<u64>,
) -> SdkError {
    match error {
        TransportError::Aborted => SdkError::new(ErrorClass::AbortError, "The request was aborted"),
        TransportError::Timeout => {
            let message = match timeout_ms {
                Some(ms) => {
                    novita_template_json::cat!("Request timed out after ", &u64_text(ms), " ms")
                }
                None => "Request timed out".into(),
            };
            SdkError::new(ErrorClass::TimeoutError, message)
        }
        TransportError::Network(msg) if endpoint == Endpoint::FileUpload => SdkError::new(
            ErrorClass::FileUploadError,
            novita_template_json::cat!("Failed to upload file: ", &truncate_detail(msg)),
        ),
        TransportError::Network(msg) => SdkError::new(
            ErrorClass::NetworkError,
            novita_template_json::cat!("Network error: ", &truncate_detail(msg)),
        ),
        TransportError::Unreadable(msg) => SdkError::new(
            endpoint.error_class(),
            novita_template_json::cat!("Invalid response from the server: ", &truncate_detail(msg)),
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
