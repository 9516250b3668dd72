//! The `#[wasm_bindgen]` surface. Each file wraps one part of the JavaScript face.

mod api_driver;
mod build_driver;
mod connection;
mod error_classes;
mod host;
mod js_args;
mod js_values;
mod log_entries;
mod ready_cmd;
mod sandbox;
mod serialization;
mod template_api;
mod template_builder;
mod template_info;
mod template_list;
mod transport;
mod ts_types;
