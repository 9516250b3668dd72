//! The `#[wasm_bindgen]` surface. Each file wraps one part of the JavaScript face.

mod api_driver;
mod build_driver;
mod connection;
mod copy_files;
mod error_classes;
mod file_context;
mod host;
mod image_config;
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

pub use log_entries::{default_build_logger, strip_ansi};
pub use ready_cmd::{
    wait_for_file, wait_for_port, wait_for_process, wait_for_timeout, wait_for_url, ReadyCmd,
};
pub use sandbox::Sandbox;
pub use template_builder::TemplateBase;
pub use template_list::TemplatePaginator;
