//! `novita-template-wasm`: the WebAssembly skin over the pure template core.
//!
//! Everything that is logic lives in the pure crates (`novita-template-model`,
//! `novita-template-files`, `novita-template-flow`), which are tested natively.
//! This crate only converts JavaScript arguments, calls the core, drives the
//! sans-IO build flow with `fetch`, and maps errors to JavaScript `Error` classes.

mod js;

// The JavaScript face, also reachable from Rust (and the wasm-bindgen tests).
pub use js::{
    default_build_logger, strip_ansi, ReadyCmd, Sandbox, TemplateBase, TemplatePaginator,
};
pub use js::{wait_for_file, wait_for_port, wait_for_process, wait_for_timeout, wait_for_url};
