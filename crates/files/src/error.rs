//! The one error type of this crate, and the JavaScript error class each
//! variant must surface as (the wasm skin throws that class).

use core::fmt;

/// JavaScript error class the official SDK uses for a given failure, so the
/// wasm skin can throw an object with the same `name` and prototype chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsErrorClass {
    /// A plain `Error` (e.g. `No files found in …`).
    Error,
    /// `TemplateError` (invalid COPY source, §6.2 of the protocol doc).
    TemplateError,
    /// `FileUploadError` (nothing in this crate uses it by default; kept so
    /// the skin can map archive failures during upload to it).
    FileUploadError,
}

impl JsErrorClass {
    /// The class `name` as JavaScript sees it.
    pub fn name(self) -> &'static str {
        match self {
            JsErrorClass::Error => "Error",
            JsErrorClass::TemplateError => "TemplateError",
            JsErrorClass::FileUploadError => "FileUploadError",
        }
    }
}

/// Everything that can go wrong in discovery, hashing and archiving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilesError {
    /// The COPY source is an absolute path (message as the official SDK).
    AbsoluteSource { src: String },
    /// The COPY source leaves the context directory (message as the official SDK).
    EscapingSource { src: String },
    /// The source matched nothing. `joined` is `path.join(context, src)`.
    NoFilesFound { joined: String },
    /// The host's file tree failed for `path` (listing, stat, missing link text).
    Tree { path: String, message: String },
    /// A glob or ignore pattern cannot be used (e.g. brace expansion too large).
    Pattern { pattern: String, message: String },
    /// A tar entry cannot be written for `path` (unrepresentable name, data
    /// length different from the declared size, calls out of order).
    Tar { path: String, message: String },
}

impl FilesError {
    /// The JavaScript class the skin should throw for this error.
    pub fn js_class(&self) -> JsErrorClass {
        match self {
            FilesError::AbsoluteSource { .. } | FilesError::EscapingSource { .. } => {
                JsErrorClass::TemplateError
            }
            _ => JsErrorClass::Error,
        }
    }
}

impl fmt::Display for FilesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilesError::AbsoluteSource { src } => write!(
                f,
                "Invalid source path \"{src}\": absolute paths are not allowed. Use a relative path within the context directory."
            ),
            FilesError::EscapingSource { src } => write!(
                f,
                "Invalid source path \"{src}\": path escapes the context directory. The path must stay within the context directory."
            ),
            FilesError::NoFilesFound { joined } => write!(f, "No files found in {joined}"),
            FilesError::Tree { path, message } => write!(f, "\"{path}\": {message}"),
            FilesError::Pattern { pattern, message } => {
                write!(f, "invalid pattern \"{pattern}\": {message}")
            }
            FilesError::Tar { path, message } => write!(f, "tar entry \"{path}\": {message}"),
        }
    }
}

impl std::error::Error for FilesError {}
