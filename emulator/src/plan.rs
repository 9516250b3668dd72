//! The build planner: turns a parsed trigger body into the phases an emulated build
//! goes through, with their log lines, durations, cache keys and outcome. It is pure
//! (the store is reached only through [`PlanContext`]), so the failure triggers and
//! the cache rules are tested without a server.
//!
//! Failure triggers:
//! - an image name containing `__missing__` fails the pull (`base` step);
//! - a RUN command containing `__fail__` fails at that step;
//! - a start or ready command containing `__fail__` never succeeds (`finalize` step,
//!   after [`READY_ATTEMPTS`] attempts);
//! - a COPY whose files hash was never uploaded fails at that step;
//! - `fromTemplate` naming a template that has no ready build (and is not one of the
//!   [`BUILTIN_TEMPLATES`]) fails the `base` step.

use crate::cache_key;
use crate::spec::{Base, BuildSpec, Step, StepKind};

/// The marker that makes a RUN step, a start or a ready command fail.
pub const FAIL_MARKER: &str = "__fail__";
/// The marker that makes an image pull fail.
pub const MISSING_MARKER: &str = "__missing__";
/// How many times a ready command is tried before the build fails.
pub const READY_ATTEMPTS: u32 = 5;
/// Public templates that always exist, as on the real service.
pub const BUILTIN_TEMPLATES: &[&str] = &[
    "base",
    "code-interpreter-v1",
    "desktop",
    "mcp-gateway",
    "devcontainer",
];

/// What the planner needs to know about the store.
pub trait PlanContext {
    fn layer_cached(&self, key: &str) -> bool;
    fn upload_present(&self, files_hash: &str) -> bool;
    /// True when a local template of that name (or `name:tag`) has a ready build.
    fn template_ready(&self, name: &str) -> bool;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedEntry {
    pub level: &'static str,
    pub message: String,
    pub step: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Continue,
    Fail { message: String, step: String },
    Ready,
}

/// One slice of emulated work: wait `delay_ms`, then log `entries`, remember
/// `layer_key` as built, and apply `outcome`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    pub delay_ms: u64,
    pub entries: Vec<PlannedEntry>,
    pub layer_key: Option<String>,
    pub outcome: Outcome,
}

fn entry(level: &'static str, step: Option<&str>, message: String) -> PlannedEntry {
    PlannedEntry {
        level,
        message,
        step: step.map(str::to_string),
    }
}

fn describe(step: &Step) -> String {
    match step.kind {
        StepKind::Env => {
            let pairs: Vec<String> = step
                .args
                .chunks(2)
                .map(|kv| format!("{}={}", kv[0], kv.get(1).map_or("", String::as_str)))
                .collect();
            format!("ENV {}", pairs.join(" "))
        }
        StepKind::Copy => format!("COPY {} {}", step.args[0], step.args[1]),
        kind => format!("{} {}", kind.as_str(), step.args[0]),
    }
}

/// Plans the whole build. `step_ms` is the simulated duration of one uncached step.
pub fn plan(spec: &BuildSpec, step_ms: u64, ctx: &dyn PlanContext) -> Vec<Phase> {
    let mut phases = vec![Phase {
        delay_ms: 0,
        entries: vec![
            entry("info", None, "Build started".into()),
            entry(
                "debug",
                None,
                "emulated build: no image is pulled and no command is run".into(),
            ),
        ],
        layer_key: None,
        outcome: Outcome::Continue,
    }];
    let fail = |phases: &mut Vec<Phase>, delay_ms, entries, step: &str, message: String| {
        phases.push(Phase {
            delay_ms,
            entries,
            layer_key: None,
            outcome: Outcome::Fail {
                message,
                step: step.to_string(),
            },
        });
    };

    // base
    let mut broken = spec.force;
    let base_key = cache_key::base_key(&spec.base);
    let from = match &spec.base {
        Base::Image(i) => format!("FROM {i}"),
        Base::Template(t) => format!("FROM TEMPLATE {t}"),
    };
    let base_problem = match &spec.base {
        Base::Image(i) if i.contains(MISSING_MARKER) => Some(format!(
            "failed to pull image '{i}': manifest unknown (the name contains the failure trigger {MISSING_MARKER})"
        )),
        Base::Template(t) if t.contains(MISSING_MARKER) => {
            Some(format!("base template '{t}' not found (the name contains the failure trigger {MISSING_MARKER})"))
        }
        Base::Template(t) if !BUILTIN_TEMPLATES.contains(&t.as_str()) && !ctx.template_ready(t) => {
            Some(format!("base template '{t}' not found or has no ready build"))
        }
        _ => None,
    };
    if let Some(problem) = base_problem {
        let entries = vec![
            entry("info", Some("base"), format!("[base] {from}")),
            entry("error", Some("base"), format!("[base] {problem}")),
        ];
        fail(&mut phases, step_ms, entries, "base", problem);
        return phases;
    }
    let cached = !broken && ctx.layer_cached(&base_key);
    phases.push(Phase {
        delay_ms: if cached { 0 } else { step_ms },
        entries: if cached {
            vec![entry("info", Some("base"), format!("CACHED [base] {from}"))]
        } else {
            let mut e = vec![entry("info", Some("base"), format!("[base] {from}"))];
            if let Base::Image(i) = &spec.base {
                let how = if spec.has_registry_credentials {
                    " with the given registry credentials"
                } else {
                    ""
                };
                e.push(entry(
                    "debug",
                    Some("base"),
                    format!("[base] pulled {i}{how} (emulated)"),
                ));
            }
            e
        },
        layer_key: Some(base_key.clone()),
        outcome: Outcome::Continue,
    });

    // user steps
    let mut key = base_key;
    for (i, step) in spec.steps.iter().enumerate() {
        let id = (i + 1).to_string();
        let label = format!("[{id}]");
        let what = describe(step);
        key = cache_key::step_key(&key, step);
        broken |= step.force;
        if step.kind == StepKind::Copy {
            let hash = step.files_hash.as_deref().unwrap_or("");
            if !ctx.upload_present(hash) {
                let message = format!(
                    "COPY step {id} failed: the files {hash} of '{}' were never uploaded",
                    step.args[0]
                );
                let entries = vec![
                    entry("info", Some(&id), format!("{label} {what}")),
                    entry("error", Some(&id), format!("{label} {message}")),
                ];
                fail(&mut phases, step_ms, entries, &id, message);
                return phases;
            }
        }
        if step.kind == StepKind::Run && step.args[0].contains(FAIL_MARKER) {
            let message = format!(
                "RUN step {id} failed: '{}' exited with code 1 (the command contains the failure trigger {FAIL_MARKER})",
                step.args[0]
            );
            let entries = vec![
                entry("info", Some(&id), format!("{label} {what}")),
                entry(
                    "error",
                    Some(&id),
                    format!("{label} error: process exited with code 1"),
                ),
                entry("error", Some(&id), format!("{label} {message}")),
            ];
            fail(&mut phases, step_ms, entries, &id, message);
            return phases;
        }
        let cached = !broken && ctx.layer_cached(&key);
        let mut entries = vec![entry(
            "info",
            Some(&id),
            if cached {
                format!("CACHED {label} {what}")
            } else {
                format!("{label} {what}")
            },
        )];
        if !cached {
            if let (StepKind::Run, Some(user)) = (step.kind, step.args.get(1)) {
                entries.push(entry(
                    "debug",
                    Some(&id),
                    format!("{label} ran as user '{user}' (emulated: not executed)"),
                ));
            }
            if let (StepKind::Copy, Some(h)) = (step.kind, &step.files_hash) {
                entries.push(entry(
                    "debug",
                    Some(&id),
                    format!("{label} using uploaded files {}", &h[..12]),
                ));
            }
        }
        phases.push(Phase {
            delay_ms: if cached { 0 } else { step_ms },
            entries,
            layer_key: Some(key.clone()),
            outcome: Outcome::Continue,
        });
    }

    // finalize: start command, then ready command
    let fin = Some("finalize");
    if let Some(start) = &spec.start_cmd {
        let mut entries = vec![entry(
            "info",
            fin,
            format!("[finalize] running start command: {start}"),
        )];
        if start.contains(FAIL_MARKER) {
            let message = format!(
                "start command '{start}' exited with code 1 (it contains the failure trigger {FAIL_MARKER})"
            );
            entries.push(entry("error", fin, format!("[finalize] {message}")));
            fail(&mut phases, step_ms, entries, "finalize", message);
            return phases;
        }
        phases.push(Phase {
            delay_ms: step_ms,
            entries,
            layer_key: None,
            outcome: Outcome::Continue,
        });
    }
    if let Some(ready) = &spec.ready_cmd {
        phases.push(Phase {
            delay_ms: 0,
            entries: vec![entry(
                "info",
                fin,
                format!("[finalize] waiting for ready command: {ready}"),
            )],
            layer_key: None,
            outcome: Outcome::Continue,
        });
        if ready.contains(FAIL_MARKER) {
            for attempt in 1..READY_ATTEMPTS {
                phases.push(Phase {
                    delay_ms: step_ms,
                    entries: vec![entry(
                        "warn",
                        fin,
                        format!(
                            "[finalize] ready command exited with code 1 (attempt {attempt}/{READY_ATTEMPTS})"
                        ),
                    )],
                    layer_key: None,
                    outcome: Outcome::Continue,
                });
            }
            let message = format!(
                "ready command '{ready}' did not succeed after {READY_ATTEMPTS} attempts (it contains the failure trigger {FAIL_MARKER})"
            );
            let entries = vec![entry("error", fin, format!("[finalize] {message}"))];
            fail(&mut phases, step_ms, entries, "finalize", message);
            return phases;
        }
        phases.push(Phase {
            delay_ms: step_ms,
            entries: vec![entry(
                "info",
                fin,
                "[finalize] ready command succeeded".into(),
            )],
            layer_key: None,
            outcome: Outcome::Continue,
        });
    }
    phases.push(Phase {
        delay_ms: step_ms / 2,
        entries: vec![
            entry(
                "info",
                fin,
                "[finalize] saving the template snapshot".into(),
            ),
            entry("info", None, "Build finished".into()),
        ],
        layer_key: None,
        outcome: Outcome::Ready,
    });
    phases
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[derive(Default)]
    struct Ctx {
        layers: HashSet<String>,
        uploads: HashSet<String>,
    }

    impl PlanContext for Ctx {
        fn layer_cached(&self, key: &str) -> bool {
            self.layers.contains(key)
        }
        fn upload_present(&self, h: &str) -> bool {
            self.uploads.contains(h)
        }
        fn template_ready(&self, _: &str) -> bool {
            false
        }
    }

    fn spec(steps: Vec<Step>) -> BuildSpec {
        BuildSpec {
            start_cmd: Some("python app.py".into()),
            ready_cmd: Some("sleep 1".into()),
            pre_boot_script: None,
            steps,
            force: false,
            base: Base::Image("python:3.12".into()),
            has_registry_credentials: false,
        }
    }

    fn run(cmd: &str) -> Step {
        Step {
            kind: StepKind::Run,
            args: vec![cmd.into()],
            force: false,
            files_hash: None,
        }
    }

    fn messages(p: &[Phase]) -> Vec<String> {
        p.iter()
            .flat_map(|p| p.entries.iter().map(|e| e.message.clone()))
            .collect()
    }

    fn remember(ctx: &mut Ctx, p: &[Phase]) {
        for k in p.iter().filter_map(|p| p.layer_key.clone()) {
            ctx.layers.insert(k);
        }
    }

    #[test]
    fn rebuild_is_cached_and_force_breaks_the_chain() {
        let mut ctx = Ctx::default();
        let s = spec(vec![run("a"), run("b"), run("c")]);
        let first = plan(&s, 100, &ctx);
        assert_eq!(first.last().unwrap().outcome, Outcome::Ready);
        assert!(messages(&first).contains(&"[1] RUN a".to_string()));
        remember(&mut ctx, &first);
        let second = plan(&s, 100, &ctx);
        let m = messages(&second);
        assert!(m.contains(&"CACHED [base] FROM python:3.12".to_string()));
        assert!(m.contains(&"CACHED [3] RUN c".to_string()));
        let total = |p: &[Phase]| p.iter().map(|p| p.delay_ms).sum::<u64>();
        assert!(total(&second) < total(&first));

        let mut forced = s.clone();
        forced.steps[1].force = true;
        let m = messages(&plan(&forced, 100, &ctx));
        assert!(m.contains(&"CACHED [1] RUN a".to_string()));
        assert!(m.contains(&"[2] RUN b".to_string()));
        assert!(
            m.contains(&"[3] RUN c".to_string()),
            "force breaks the chain after it"
        );

        let mut all = s.clone();
        all.force = true;
        let m = messages(&plan(&all, 100, &ctx));
        assert!(m.iter().all(|x| !x.starts_with("CACHED")));

        let mut changed = s;
        changed.steps[0] = run("a2");
        let m = messages(&plan(&changed, 100, &ctx));
        assert!(m.contains(&"CACHED [base] FROM python:3.12".to_string()));
        assert!(
            m.contains(&"[3] RUN c".to_string()),
            "a changed step changes later keys"
        );
    }

    #[test]
    fn failure_triggers() {
        let ctx = Ctx::default();
        let p = plan(&spec(vec![run("a"), run("x __fail__")]), 10, &ctx);
        match &p.last().unwrap().outcome {
            Outcome::Fail { step, message } => {
                assert_eq!(step, "2");
                assert!(message.contains("__fail__"));
            }
            o => panic!("unexpected {o:?}"),
        }
        let mut s = spec(vec![]);
        s.base = Base::Image("nope__missing__:1".into());
        assert!(
            matches!(&plan(&s, 10, &ctx).last().unwrap().outcome, Outcome::Fail { step, .. } if step == "base")
        );
        let mut s = spec(vec![]);
        s.ready_cmd = Some("test __fail__".into());
        let p = plan(&s, 10, &ctx);
        assert!(
            matches!(&p.last().unwrap().outcome, Outcome::Fail { step, .. } if step == "finalize")
        );
        assert_eq!(
            messages(&p)
                .iter()
                .filter(|m| m.contains("(attempt "))
                .count() as u32,
            READY_ATTEMPTS - 1
        );
        let copy = Step {
            kind: StepKind::Copy,
            args: vec!["app".into(), "/app".into(), "".into(), "".into()],
            force: false,
            files_hash: Some("a".repeat(64)),
        };
        let p = plan(&spec(vec![copy]), 10, &ctx);
        assert!(
            matches!(&p.last().unwrap().outcome, Outcome::Fail { step, message } if step == "1" && message.contains("never uploaded"))
        );
        let mut s = spec(vec![]);
        s.base = Base::Template("unknown-tpl".into());
        assert!(
            matches!(&plan(&s, 10, &ctx).last().unwrap().outcome, Outcome::Fail { step, .. } if step == "base")
        );
        s.base = Base::Template("base".into());
        assert_eq!(plan(&s, 10, &ctx).last().unwrap().outcome, Outcome::Ready);
    }
}
