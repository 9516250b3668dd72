//! `fromDockerfile(content)` (docs/wire-contract.md §8.2): drives the builder methods as the
//! official SDK does, with its checks and errors. Deliberate differences, only in
//! Dockerfiles that use the forms concerned (DIFFERENCES.md): every source of a
//! multi-source COPY/ADD is kept, `ENV K v1 v2` sets `K="v1 v2"`, and quoted words
//! group (quotes removed from ENV/ARG/COPY/ADD/WORKDIR/USER values, as Docker does).

use crate::call_description::lit;
use crate::dockerfile_lexer::{escape_of, lex, unquote, RawInstruction};
use crate::js_object::JsObject;
use crate::prelude::*;
use crate::template::{CopyOptions, Template, DEFAULT_BASE_IMAGE};

/// What `from_dockerfile` reports besides the template changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerfileImport {
    /// The base image taken from FROM.
    pub base_image: String,
    /// One `Unsupported instruction: KEYWORD` per skipped instruction (the official SDK
    /// prints these with `console.warn`; the caller decides what to do with them).
    pub warnings: Vec<String>,
}

/// A parsed instruction's words, flags split off, with the unquoting the mode needs.
struct Words {
    flags: Vec<(String, Option<String>)>,
    args: Vec<String>,
    /// True when the instruction uses quotes and the Docker-like words are in use.
    grouped: bool,
}

fn words_of(ins: &RawInstruction, takes_flags: bool) -> Words {
    let (raw, grouped) = match &ins.grouped {
        Some(g) => (g.clone(), true),
        None => (ins.official.clone(), false),
    };
    let mut flags = Vec::new();
    let mut args = Vec::new();
    let mut in_flags = takes_flags;
    for w in raw {
        if in_flags {
            if let Some(f) = w.strip_prefix("--") {
                match f.split_once('=') {
                    Some((n, v)) => flags.push((n.to_string(), Some(v.to_string()))),
                    None => flags.push((f.to_string(), None)),
                }
                continue;
            }
            in_flags = false;
        }
        args.push(w);
    }
    Words {
        flags,
        args,
        grouped,
    }
}

fn describe(ins: &RawInstruction) -> String {
    let mut text = novita_template_json::cat!(
        &ins.keyword,
        " ",
        &novita_template_json::text::join(&ins.official, " ")
    );
    if text.chars().count() > 80 {
        text = text.chars().take(77).collect::<String>() + "...";
    }
    novita_template_json::cat!(
        "fromDockerfile (line ",
        &u64_text(ins.line as u64),
        ": ",
        text.trim_end(),
        ")",
    )
}

/// `Array.prototype.join(" ")` over a parsed JSON array, with JavaScript's element
/// conversions (null -> "", nested arrays joined by ",", objects -> "[object Object]").
fn js_join(items: &[Json], sep: &str) -> String {
    fn to_js_string(v: &Json) -> String {
        match v {
            Json::Null => String::new(),
            Json::Bool(b) => String::from(if *b { "true" } else { "false" }),
            Json::Num(n) => novita_template_json::js_number_string(n),
            Json::Str(s) => s.clone(),
            Json::Arr(a) => js_join(a, ","),
            Json::Obj(_) => "[object Object]".to_string(),
        }
    }
    novita_template_json::text::join(&items.iter().map(to_js_string).collect::<Vec<_>>(), sep)
}

/// ENV/ARG words to the variables object, following the official rules
/// (docs/wire-contract.md §8.2) plus the legacy `ENV K v1 v2` form and quote removal.
fn env_object(keyword: &str, words: &Words, escape: char) -> JsObject {
    let a = &words.args;
    let mut vars = JsObject::new();
    let clean = |s: &str| {
        if words.grouped {
            unquote(s, escape)
        } else {
            s.to_string()
        }
    };
    let set = |vars: &mut JsObject, k: &str, v: &str| {
        let k = clean(k);
        if !k.is_empty() {
            vars.insert(&k, &clean(v));
        }
    };
    let split = |s: &str| {
        s.find('=')
            .filter(|&i| i > 0)
            .map(|i| (s[..i].to_string(), s[i + 1..].to_string()))
    };
    match a.len() {
        0 => {}
        1 => {
            if let Some((k, v)) = split(&a[0]) {
                set(&mut vars, &k, &v);
            } else if keyword == "ARG" && !a[0].trim().is_empty() {
                set(&mut vars, a[0].trim(), "");
            }
        }
        2 => {
            if a[0].as_bytes().contains(&b'=') && a[1].as_bytes().contains(&b'=') {
                for w in a {
                    if let Some((k, v)) = split(w) {
                        set(&mut vars, &k, &v);
                    }
                }
            } else {
                set(&mut vars, &a[0], &a[1]);
            }
        }
        _ => {
            if keyword == "ENV" && !a[0].as_bytes().contains(&b'=') {
                // Legacy `ENV key value words...`: the official SDK drops it entirely.
                let value: Vec<String> = a[1..].iter().map(|w| clean(w)).collect();
                let k = clean(&a[0]);
                if !k.is_empty() {
                    vars.insert(&k, &novita_template_json::text::join(&value, " "));
                }
            } else {
                for w in a {
                    if let Some((k, v)) = split(w) {
                        set(&mut vars, &k, &v);
                    } else if keyword == "ARG" {
                        set(&mut vars, w, "");
                    }
                }
            }
        }
    }
    vars
}

impl Template {
    /// `fromDockerfile(content)`: parses Dockerfile text (the caller reads files) and
    /// records what the official SDK records. On error the template is unchanged.
    pub fn from_dockerfile(&mut self, content: &str) -> Result<DockerfileImport, SdkError> {
        let instructions = lex(content);
        let escape = escape_of(content);
        let mut from = None;
        for i in &instructions {
            if i.keyword == "FROM" {
                if from.is_some() {
                    return Err(SdkError::error("Multi-stage Dockerfiles are not supported"));
                }
                from = Some(i);
            }
        }
        let Some(from) = from else {
            return Err(SdkError::error(
                "Dockerfile must contain a FROM instruction",
            ));
        };
        let from_words = words_of(from, true);
        let base_image = match from_words.args.first() {
            Some(img) if from_words.grouped => unquote(img, escape),
            Some(img) => img.clone(),
            None => DEFAULT_BASE_IMAGE.to_string(),
        };
        if base_image.is_empty() {
            return Err(SdkError::invalid(
                "fromDockerfile: FROM names an empty image",
            ));
        }

        // The steps are recorded on the template itself; after an error, what they
        // changed is put back (cheaper than working on a copy of the whole template).
        let saved = (
            self.instructions.len(),
            self.envs.clone(),
            self.start_cmd.clone(),
            self.ready_cmd.clone(),
            self.finalize_origin.clone(),
            self.finalize_call,
        );
        match self.record_dockerfile(&instructions, escape) {
            Ok(warnings) => {
                self.finish_dockerfile_base(
                    &base_image,
                    novita_template_json::cat!("fromDockerfile(FROM ", &lit(&base_image), ")"),
                );
                Ok(DockerfileImport {
                    base_image,
                    warnings,
                })
            }
            Err(e) => {
                let (steps, envs, start_cmd, ready_cmd, finalize_origin, finalize_call) = saved;
                self.instructions.truncate(steps);
                self.envs = envs;
                self.start_cmd = start_cmd;
                self.ready_cmd = ready_cmd;
                self.finalize_origin = finalize_origin;
                self.finalize_call = finalize_call;
                Err(e)
            }
        }
    }

    /// The steps of a Dockerfile's instructions (the body of `fromDockerfile`); the
    /// warnings for the instructions skipped.
    fn record_dockerfile(
        &mut self,
        instructions: &[RawInstruction],
        escape: char,
    ) -> Result<Vec<String>, SdkError> {
        let t = self;
        let mut warnings = Vec::new();
        let mut user_changed = false;
        let mut workdir_changed = false;
        t.set_user("root")?;
        relabel_last(t, "fromDockerfile (implicit setUser(\"root\"))");
        t.set_workdir("/")?;
        relabel_last(t, "fromDockerfile (implicit setWorkdir(\"/\"))");

        for ins in instructions {
            let origin = describe(ins);
            match ins.keyword.as_str() {
                "FROM" | "EXPOSE" | "VOLUME" => {}
                "RUN" => {
                    let w = words_of(ins, true);
                    if !w.args.is_empty() {
                        t.run_cmd(&[novita_template_json::text::join(&w.args, " ")], None)?;
                        relabel_last(t, &origin);
                    }
                }
                "COPY" | "ADD" => {
                    let w = words_of(ins, true);
                    if w.args.len() >= 2 {
                        let clean = |s: &str| {
                            if w.grouped {
                                unquote(s, escape)
                            } else {
                                s.to_string()
                            }
                        };
                        let mut srcs = Vec::with_capacity(w.args.len() - 1);
                        for s in &w.args[..w.args.len() - 1] {
                            srcs.push(clean(s));
                        }
                        let dest = clean(&w.args[w.args.len() - 1]);
                        let user = w
                            .flags
                            .iter()
                            .find(|(n, _)| n == "chown")
                            .and_then(|(_, v)| v.as_deref().map(clean))
                            .filter(|u| !u.is_empty());
                        let before = t.instructions.len();
                        t.copy(
                            &srcs,
                            &dest,
                            &CopyOptions {
                                user,
                                ..CopyOptions::default()
                            },
                        )?;
                        for i in &mut t.instructions[before..] {
                            i.origin = origin.clone();
                        }
                    }
                }
                "WORKDIR" => {
                    let w = words_of(ins, false);
                    if let Some(dir) = w.args.first() {
                        let dir = if w.grouped {
                            unquote(dir, escape)
                        } else {
                            dir.clone()
                        };
                        t.set_workdir(&dir)?;
                        relabel_last(t, &origin);
                    }
                    workdir_changed = true;
                }
                "USER" => {
                    let w = words_of(ins, false);
                    if let Some(user) = w.args.first() {
                        let user = if w.grouped {
                            unquote(user, escape)
                        } else {
                            user.clone()
                        };
                        t.set_user(&user)?;
                        relabel_last(t, &origin);
                    }
                    user_changed = true;
                }
                "ENV" | "ARG" => {
                    let w = words_of(ins, false);
                    let vars = env_object(&ins.keyword, &w, escape);
                    t.set_envs_object(&vars, origin);
                }
                "CMD" | "ENTRYPOINT" => {
                    let w = words_of(ins, false);
                    if !w.args.is_empty() {
                        let mut command = novita_template_json::text::join(&w.args, " ");
                        if let Ok(Json::Arr(items)) = novita_template_json::parse(&command) {
                            command = js_join(&items, " ");
                        }
                        let ready = crate::ready_cmd::SLEEP_20.to_string();
                        // An empty command is what the official SDK records for `CMD []`.
                        t.start_cmd = Some(command);
                        t.ready_cmd = Some(ready);
                        t.finalize_origin = Some(origin);
                        t.finalize_call = Some(t.current_call);
                    }
                }
                other => warnings.push(novita_template_json::cat!(
                    "Unsupported instruction: ",
                    other
                )),
            }
        }
        if !user_changed {
            t.set_user("user")?;
            relabel_last(t, "fromDockerfile (implicit setUser(\"user\"))");
        }
        if !workdir_changed {
            t.set_workdir("/home/user")?;
            relabel_last(t, "fromDockerfile (implicit setWorkdir(\"/home/user\"))");
        }
        Ok(warnings)
    }
}

fn relabel_last(t: &mut Template, origin: &str) {
    if let Some(last) = t.instructions.last_mut() {
        last.origin = origin.to_string();
    }
}
