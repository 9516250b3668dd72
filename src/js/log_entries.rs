//! Log entries between Rust and JavaScript, `stripAnsi`, and `defaultBuildLogger`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Date, Function, Object, Reflect};
use novita_template_flow::build_logger::{BuildLoggerState, ColorLevel, SPINNER_INTERVAL_MS};
use novita_template_flow::{LogEntry, LogKind};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error_classes::class;
use super::host;
use super::js_args::{invalid, JsResult, Options};
use super::transport::now_ms;

/// Removes ANSI escape sequences (colours, cursor moves) from `text`.
#[wasm_bindgen(js_name = stripAnsi)]
pub fn strip_ansi(text: &str) -> String {
    novita_template_flow::ansi::strip_ansi(text)
}

/// A JS `LogEntry` / `LogEntryStart` / `LogEntryEnd` for a flow entry.
pub(crate) fn to_js(entry: &LogEntry) -> JsValue {
    let date: JsValue = Date::new(&JsValue::from(entry.timestamp_ms)).into();
    let level = JsValue::from_str(&entry.level);
    let message = JsValue::from_str(&entry.message);
    let Some(ctor) = class(entry.kind.class_name()) else {
        let o = Object::new();
        let _ = Reflect::set(&o, &"timestamp".into(), &date);
        let _ = Reflect::set(&o, &"level".into(), &level);
        let _ = Reflect::set(&o, &"message".into(), &message);
        return o.into();
    };
    let args = match entry.kind {
        LogKind::Normal => js_sys::Array::of3(&date, &level, &message),
        LogKind::Start | LogKind::End => js_sys::Array::of2(&date, &message),
    };
    Reflect::construct(&ctor, &args).unwrap_or(JsValue::UNDEFINED)
}

fn is_instance(v: &JsValue, class_name: &str) -> bool {
    class(class_name).is_some_and(|c| v.is_instance_of_with(&c))
}

trait InstanceOf {
    fn is_instance_of_with(&self, ctor: &Function) -> bool;
}

impl InstanceOf for JsValue {
    fn is_instance_of_with(&self, ctor: &Function) -> bool {
        self.dyn_ref::<Object>().is_some_and(|o| {
            Reflect::get(ctor, &"prototype".into())
                .ok()
                .and_then(|p| p.dyn_into::<Object>().ok())
                .is_some_and(|proto| proto.is_prototype_of(o))
        })
    }
}

/// A flow entry from a JS entry (ours, or any `{timestamp, level, message}`).
fn from_js(v: &JsValue) -> LogEntry {
    let get = |k: &str| Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let ts = get("timestamp");
    let timestamp_ms = ts
        .dyn_ref::<Date>()
        .map(|d| d.get_time())
        .or_else(|| ts.as_f64())
        .unwrap_or_else(now_ms);
    let level = get("level").as_string().unwrap_or_else(|| "info".into());
    let message = get("message").as_string().unwrap_or_default();
    let kind = if is_instance(v, "LogEntryStart") {
        LogKind::Start
    } else if is_instance(v, "LogEntryEnd") {
        LogKind::End
    } else {
        LogKind::Normal
    };
    LogEntry {
        timestamp_ms,
        level,
        message,
        kind,
    }
}

/// `timestamp.toLocaleTimeString(undefined, {hour, minute, second: '2-digit'})`.
fn local_time(timestamp_ms: f64) -> String {
    let d = Date::new(&JsValue::from(timestamp_ms));
    let opts = Object::new();
    for k in ["hour", "minute", "second"] {
        let _ = Reflect::set(&opts, &k.into(), &"2-digit".into());
    }
    let f: Option<Function> = Reflect::get(&d, &"toLocaleTimeString".into())
        .ok()
        .and_then(|f| f.dyn_into().ok());
    f.and_then(|f| f.call2(&d, &JsValue::UNDEFINED, &opts).ok())
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// chalk's rule, in short: colours on a terminal unless `NO_COLOR`; `FORCE_COLOR` wins.
fn color_level(is_tty: bool) -> ColorLevel {
    match host::env("FORCE_COLOR").as_deref() {
        Some("0") | Some("false") => return ColorLevel::None,
        Some("1") => return ColorLevel::Basic,
        Some("2") => return ColorLevel::Ansi256,
        Some(_) => return ColorLevel::TrueColor,
        None => {}
    }
    if !is_tty || host::env("NO_COLOR").is_some() || host::env("TERM").as_deref() == Some("dumb") {
        ColorLevel::None
    } else {
        ColorLevel::TrueColor
    }
}

fn write_out(text: &str) {
    if !text.is_empty() {
        let _ = host::call("writeStdout", &[JsValue::from_str(text)]);
    }
}

fn global_fn(name: &str) -> Option<Function> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()
}

/// A ready-made `onBuildLogs` callback that prints each entry as
/// `<elapsed> | <time> <LEVEL> <message>`, in colour on a terminal, with a
/// spinner line while the build runs; entries below `minLevel` (default `info`)
/// are skipped. In a browser it writes plain lines to the console.
#[wasm_bindgen(js_name = defaultBuildLogger, unchecked_return_type = "(logEntry: LogEntry) => void")]
pub fn default_build_logger(
    #[wasm_bindgen(unchecked_param_type = "{ minLevel?: LogLevel } | undefined")] options: JsValue,
) -> JsResult<JsValue> {
    let o = Options::new(&options, "defaultBuildLogger")?;
    let min_level = o.string("minLevel")?;
    if let Some(l) = &min_level {
        if !["debug", "info", "warn", "error"].contains(&l.as_str()) {
            return Err(invalid(
                "defaultBuildLogger",
                "option `minLevel` must be one of debug, info, warn, error",
            ));
        }
    }
    let is_tty = host::call("stdoutIsTTY", &[])
        .and_then(|r| r.ok())
        .is_some_and(|v| v.is_truthy());
    let state = Rc::new(RefCell::new(BuildLoggerState::new(
        min_level.as_deref(),
        now_ms(),
        is_tty,
        color_level(is_tty),
    )));
    let interval: Rc<RefCell<Option<JsValue>>> = Rc::new(RefCell::new(None));

    let tick_state = Rc::clone(&state);
    let tick =
        Closure::<dyn FnMut()>::new(move || write_out(&tick_state.borrow_mut().tick(now_ms())))
            .into_js_value();

    let logger = Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
        let entry = from_js(&v);
        let out = state
            .borrow_mut()
            .handle(&entry, now_ms(), &local_time(entry.timestamp_ms));
        write_out(&out.write);
        if out.stop_interval || out.start_interval {
            if let (Some(id), Some(clear)) =
                (interval.borrow_mut().take(), global_fn("clearInterval"))
            {
                let _ = clear.call1(&JsValue::UNDEFINED, &id);
            }
        }
        if out.start_interval {
            if let Some(set) = global_fn("setInterval") {
                if let Ok(id) = set.call2(
                    &JsValue::UNDEFINED,
                    &tick,
                    &JsValue::from(SPINNER_INTERVAL_MS as f64),
                ) {
                    // An unref'd timer does not keep Node alive should a build be abandoned.
                    if let Some(unref) = Reflect::get(&id, &"unref".into())
                        .ok()
                        .and_then(|f| f.dyn_into::<Function>().ok())
                    {
                        let _ = unref.call0(&id);
                    }
                    *interval.borrow_mut() = Some(id);
                }
            }
        }
    });
    Ok(logger.into_js_value())
}
