//! Decoding of JavaScript arguments and option objects into Rust values.
//!
//! Every failure is an `InvalidArgumentError` whose message names the method and the
//! argument, thrown synchronously before anything else happens (the official SDK
//! checks almost nothing here and fails later, or sends bad bytes).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error_classes::make_error;

pub(crate) type JsResult<T> = Result<T, JsValue>;

/// `InvalidArgumentError("<method>: <what>")`.
pub(crate) fn invalid(method: &str, what: &str) -> JsValue {
    make_error("InvalidArgumentError", &format!("{method}: {what}"))
}

/// A short description of a value's JavaScript type, for error messages.
pub(crate) fn type_name(v: &JsValue) -> String {
    if v.is_null() {
        "null".into()
    } else if Array::is_array(v) {
        "array".into()
    } else {
        v.js_typeof()
            .as_string()
            .unwrap_or_else(|| "unknown".into())
    }
}

fn is_absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// A required string argument.
pub(crate) fn string(v: &JsValue, method: &str, name: &str) -> JsResult<String> {
    v.as_string().ok_or_else(|| {
        invalid(
            method,
            &format!("`{name}` must be a string, got {}", type_name(v)),
        )
    })
}

/// An optional string argument (`undefined`/`null` → `None`).
pub(crate) fn opt_string(v: &JsValue, method: &str, name: &str) -> JsResult<Option<String>> {
    if is_absent(v) {
        Ok(None)
    } else {
        string(v, method, name).map(Some)
    }
}

/// A string or an array of strings (package lists, commands, paths).
pub(crate) fn string_list(v: &JsValue, method: &str, name: &str) -> JsResult<Vec<String>> {
    if let Some(s) = v.as_string() {
        return Ok(vec![s]);
    }
    let Some(arr) = v.dyn_ref::<Array>() else {
        return Err(invalid(
            method,
            &format!(
                "`{name}` must be a string or an array of strings, got {}",
                type_name(v)
            ),
        ));
    };
    let mut out = Vec::with_capacity(arr.length() as usize);
    for (i, item) in arr.iter().enumerate() {
        out.push(item.as_string().ok_or_else(|| {
            invalid(
                method,
                &format!("`{name}[{i}]` must be a string, got {}", type_name(&item)),
            )
        })?);
    }
    Ok(out)
}

/// Like [`string_list`], with `undefined`/`null` → `None`.
pub(crate) fn opt_string_list(
    v: &JsValue,
    method: &str,
    name: &str,
) -> JsResult<Option<Vec<String>>> {
    if is_absent(v) {
        Ok(None)
    } else {
        string_list(v, method, name).map(Some)
    }
}

/// An options object: `undefined`/`null` → an empty view; anything but a plain
/// object is refused.
pub(crate) struct Options<'a> {
    obj: Option<Object>,
    method: &'a str,
}

impl<'a> Options<'a> {
    pub(crate) fn new(v: &JsValue, method: &'a str) -> JsResult<Self> {
        if is_absent(v) {
            return Ok(Self { obj: None, method });
        }
        if !v.is_object() || Array::is_array(v) || v.is_function() {
            return Err(invalid(
                method,
                &format!("options must be an object, got {}", type_name(v)),
            ));
        }
        Ok(Self {
            obj: Some(v.clone().unchecked_into()),
            method,
        })
    }

    pub(crate) fn method(&self) -> &str {
        self.method
    }

    /// The raw value of `key` (`undefined` when absent).
    pub(crate) fn raw(&self, key: &str) -> JsValue {
        match &self.obj {
            Some(o) => Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED),
            None => JsValue::UNDEFINED,
        }
    }

    /// True when `key` holds a value other than `undefined`.
    pub(crate) fn has(&self, key: &str) -> bool {
        !self.raw(key).is_undefined()
    }

    pub(crate) fn string(&self, key: &str) -> JsResult<Option<String>> {
        opt_string(&self.raw(key), self.method, key)
    }

    pub(crate) fn string_list(&self, key: &str) -> JsResult<Option<Vec<String>>> {
        opt_string_list(&self.raw(key), self.method, key)
    }

    /// JavaScript truthiness, as the official SDK reads its boolean flags.
    pub(crate) fn truthy(&self, key: &str) -> bool {
        self.raw(key).is_truthy()
    }

    pub(crate) fn bool(&self, key: &str) -> JsResult<Option<bool>> {
        let v = self.raw(key);
        if is_absent(&v) {
            return Ok(None);
        }
        v.as_bool().map(Some).ok_or_else(|| {
            invalid(
                self.method,
                &format!("option `{key}` must be a boolean, got {}", type_name(&v)),
            )
        })
    }

    pub(crate) fn number(&self, key: &str) -> JsResult<Option<f64>> {
        let v = self.raw(key);
        if is_absent(&v) {
            return Ok(None);
        }
        match v.as_f64() {
            Some(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(invalid(
                self.method,
                &format!(
                    "option `{key}` must be a finite number, got {}",
                    describe(&v)
                ),
            )),
        }
    }

    /// Own enumerable string keys with their values, in insertion order.
    pub(crate) fn entries(&self) -> Vec<(String, JsValue)> {
        let Some(o) = &self.obj else {
            return Vec::new();
        };
        Object::entries(o)
            .iter()
            .filter_map(|pair| {
                let pair: Array = pair.dyn_into().ok()?;
                Some((pair.get(0).as_string()?, pair.get(1)))
            })
            .collect()
    }
}

/// A value for messages: numbers and strings shown, others by type.
pub(crate) fn describe(v: &JsValue) -> String {
    if let Some(n) = v.as_f64() {
        return format!("{n}");
    }
    if let Some(s) = v.as_string() {
        let short: String = s.chars().take(60).collect();
        return format!("{short:?}");
    }
    type_name(v)
}

/// A required finite number argument.
pub(crate) fn number(v: &JsValue, method: &str, name: &str) -> JsResult<f64> {
    match v.as_f64() {
        Some(n) if n.is_finite() => Ok(n),
        _ => Err(invalid(
            method,
            &format!("`{name}` must be a finite number, got {}", describe(v)),
        )),
    }
}
