//! The one error type of the model: a JavaScript error class name plus a message.
//!
//! The wasm skin turns a [`ModelError`] into an instance of the JS class named by
//! [`ErrorClass`], so `instanceof` and `name` behave like the official SDK's errors.

use std::fmt;

/// Which JavaScript error class the official SDK (or our stricter validation) uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Plain `Error` (Dockerfile structure errors, `toDockerfile` refusals).
    Error,
    /// `TemplateError` (invalid COPY source paths).
    TemplateError,
    /// `BuildError` (MCP / devcontainer misuse).
    BuildError,
    /// `InvalidArgumentError`: our own argument validation, stricter than the official SDK.
    InvalidArgumentError,
}

impl ErrorClass {
    /// The JavaScript `name` of the class.
    pub fn name(self) -> &'static str {
        match self {
            ErrorClass::Error => "Error",
            ErrorClass::TemplateError => "TemplateError",
            ErrorClass::BuildError => "BuildError",
            ErrorClass::InvalidArgumentError => "InvalidArgumentError",
        }
    }
}

/// An error raised by the template model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    /// The JavaScript class the skin should throw.
    pub class: ErrorClass,
    /// The exact message (official wording where the official SDK raises the same error).
    pub message: String,
}

impl ModelError {
    /// A plain `Error`.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            class: ErrorClass::Error,
            message: message.into(),
        }
    }
    /// A `TemplateError`.
    pub fn template(message: impl Into<String>) -> Self {
        Self {
            class: ErrorClass::TemplateError,
            message: message.into(),
        }
    }
    /// A `BuildError`.
    pub fn build(message: impl Into<String>) -> Self {
        Self {
            class: ErrorClass::BuildError,
            message: message.into(),
        }
    }
    /// An `InvalidArgumentError` naming the method and the argument at fault.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            class: ErrorClass::InvalidArgumentError,
            message: message.into(),
        }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class.name(), self.message)
    }
}

impl std::error::Error for ModelError {}
