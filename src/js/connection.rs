//! Connection options (`apiKey`, `accessToken`, `domain`, `apiUrl`, `debug`,
//! `headers`, `requestTimeoutMs`, `allowInsecureHttp`) and the `signal`, decoded
//! from a JS options object and resolved like the official SDK (environment
//! variables in Node, the official request headers for this host).

use novita_template_flow::{ConnectionConfig, ConnectionOptions, HostKind};
use wasm_bindgen::prelude::*;

use super::error_classes::flow_error;
use super::host;
use super::js_args::{invalid, JsResult, Options};

/// What every API call takes from its options object.
pub(crate) struct CallContext {
    pub(crate) config: ConnectionConfig,
    /// The user's `AbortSignal`, or `undefined`.
    pub(crate) signal: JsValue,
}

const ENV_NAMES: [&str; 5] = [
    "NOVITA_API_KEY",
    "NOVITA_ACCESS_TOKEN",
    "NOVITA_DOMAIN",
    "NOVITA_DEBUG",
    "NOVITA_API_URL",
];

fn host_kind() -> HostKind {
    if host::is_node() {
        HostKind::Node {
            version: host::property("nodeVersion").unwrap_or_else(|| "unknown".into()),
            os: host::property("osName").unwrap_or_else(|| "unknown".into()),
        }
    } else {
        HostKind::Browser {
            name: "unknown".into(),
            version: "unknown".into(),
            os: "unknown".into(),
        }
    }
}

/// Decodes the connection part of `o` and resolves it.
pub(crate) fn call_context(o: &Options) -> JsResult<CallContext> {
    let timeout = match o.number("requestTimeoutMs")? {
        Some(ms) if ms < 0.0 || ms.fract() != 0.0 => {
            return Err(invalid(
                o.method(),
                "option `requestTimeoutMs` must be a whole number of milliseconds >= 0",
            ))
        }
        Some(ms) => Some(ms as u64),
        None => None,
    };
    let mut headers = Vec::new();
    let raw_headers = o.raw("headers");
    if !raw_headers.is_undefined() && !raw_headers.is_null() {
        let h = Options::new(&raw_headers, o.method())?;
        for (k, v) in h.entries() {
            let v = v.as_string().ok_or_else(|| {
                invalid(
                    o.method(),
                    &format!("header `{k}` must have a string value"),
                )
            })?;
            headers.push((k, v));
        }
    }
    let options = ConnectionOptions {
        api_key: o.string("apiKey")?,
        access_token: o.string("accessToken")?,
        domain: o.string("domain")?,
        debug: o.bool("debug")?,
        api_url: o.string("apiUrl")?,
        request_timeout_ms: timeout,
        headers,
        allow_insecure_http: o.bool("allowInsecureHttp")?.unwrap_or(false),
    };
    let env: Vec<(String, String)> = ENV_NAMES
        .iter()
        .filter_map(|n| host::env(n).map(|v| (n.to_string(), v)))
        .collect();
    let config = ConnectionConfig::resolve(&options, &env, host_kind()).map_err(flow_error)?;
    let signal = o.raw("signal");
    if !signal.is_undefined() && !signal.is_null() && !signal.is_object() {
        return Err(invalid(
            o.method(),
            "option `signal` must be an AbortSignal",
        ));
    }
    Ok(CallContext { config, signal })
}
