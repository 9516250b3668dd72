//! The build planner: turns a parsed trigger body into the phases an emulated build
//! goes through, with their log entries, durations, cache keys and outcome. It is
//! pure (the store is reached only through [`PlanContext`]), so the log format, the
//! failure triggers and the cache rules are tested without a server.
//!
//! Log format (README "Build logs"): every entry carries a `step`: `base`, `1` … `N`,
//! `finalize`, in that order. A step's first entry starts it and names it —
//! `[base] FROM python:3.12`, `[builder 3/9] RUN pip install flask`,
//! `[finalize] running start command: …`, with `CACHED ` in front when the layer was
//! cached (a cached step has no other entry). The entries after it are the step's
//! output, unprefixed. A step ends when an entry of a later step, or the terminal
//! status, arrives.
//!
//! Failure triggers (README "Failure triggers"): `__denied__` and `__missing__` in
//! the image name (step `base`); `__fail__`, `__oom__`, `__disk__` and `__timeout__`
//! in a RUN command (that step); `__fail__` in the start or ready command (step
//! `finalize`); a COPY whose files were never uploaded; `fromTemplate` naming no
//! ready template.

use sha2::{Digest, Sha256};

use crate::cache_key;
use crate::spec::{Base, BuildSpec, Step, StepKind};
use crate::step_output;

/// The marker that makes a RUN step, a start or a ready command fail (exit code 1).
pub const FAIL_MARKER: &str = "__fail__";
/// The marker that makes an image pull fail: no such image.
pub const MISSING_MARKER: &str = "__missing__";
/// The marker that makes an image pull fail: the registry refuses access.
pub const DENIED_MARKER: &str = "__denied__";
/// The marker that makes a RUN step run out of memory (exit code 137).
pub const OOM_MARKER: &str = "__oom__";
/// The marker that makes a RUN step run out of disk space.
pub const DISK_MARKER: &str = "__disk__";
/// The marker that makes a RUN step exceed the step time limit.
pub const TIMEOUT_MARKER: &str = "__timeout__";
/// How many times a ready command is tried before the build fails.
pub const READY_ATTEMPTS: u32 = 5;
/// The disk size of every template (reported by `get`/`list`, named by `__disk__`).
pub const DISK_SIZE_MB: i64 = 5120;
/// Public templates that always exist, as on the real service.
pub const BUILTIN_TEMPLATES: &[&str] = &[
    "base",
    "code-interpreter-v1",
    "desktop",
    "mcp-gateway",
    "devcontainer",
];
/// The first line of every uncached base step: the emulator is honest about itself.
pub const EMULATED_NOTE: &str = "emulated build: no image is pulled and no command is run";

/// What the planner needs to know about the store.
pub trait PlanContext {
    fn layer_cached(&self, key: &str) -> bool;
    fn upload_present(&self, files_hash: &str) -> bool;
    /// True when a local template of that name (or `name:tag`) has a ready build.
    fn template_ready(&self, name: &str) -> bool;
}

/// The numbers a plan depends on besides the spec.
#[derive(Debug, Clone, Copy)]
pub struct PlanSettings {
    /// Simulated duration of one uncached step.
    pub step_ms: u64,
    /// How long a `__timeout__` step runs before it is stopped.
    pub step_timeout_ms: u64,
    /// The build's memory (from `POST /v3/templates`), named by `__oom__`.
    pub memory_mb: i64,
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

fn entry(level: &'static str, step: &str, message: impl Into<String>) -> PlannedEntry {
    PlannedEntry {
        level,
        message: message.into(),
        step: Some(step.to_string()),
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

/// `python:3.12` → `docker.io/library/python:3.12`, as a registry client resolves it.
pub fn canonical_image(image: &str) -> String {
    let image = image.strip_prefix("docker.io/").unwrap_or(image);
    let (name, reference) = match image.split_once('@') {
        Some((n, d)) => (n, format!("@{d}")),
        None => match image.rsplit_once(':') {
            Some((n, t)) if !t.contains('/') => (n, format!(":{t}")),
            _ => (image, ":latest".to_string()),
        },
    };
    let first = name.split('/').next().unwrap_or(name);
    let has_host =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let full = if has_host {
        name.to_string()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    format!("{full}{reference}")
}

/// `1234` → `1.2s`, `50` → `50ms`.
fn duration_text(ms: u64) -> String {
    if ms >= 1000 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else {
        format!("{ms}ms")
    }
}

/// How one step is played: its first entry at once, its output lines spread evenly
/// over `duration_ms`, then the closing entries with the layer key and outcome.
struct StepPlay {
    first: PlannedEntry,
    lines: Vec<PlannedEntry>,
    duration_ms: u64,
    closing: Vec<PlannedEntry>,
    layer_key: Option<String>,
    outcome: Outcome,
}

impl StepPlay {
    fn into_phases(self, phases: &mut Vec<Phase>) {
        if self.lines.is_empty() && self.duration_ms == 0 {
            let mut entries = vec![self.first];
            entries.extend(self.closing);
            phases.push(Phase {
                delay_ms: 0,
                entries,
                layer_key: self.layer_key,
                outcome: self.outcome,
            });
            return;
        }
        let slice = self.duration_ms / (self.lines.len() as u64 + 1);
        phases.push(Phase {
            delay_ms: 0,
            entries: vec![self.first],
            layer_key: None,
            outcome: Outcome::Continue,
        });
        let spent = slice * self.lines.len() as u64;
        for line in self.lines {
            phases.push(Phase {
                delay_ms: slice,
                entries: vec![line],
                layer_key: None,
                outcome: Outcome::Continue,
            });
        }
        phases.push(Phase {
            delay_ms: self.duration_ms - spent,
            entries: self.closing,
            layer_key: self.layer_key,
            outcome: self.outcome,
        });
    }
}

fn fail(message: &str, step: &str) -> Outcome {
    Outcome::Fail {
        message: message.to_string(),
        step: step.to_string(),
    }
}

/// Plans the base step; `None` when the build fails there.
fn plan_base(
    spec: &BuildSpec,
    settings: &PlanSettings,
    ctx: &dyn PlanContext,
    phases: &mut Vec<Phase>,
) -> Option<String> {
    const B: &str = "base";
    let key = cache_key::base_key(&spec.base);
    let from = match &spec.base {
        Base::Image(i) => format!("FROM {i}"),
        Base::Template(t) => format!("FROM TEMPLATE {t}"),
    };
    let mut lines = vec![entry("debug", B, EMULATED_NOTE)];
    let problem = match &spec.base {
        Base::Image(i) => {
            let canonical = canonical_image(i);
            lines.push(entry("info", B, format!("resolving {canonical}")));
            if spec.has_registry_credentials {
                lines.push(entry(
                    "debug",
                    B,
                    "authenticating with the credentials of fromImageRegistry",
                ));
            }
            if i.contains(DENIED_MARKER) {
                Some(format!(
                    "failed to pull image '{i}': access denied: the registry refused to serve it with the given credentials (or without any)"
                ))
            } else if i.contains(MISSING_MARKER) {
                Some(format!(
                    "failed to pull image '{i}': manifest unknown: the registry has no such image or tag"
                ))
            } else {
                let digest = cache_key::hex(&Sha256::digest(canonical.as_bytes()));
                lines.push(entry(
                    "info",
                    B,
                    format!("pulled {canonical} (digest sha256:{digest})"),
                ));
                None
            }
        }
        Base::Template(t) => {
            if t.contains(MISSING_MARKER) {
                Some(format!("base template '{t}' not found (the name contains the failure trigger {MISSING_MARKER})"))
            } else if !BUILTIN_TEMPLATES.contains(&t.as_str()) && !ctx.template_ready(t) {
                Some(format!(
                    "base template '{t}' not found or has no ready build"
                ))
            } else {
                lines.push(entry(
                    "info",
                    B,
                    format!("using the snapshot of template '{t}'"),
                ));
                None
            }
        }
    };
    if let Some(problem) = problem {
        StepPlay {
            first: entry("info", B, format!("[base] {from}")),
            lines,
            duration_ms: settings.step_ms,
            closing: vec![entry("error", B, problem.clone())],
            layer_key: None,
            outcome: fail(&problem, B),
        }
        .into_phases(phases);
        return None;
    }
    let play = if !spec.force && ctx.layer_cached(&key) {
        StepPlay {
            first: entry("info", B, format!("CACHED [base] {from}")),
            lines: Vec::new(),
            duration_ms: 0,
            closing: Vec::new(),
            layer_key: Some(key.clone()),
            outcome: Outcome::Continue,
        }
    } else {
        StepPlay {
            first: entry("info", B, format!("[base] {from}")),
            lines,
            duration_ms: settings.step_ms,
            closing: Vec::new(),
            layer_key: Some(key.clone()),
            outcome: Outcome::Continue,
        }
    };
    play.into_phases(phases);
    Some(key)
}

/// A RUN failure trigger: the reason message, the error entries before it, and how
/// long the step runs before it fails.
fn run_failure(
    id: &str,
    cmd: &str,
    settings: &PlanSettings,
) -> Option<(&'static str, String, Vec<String>, u64)> {
    if cmd.contains(FAIL_MARKER) {
        let reason = format!(
            "RUN step {id} failed: '{cmd}' exited with code 1 (the command contains the failure trigger {FAIL_MARKER})"
        );
        return Some((FAIL_MARKER, reason, Vec::new(), settings.step_ms));
    }
    if cmd.contains(OOM_MARKER) {
        let reason = format!(
            "RUN step {id} failed: '{cmd}' was killed: out of memory (exit code 137; the build has {} MiB of memory)",
            settings.memory_mb
        );
        return Some((OOM_MARKER, reason, vec!["Killed".into()], settings.step_ms));
    }
    if cmd.contains(DISK_MARKER) {
        let reason = format!(
            "RUN step {id} failed: '{cmd}' exited with code 1: no space left on device (the template disk is {DISK_SIZE_MB} MiB)"
        );
        let before = vec!["write /tmp/build-cache: no space left on device".into()];
        return Some((DISK_MARKER, reason, before, settings.step_ms));
    }
    if cmd.contains(TIMEOUT_MARKER) {
        let reason = format!(
            "RUN step {id} failed: '{cmd}' timed out after {} (the step time limit)",
            duration_text(settings.step_timeout_ms)
        );
        return Some((TIMEOUT_MARKER, reason, Vec::new(), settings.step_timeout_ms));
    }
    None
}

/// Plans the user's steps; `false` when the build fails at one of them.
fn plan_steps(
    spec: &BuildSpec,
    settings: &PlanSettings,
    ctx: &dyn PlanContext,
    mut key: String,
    phases: &mut Vec<Phase>,
) -> bool {
    let total = spec.steps.len();
    let mut broken = spec.force;
    for (i, step) in spec.steps.iter().enumerate() {
        let id = (i + 1).to_string();
        let header = format!("[builder {}/{total}] {}", i + 1, describe(step));
        key = cache_key::step_key(&key, step);
        broken |= step.force;
        let first = || entry("info", &id, header.clone());
        if step.kind == StepKind::Copy {
            let hash = step.files_hash.as_deref().unwrap_or("");
            if !ctx.upload_present(hash) {
                let message = format!(
                    "COPY step {id} failed: the files {hash} of '{}' were never uploaded",
                    step.args[0]
                );
                StepPlay {
                    first: first(),
                    lines: Vec::new(),
                    duration_ms: settings.step_ms,
                    closing: vec![entry("error", &id, message.clone())],
                    layer_key: None,
                    outcome: fail(&message, &id),
                }
                .into_phases(phases);
                return false;
            }
        }
        let user = step
            .args
            .get(1)
            .filter(|u| step.kind == StepKind::Run && !u.is_empty());
        let mut lines = Vec::new();
        if let Some(u) = user {
            lines.push(entry("debug", &id, format!("running as user '{u}'")));
        }
        if step.kind == StepKind::Run {
            if let Some((marker, reason, before, ms)) = run_failure(&id, &step.args[0], settings) {
                if marker != FAIL_MARKER {
                    lines.push(entry(
                        "debug",
                        &id,
                        format!("emulated failure: the command contains {marker}"),
                    ));
                }
                lines.extend(
                    step_output::lines(&step.args[0])
                        .into_iter()
                        .map(|l| entry("info", &id, l)),
                );
                let mut closing: Vec<PlannedEntry> =
                    before.into_iter().map(|l| entry("error", &id, l)).collect();
                closing.push(entry("error", &id, reason.clone()));
                StepPlay {
                    first: first(),
                    lines,
                    duration_ms: ms,
                    closing,
                    layer_key: None,
                    outcome: fail(&reason, &id),
                }
                .into_phases(phases);
                return false;
            }
        }
        let play = if !broken && ctx.layer_cached(&key) {
            StepPlay {
                first: entry("info", &id, format!("CACHED {header}")),
                lines: Vec::new(),
                duration_ms: 0,
                closing: Vec::new(),
                layer_key: Some(key.clone()),
                outcome: Outcome::Continue,
            }
        } else {
            match step.kind {
                StepKind::Run => lines.extend(
                    step_output::lines(&step.args[0])
                        .into_iter()
                        .map(|l| entry("info", &id, l)),
                ),
                StepKind::Copy => {
                    let h = step.files_hash.as_deref().unwrap_or("");
                    lines.push(entry(
                        "debug",
                        &id,
                        format!("using the uploaded files {}", &h[..h.len().min(12)]),
                    ));
                    lines.push(entry(
                        "info",
                        &id,
                        format!("copied '{}' to {}", step.args[0], step.args[1]),
                    ));
                }
                _ => {}
            }
            StepPlay {
                first: first(),
                lines,
                duration_ms: settings.step_ms,
                closing: Vec::new(),
                layer_key: Some(key.clone()),
                outcome: Outcome::Continue,
            }
        };
        play.into_phases(phases);
    }
    true
}

/// Plans `finalize`: the start command, the ready command, the snapshot.
fn plan_finalize(spec: &BuildSpec, settings: &PlanSettings, phases: &mut Vec<Phase>) {
    const F: &str = "finalize";
    let step_ms = settings.step_ms;
    // Each entry with the delay before it; the first one carries the prefix.
    let mut timeline: Vec<(u64, PlannedEntry)> = Vec::new();
    let say = |timeline: &mut Vec<(u64, PlannedEntry)>, delay, level, text: String| {
        let text = if timeline.is_empty() {
            format!("[finalize] {text}")
        } else {
            text
        };
        timeline.push((delay, entry(level, F, text)));
    };
    let mut failure: Option<String> = None;
    let mut next_delay = 0;
    if let Some(start) = &spec.start_cmd {
        say(
            &mut timeline,
            0,
            "info",
            format!("running start command: {start}"),
        );
        if start.contains(FAIL_MARKER) {
            failure = Some(format!(
                "start command '{start}' exited with code 1 (it contains the failure trigger {FAIL_MARKER})"
            ));
        }
        next_delay = step_ms;
    }
    if let (None, Some(ready)) = (&failure, &spec.ready_cmd) {
        say(
            &mut timeline,
            next_delay,
            "info",
            format!("waiting for ready command: {ready}"),
        );
        if ready.contains(FAIL_MARKER) {
            for attempt in 1..READY_ATTEMPTS {
                say(
                    &mut timeline,
                    step_ms,
                    "warn",
                    format!(
                        "ready command exited with code 1 (attempt {attempt}/{READY_ATTEMPTS})"
                    ),
                );
            }
            failure = Some(format!(
                "ready command '{ready}' did not succeed after {READY_ATTEMPTS} attempts (it contains the failure trigger {FAIL_MARKER})"
            ));
        } else {
            say(
                &mut timeline,
                step_ms,
                "info",
                "ready command succeeded".into(),
            );
        }
        next_delay = 0;
    }
    let (closing_delay, outcome) = match &failure {
        Some(message) => {
            say(&mut timeline, step_ms, "error", message.clone());
            (0, fail(message, F))
        }
        None => {
            say(
                &mut timeline,
                next_delay,
                "info",
                "saving the template snapshot".into(),
            );
            (step_ms / 2, Outcome::Ready)
        }
    };
    for (delay_ms, e) in timeline {
        phases.push(Phase {
            delay_ms,
            entries: vec![e],
            layer_key: None,
            outcome: Outcome::Continue,
        });
    }
    // The outcome lands with the last entry of a failure, or after the snapshot.
    match outcome {
        Outcome::Ready => phases.push(Phase {
            delay_ms: closing_delay,
            entries: Vec::new(),
            layer_key: None,
            outcome,
        }),
        o => {
            if let Some(last) = phases.last_mut() {
                last.outcome = o;
            }
        }
    }
}

/// Plans the whole build.
pub fn plan(spec: &BuildSpec, settings: &PlanSettings, ctx: &dyn PlanContext) -> Vec<Phase> {
    let mut phases = Vec::new();
    let Some(base_key) = plan_base(spec, settings, ctx, &mut phases) else {
        return phases;
    };
    if plan_steps(spec, settings, ctx, base_key, &mut phases) {
        plan_finalize(spec, settings, &mut phases);
    }
    phases
}

/// The total planned duration, for the `Retry-After` of a full build queue.
pub fn duration_ms(phases: &[Phase]) -> u64 {
    phases.iter().map(|p| p.delay_ms).sum()
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

    const SETTINGS: PlanSettings = PlanSettings {
        step_ms: 100,
        step_timeout_ms: 1500,
        memory_mb: 1024,
    };

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

    fn failure(p: &[Phase]) -> (String, String) {
        match &p.last().unwrap().outcome {
            Outcome::Fail { step, message } => (step.clone(), message.clone()),
            o => panic!("unexpected {o:?}"),
        }
    }

    /// The rule the client relies on: steps in order base, 1..N, finalize; each
    /// step's first entry names it (CACHED only there); a cached step has one entry.
    fn check_format(p: &[Phase], n: usize) {
        let order: Vec<String> = std::iter::once("base".to_string())
            .chain((1..=n).map(|i| i.to_string()))
            .chain(std::iter::once("finalize".to_string()))
            .collect();
        let entries: Vec<&PlannedEntry> = p.iter().flat_map(|p| p.entries.iter()).collect();
        let mut at = 0usize;
        let mut current: Option<&str> = None;
        let mut cached = false;
        for e in &entries {
            let step = e.step.as_deref().expect("every entry has a step");
            if current != Some(step) {
                let pos = order.iter().position(|s| s == step).unwrap();
                assert!(pos >= at, "step {step} after {current:?}");
                at = pos;
                current = Some(step);
                let name = match step {
                    "base" => "[base] ".to_string(),
                    "finalize" => "[finalize] ".to_string(),
                    k => format!("[builder {k}/{n}] "),
                };
                cached = e.message.starts_with("CACHED ");
                let rest = e.message.strip_prefix("CACHED ").unwrap_or(&e.message);
                assert!(
                    rest.starts_with(&name),
                    "{:?} does not start {step}",
                    e.message
                );
            } else {
                assert!(!cached, "a cached step has one entry: {:?}", e.message);
                assert!(!e.message.starts_with('['), "{:?}", e.message);
                assert!(!e.message.starts_with("CACHED"), "{:?}", e.message);
            }
        }
    }

    #[test]
    fn rebuild_is_cached_and_force_breaks_the_chain() {
        let mut ctx = Ctx::default();
        let s = spec(vec![run("echo a"), run("pip install flask"), run("c")]);
        let first = plan(&s, &SETTINGS, &ctx);
        assert_eq!(first.last().unwrap().outcome, Outcome::Ready);
        check_format(&first, 3);
        let m = messages(&first);
        for line in [
            "[base] FROM python:3.12",
            "resolving docker.io/library/python:3.12",
            "[builder 1/3] RUN echo a",
            "a",
            "[builder 2/3] RUN pip install flask",
            "Successfully installed flask",
            "[finalize] running start command: python app.py",
            "ready command succeeded",
        ] {
            assert!(m.contains(&line.to_string()), "{line} missing: {m:#?}");
        }
        remember(&mut ctx, &first);
        let second = plan(&s, &SETTINGS, &ctx);
        check_format(&second, 3);
        let m = messages(&second);
        assert!(m.contains(&"CACHED [base] FROM python:3.12".to_string()));
        assert!(m.contains(&"CACHED [builder 3/3] RUN c".to_string()));
        assert!(
            !m.contains(&"a".to_string()),
            "a cached step prints nothing"
        );
        assert!(duration_ms(&second) < duration_ms(&first));

        let mut forced = s.clone();
        forced.steps[1].force = true;
        let m = messages(&plan(&forced, &SETTINGS, &ctx));
        assert!(m.contains(&"CACHED [builder 1/3] RUN echo a".to_string()));
        assert!(m.contains(&"[builder 2/3] RUN pip install flask".to_string()));
        assert!(
            m.contains(&"[builder 3/3] RUN c".to_string()),
            "force breaks the chain after it"
        );

        let mut all = s.clone();
        all.force = true;
        let m = messages(&plan(&all, &SETTINGS, &ctx));
        assert!(m.iter().all(|x| !x.starts_with("CACHED")));

        let mut changed = s;
        changed.steps[0] = run("echo a2");
        let m = messages(&plan(&changed, &SETTINGS, &ctx));
        assert!(m.contains(&"CACHED [base] FROM python:3.12".to_string()));
        assert!(
            m.contains(&"[builder 3/3] RUN c".to_string()),
            "a changed step changes later keys"
        );
    }

    #[test]
    fn steps_take_step_ms_and_output_is_spread_over_the_step() {
        let ctx = Ctx::default();
        let mut s = spec(vec![run("echo 1 && echo 2 && echo 3")]);
        s.start_cmd = None;
        s.ready_cmd = None;
        let p = plan(&s, &SETTINGS, &ctx);
        check_format(&p, 1);
        // base and step 1 take one step each, the snapshot half of one.
        assert_eq!(duration_ms(&p), 100 + 100 + 50);
        let at = |text: &str| {
            let mut t = 0;
            for ph in &p {
                t += ph.delay_ms;
                if ph.entries.iter().any(|e| e.message == text) {
                    return t;
                }
            }
            panic!("{text} not planned")
        };
        assert_eq!(at("[builder 1/1] RUN echo 1 && echo 2 && echo 3"), 100);
        assert_eq!(at("1"), 125);
        assert_eq!(at("3"), 175);
        assert_eq!(at("[finalize] saving the template snapshot"), 200);
    }

    #[test]
    fn failure_triggers() {
        let ctx = Ctx::default();
        let p = plan(&spec(vec![run("a"), run("x __fail__")]), &SETTINGS, &ctx);
        check_format(&p, 2);
        let (step, message) = failure(&p);
        assert_eq!(step, "2");
        assert!(message.starts_with("RUN step 2 failed: 'x __fail__' exited with code 1"));
        assert_eq!(p.last().unwrap().entries.last().unwrap().message, message);

        let p = plan(&spec(vec![run("make __oom__")]), &SETTINGS, &ctx);
        let (step, message) = failure(&p);
        assert_eq!(step, "1");
        assert!(
            message.contains("out of memory (exit code 137; the build has 1024 MiB"),
            "{message}"
        );
        assert!(messages(&p).contains(&"Killed".to_string()));

        let p = plan(
            &spec(vec![run("a"), run("b"), run("dd __disk__")]),
            &SETTINGS,
            &ctx,
        );
        let (step, message) = failure(&p);
        assert_eq!(step, "3");
        assert!(message.contains("no space left on device (the template disk is 5120 MiB)"));

        let p = plan(&spec(vec![run("sleep __timeout__")]), &SETTINGS, &ctx);
        let (step, message) = failure(&p);
        assert_eq!(step, "1");
        assert!(
            message.ends_with("timed out after 1.5s (the step time limit)"),
            "{message}"
        );
        assert_eq!(duration_ms(&p), 100 + 1500, "the step runs until the limit");

        for (image, words) in [
            ("nope__missing__:1", "manifest unknown"),
            ("corp/private__denied__:1", "access denied"),
        ] {
            let mut s = spec(vec![run("never")]);
            s.base = Base::Image(image.into());
            let p = plan(&s, &SETTINGS, &ctx);
            check_format(&p, 1);
            let (step, message) = failure(&p);
            assert_eq!(step, "base");
            assert!(
                message.starts_with(&format!("failed to pull image '{image}': {words}")),
                "{message}"
            );
            assert!(!messages(&p).iter().any(|m| m.contains("never")));
        }

        let mut s = spec(vec![]);
        s.ready_cmd = Some("test __fail__".into());
        let p = plan(&s, &SETTINGS, &ctx);
        check_format(&p, 0);
        assert_eq!(failure(&p).0, "finalize");
        assert_eq!(
            messages(&p)
                .iter()
                .filter(|m| m.contains("(attempt "))
                .count() as u32,
            READY_ATTEMPTS - 1
        );
        let mut s = spec(vec![]);
        s.start_cmd = Some("serve __fail__".into());
        let p = plan(&s, &SETTINGS, &ctx);
        assert_eq!(failure(&p).0, "finalize");
        assert!(!messages(&p).iter().any(|m| m.contains("waiting for ready")));

        let copy = Step {
            kind: StepKind::Copy,
            args: vec!["app".into(), "/app".into(), "".into(), "".into()],
            force: false,
            files_hash: Some("a".repeat(64)),
        };
        let p = plan(&spec(vec![copy]), &SETTINGS, &ctx);
        let (step, message) = failure(&p);
        assert!(step == "1" && message.contains("never uploaded"));
        let mut s = spec(vec![]);
        s.base = Base::Template("unknown-tpl".into());
        assert_eq!(failure(&plan(&s, &SETTINGS, &ctx)).0, "base");
        s.base = Base::Template("base".into());
        assert_eq!(
            plan(&s, &SETTINGS, &ctx).last().unwrap().outcome,
            Outcome::Ready
        );
    }

    #[test]
    fn image_names_resolve_like_a_registry_client() {
        assert_eq!(
            canonical_image("python:3.12"),
            "docker.io/library/python:3.12"
        );
        assert_eq!(canonical_image("ubuntu"), "docker.io/library/ubuntu:latest");
        assert_eq!(canonical_image("oven/bun:1"), "docker.io/oven/bun:1");
        assert_eq!(
            canonical_image("ghcr.io/org/app@sha256:ab"),
            "ghcr.io/org/app@sha256:ab"
        );
        assert_eq!(
            canonical_image("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
        assert_eq!(
            canonical_image("docker.io/library/node:lts"),
            "docker.io/library/node:lts"
        );
    }
}
