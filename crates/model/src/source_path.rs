//! Validation of COPY source paths at `copy()` call time (docs/wire-contract.md §6.2), with the
//! official `TemplateError` messages. POSIX rules, as the SDK applies them on Linux.

use crate::prelude::*;
/// Node's `path.posix.normalize` for a relative path: resolves `.` and `..` segments,
/// keeps leading `..` segments, collapses repeated slashes.
fn normalize_relative(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if matches!(parts.last(), Some(last) if *last != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        novita_template_json::text::join(&parts, "/")
    }
}

/// Rejects absolute sources and sources that escape the context directory.
pub fn validate_source(src: &str) -> Result<(), SdkError> {
    if src.starts_with('/') {
        return Err(SdkError::new(
            ErrorClass::TemplateError,
            novita_template_json::cat!(
                "Invalid source path \"",
                src,
                "\": absolute paths are not allowed. Use a relative path within the context directory.",
            ),
        ));
    }
    let normalized = normalize_relative(src);
    if normalized == ".." || normalized.starts_with("../") {
        return Err(SdkError::new(
            ErrorClass::TemplateError,
            novita_template_json::cat!(
                "Invalid source path \"",
                src,
                "\": path escapes the context directory. The path must stay within the context directory.",
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_messages() {
        let e = validate_source("/etc/passwd").unwrap_err();
        assert_eq!(e.class, crate::ErrorClass::TemplateError);
        assert_eq!(e.message, "Invalid source path \"/etc/passwd\": absolute paths are not allowed. Use a relative path within the context directory.");
        let e = validate_source("foo/../../bar").unwrap_err();
        assert_eq!(e.message, "Invalid source path \"foo/../../bar\": path escapes the context directory. The path must stay within the context directory.");
        assert!(validate_source("..").is_err());
        assert!(validate_source("a/../..").is_err());
        for ok in [
            "a", ".", "./app/", "app/*.py", "**/*.md", "a/../b", "..foo", "a/..",
        ] {
            assert!(validate_source(ok).is_ok(), "{ok}");
        }
    }
}
