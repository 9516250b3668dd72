//! Plain JavaScript objects for the results the API returns.

use js_sys::{Array, Date, Object, Reflect};
use wasm_bindgen::prelude::*;

/// `{ key: value, … }` in the given order.
pub(crate) fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

pub(crate) fn string(s: &str) -> JsValue {
    JsValue::from_str(s)
}

pub(crate) fn opt_string(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::UNDEFINED, JsValue::from_str)
}

pub(crate) fn strings<S: AsRef<str>>(items: &[S]) -> JsValue {
    items
        .iter()
        .map(|s| JsValue::from_str(s.as_ref()))
        .collect::<Array>()
        .into()
}

pub(crate) fn date(ms: f64) -> JsValue {
    Date::new(&JsValue::from(ms)).into()
}

/// A `serde_json::Value` as the equivalent JS value.
pub(crate) fn json(v: &serde_json::Value) -> JsValue {
    serde_json::to_string(v)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or(JsValue::NULL)
}
