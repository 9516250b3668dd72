//! Small text helpers for the shared crates, in place of `core`'s generic ones: each
//! `str::parse` integer type, substring search (`StrSearcher`, the two-way algorithm)
//! and `String::from_utf8_lossy` bring kilobytes into every wasm module that uses
//! them. Same results on every input; only the code is smaller.

use alloc::borrow::Cow;
use alloc::string::String;

/// Appends `s` (out of line: the part of [`cat!`](crate::cat) each piece costs).
#[inline(never)]
pub fn push(out: &mut String, s: &str) {
    out.push_str(s);
}

/// `items.join(separator)` (one small instance per item type instead of the
/// standard library's general one).
pub fn join<S: AsRef<str>>(items: &[S], separator: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            push(&mut out, separator);
        }
        push(&mut out, item.as_ref());
    }
    out
}

/// The pieces (`&str`) joined, as `[a, b, …].concat()` gives them, in fewer wasm
/// bytes: each piece is one call instead of a slot in an array built on the stack.
#[macro_export]
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {{
        let mut text = $crate::__private::String::new();
        $($crate::text::push(&mut text, $piece);)+
        text
    }};
}

fn digits_value(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &b| {
        if !b.is_ascii_digit() {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// `text.parse::<u64>().ok()`: decimal digits with an optional leading `+`.
pub fn parse_u64(text: &str) -> Option<u64> {
    match text.as_bytes() {
        [b'+', rest @ ..] => digits_value(rest),
        all => digits_value(all),
    }
}

/// `text.parse::<i64>().ok()`: decimal digits with an optional leading `+` or `-`.
pub fn parse_i64(text: &str) -> Option<i64> {
    match text.as_bytes() {
        [b'-', rest @ ..] => {
            let n = digits_value(rest)?;
            (n <= 1 << 63).then(|| (n as i64).wrapping_neg())
        }
        [b'+', rest @ ..] => i64::try_from(digits_value(rest)?).ok(),
        all => i64::try_from(digits_value(all)?).ok(),
    }
}

/// `haystack.find(needle)` for a string needle.
pub fn find_str(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w == n)
}

/// `text.replace(from, to)` for a non-empty string `from`.
pub fn replace_str(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = find_str(rest, from) {
        out.push_str(&rest[..i]);
        out.push_str(to);
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

/// `String::from_utf8_lossy(bytes)`: each invalid sequence (as `Utf8Error::error_len`
/// delimits it, or an incomplete one at the end) becomes U+FFFD.
pub fn utf8_lossy(bytes: &[u8]) -> Cow<'_, str> {
    let mut rest = bytes;
    let mut out = String::new();
    loop {
        match core::str::from_utf8(rest) {
            Ok(valid) if out.is_empty() && rest.len() == bytes.len() => {
                return Cow::Borrowed(valid);
            }
            Ok(valid) => {
                out.push_str(valid);
                return Cow::Owned(out);
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                out.push_str(core::str::from_utf8(valid).unwrap_or_default());
                out.push('\u{FFFD}');
                rest = &after[e.error_len().map_or(after.len(), usize::from)..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn integers_as_core_parses_them() {
        let cases = [
            "",
            "+",
            "-",
            "0",
            "+0",
            "-0",
            "7",
            "+7",
            "-7",
            "+-7",
            "-+7",
            "007",
            "1 ",
            " 1",
            "1a",
            "18446744073709551615",
            "18446744073709551616",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999999",
        ];
        for c in cases {
            assert_eq!(parse_u64(c), c.parse::<u64>().ok(), "{c:?}");
            assert_eq!(parse_i64(c), c.parse::<i64>().ok(), "{c:?}");
        }
    }

    #[test]
    fn search_and_replace_as_core_does() {
        for (h, n) in [
            ("a://b://", "://"),
            ("abc", "d"),
            ("", "x"),
            ("x", ""),
            ("aaab", "aab"),
        ] {
            assert_eq!(find_str(h, n), h.find(n), "{h:?} {n:?}");
            if !n.is_empty() {
                assert_eq!(replace_str(h, n, "<>"), h.replace(n, "<>"));
            }
        }
        assert_eq!(replace_str("a\r\n\r\nb", "\r\n", "\n"), "a\n\nb");
    }

    #[test]
    fn lossy_as_core_does() {
        let cases: [&[u8]; 9] = [
            b"plain",
            b"",
            b"\xff",
            b"a\xffb\xfe",
            b"\xe2\x82",
            b"\xe2\x82x\xe2\x82\xac",
            b"\xf0\x9f\x98",
            b"\xed\xa0\x80z",
            b"\xc0\xafok\xf4\x90\x80\x80",
        ];
        for c in cases {
            assert_eq!(utf8_lossy(c), String::from_utf8_lossy(c), "{c:?}");
        }
        // Every one- and two-byte input.
        for a in 0..=255u8 {
            assert_eq!(utf8_lossy(&[a]), String::from_utf8_lossy(&[a]));
            for b in 0..=255u8 {
                let v: Vec<u8> = [a, b, b'x', a].to_vec();
                assert_eq!(utf8_lossy(&v), String::from_utf8_lossy(&v));
            }
        }
        assert!(matches!(utf8_lossy(b"ok"), Cow::Borrowed("ok")));
    }
}
