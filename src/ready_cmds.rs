//! `waitForPort(8000)` and the other ready-command helpers: the face wraps the
//! command text in a `ReadyCmd`.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use crate::builder_calls;
use crate::interop::{thrown, Args, Exported};

/// The command of ready-command helper `helper` (`waitForPort`, …) for `args_json`.
#[wasm_bindgen(js_name = readyCmd)]
pub fn ready_cmd(helper: &str, args_json: &str) -> Exported<String> {
    let args = Args::parse(helper, args_json).map_err(thrown)?;
    builder_calls::ready_cmd(&args).map_err(thrown)
}
