//! `novita-template-wasm`: the WebAssembly core of the package, a thin skin over the
//! pure crates (`novita-template-model`, `-flow`, `-files`).
//!
//! The JavaScript face owns everything JavaScript is good at (classes, callbacks,
//! `fetch`, timers, the `AbortSignal`) and drives this module through a few
//! synchronous exports that take and return JSON text ([`interop`] says how): a
//! template [`Model`](model_api::Model), and [`Machine`](machine_api::Machine)s that
//! say what to send and read what came back. No async Rust, no JavaScript object
//! walked from Rust: that is what keeps the module small.

// The shipped module is `no_std` with its own allocator and panic handler
// (`--features wasm-runtime`); other builds (tests, native tools) use std's.
#![cfg_attr(feature = "wasm-runtime", no_std)]

extern crate alloc;

mod builder_calls;
mod builder_options;
mod interop;
mod logger_api;
mod machine_api;
mod model_api;
mod ready_cmds;
#[cfg(feature = "wasm-runtime")]
mod runtime;

pub use builder_options::ts_declarations as ts_shapes;
pub use logger_api::Logger;
pub use machine_api::{check_plan, connection_for, start_build, start_call, watch_build, Machine};
pub use model_api::Model;
pub use ready_cmds::ready_cmd;
