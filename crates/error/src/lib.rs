//! The one error model shared by the template model, the COPY files and the build flow.
//!
//! An [`SdkError`] is what the package throws: an [`ErrorClass`] (which JavaScript class
//! the face instantiates: `instanceof` and `name` work as with the official SDK's
//! errors), the exact message, and the facts a caller may act on (the failing step, the
//! HTTP status, the argument at fault, …). It crosses to JavaScript as JSON
//! ([`SdkError::to_json`]); the class travels as its index in [`ErrorClass::ALL`], which
//! the face's table follows (a test of the built package checks both lists agree).

#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use novita_template_json::shape::put;
use novita_template_json::Json;

/// The JavaScript error classes, in the order of the face's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// A plain `Error`, where the official SDK throws one (Dockerfile structure,
    /// `toDockerfile` refusals, list parameters, `No files found …`).
    Error,
    SandboxError,
    TemplateError,
    BuildError,
    FileUploadError,
    AuthenticationError,
    RateLimitError,
    NotFoundError,
    TimeoutError,
    InvalidArgumentError,
    /// Cancellation through the caller's `AbortSignal`.
    AbortError,
    /// No reply: the connection failed or was dropped. Not a verdict on the build.
    NetworkError,
    /// A whole-build deadline (`timeoutMs`) passed.
    TemplateBuildTimeoutError,
}

impl ErrorClass {
    /// Every class, in the order of their indexes.
    pub const ALL: [ErrorClass; 13] = [
        ErrorClass::Error,
        ErrorClass::SandboxError,
        ErrorClass::TemplateError,
        ErrorClass::BuildError,
        ErrorClass::FileUploadError,
        ErrorClass::AuthenticationError,
        ErrorClass::RateLimitError,
        ErrorClass::NotFoundError,
        ErrorClass::TimeoutError,
        ErrorClass::InvalidArgumentError,
        ErrorClass::AbortError,
        ErrorClass::NetworkError,
        ErrorClass::TemplateBuildTimeoutError,
    ];

    /// The JavaScript `name` of the class.
    pub fn name(self) -> &'static str {
        match self {
            ErrorClass::Error => "Error",
            ErrorClass::SandboxError => "SandboxError",
            ErrorClass::TemplateError => "TemplateError",
            ErrorClass::BuildError => "BuildError",
            ErrorClass::FileUploadError => "FileUploadError",
            ErrorClass::AuthenticationError => "AuthenticationError",
            ErrorClass::RateLimitError => "RateLimitError",
            ErrorClass::NotFoundError => "NotFoundError",
            ErrorClass::TimeoutError => "TimeoutError",
            ErrorClass::InvalidArgumentError => "InvalidArgumentError",
            ErrorClass::AbortError => "AbortError",
            ErrorClass::NetworkError => "NetworkError",
            ErrorClass::TemplateBuildTimeoutError => "TemplateBuildTimeoutError",
        }
    }

    /// The class this one extends, as in the official SDK (`None`: JavaScript's `Error`).
    pub fn parent(self) -> Option<ErrorClass> {
        match self {
            ErrorClass::Error
            | ErrorClass::SandboxError
            | ErrorClass::BuildError
            | ErrorClass::AuthenticationError => None,
            ErrorClass::FileUploadError | ErrorClass::TemplateBuildTimeoutError => {
                Some(ErrorClass::BuildError)
            }
            _ => Some(ErrorClass::SandboxError),
        }
    }

    /// The index of the class in [`ErrorClass::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// An error of the package: class, message and facts. Boxed, so that a `Result`
/// carrying it stays one pointer wide (every `?` in the crates moves it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdkError(Box<ErrorDetails>);

/// What an [`SdkError`] holds (reached through `Deref`: `error.message`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorDetails {
    pub class: ErrorClass,
    pub message: String,
    /// For failed builds: the server's step (`"base"`, `"2"`, `"finalize"`).
    pub step: Option<String>,
    /// The HTTP status of the reply that caused the error.
    pub status: Option<u16>,
    /// How long the server asked to wait (`Retry-After`), for the retry logic.
    pub retry_after_ms: Option<u64>,
    /// Further properties for the JavaScript error object (`argument`, `reason`, …),
    /// in the order they are set.
    pub fields: Vec<(&'static str, Json)>,
}

impl SdkError {
    /// An error of `class` with `message` and no facts.
    pub fn new(class: ErrorClass, message: impl Into<String>) -> SdkError {
        SdkError(Box::new(ErrorDetails {
            class,
            message: message.into(),
            step: None,
            status: None,
            retry_after_ms: None,
            fields: Vec::new(),
        }))
    }

    /// A plain `Error`.
    pub fn error(message: impl Into<String>) -> SdkError {
        SdkError::new(ErrorClass::Error, message)
    }

    /// An `InvalidArgumentError`.
    pub fn invalid(message: impl Into<String>) -> SdkError {
        SdkError::new(ErrorClass::InvalidArgumentError, message)
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> SdkError {
        self.status = Some(status);
        self
    }

    /// Sets (or replaces) a property of the JavaScript error object.
    pub fn with_field(mut self, key: &'static str, value: Json) -> SdkError {
        self.set_field(key, value);
        self
    }

    /// Sets (or replaces) a property of the JavaScript error object.
    pub fn set_field(&mut self, key: &'static str, value: Json) {
        match self.fields.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((key, value)),
        }
    }

    /// A property set with [`SdkError::set_field`].
    pub fn field(&self, key: &str) -> Option<&Json> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The JavaScript `name` of the error.
    pub fn name(&self) -> &'static str {
        self.class.name()
    }

    /// `{"class": <index>, "message": …, "step"?, "status"?, …fields}` for the face.
    pub fn to_json(&self) -> Json {
        let mut members = Vec::with_capacity(4 + self.fields.len());
        put(
            &mut members,
            "class",
            Some(Json::int(self.class.index() as i64)),
        );
        put(
            &mut members,
            "message",
            Some(Json::str(self.message.as_str())),
        );
        put(&mut members, "step", self.step.as_deref().map(Json::str));
        put(
            &mut members,
            "status",
            self.status.map(|s| Json::int(i64::from(s))),
        );
        for (k, v) in &self.fields {
            put(&mut members, k, Some(v.clone()));
        }
        Json::Obj(members)
    }
}

impl core::ops::Deref for SdkError {
    type Target = ErrorDetails;
    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl core::ops::DerefMut for SdkError {
    fn deref_mut(&mut self) -> &mut ErrorDetails {
        &mut self.0
    }
}

/// The message, as an error's `Display` is in Rust (the class is [`SdkError::name`]).
impl core::fmt::Display for SdkError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message)
    }
}

impl core::error::Error for SdkError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_follow_the_table_and_parents_are_earlier() {
        for (i, c) in ErrorClass::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            if let Some(p) = c.parent() {
                assert!(p.index() < i, "{} extends a later class", c.name());
            }
        }
    }

    #[test]
    fn crosses_as_json() {
        let mut e = SdkError::new(ErrorClass::BuildError, "boom").with_status(500);
        e.step = Some("2".into());
        let e = e
            .with_field("argument", Json::str("x"))
            .with_field("argument", Json::str("y"));
        assert_eq!(
            e.to_json().to_compact(),
            r#"{"class":3,"message":"boom","step":"2","status":500,"argument":"y"}"#
        );
    }
}
