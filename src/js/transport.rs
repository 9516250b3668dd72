//! The HTTP transport: requests of the sans-IO flow go out through the JS face's
//! `transport.fetch` (the global `fetch`, with a per-request timeout, the user's
//! AbortSignal and a reply-size cap), and replies come back as `HttpResponse`.
//! Also the clock and the abortable sleep the drivers need.

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use novita_template_flow::{HttpRequest, HttpResponse, TransportError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::error_classes::class_registry_get;

fn transport_fn(name: &str) -> Option<(JsValue, Function)> {
    let t = class_registry_get("transport")?;
    let f = Reflect::get(&t, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()?;
    Some((t, f))
}

fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Milliseconds since the epoch (`Date.now()`).
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Starts a request; the promise resolves (never rejects) to the transport's
/// result object, to be decoded by [`decode_reply`].
pub(crate) fn start_fetch(req: &HttpRequest, signal: &JsValue) -> Promise {
    let Some((t, f)) = transport_fn("fetch") else {
        return Promise::resolve(&no_transport());
    };
    let headers: Array = req
        .headers
        .iter()
        .map(|(k, v)| -> JsValue {
            Array::of2(&JsValue::from_str(k), &JsValue::from_str(v)).into()
        })
        .collect();
    let body = req
        .body
        .as_deref()
        .map_or(JsValue::UNDEFINED, JsValue::from_str);
    let timeout = req
        .timeout_ms
        .map_or(JsValue::from(0), |ms| JsValue::from(ms as f64));
    let args: Array = [
        JsValue::from_str(req.method.as_str()),
        JsValue::from_str(&req.url),
        headers.into(),
        body,
        timeout,
        signal.clone(),
    ]
    .iter()
    .collect();
    match f.apply(&t, &args).map(|p| p.dyn_into::<Promise>()) {
        Ok(Ok(p)) => p,
        _ => Promise::resolve(&no_transport()),
    }
}

fn no_transport() -> JsValue {
    let o = js_sys::Object::new();
    let _ = Reflect::set(&o, &"ok".into(), &JsValue::FALSE);
    let _ = Reflect::set(&o, &"kind".into(), &"network".into());
    let _ = Reflect::set(
        &o,
        &"message".into(),
        &"no fetch transport (the package entry was not loaded)".into(),
    );
    o.into()
}

/// Turns the transport's result object into the flow's reply type.
pub(crate) fn decode_reply(v: &JsValue) -> Result<HttpResponse, TransportError> {
    if !get(v, "ok").is_truthy() {
        let message = get(v, "message").as_string().unwrap_or_default();
        return Err(match get(v, "kind").as_string().as_deref() {
            Some("timeout") => TransportError::Timeout,
            Some("aborted") => TransportError::Aborted,
            _ => TransportError::Network(message),
        });
    }
    let status = get(v, "status").as_f64().unwrap_or(0.0) as u16;
    let status_text = get(v, "statusText").as_string().unwrap_or_default();
    let mut headers = Vec::new();
    if let Ok(arr) = get(v, "headers").dyn_into::<Array>() {
        for pair in arr.iter() {
            let pair: Array = pair.unchecked_into();
            if let (Some(k), Some(val)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                headers.push((k.to_ascii_lowercase(), val));
            }
        }
    }
    let body = get(v, "body")
        .dyn_into::<Uint8Array>()
        .map(|a| a.to_vec())
        .unwrap_or_default();
    Ok(HttpResponse {
        status,
        status_text,
        headers,
        body,
    })
}

/// Sends one request and waits for its reply.
pub(crate) async fn fetch(
    req: &HttpRequest,
    signal: &JsValue,
) -> Result<HttpResponse, TransportError> {
    let v = JsFuture::from(start_fetch(req, signal))
        .await
        .unwrap_or_else(|_| no_transport());
    decode_reply(&v)
}

/// A promise that resolves to `true` after `ms`, or `false` once `signal` aborts.
pub(crate) fn sleep_promise(ms: u64, signal: &JsValue) -> Promise {
    let Some((t, f)) = transport_fn("sleep") else {
        return Promise::resolve(&JsValue::TRUE);
    };
    match f
        .call2(&t, &JsValue::from(ms as f64), signal)
        .map(|p| p.dyn_into::<Promise>())
    {
        Ok(Ok(p)) => p,
        _ => Promise::resolve(&JsValue::TRUE),
    }
}

/// Sleeps `ms` (returns early when `signal` aborts).
pub(crate) async fn sleep(ms: u64, signal: &JsValue) {
    let _ = JsFuture::from(sleep_promise(ms, signal)).await;
}

/// True when the user's AbortSignal has fired.
pub(crate) fn is_aborted(signal: &JsValue) -> bool {
    !signal.is_undefined() && !signal.is_null() && get(signal, "aborted").is_truthy()
}
