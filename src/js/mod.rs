//! The `#[wasm_bindgen]` surface. Each file wraps one part of the JavaScript face.

mod error_classes;
mod host;
mod js_args;
mod ready_cmd;
mod serialization;
mod template_builder;
mod ts_types;
