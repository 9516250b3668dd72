//! JavaScript error classes, created by the package's JS entry and registered here.
//!
//! The classes are real `Error` subclasses defined in `pkg-template/face.js` so that
//! `instanceof` and `name` work as in the official SDK; Rust only instantiates them.

use std::cell::RefCell;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;

thread_local! {
    static CLASSES: RefCell<Option<Object>> = const { RefCell::new(None) };
}

/// Called once by the JS entry with `{ BuildError, TemplateError, …, LogEntry, … }`.
#[wasm_bindgen(js_name = "__registerClasses", skip_typescript)]
pub fn register_classes(classes: Object) {
    CLASSES.with(|c| *c.borrow_mut() = Some(classes));
}

/// A value registered by the JS entry (a class, the `host`, the `transport`).
pub(crate) fn class_registry_get(name: &str) -> Option<JsValue> {
    CLASSES.with(|c| {
        let classes = c.borrow();
        let v = Reflect::get(classes.as_ref()?, &JsValue::from_str(name)).ok()?;
        (!v.is_undefined()).then_some(v)
    })
}

/// Looks up a registered class constructor by name.
pub(crate) fn class(name: &str) -> Option<Function> {
    class_registry_get(name)?.dyn_into::<Function>().ok()
}

/// Builds an instance of the named error class (falls back to a plain `Error`
/// whose `name` is set, should the entry not have registered the class).
pub(crate) fn make_error(class_name: &str, message: &str) -> JsValue {
    let args = js_sys::Array::of1(&JsValue::from_str(message));
    if let Some(ctor) = class(class_name) {
        if let Ok(err) = Reflect::construct(&ctor, &args) {
            return err;
        }
    }
    let err = js_sys::Error::new(message);
    err.set_name(class_name);
    err.into()
}

/// The JavaScript error for a model error (its class and exact message).
pub(crate) fn model_error(e: novita_template_model::ModelError) -> JsValue {
    make_error(e.class.name(), &e.message)
}

/// The JavaScript error for a flow error: its class, message, and the extra
/// fields (`step`, `status`) when known.
pub(crate) fn flow_error(e: novita_template_flow::FlowError) -> JsValue {
    let err = make_error(e.class.name(), &e.message);
    if let Some(step) = &e.step {
        let _ = Reflect::set(&err, &JsValue::from_str("step"), &JsValue::from_str(step));
    }
    if let Some(status) = e.status {
        let _ = Reflect::set(&err, &JsValue::from_str("status"), &JsValue::from(status));
    }
    err
}
