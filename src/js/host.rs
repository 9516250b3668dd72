//! The host interface: the few things that differ between Node and browsers
//! (environment variables, files, stdout), provided by `pkg-template/host-*.js`
//! and registered at start-up. Rust code asks the host; it never tests for Node.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error_classes::{class_registry_get, make_error};
use super::js_args::{invalid, JsResult};

fn host() -> Option<JsValue> {
    class_registry_get("host")
}

/// Calls `host[name](...args)`; `None` when there is no host or no such function.
pub(crate) fn call(name: &str, args: &[JsValue]) -> Option<Result<JsValue, JsValue>> {
    let h = host()?;
    let f: Function = Reflect::get(&h, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()?;
    let arr: Array = args.iter().collect();
    Some(f.apply(&h, &arr))
}

/// A host property (`kind`, `nodeVersion`, `osName`).
pub(crate) fn property(name: &str) -> Option<String> {
    Reflect::get(&host()?, &JsValue::from_str(name))
        .ok()?
        .as_string()
}

/// True in Node (the host that can read files and environment variables).
pub(crate) fn is_node() -> bool {
    property("kind").as_deref() == Some("node")
}

/// An environment variable (Node), or `None`.
pub(crate) fn env(name: &str) -> Option<String> {
    call("env", &[JsValue::from_str(name)])?.ok()?.as_string()
}

/// Where `copy()` sources are resolved when `fileContextPath` is not given: the
/// process's working directory in Node (the JS entry passes the caller's
/// directory, as the official SDK does), `.` in a browser.
pub(crate) fn default_file_context_path() -> Option<String> {
    call("cwd", &[])?.ok()?.as_string()
}

/// `fromDockerfile(contentOrPath)`: in Node, an existing regular file (relative to
/// the working directory, as in the official SDK) is read; anything else is content.
pub(crate) fn read_dockerfile(arg: &str) -> JsResult<String> {
    if is_node() && !arg.contains('\n') {
        let is_file = call("isFile", &[JsValue::from_str(arg)])
            .and_then(|r| r.ok())
            .is_some_and(|v| v.is_truthy());
        if is_file {
            return read_text(arg, "fromDockerfile");
        }
    }
    Ok(arg.to_string())
}

fn read_text(path: &str, method: &str) -> JsResult<String> {
    match call("readText", &[JsValue::from_str(path)]) {
        Some(Ok(v)) => v
            .as_string()
            .ok_or_else(|| invalid(method, &format!("could not read {path}"))),
        Some(Err(e)) => {
            let msg = js_sys::Reflect::get(&e, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "unreadable".into());
            Err(make_error(
                "TemplateError",
                &format!("{method}: cannot read {path}: {msg}"),
            ))
        }
        None => Err(invalid(
            method,
            &format!("reading files ({path}) needs Node"),
        )),
    }
}

/// Reads a text file given relative to the template's file context (Node only).
pub(crate) fn read_text_in_context(context: &str, path: &str, method: &str) -> JsResult<String> {
    let full = if path.starts_with('/') || context.is_empty() {
        path.to_string()
    } else {
        format!("{}/{}", context.trim_end_matches('/'), path)
    };
    read_text(&full, method)
}
