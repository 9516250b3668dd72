//! Sans-IO core of the Novita template build flow.
//!
//! Everything here is plain Rust without IO, clocks or randomness of its own:
//! the host (the wasm skin using `fetch`, or tests with canned replies) passes
//! the time, a random seed and the HTTP replies in, and carries the requests
//! out. It compiles for the host and for `wasm32-unknown-unknown`.
//!
//! - [`connection`]: option + environment resolution, legacy-domain guard, headers.
//! - [`wire`]: request builders (bodies byte-identical to the official SDK) and
//!   typed response parsers for every endpoint.
//! - [`errors`]: the HTTP status (or missing reply) → [`SdkError`] mapping.
//! - [`session`]: [`BuildSession`], the `Template.build` / `buildInBackground`
//!   state machine (request, uploads, trigger, adaptive polling, drain, retries, abort).
//! - [`api_call`]: [`ApiCall`], one request with the retry policy, for the non-build calls.
//! - [`log_entry`], [`build_logger`]: log entries and the default logger's output.
//! - [`paginator`]: the `Template.list` paginator.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

/// What every module uses: `alloc`'s types (the crate has no `std`), the error model
/// and the JSON value.
mod prelude {
    pub(crate) use alloc::format;
    pub(crate) use alloc::string::{String, ToString};
    pub(crate) use alloc::vec;
    pub(crate) use alloc::vec::Vec;
    pub(crate) use novita_template_error::{ErrorClass, SdkError};
    pub(crate) use novita_template_json::{u64_text, Json};
}

pub mod ansi;
pub mod api_call;
pub mod arguments;
pub mod attempts;
pub mod build_logger;
pub mod calls;
pub mod connection;
pub mod endpoint;
pub mod errors;
pub mod failure_hints;
pub mod http;
pub mod iso_time;
pub mod log_entry;
pub mod machine;
pub mod paginator;
pub mod plan;
pub mod progress;
pub mod registry_read;
pub mod retry;
pub mod sandbox;
pub mod session;
pub mod uri_component;
pub mod validation;
pub mod wire;

pub use api_call::{ApiCall, CallAction};
pub use connection::{ConnectionConfig, ConnectionOptions, HostKind};
pub use endpoint::Endpoint;
pub use http::{HttpRequest, HttpResponse, Method, TransportError};
pub use log_entry::{LogEntry, LogKind};
pub use novita_template_error::{ErrorClass, SdkError};
pub use retry::{PollPolicy, RetryPolicy};
pub use session::{Action, BuildConfig, BuildInfo, BuildRequest, BuildSession, CopyUpload};
