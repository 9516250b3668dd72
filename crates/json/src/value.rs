//! The JSON value type shared by the reader and the writer.

use alloc::string::String;
use alloc::vec::Vec;

/// A JSON value. Objects keep their keys in order (the order the official SDK's object
/// literals produce, which the wire format depends on); numbers keep their text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    /// The number's text as read or as it should be written (`"1024"`, `"-0.5"`).
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// A string value.
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    /// An integer value.
    pub fn int(n: i64) -> Json {
        let mut s = String::new();
        crate::write::push_i64(&mut s, n);
        Json::Num(s)
    }

    /// An array of strings.
    pub fn strs<S: AsRef<str>>(items: &[S]) -> Json {
        Json::Arr(items.iter().map(|s| Json::str(s.as_ref())).collect())
    }

    /// `Some(s)` as a string, `None` as `null`.
    pub fn opt_str(s: Option<&str>) -> Json {
        s.map_or(Json::Null, Json::str)
    }

    /// The member `key` of an object (the last one, as `JSON.parse` keeps it).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Obj(members) => Some(members),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// A number's text.
    pub fn as_num_text(&self) -> Option<&str> {
        match self {
            Json::Num(t) => Some(t),
            _ => None,
        }
    }

    /// A number that is a whole value within ±2^53 (`12`, `12.0`, `1.2e1`), else `None`.
    pub fn as_integer(&self) -> Option<i64> {
        integer_value(self.as_num_text()?)
    }

    /// A string, or a number's text (servers send ids either way).
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            Json::Num(t) => Some(t),
            _ => None,
        }
    }

    /// What JavaScript's `typeof` would say of the parsed value (`array` and `null`
    /// told apart), for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Num(_) => "number",
            Json::Str(_) => "string",
            Json::Arr(_) => "array",
            Json::Obj(_) => "object",
        }
    }
}

/// What JavaScript's `String(n)` prints for the number written `text` in JSON, for the
/// common forms: whole numbers within ±2^53 without a fraction or exponent (`1.0` and
/// `1e2` print `1` and `100`), decimals without trailing zeros (`2.50` prints `2.5`);
/// other forms are kept as written.
pub fn js_number_string(text: &str) -> String {
    if let Some(n) = integer_value(text) {
        let mut s = String::new();
        if n == 0 {
            s.push('0');
        } else {
            crate::write::push_i64(&mut s, n);
        }
        return s;
    }
    let has = |b: u8| text.as_bytes().contains(&b);
    if has(b'e') || has(b'E') || !has(b'.') {
        return String::from(text);
    }
    String::from(text.trim_end_matches('0').trim_end_matches('.'))
}

/// The value of a JSON number's text when it is a whole number within ±2^53.
/// Integer arithmetic only: `1.50e1` is 15, `1.5` and `1e300` are not integers here.
pub(crate) fn integer_value(text: &str) -> Option<i64> {
    let (negative, rest) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        rest => (false, rest),
    };
    let (mantissa, exponent) = match rest.iter().position(|b| matches!(b, b'e' | b'E')) {
        Some(i) => (&rest[..i], parse_exponent(&rest[i + 1..])?),
        None => (rest, 0),
    };
    let (int_part, frac_part) = match mantissa.iter().position(|b| *b == b'.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, &[][..]),
    };
    if int_part.is_empty() || !all_digits(int_part) || !all_digits(frac_part) {
        return None;
    }
    // Shift the decimal point by the exponent, then everything after it must be zero.
    let digit = |i: usize| match i.checked_sub(int_part.len()) {
        None => int_part[i],
        Some(j) => frac_part.get(j).copied().unwrap_or(b'0'),
    };
    let total = int_part.len() + frac_part.len();
    let point = int_part.len() as i64 + exponent;
    if point < 0 {
        return (0..total).all(|i| digit(i) == b'0').then_some(0);
    }
    let point = point as usize;
    let mut value: i64 = 0;
    for i in 0..point.max(total) {
        let d = digit(i);
        if i < point {
            // At most 2^53 before this step: no overflow.
            value = value * 10 + i64::from(d - b'0');
            if value > (1 << 53) {
                return None;
            }
        } else if d != b'0' {
            return None;
        }
    }
    Some(if negative { -value } else { value })
}

fn all_digits(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_digit)
}

fn parse_exponent(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || digits.len() > 4 || !all_digits(digits) {
        return None;
    }
    let n = digits
        .iter()
        .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    Some(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_from_number_text() {
        assert_eq!(integer_value("12"), Some(12));
        assert_eq!(integer_value("-0"), Some(0));
        assert_eq!(integer_value("12.000"), Some(12));
        assert_eq!(integer_value("1.5e1"), Some(15));
        assert_eq!(integer_value("15e-1"), None);
        assert_eq!(integer_value("1.5"), None);
        assert_eq!(integer_value("1e300"), None);
        assert_eq!(integer_value("9007199254740992"), Some(1 << 53));
        assert_eq!(integer_value("9007199254740993"), None);
        assert_eq!(integer_value("0.0001e4"), Some(1));
        assert_eq!(integer_value(""), None);
        assert_eq!(integer_value("-"), None);
        assert_eq!(js_number_string("-0"), "0");
        assert_eq!(js_number_string("1.0"), "1");
        assert_eq!(js_number_string("1e2"), "100");
        assert_eq!(js_number_string("2.50"), "2.5");
        assert_eq!(js_number_string("1e300"), "1e300");
    }
}
