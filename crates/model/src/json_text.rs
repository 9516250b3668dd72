//! A tiny JSON value and writer whose output is byte-identical to JavaScript's
//! `JSON.stringify(value)` and `JSON.stringify(value, null, 2)`.
//!
//! The server derives cache keys from the step bytes and the fixtures compare exact
//! strings, so the escapes and the indentation must match V8's, not serde_json's
//! defaults (which, for example, differ in the pretty layout of empty arrays).

/// A JSON value with ordered object keys (the order the official SDK's literals produce).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonValue {
    /// `true` / `false`.
    Bool(bool),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<JsonValue>),
    /// An object; keys are written in this order.
    Object(Vec<(String, JsonValue)>),
}

impl JsonValue {
    /// Compact text, as `JSON.stringify(value)`.
    pub fn to_compact(&self) -> String {
        let mut out = String::new();
        write_value(&mut out, self, None, 0);
        out
    }

    /// Pretty text with a two-space indent, as `JSON.stringify(value, null, 2)`.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        write_value(&mut out, self, Some(2), 0);
        out
    }
}

/// Appends `s` as a JSON string literal with `JSON.stringify`'s escapes: `\"`, `\\`,
/// `\b`, `\f`, `\n`, `\r`, `\t`, other control characters as lowercase `\u00xx`;
/// everything else (including `/` and non-ASCII) raw.
pub fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let v = c as u32;
                out.push_str("\\u00");
                out.push(HEX[(v >> 4) as usize] as char);
                out.push(HEX[(v & 0xf) as usize] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn newline_indent(out: &mut String, indent: usize, level: usize) {
    out.push('\n');
    for _ in 0..indent * level {
        out.push(' ');
    }
}

fn write_value(out: &mut String, v: &JsonValue, indent: Option<usize>, level: usize) {
    match v {
        JsonValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        JsonValue::Str(s) => write_json_string(out, s),
        JsonValue::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(n) = indent {
                    newline_indent(out, n, level + 1);
                }
                write_value(out, item, indent, level + 1);
            }
            if let Some(n) = indent {
                newline_indent(out, n, level);
            }
            out.push(']');
        }
        JsonValue::Object(members) => {
            if members.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(n) = indent {
                    newline_indent(out, n, level + 1);
                }
                write_json_string(out, k);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_value(out, item, indent, level + 1);
            }
            if let Some(n) = indent {
                newline_indent(out, n, level);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_json_stringify() {
        let mut s = String::new();
        write_json_string(&mut s, "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}/é\u{7f}\u{2028}");
        assert_eq!(
            s,
            "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f/é\u{7f}\u{2028}\""
        );
    }

    #[test]
    fn pretty_layout_matches_v8() {
        let v = JsonValue::Object(vec![
            ("a".into(), JsonValue::Array(vec![])),
            (
                "b".into(),
                JsonValue::Array(vec![JsonValue::Str("x".into()), JsonValue::Bool(true)]),
            ),
            ("c".into(), JsonValue::Object(vec![])),
        ]);
        assert_eq!(
            v.to_pretty(),
            "{\n  \"a\": [],\n  \"b\": [\n    \"x\",\n    true\n  ],\n  \"c\": {}\n}"
        );
        assert_eq!(v.to_compact(), "{\"a\":[],\"b\":[\"x\",true],\"c\":{}}");
    }
}
