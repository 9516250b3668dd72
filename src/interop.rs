//! The boundary with the JavaScript face, in one place: what crosses and how.
//!
//! - **Arguments** arrive as the JSON text of the call's argument array, written by the
//!   face's `JSON.stringify` with a replacer that tags what JSON cannot carry
//!   (`{"\u0000js": "function"}`, `"NaN"`, `"AbortSignal"`, …), and are decoded by the
//!   declared shapes ([`novita_template_json::shape`]).
//! - **Results** leave as JSON text, which the face parses with a reviver that turns
//!   tagged dates and log entries into `Date` and `LogEntry` objects.
//! - **Errors** leave as the JSON of an [`SdkError`], thrown as a string; the face
//!   builds the error class at that index (`ErrorClass::ALL`).
//! - **Machine steps** leave as JSON (`Step::to_json`); **replies** come back as typed
//!   arguments (`http::host_reply`): a kind, the status, the headers and the body bytes.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use novita_template_error::{ErrorClass, SdkError};
use novita_template_flow::connection::{ConnectionConfig, ConnectionOptions, HostKind};
use novita_template_json::{parse, Json};

pub(crate) use novita_template_flow::arguments::{decode_options, invalid, Args};

/// What an export returns: a value, or the JSON text of the error to throw.
pub(crate) type Exported<T> = Result<T, String>;

/// The JSON text of `e`, as exports throw it.
pub(crate) fn thrown(e: SdkError) -> String {
    e.to_json().to_compact()
}

/// What the face tells about where the code runs: `{"host": {"kind": "node",
/// "version", "os"} | {"kind": "browser"}, "env": {"NOVITA_API_KEY": …}}`.
pub(crate) struct Environment {
    pub(crate) host: HostKind,
    pub(crate) env: Vec<(String, String)>,
}

impl Environment {
    pub(crate) fn parse(json: &str) -> Environment {
        let v = parse(json).unwrap_or(Json::Null);
        let host = v.get("host");
        let text = |key: &str| {
            host.and_then(|h| h.get(key))
                .and_then(Json::as_str)
                .unwrap_or("unknown")
                .to_string()
        };
        let host = if text("kind") == "node" {
            HostKind::Node {
                version: text("version"),
                os: text("os"),
            }
        } else {
            HostKind::Browser {
                name: "unknown".into(),
                version: "unknown".into(),
                os: "unknown".into(),
            }
        };
        let env = v
            .get("env")
            .and_then(Json::as_object)
            .unwrap_or(&[])
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect();
        Environment { host, env }
    }

    /// The environment variable `name`, if the host has it.
    pub(crate) fn var(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The connection the options and this environment resolve to.
    pub(crate) fn connection(
        &self,
        method: &str,
        options: &ConnectionOptions,
    ) -> Result<ConnectionConfig, SdkError> {
        ConnectionConfig::resolve(options, &self.env, self.host.clone()).map_err(|mut e| {
            if e.class == ErrorClass::InvalidArgumentError {
                e.message = [method, ": ", &e.message].concat();
                e.set_field("method", Json::str(method));
            }
            e
        })
    }
}

/// A seed for retry jitter from the face's `Math.random()`.
pub(crate) fn seed(random: f64) -> u64 {
    (random * 9_007_199_254_740_992.0) as u64
}
