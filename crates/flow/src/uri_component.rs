//! Percent-encoding of path parameters, byte for byte like JavaScript's
//! `encodeURIComponent`, so that alias `name:with tag/slash` becomes
//! `name%3Awith%20tag%2Fslash` exactly as the official SDK sends it.

use crate::prelude::*;
/// Encodes `s` like `encodeURIComponent`: ASCII letters, digits and
/// `- _ . ! ~ * ' ( )` stay, every other UTF-8 byte becomes `%XX` (upper-case hex).
pub fn encode_uri_component(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_uri_component;

    #[test]
    fn matches_encode_uri_component() {
        assert_eq!(
            encode_uri_component("name:with tag/slash"),
            "name%3Awith%20tag%2Fslash"
        );
        assert_eq!(
            encode_uri_component("a-b_c.d!e~f*g'h(i)j"),
            "a-b_c.d!e~f*g'h(i)j"
        );
        assert_eq!(encode_uri_component("é?&=#+%"), "%C3%A9%3F%26%3D%23%2B%25");
        assert_eq!(encode_uri_component(""), "");
    }
}
