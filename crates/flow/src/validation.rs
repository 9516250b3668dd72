//! Checks on build options, made before any request or log entry so that a bad
//! argument fails fast with a message that names it.

use crate::prelude::*;
use novita_template_json::shape::Num;
/// Longest template name or tag accepted.
pub const MAX_NAME_LEN: usize = 128;

fn invalid(message: String) -> SdkError {
    SdkError::new(ErrorClass::InvalidArgumentError, message)
}

/// Shows a user value in a message: quoted like JSON and cut to 64 characters.
fn shown(value: &str) -> String {
    let cut: String = value.chars().take(64).collect();
    let ellipsis = if cut.len() < value.len() { "…" } else { "" };
    novita_template_json::quote(&cut) + ellipsis
}

fn check_token(option: &str, value: &str) -> Result<(), SdkError> {
    if value.is_empty() {
        return Err(invalid(novita_template_json::cat!(
            option,
            " must not be empty"
        )));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(novita_template_json::cat!(
            option,
            " ",
            &shown(value),
            " must not contain whitespace or control characters",
        )));
    }
    let len = value.chars().count();
    if len > MAX_NAME_LEN {
        return Err(invalid(novita_template_json::cat!(
            option,
            " must be at most ",
            &u64_text(MAX_NAME_LEN as u64),
            " characters long (got ",
            &u64_text(len as u64),
            ")",
        )));
    }
    Ok(())
}

/// The template name (`name` or `name:tag`). Empty gives the official
/// `TemplateError("Name must be provided")`.
pub fn validate_name(name: &str) -> Result<(), SdkError> {
    if name.is_empty() {
        return Err(SdkError::new(
            ErrorClass::TemplateError,
            "Name must be provided",
        ));
    }
    check_token("name", name)?;
    if name.split(':').count() > 2 {
        return Err(invalid(novita_template_json::cat!(
            "name ",
            &shown(name),
            " may contain at most one ':'"
        )));
    }
    if name.split(':').any(str::is_empty) {
        return Err(invalid(novita_template_json::cat!(
            "name ",
            &shown(name),
            " must have text on both sides of ':' (name:tag)",
        )));
    }
    Ok(())
}

/// Each tag: non-empty, no whitespace or control characters, bounded length.
pub fn validate_tags(option: &str, tags: &[String]) -> Result<(), SdkError> {
    for (i, tag) in tags.iter().enumerate() {
        check_token(
            &novita_template_json::cat!(option, "[", &u64_text(i as u64), "]"),
            tag,
        )?;
    }
    Ok(())
}

/// A positive whole number given as a JS number (`cpuCount`, `memoryMB`).
pub fn positive_integer(option: &str, value: Option<&Num>, default: u32) -> Result<u32, SdkError> {
    let Some(v) = value else {
        return Ok(default);
    };
    match v.integer() {
        Some(n) if n >= 1 && n <= i64::from(u32::MAX) => Ok(n as u32),
        _ => Err(invalid(novita_template_json::cat!(
            option,
            " must be a positive integer (got ",
            v.text(),
            ")"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let e = validate_name("").unwrap_err();
        assert_eq!(
            (e.class, e.message.as_str()),
            (ErrorClass::TemplateError, "Name must be provided")
        );
        assert!(validate_name("py-web").is_ok());
        assert!(validate_name("bg-build:v2").is_ok());
        for (bad, needle) in [
            ("a b", "whitespace"),
            ("a\u{7}", "control"),
            ("a:b:c", "at most one"),
            (":tag", "both sides"),
            ("name:", "both sides"),
        ] {
            let e = validate_name(bad).unwrap_err();
            assert_eq!(e.class, ErrorClass::InvalidArgumentError);
            assert!(
                e.message.starts_with("name") && e.message.contains(needle),
                "{}",
                e.message
            );
        }
        let e = validate_name(&"x".repeat(129)).unwrap_err();
        assert!(e.message.contains("at most 128"), "{}", e.message);
    }

    #[test]
    fn tags_and_numbers() {
        let e = validate_tags("tags", &["ok".into(), "".into()]).unwrap_err();
        assert_eq!(e.message, "tags[1] must not be empty");
        assert_eq!(positive_integer("cpuCount", None, 2).unwrap(), 2);
        assert_eq!(
            positive_integer("cpuCount", Some(&Num("4".into())), 2).unwrap(),
            4
        );
        for bad in ["0", "-1", "1.5", "1e300", "1000000000000"] {
            let e = positive_integer("memoryMB", Some(&Num(bad.into())), 1024).unwrap_err();
            assert!(
                e.message.starts_with("memoryMB must be a positive integer"),
                "{}",
                e.message
            );
        }
    }
}
