//! Brace expansion (`{a,b}`, `{1..3}`, `{a..e}`) as minimatch applies it
//! before matching: each pattern becomes a list of alternatives.
//!
//! It scans bytes: the characters that matter (`{`, `}`, `,`, `.`, `\`) are ASCII,
//! and UTF-8 never uses an ASCII byte inside another character, so every split
//! falls between characters.

use crate::prelude::*;
/// Upper bound on the alternatives one pattern may expand to, so that a
/// pattern such as `{a,b}{a,b}…` cannot exhaust memory.
pub const MAX_ALTERNATIVES: usize = 4096;

/// Expands every brace set of `pattern`, leftmost first.
pub fn expand_braces(pattern: &str) -> Result<Vec<String>, SdkError> {
    expand(pattern).ok_or_else(|| {
        crate::error::pattern_error(
            pattern,
            &[
                "brace expansion gives more than ",
                &u64_text(MAX_ALTERNATIVES as u64),
                " alternatives",
            ]
            .concat(),
        )
    })
}

/// `None` when the result would exceed [`MAX_ALTERNATIVES`].
fn expand(s: &str) -> Option<Vec<String>> {
    let Some((open, close)) = first_balanced(s.as_bytes()) else {
        return Some(vec![s.into()]);
    };
    let pre = &s[..open];
    let body = &s[open + 1..close];
    let items = match sequence(body) {
        Some(seq) => seq?,
        None => {
            let parts = split_top_level_commas(body);
            if parts.len() < 2 {
                // `{a}` is not a brace set: keep `{` literally, expand what follows.
                let rest = expand(&s[open + 1..])?;
                return Some(rest.iter().map(|r| [pre, "{", r].concat()).collect());
            }
            let mut items = Vec::new();
            for part in parts {
                items.extend(expand(part)?);
                if items.len() > MAX_ALTERNATIVES {
                    return None;
                }
            }
            items
        }
    };
    let posts = expand(&s[close + 1..])?;
    if items.len().saturating_mul(posts.len()) > MAX_ALTERNATIVES {
        return None;
    }
    let mut out = Vec::with_capacity(items.len() * posts.len());
    for item in &items {
        for post in &posts {
            out.push([pre, item, post].concat());
        }
    }
    Some(out)
}

/// The first `{` (not backslash-escaped) that has a matching `}`.
fn first_balanced(s: &[u8]) -> Option<(usize, usize)> {
    let mut start = 0;
    while start < s.len() {
        let open = find_unescaped(s, start, b'{')?;
        let mut depth = 0usize;
        let mut i = open;
        while i < s.len() {
            match s[i] {
                b'\\' => i += 1,
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((open, i));
                    }
                }
                _ => {}
            }
            i += 1;
        }
        start = open + 1;
    }
    None
}

fn find_unescaped(s: &[u8], from: usize, wanted: u8) -> Option<usize> {
    let mut i = from;
    while i < s.len() {
        if s[i] == b'\\' {
            i += 2;
            continue;
        }
        if s[i] == wanted {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn split_top_level_commas(body: &str) -> Vec<&str> {
    let b = body.as_bytes();
    let mut parts = Vec::new();
    let (mut depth, mut last, mut i) = (0usize, 0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                parts.push(&body[last..i]);
                last = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&body[last.min(b.len())..]);
    parts
}

/// `s` split at each `..`, left to right (as `str::split("..")`).
fn split_dots(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let (mut parts, mut last, mut i) = (Vec::new(), 0, 0);
    while i + 1 < b.len() {
        if b[i] == b'.' && b[i + 1] == b'.' {
            parts.push(&s[last..i]);
            i += 2;
            last = i;
        } else {
            i += 1;
        }
    }
    parts.push(&s[last..]);
    parts
}

/// A decimal integer with an optional sign (as `str::parse::<i64>`).
fn parse_int(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for d in digits.bytes() {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if negative {
        (n <= 1 << 63).then(|| (n as i64).wrapping_neg())
    } else {
        i64::try_from(n).ok()
    }
}

/// `x..y[..step]` with integers (zero padding kept) or single characters.
/// `None`: not a sequence; `Some(None)`: a sequence that is too long.
fn sequence(body: &str) -> Option<Option<Vec<String>>> {
    let parts = split_dots(body);
    if !(parts.len() == 2 || parts.len() == 3) {
        return None;
    }
    let step: i64 = match parts.get(2) {
        Some(s) => parse_int(s)?.checked_abs()?.max(1),
        None => 1,
    };
    // An integer end: digits after an optional `-`; else each end is one character.
    let as_int = |s: &str| {
        if s.starts_with('+') {
            None
        } else {
            parse_int(s)
        }
    };
    let (a, b, width) = match (as_int(parts[0]), as_int(parts[1])) {
        (Some(a), Some(b)) => {
            let padded = |s: &str| {
                let digits = s.trim_start_matches('-');
                digits.len() > 1 && digits.starts_with('0')
            };
            let width = if padded(parts[0]) || padded(parts[1]) {
                parts[0].len().max(parts[1].len())
            } else {
                0
            };
            (a, b, Some(width))
        }
        _ => {
            let (mut ca, mut cb) = (parts[0].chars(), parts[1].chars());
            match (ca.next(), ca.next(), cb.next(), cb.next()) {
                (Some(a), None, Some(b), None) => (i64::from(a as u32), i64::from(b as u32), None),
                _ => return None,
            }
        }
    };
    let mut out = Vec::new();
    let mut v = a;
    loop {
        match width {
            Some(width) => {
                let digits = u64_text(v.unsigned_abs());
                let sign = if v < 0 { "-" } else { "" };
                let pad = width.saturating_sub(digits.len() + sign.len());
                out.push([sign, &"0".repeat(pad), &digits].concat());
            }
            // Code points that are not characters (surrogates) are skipped.
            None => out.extend(char::from_u32(v as u32).map(String::from)),
        }
        if out.len() > MAX_ALTERNATIVES {
            return Some(None);
        }
        let next = if a <= b {
            v.checked_add(step)
        } else {
            v.checked_sub(step)
        };
        match next {
            Some(n) if (a <= b && n <= b) || (a > b && n >= b) => v = n,
            _ => return Some(Some(out)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(p: &str) -> Vec<String> {
        expand_braces(p).expect("expands")
    }

    #[test]
    fn lists_and_nesting() {
        assert_eq!(ex("a{b,c}d"), ["abd", "acd"]);
        assert_eq!(ex("a{,b}"), ["a", "ab"]);
        assert_eq!(ex("{a,{b,c}}x"), ["ax", "bx", "cx"]);
        assert_eq!(ex("{x,y}/{1,2}"), ["x/1", "x/2", "y/1", "y/2"]);
    }

    #[test]
    fn non_sets_stay_literal() {
        assert_eq!(ex("{a}"), ["{a}"]);
        assert_eq!(ex("a{b"), ["a{b"]);
        assert_eq!(ex("{}"), ["{}"]);
        assert_eq!(ex("{a}{b,c}"), ["{a}b", "{a}c"]);
        assert_eq!(ex("\\{a,b}"), ["\\{a,b}"]);
    }

    #[test]
    fn sequences() {
        assert_eq!(ex("{1..3}"), ["1", "2", "3"]);
        assert_eq!(ex("{3..1}"), ["3", "2", "1"]);
        assert_eq!(ex("{01..03}"), ["01", "02", "03"]);
        assert_eq!(ex("{a..c}"), ["a", "b", "c"]);
        assert_eq!(ex("{0..6..3}"), ["0", "3", "6"]);
    }

    #[test]
    fn explosion_is_an_error() {
        let p = "{a,b}".repeat(20);
        let e = expand_braces(&p).unwrap_err();
        assert!(e.to_string().contains("alternatives"), "{e}");
        assert!(expand_braces("{1..99999999}").is_err());
    }

    #[test]
    fn split_and_numbers_like_std() {
        for s in ["", "a", "..", "...", "a..b..c", "1....2", ".a.", "é..ü"] {
            assert_eq!(split_dots(s), s.split("..").collect::<Vec<_>>(), "{s:?}");
        }
        for s in [
            "",
            "-",
            "+",
            "0",
            "-0",
            "+7",
            "--1",
            "12a",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "٣",
        ] {
            assert_eq!(parse_int(s), s.parse::<i64>().ok(), "{s:?}");
        }
        assert_eq!(ex("{-2..2..2}"), ["-2", "0", "2"]);
        assert_eq!(ex("{-02..2}"), ["-02", "-01", "000", "001", "002"]);
        assert_eq!(ex("{é..ü..40}"), ["é"]);
        assert_eq!(ex("{+1..3}"), ["{+1..3}"]);
        assert_eq!(ex("{1..3..+2}"), ["1", "3"]);
    }
}
