//! wasm-bindgen-test suite run in Node: `cargo test --target wasm32-unknown-unknown --test wasm_node`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test;

#[path = "wasm/shared.rs"]
mod shared;

#[wasm_bindgen_test]
fn chained_calls_serialize_like_the_official_sdk() {
    shared::chained_calls_serialize_like_the_official_sdk();
}

#[wasm_bindgen_test]
async fn to_json_resolves_with_the_fixture_text() {
    shared::to_json_resolves_with_the_fixture_text().await;
}

#[wasm_bindgen_test]
fn bad_arguments_are_typed_errors_not_traps() {
    shared::bad_arguments_are_typed_errors_not_traps();
}
