//! `novita-template-wasm`: the WebAssembly skin over the pure template core.
//!
//! Everything that is logic lives in the pure crates (`novita-template-model`,
//! `novita-template-files`, `novita-template-flow`), which are tested natively.
//! This crate only converts JavaScript arguments, calls the core, drives the
//! sans-IO build flow with `fetch`, and maps errors to JavaScript `Error` classes.

mod js;
