//! Short, JavaScript-looking descriptions of builder calls (`runCmd("make", { user: "root" })`),
//! kept with each instruction so a failed build step can name the call that made it.

use crate::json_text::write_json_string;

/// A string literal, JSON-quoted.
pub fn lit(s: &str) -> String {
    let mut out = String::new();
    write_json_string(&mut out, s);
    out
}

/// An array literal of strings: `["a", "b"]`.
pub fn lit_list<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|s| lit(s.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

/// A single string when there is one item, else an array literal.
pub fn lit_one_or_list<S: AsRef<str>>(items: &[S]) -> String {
    if items.len() == 1 {
        lit(items[0].as_ref())
    } else {
        lit_list(items)
    }
}

/// An options object literal from the given (name, rendered value) pairs; `None` when
/// no option was given.
pub fn lit_opts(pairs: &[(&str, Option<String>)]) -> Option<String> {
    let set: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
        .collect();
    if set.is_empty() {
        None
    } else {
        Some(format!("{{ {} }}", set.join(", ")))
    }
}

/// `name(arg1, arg2, ...)`, leaving out trailing absent arguments.
pub fn call(name: &str, args: Vec<Option<String>>) -> String {
    let mut args = args;
    while matches!(args.last(), Some(None)) {
        args.pop();
    }
    let rendered: Vec<String> = args
        .into_iter()
        .map(|a| a.unwrap_or_else(|| "undefined".to_string()))
        .collect();
    format!("{name}({})", rendered.join(", "))
}

/// A number as JavaScript prints an integer-valued double.
pub fn lit_num(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}
