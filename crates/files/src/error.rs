//! The errors of discovery, hashing and archiving, as the package's one error model
//! ([`SdkError`]): the official SDK's classes and messages where it has them.

use crate::prelude::*;

/// The COPY source is an absolute path (`TemplateError`, the official message).
pub fn absolute_source(src: &str) -> SdkError {
    SdkError::new(
        ErrorClass::TemplateError,
        [
            "Invalid source path \"",
            src,
            "\": absolute paths are not allowed. Use a relative path within the context directory.",
        ]
        .concat(),
    )
}

/// The COPY source leaves the context directory (`TemplateError`, the official message).
pub fn escaping_source(src: &str) -> SdkError {
    SdkError::new(
        ErrorClass::TemplateError,
        [
            "Invalid source path \"",
            src,
            "\": path escapes the context directory. The path must stay within the context directory.",
        ]
        .concat(),
    )
}

/// The source matched nothing; `joined` is `path.join(context, src)`.
pub fn no_files_found(joined: &str) -> SdkError {
    SdkError::error(["No files found in ", joined].concat())
}

/// The host's file tree failed for `path` (listing, stat, missing link text).
pub fn tree_error(path: &str, message: &str) -> SdkError {
    SdkError::error(["\"", path, "\": ", message].concat())
}

/// A glob or ignore pattern cannot be used (e.g. brace expansion too large).
pub fn pattern_error(pattern: &str, message: &str) -> SdkError {
    SdkError::error(["invalid pattern \"", pattern, "\": ", message].concat())
}

/// A tar entry cannot be written for `path` (unrepresentable name, data length
/// different from the declared size, calls out of order).
pub fn tar_error(path: &str, message: &str) -> SdkError {
    SdkError::error(["tar entry \"", path, "\": ", message].concat())
}
