//! Short, JavaScript-looking descriptions of builder calls (`runCmd("make", { user: "root" })`),
//! kept with each instruction so a failed build step can name the call that made it.

use crate::prelude::*;
use novita_template_json::push_quoted as write_json_string;
use novita_template_json::shape::Num;

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

/// A number as JavaScript prints it (the text `JSON.stringify` wrote).
pub fn lit_num(n: &Num) -> String {
    n.text().to_string()
}
