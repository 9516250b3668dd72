//! The arguments of a public call as the JavaScript face sends them (the JSON text of
//! the argument array), decoded by their declared shapes, with errors that name the
//! method and the argument: `Template.build: option `tags[0]` must be a string, got
//! number` (with `error.method` and `error.argument` for a form to point at).

use crate::prelude::*;
use novita_template_json::parse;
use novita_template_json::shape::{describe, Decode, Mismatch};

/// `InvalidArgumentError("<method>: <what>")`, naming the argument for a form to
/// point at (`error.argument`) and the method (`error.method`).
pub fn invalid(method: &str, argument: &str, what: &str) -> SdkError {
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
pub struct Args<'a> {
    method: &'a str,
    values: Vec<Json>,
}

impl<'a> Args<'a> {
    /// Reads the argument array the face wrote.
    pub fn parse(method: &'a str, json: &str) -> Result<Args<'a>, SdkError> {
        match parse(json) {
            Ok(Json::Arr(values)) => Ok(Args { method, values }),
            _ => Err(invalid(method, "", "the arguments could not be read")),
        }
    }

    pub fn method(&self) -> &'a str {
        self.method
    }

    /// Argument `i` as given (`None` when absent or `undefined`).
    pub fn raw(&self, i: usize) -> Option<&Json> {
        self.values.get(i).filter(|v| !v.is_null())
    }

    /// A required argument named `name`: "`name` must be a string, got number".
    pub fn required<T: Decode>(&self, i: usize, name: &str) -> Result<T, SdkError> {
        T::decode_member(self.values.get(i)).map_err(|m| self.argument_error(name, m))
    }

    /// An optional argument: `undefined` and `null` give `None`.
    pub fn optional<T: Decode>(&self, i: usize, name: &str) -> Result<Option<T>, SdkError> {
        match self.raw(i) {
            None => Ok(None),
            Some(v) => T::decode(v)
                .map(Some)
                .map_err(|m| self.argument_error(name, m)),
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
    pub fn required_options<T: Decode>(&self, i: usize) -> Result<T, SdkError> {
        let empty = Json::Obj(Vec::new());
        decode_options(self.method, self.raw(i).unwrap_or(&empty))
    }

    /// An options object: absent gives the defaults; anything but a plain object is
    /// "options must be an object"; a bad member is "option `key` must be …".
    pub fn options<T: Decode + Default>(&self, i: usize) -> Result<T, SdkError> {
        match self.raw(i) {
            None => Ok(T::default()),
            Some(v) => decode_options(self.method, v),
        }
    }
}

/// Decodes an options object (see [`Args::options`]).
pub fn decode_options<T: Decode>(method: &str, v: &Json) -> Result<T, SdkError> {
    T::decode(v).map_err(|m| options_error(method, v, m))
}

#[inline(never)]
fn options_error(method: &str, v: &Json, m: Mismatch) -> SdkError {
    if m.path.is_empty() {
        invalid(
            method,
            "",
            &novita_template_json::cat!("options must be an object, got ", &describe(Some(v))),
        )
    } else {
        let argument = top_level(&m.path).to_string();
        invalid(
            method,
            &argument,
            &novita_template_json::cat!("option ", &m.message()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use novita_template_json::shape::Num;

    #[test]
    fn argument_errors_name_method_and_argument() {
        let args = Args::parse("waitForPort", r#"["x"]"#).unwrap();
        let e = args.required::<Num>(0, "port").unwrap_err();
        assert_eq!(
            e.message,
            "waitForPort: `port` must be a finite number, got string"
        );
        assert_eq!(e.field("argument"), Some(&Json::str("port")));
        let args = Args::parse("Template.build", r#"["n", 42]"#).unwrap();
        let e = args.options::<crate::session::BuildOptions>(1).unwrap_err();
        assert_eq!(
            e.message,
            "Template.build: options must be an object, got number"
        );
        let args = Args::parse("Template.build", r#"["n", {"tags": [1]}]"#).unwrap();
        let e = args.options::<crate::session::BuildOptions>(1).unwrap_err();
        assert_eq!(
            e.message,
            "Template.build: option `tags[0]` must be a string, got number"
        );
        assert_eq!(e.field("argument"), Some(&Json::str("tags")));
    }
}
