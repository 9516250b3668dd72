//! Applying a base image's config to a template (docs/wire-contract.md §4.6, "Applying the
//! result"). The registry read itself happens elsewhere; this is the pure part.

use crate::instruction::{Instruction, InstructionKind};
use crate::js_object::JsObject;
use crate::prelude::*;
use crate::template::Template;

/// The parts of an image config the SDK uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageConfig {
    /// `config.Env` as `NAME=value` pairs split at the first `=`, in image order
    /// (the reader drops entries without `=` and the names HOSTNAME HOME PWD OLDPWD SHLVL _ TERM).
    pub env: Vec<(String, String)>,
    /// `config.WorkingDir`, `None` when empty or absent.
    pub workdir: Option<String>,
    /// `config.Entrypoint` (empty when absent).
    pub entrypoint: Vec<String>,
    /// `config.Cmd` (empty when absent).
    pub cmd: Vec<String>,
}

/// Names the registry reader drops from `config.Env`.
pub const SKIPPED_ENV_NAMES: [&str; 7] =
    ["HOSTNAME", "HOME", "PWD", "OLDPWD", "SHLVL", "_", "TERM"];

/// Turns `config.Env` entries into [`ImageConfig::env`] pairs as the official reader does.
pub fn env_from_config_entries<S: AsRef<str>>(entries: &[S]) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        if let Some((k, v)) = e.as_ref().split_once('=') {
            if !SKIPPED_ENV_NAMES.contains(&k) {
                out.push((k.to_string(), v.to_string()));
            }
        }
    }
    out
}

fn shell_quote_arg(value: &str) -> String {
    let bare = !value.is_empty()
        && value.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '_' | '.' | '/' | ':' | '@' | '%' | '+' | '=' | ',' | '-')
        });
    if bare {
        value.to_string()
    } else {
        novita_template_json::cat!("'", &value.replace('\'', "'\\''"), "'")
    }
}

/// `[...entrypoint, ...cmd]` joined by spaces, each element bare when it matches
/// `^[A-Za-z0-9_./:@%+=,-]+$` and single-quoted otherwise; `None` when both are empty.
pub fn effective_start_cmd<S: AsRef<str>>(entrypoint: &[S], cmd: &[S]) -> Option<String> {
    let mut out: Option<String> = None;
    for s in entrypoint
        .iter()
        .map(AsRef::as_ref)
        .chain(cmd.iter().map(AsRef::as_ref))
    {
        let quoted = shell_quote_arg(s);
        match &mut out {
            Some(text) => {
                text.push(' ');
                text.push_str(&quoted);
            }
            None => out = Some(quoted),
        }
    }
    out
}

/// Applies a successfully read image config to the template, as the official SDK
/// does on the template object: image env first (the user's values win), an inherited
/// WORKDIR appended when the template has none, and the image's command as start
/// command (ready command `sleep 20` unless set) when no start command is set.
pub fn apply(t: &mut Template, config: &ImageConfig) {
    let mut merged = JsObject::new();
    for (k, v) in &config.env {
        merged.insert(k, v);
    }
    for (k, v) in t.envs.entries() {
        merged.insert(k, v);
    }
    t.envs = merged;
    if let Some(wd) = config.workdir.as_deref().filter(|w| !w.is_empty()) {
        if !t
            .instructions
            .iter()
            .any(|i| i.kind == InstructionKind::Workdir)
        {
            let origin = novita_template_json::cat!(
                t.base_origin(),
                " (WORKDIR ",
                wd,
                " inherited from the image config)",
            );
            t.instructions.push(Instruction {
                kind: InstructionKind::Workdir,
                args: vec![wd.to_string()],
                force: false,
                force_upload: None,
                resolve_symlinks: None,
                origin,
                call: t.base_call.unwrap_or(0),
            });
        }
    }
    if let Some(start) = effective_start_cmd(&config.entrypoint, &config.cmd) {
        if t.start_cmd.is_none() {
            t.start_cmd = Some(start);
            if t.ready_cmd.is_none() {
                t.ready_cmd = Some(crate::ready_cmd::SLEEP_20.to_string());
            }
            t.finalize_origin = Some(novita_template_json::cat!(
                t.base_origin(),
                " (start command inherited from the image config)",
            ));
            t.finalize_call = t.base_call;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_cmd_quoting() {
        let e = ["docker-entrypoint.sh".to_string()];
        let c = ["node", "server.js", "--port", "8080 8081", "it's", ""].map(String::from);
        assert_eq!(
            effective_start_cmd(&e, &c).as_deref(),
            Some("docker-entrypoint.sh node server.js --port '8080 8081' 'it'\\''s' ''")
        );
        assert_eq!(effective_start_cmd::<String>(&[], &[]), None);
    }

    #[test]
    fn env_entries() {
        let env = env_from_config_entries(&["A=1=2", "HOME=/root", "NOEQ", "B="]);
        assert_eq!(
            env,
            vec![("A".into(), "1=2".into()), ("B".into(), "".into())]
        );
    }
}
