//! JSON text exactly as JavaScript's `JSON.stringify` writes it: V8's escapes and,
//! for `JSON.stringify(v, null, 2)`, V8's layout (empty arrays and objects stay `[]`
//! and `{}`, which some serializers lay out differently). Integers are written by a
//! small function: no formatting machinery is needed to print a number.

use alloc::string::String;

use crate::value::Json;

/// Appends `s` as a JSON string literal: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`,
/// other control characters as `\u00xx` (lowercase hex), everything else as is.
pub fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// `JSON.stringify(s)` of a string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_quoted(&mut out, s);
    out
}

/// Appends the decimal digits of `n`.
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in &digits[i..] {
        out.push(char::from(*d));
    }
}

/// Appends the decimal digits of `n`, with a `-` when negative.
pub fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

/// The decimal text of `n`.
pub fn u64_text(n: u64) -> String {
    let mut s = String::new();
    push_u64(&mut s, n);
    s
}

/// A JSON object written straight to text, member by member, with the bytes
/// `JSON.stringify` gives (for results built in one place, it is smaller than
/// building a [`Json`] value and writing it).
pub struct ObjectText(String);

impl Default for ObjectText {
    fn default() -> Self {
        ObjectText::new()
    }
}

impl ObjectText {
    pub fn new() -> ObjectText {
        ObjectText(String::from("{"))
    }

    /// Starts member `key`; its value is written next (see [`ObjectText::text`]).
    #[inline(never)]
    pub fn key(&mut self, key: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_quoted(&mut self.0, key);
        self.0.push(':');
        &mut self.0
    }

    /// A string member.
    #[inline(never)]
    pub fn str(&mut self, key: &str, value: &str) {
        push_quoted(self.key(key), value);
    }

    /// An integer member.
    #[inline(never)]
    pub fn int(&mut self, key: &str, value: i64) {
        push_i64(self.key(key), value);
    }

    /// An integer member, or `null` when absent.
    #[inline(never)]
    pub fn opt_int(&mut self, key: &str, value: Option<u64>) {
        let out = self.key(key);
        match value {
            Some(n) => push_u64(out, n),
            None => out.push_str("null"),
        }
    }

    /// A member of any value.
    #[inline(never)]
    pub fn value(&mut self, key: &str, value: &Json) {
        write(self.key(key), value, None, 0);
    }

    /// The object's text.
    pub fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

fn newline(out: &mut String, indent: usize, level: usize) {
    out.push('\n');
    for _ in 0..indent * level {
        out.push(' ');
    }
}

fn write(out: &mut String, v: &Json, indent: Option<usize>, level: usize) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Num(t) => out.push_str(t),
        Json::Str(s) => push_quoted(out, s),
        Json::Arr(items) if items.is_empty() => out.push_str("[]"),
        Json::Obj(members) if members.is_empty() => out.push_str("{}"),
        Json::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(n) = indent {
                    newline(out, n, level + 1);
                }
                write(out, item, indent, level + 1);
            }
            if let Some(n) = indent {
                newline(out, n, level);
            }
            out.push(']');
        }
        Json::Obj(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(n) = indent {
                    newline(out, n, level + 1);
                }
                push_quoted(out, k);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write(out, item, indent, level + 1);
            }
            if let Some(n) = indent {
                newline(out, n, level);
            }
            out.push('}');
        }
    }
}

impl Json {
    /// `JSON.stringify(value)`.
    pub fn to_compact(&self) -> String {
        let mut out = String::new();
        write(&mut out, self, None, 0);
        out
    }

    /// `JSON.stringify(value, null, 2)`.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        write(&mut out, self, Some(2), 0);
        out
    }

    /// Appends `JSON.stringify(value)` to `out`.
    pub fn write_compact(&self, out: &mut String) {
        write(out, self, None, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn escapes_like_json_stringify() {
        assert_eq!(
            quote("a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}/é\u{7f}\u{2028}"),
            "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f/é\u{7f}\u{2028}\""
        );
    }

    #[test]
    fn layout_matches_v8() {
        let v = Json::Obj(vec![
            ("a".into(), Json::Arr(vec![])),
            (
                "b".into(),
                Json::Arr(vec![Json::str("x"), Json::Bool(true), Json::int(-12)]),
            ),
            ("c".into(), Json::Obj(vec![])),
            ("d".into(), Json::Null),
        ]);
        assert_eq!(
            v.to_pretty(),
            "{\n  \"a\": [],\n  \"b\": [\n    \"x\",\n    true,\n    -12\n  ],\n  \"c\": {},\n  \"d\": null\n}"
        );
        assert_eq!(
            v.to_compact(),
            "{\"a\":[],\"b\":[\"x\",true,-12],\"c\":{},\"d\":null}"
        );
    }

    #[test]
    fn integers() {
        for (n, s) in [
            (0u64, "0"),
            (7, "7"),
            (1024, "1024"),
            (u64::MAX, "18446744073709551615"),
        ] {
            assert_eq!(u64_text(n), s);
        }
        let mut s = String::new();
        push_i64(&mut s, i64::MIN);
        assert_eq!(s, "-9223372036854775808");
    }
}
