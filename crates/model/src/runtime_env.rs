//! The runtime-environment RUN step (docs/wire-contract.md §4.7): a base64-encoded shell script,
//! run as root, that writes the template's variables to `/etc/profile.d` and
//! `/etc/environment`. Recomputed at every serialization, never stored.

use crate::base64;
use crate::js_object::JsObject;
use crate::prelude::*;

const PROFILE_PATH: &str = "/etc/profile.d/99-image-env.sh";
const ENVIRONMENT_PATH: &str = "/etc/environment";
const SCRIPT_PATH: &str = "/tmp/.novita-image-env.sh";

/// Names a shell can assign: `^[A-Za-z_][A-Za-z0-9_]*$`.
pub fn is_settable_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Wraps `value` in double quotes so the shell expands `$VAR` but not `$(...)` or
/// backticks: `\` -> `\\`, `"` -> `\"`, `` ` `` -> ``\` ``, then `$(` -> `\$(`.
pub fn expandable_double_quote(value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('`', "\\`");
    let escaped = novita_template_json::text::replace_str(&escaped, "$(", "\\$(");
    novita_template_json::cat!("\"", &escaped, "\"")
}

/// The script for the settable variables, lines joined by `\n`, no trailing newline.
pub fn runtime_env_script(vars: &[(&str, &str)]) -> String {
    // Lines joined by `\n`: each piece is appended in turn.
    let mut out =
        novita_template_json::cat!("set -e\n: > ", PROFILE_PATH, "\n: > ", ENVIRONMENT_PATH,);
    let mut add = |pieces: &[&str]| {
        out.push('\n');
        for piece in pieces {
            out.push_str(piece);
        }
    };
    for (name, value) in vars {
        add(&["v=", &expandable_double_quote(value)]);
        add(&["export ", name, "=\"$v\""]);
        add(&[
            "printf \"export ",
            name,
            "='%s'\\n\" \"$(printf '%s' \"$v\" | sed \"s/'/'\\\\\\\\''/g\")\" >> ",
            PROFILE_PATH,
        ]);
        add(&["case \"$v\" in\n  *'\"'*) v= ;;\nesac"]);
        add(&[
            "[ -n \"$v\" ] && [ \"$(printf '%s' \"$v\" | wc -l)\" -eq 0 ] && printf '",
            name,
            "=%s\\n' \"$v\" >> ",
            ENVIRONMENT_PATH,
        ]);
        add(&["true"]);
    }
    add(&["chmod 0644 ", PROFILE_PATH, " ", ENVIRONMENT_PATH]);
    out
}

/// The RUN command of the runtime-env step, or `None` when no variable name is settable.
pub fn runtime_env_command(envs: &JsObject) -> Option<String> {
    let mut usable = envs.entries();
    usable.retain(|(k, _)| is_settable_name(k));
    if usable.is_empty() {
        return None;
    }
    let b64 = base64::encode(runtime_env_script(&usable).as_bytes());
    Some(novita_template_json::cat!(
        "echo ",
        &b64,
        " | base64 -d > ",
        SCRIPT_PATH,
        " && sh ",
        SCRIPT_PATH,
        " && rm -f ",
        SCRIPT_PATH,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_names() {
        assert_eq!(
            expandable_double_quote("a\\b\"c`d$(e) $HOME"),
            "\"a\\\\b\\\"c\\`d\\$(e) $HOME\""
        );
        assert!(is_settable_name("_A1"));
        assert!(!is_settable_name("1A"));
        assert!(!is_settable_name("BAD NAME"));
        assert!(!is_settable_name(""));
        let mut o = JsObject::new();
        o.insert("BAD NAME", "x");
        assert_eq!(runtime_env_command(&o), None);
    }
}
