//! JSON text helpers that reproduce what JavaScript's `JSON.stringify` writes.
//!
//! Request bodies must be byte-identical to the official SDK's, and key order
//! matters, so bodies are assembled by hand from these pieces instead of going
//! through a map type that might reorder keys.

/// Quotes `s` as a JSON string exactly like `JSON.stringify(s)`:
/// `"` and `\` escaped, `\b \t \n \f \r` in short form, other control
/// characters below U+0020 as `\u00xx` (lower-case hex), everything else raw.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
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
    out
}

/// `JSON.stringify` of an array of strings: `["a","b"]`.
pub fn string_array(items: &[String]) -> String {
    let mut out = String::from("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(item));
    }
    out.push(']');
    out
}

/// Removes insignificant whitespace from valid JSON text, keeping key order
/// and string contents as they are. This is what `JSON.stringify(JSON.parse(t))`
/// prints for the error bodies servers send (numbers and `\u` escapes aside).
/// Returns `None` when `text` is not valid JSON.
pub fn compact(text: &str) -> Option<String> {
    if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for ch in text.chars() {
        if in_string {
            out.push(ch);
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                in_string = false;
            }
        } else if ch == '"' {
            in_string = true;
            out.push(ch);
        } else if !matches!(ch, ' ' | '\t' | '\n' | '\r') {
            out.push(ch);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_matches_json_stringify() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("\u{1b}[32m\n\t"), r#""\u001b[32m\n\t""#);
        assert_eq!(quote("\u{7f}é\u{2028}"), "\"\u{7f}é\u{2028}\"");
        assert_eq!(quote("\u{0}\u{1f}\u{c}\u{8}"), r#""\u0000\u001f\f\b""#);
        assert_eq!(quote("/"), "\"/\"");
    }

    #[test]
    fn string_array_is_compact() {
        assert_eq!(string_array(&[]), "[]");
        assert_eq!(
            string_array(&["v1".into(), "latest".into()]),
            r#"["v1","latest"]"#
        );
    }

    #[test]
    fn compact_keeps_order_and_strings() {
        assert_eq!(
            compact("{ \"code\" : 404,\n \"message\": \"a  b\\\" c\" }").as_deref(),
            Some(r#"{"code":404,"message":"a  b\" c"}"#)
        );
        assert_eq!(compact("not json"), None);
        assert_eq!(compact("{\"a\":1} x"), None);
    }
}
