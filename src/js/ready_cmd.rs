//! `ReadyCmd` and the `waitFor*` helpers.

use novita_template_model::ready_cmd;
use novita_template_model::ModelError;
use wasm_bindgen::prelude::*;

use super::error_classes::model_error;
use super::js_args::{self, JsResult};

/// A command the sandbox runs until it exits 0, to decide the sandbox is ready.
#[wasm_bindgen]
pub struct ReadyCmd {
    cmd: String,
}

#[wasm_bindgen]
impl ReadyCmd {
    #[wasm_bindgen(constructor)]
    pub fn new(cmd: String) -> ReadyCmd {
        ReadyCmd { cmd }
    }

    /// The shell command.
    #[wasm_bindgen(js_name = getCmd)]
    pub fn get_cmd(&self) -> String {
        self.cmd.clone()
    }
}

fn ready(result: Result<String, ModelError>) -> JsResult<ReadyCmd> {
    result.map(ReadyCmd::new).map_err(model_error)
}

/// Ready when something listens on `port` (`ss -tuln | grep :PORT`).
#[wasm_bindgen(js_name = waitForPort)]
pub fn wait_for_port(
    #[wasm_bindgen(unchecked_param_type = "number")] port: JsValue,
) -> JsResult<ReadyCmd> {
    ready(ready_cmd::wait_for_port(js_args::number(
        &port,
        "waitForPort",
        "port",
    )?))
}

/// Ready when `url` answers with `statusCode` (default 200).
#[wasm_bindgen(js_name = waitForURL)]
pub fn wait_for_url(
    #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] status_code: JsValue,
) -> JsResult<ReadyCmd> {
    let url = js_args::string(&url, "waitForURL", "url")?;
    let status = if status_code.is_undefined() {
        None
    } else {
        Some(js_args::number(&status_code, "waitForURL", "statusCode")?)
    };
    ready(ready_cmd::wait_for_url(&url, status))
}

/// Ready when a process named `processName` runs.
#[wasm_bindgen(js_name = waitForProcess)]
pub fn wait_for_process(
    #[wasm_bindgen(unchecked_param_type = "string")] process_name: JsValue,
) -> JsResult<ReadyCmd> {
    let name = js_args::string(&process_name, "waitForProcess", "processName")?;
    ready(ready_cmd::wait_for_process(&name))
}

/// Ready when the file `filename` exists.
#[wasm_bindgen(js_name = waitForFile)]
pub fn wait_for_file(
    #[wasm_bindgen(unchecked_param_type = "string")] filename: JsValue,
) -> JsResult<ReadyCmd> {
    let f = js_args::string(&filename, "waitForFile", "filename")?;
    ready(ready_cmd::wait_for_file(&f))
}

/// Ready after `timeout` milliseconds (rounded down to whole seconds, at least 1).
#[wasm_bindgen(js_name = waitForTimeout)]
pub fn wait_for_timeout(
    #[wasm_bindgen(unchecked_param_type = "number")] timeout: JsValue,
) -> JsResult<ReadyCmd> {
    ready(ready_cmd::wait_for_timeout(js_args::number(
        &timeout,
        "waitForTimeout",
        "timeout",
    )?))
}

/// The command of a `ReadyCmd`-like value: a string, our `ReadyCmd`, or any object
/// with a `getCmd()` method (such as the official SDK's).
pub(crate) fn ready_cmd_text(v: &JsValue, method: &str, name: &str) -> JsResult<String> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    if v.is_object() {
        let get =
            js_sys::Reflect::get(v, &JsValue::from_str("getCmd")).unwrap_or(JsValue::UNDEFINED);
        if let Some(f) = get.dyn_ref::<js_sys::Function>() {
            let out = f.call0(v)?;
            if let Some(s) = out.as_string() {
                return Ok(s);
            }
        }
    }
    Err(js_args::invalid(
        method,
        &format!(
            "`{name}` must be a string or a ReadyCmd (e.g. waitForPort(8000)), got {}",
            js_args::type_name(v)
        ),
    ))
}
