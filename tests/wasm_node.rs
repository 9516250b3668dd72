//! wasm-bindgen-test suite run in Node: `cargo test --target wasm32-unknown-unknown --test wasm_node`.
#![cfg(target_arch = "wasm32")]

#[path = "wasm/shared.rs"]
mod shared;

wasm_suite!();
