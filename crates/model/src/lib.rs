//! # novita-template-model
//!
//! The pure core of a Novita sandbox template, mirroring the official
//! `novita-sandbox@2.1.1` JavaScript SDK's `Template` builder byte for byte:
//!
//! * [`Template`]: the builder state and one method per official builder method
//!   (snake_case names), validating arguments and recording the official instructions;
//! * [`wire`]: the build trigger body, compact (as sent) and pretty (as `toJSON`);
//! * [`dockerfile`]: `toDockerfile` and `fromDockerfile`;
//! * [`ready_cmd`]: the `waitFor*` ready-command strings;
//! * [`image_ref`] and [`image_config`]: the pure halves of the base-image config
//!   inheritance (parse the reference; apply a config that was read elsewhere).
//!
//! No I/O, clocks or randomness: files, registries and HTTP belong to the callers, so
//! the crate compiles unchanged for the host and for `wasm32-unknown-unknown`.
//! Where the official SDK's output is wrong, and only there, this crate differs on
//! purpose; each difference is listed in `DIFFERENCES.md` and pinned by a test.

// The builder's `from_*` methods mirror the official `fromImage`, `fromTemplate`, ...
// builder methods, which mutate the template; clippy expects `from_*` to be constructors.
#![allow(clippy::wrong_self_convention)]
#![cfg_attr(not(test), no_std)]

extern crate alloc;

/// What every module uses: `alloc`'s types (the crate has no `std`), the error model
/// and the JSON value.
mod prelude {

    pub(crate) use alloc::string::{String, ToString};
    pub(crate) use alloc::vec;
    pub(crate) use alloc::vec::Vec;
    pub(crate) use novita_template_error::{ErrorClass, SdkError};
    pub(crate) use novita_template_json::{u64_text, Json};
}

mod arg_error;
pub mod base64;
mod call_description;
mod dockerfile_import;
mod dockerfile_lexer;
mod dockerfile_print;
pub mod image_config;
pub mod image_ref;
mod instruction;
mod js_object;
mod numbers;
pub mod ready_cmd;
mod registry;
mod runtime_env;
mod shell_quote;
mod source_path;
mod template;
pub mod wire;

/// `toDockerfile` / `fromDockerfile`.
pub mod dockerfile {
    pub use crate::dockerfile_import::DockerfileImport;
    pub use crate::dockerfile_print::to_dockerfile;

    /// `fromDockerfile(content)` on `template` (same as [`crate::Template::from_dockerfile`]).
    pub fn from_dockerfile(
        template: &mut crate::Template,
        content: &str,
    ) -> Result<DockerfileImport, crate::SdkError> {
        template.from_dockerfile(content)
    }
}

pub use instruction::{Instruction, InstructionKind};
pub use novita_template_error::{ErrorClass, SdkError};
pub use novita_template_json::Json;
pub use registry::RegistryConfig;
pub use runtime_env::{expandable_double_quote, runtime_env_script};
pub use shell_quote::quote_word;
pub use template::{
    AccessKeyCredentials, AptOptions, CopyItem, CopyOptions, ForceUserOptions, GitCloneOptions,
    ImageConfigFailure, ImageConfigRequest, MakeDirOptions, OciCredentials, PackageOptions,
    RegistryCredentials, RemoveOptions, Template, TemplateOptions, DEFAULT_BASE_IMAGE,
};
