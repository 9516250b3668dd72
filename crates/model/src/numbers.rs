//! Validation of the numbers JavaScript hands us (ports, modes, depths, status codes,
//! timeouts). They arrive as the text `JSON.stringify` wrote, so checks and arithmetic
//! are done on integers: no float parsing or printing is needed.

use crate::arg_error::arg_error;
use crate::prelude::*;
use novita_template_json::shape::Num;

/// Checks that `value` is an integer in `min..=max` and returns it.
/// `what` names the method and argument for the error message.
pub fn integer_in(value: &Num, min: i64, max: i64, what: &str) -> Result<i64, SdkError> {
    match value.integer() {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(arg_error(
            what,
            &novita_template_json::cat!(
                " must be an integer between ",
                &i64_text(min),
                " and ",
                &i64_text(max)
            ),
        )),
    }
}

/// Checks a file mode (integer, `0..=0o7777`).
pub fn file_mode(value: &Num, what: &str) -> Result<u32, SdkError> {
    match value.integer() {
        Some(n) if (0..=0o7777).contains(&n) => Ok(n as u32),
        _ => Err(arg_error(what, " must be an integer between 0 and 0o7777")),
    }
}

/// The decimal text of `n`.
pub fn i64_text(n: i64) -> String {
    let mut s = String::new();
    novita_template_json::push_i64(&mut s, n);
    s
}

/// `mode.toString(8)`.
pub fn octal(mut mode: u32) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(char::from(b'0' + (mode % 8) as u8));
        mode /= 8;
        if mode == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}

/// `mode.toString(8).padStart(4, "0")`: `0o644` gives `"0644"`, `0o4755` gives `"4755"`.
pub fn pad_octal(mode: u32) -> String {
    let digits = octal(mode);
    let mut out = "0".repeat(4usize.saturating_sub(digits.len()));
    out.push_str(&digits);
    out
}

/// The decimal digits of `Math.floor(value)` for a number `>= 0` and below 1e21 (as
/// text, so any such number works without wide integers), else `None`.
pub fn floor_digits(value: &Num) -> Option<String> {
    let text = value.text();
    if text.starts_with('-') {
        return (value.integer() == Some(0)).then(|| "0".to_string());
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].trim_start_matches('+')),
        None => (text, "0"),
    };
    if exponent.starts_with('-') {
        return Some("0".into()); // JSON.stringify uses a negative exponent only below 1e-6
    }
    let exponent = usize::try_from(novita_template_json::text::parse_u64(exponent)?).ok()?;
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits = String::from(int_part);
    digits.extend(
        frac_part
            .chars()
            .chain(core::iter::repeat('0'))
            .take(exponent),
    );
    let digits = digits.trim_start_matches('0');
    if digits.len() > 21 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(if digits.is_empty() {
        "0".into()
    } else {
        digits.into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Num {
        Num(s.into())
    }

    #[test]
    fn octal_and_padding() {
        assert_eq!(pad_octal(0o644), "0644");
        assert_eq!(pad_octal(0o4755), "4755");
        assert_eq!(pad_octal(0o7), "0007");
        assert_eq!(octal(0o755), "755");
        assert_eq!(octal(0), "0");
    }

    #[test]
    fn floors() {
        let floor = |s: &str| floor_digits(&num(s));
        assert_eq!(floor("1500.7").as_deref(), Some("1500"));
        assert_eq!(floor("1.5e-7").as_deref(), Some("0"));
        assert_eq!(floor("2.5e3").as_deref(), Some("2500"));
        assert_eq!(floor("-0").as_deref(), Some("0"));
        assert_eq!(floor("-1"), None);
        assert_eq!(floor("1e+22"), None);
        assert_eq!(
            floor("999999999999999999999").as_deref(),
            Some("999999999999999999999")
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(integer_in(&num("8000"), 1, 65535, "p").unwrap(), 8000);
        assert!(integer_in(&num("8000.5"), 1, 65535, "p").is_err());
        assert!(file_mode(&num("4096"), "m").is_err());
    }
}
