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
use novita_template_json::shape::{describe, Decode, Mismatch};
use novita_template_json::{parse, Json};

/// What an export returns: a value, or the JSON text of the error to throw.
pub(crate) type Exported<T> = Result<T, String>;

/// The JSON text of `e`, as exports throw it.
pub(crate) fn thrown(e: SdkError) -> String {
    e.to_json().to_compact()
}

/// `InvalidArgumentError("<method>: <what>")`, naming the argument for a form to
/// point at (`error.argument`) and the method (`error.method`).
pub(crate) fn invalid(method: &str, argument: &str, what: &str) -> SdkError {
    let mut message = String::from(method);
    message.push_str(": ");
    message.push_str(what);
    let mut e = SdkError::invalid(message).with_field("method", Json::str(method));
    if !argument.is_empty() {
        e.set_field("argument", Json::str(argument));
    }
    e
}

/// The first segment of a mismatch path (`tags[0]` → `tags`, `headers.x` → `headers`).
fn top_level(path: &str) -> &str {
    let end = path.find(['[', '.']).unwrap_or(path.len());
    &path[..end]
}

/// The positional arguments of one call.
pub(crate) struct Args<'a> {
    method: &'a str,
    values: Vec<Json>,
}

impl<'a> Args<'a> {
    /// Reads the argument array the face wrote.
    pub(crate) fn parse(method: &'a str, json: &str) -> Result<Args<'a>, SdkError> {
        match parse(json) {
            Ok(Json::Arr(values)) => Ok(Args { method, values }),
            _ => Err(invalid(method, "", "the arguments could not be read")),
        }
    }

    pub(crate) fn method(&self) -> &'a str {
        self.method
    }

    /// Argument `i` as given (`None` when absent or `undefined`).
    pub(crate) fn raw(&self, i: usize) -> Option<&Json> {
        self.values.get(i).filter(|v| !v.is_null())
    }

    /// A required argument named `name`: "`name` must be a string, got number".
    pub(crate) fn required<T: Decode>(&self, i: usize, name: &str) -> Result<T, SdkError> {
        T::decode_member(self.values.get(i)).map_err(|m| self.argument_error(name, m))
    }

    /// An optional argument: `undefined` and `null` give `None`.
    pub(crate) fn optional<T: Decode>(&self, i: usize, name: &str) -> Result<Option<T>, SdkError> {
        match self.raw(i) {
            None => Ok(None),
            Some(v) => T::decode(v).map(Some).map_err(|m| self.argument_error(name, m)),
        }
    }

    // The error builders stay out of the generic functions above, so each shape
    // costs only its own decoding.
    #[inline(never)]
    fn argument_error(&self, name: &str, m: Mismatch) -> SdkError {
        invalid(self.method, name, &m.at_key(name).message())
    }

    /// A required options object (credentials): absent reads as `{}`, so the error names
    /// the first member that is missing.
    pub(crate) fn required_options<T: Decode>(&self, i: usize) -> Result<T, SdkError> {
        let empty = Json::Obj(Vec::new());
        decode_options(self.method, self.raw(i).unwrap_or(&empty))
    }

    /// An options object: absent gives the defaults; anything but a plain object is
    /// "options must be an object"; a bad member is "option `key` must be …".
    pub(crate) fn options<T: Decode + Default>(&self, i: usize) -> Result<T, SdkError> {
        match self.raw(i) {
            None => Ok(T::default()),
            Some(v) => decode_options(self.method, v),
        }
    }
}

/// Decodes an options object (see [`Args::options`]).
pub(crate) fn decode_options<T: Decode>(method: &str, v: &Json) -> Result<T, SdkError> {
    T::decode(v).map_err(|m| options_error(method, v, m))
}

#[inline(never)]
fn options_error(method: &str, v: &Json, m: Mismatch) -> SdkError {
    if m.path.is_empty() {
        invalid(method, "", &["options must be an object, got ", &describe(Some(v))].concat())
    } else {
        let argument = top_level(&m.path).to_string();
        invalid(method, &argument, &["option ", &m.message()].concat())
    }
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

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use novita_template_json::shape::Num;

    #[test]
    fn argument_errors_name_method_and_argument() {
        let args = Args::parse("waitForPort", r#"["x"]"#).unwrap();
        let e = args.required::<Num>(0, "port").unwrap_err();
        assert_eq!(e.message, "waitForPort: `port` must be a finite number, got string");
        assert_eq!(e.field("argument"), Some(&Json::str("port")));
        let args = Args::parse("Template.build", r#"["n", 42]"#).unwrap();
        let e = args
            .options::<novita_template_flow::session::BuildOptions>(1)
            .unwrap_err();
        assert_eq!(e.message, "Template.build: options must be an object, got number");
        let args = Args::parse("Template.build", r#"["n", {"tags": [1]}]"#).unwrap();
        let e = args
            .options::<novita_template_flow::session::BuildOptions>(1)
            .unwrap_err();
        assert_eq!(e.message, "Template.build: option `tags[0]` must be a string, got number");
        assert_eq!(e.field("argument"), Some(&Json::str("tags")));
    }
}
