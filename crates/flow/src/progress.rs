//! Step progress of a build, for a console's progress bar: which step runs, how many
//! there are, which were cached, how long each took. Derived from the `step` field
//! of the server's log entries (wire contract §2.5, §6) and the template's own step
//! list, so it needs nothing the real service does not send:
//!
//! - a step starts with its first entry (whose text begins with `CACHED` when the
//!   server reused the layer);
//! - it ends when an entry of another step arrives, or the build ends;
//! - times are the server's timestamps (only differences are used).

use crate::prelude::*;

novita_template_json::shape! {
    /// Progress of one step of a build (`onBuildProgress`): sent when the step starts
    /// and when it ends.
    output struct BuildProgress {
        /// The server's step id: `base`, `1` … `N`, or `finalize`.
        pub step: String = "step",
        /// Position among the build's steps, from 1 (`base`) to `total` (`finalize`).
        pub index: u64 = "index",
        /// How many steps the build has, `base` and `finalize` included.
        pub total: u64 = "total",
        /// The builder call that made the step, e.g. `runCmd("make")`.
        pub description: String = "description",
        #[ts = "'started' | 'finished' | 'failed'"]
        pub state: String = "state",
        /// The server reused the step's cached layer.
        pub cached: bool = "cached",
        /// When the step ended: how long it took, in milliseconds.
        pub duration_ms: Option<u64> = "durationMs",
        /// Milliseconds since the build's first step started.
        pub elapsed_ms: u64 = "elapsedMs",
    }
}

/// Turns the server's log entries into [`BuildProgress`] events.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProgressTracker {
    /// `(step id, description)`: `base`, `1` … `N`, `finalize`.
    steps: Vec<(String, String)>,
    current: Option<Running>,
    first_start_ms: Option<f64>,
    /// Steps already reported as started, so a step is never reported twice.
    seen: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct Running {
    step: String,
    index: u64,
    cached: bool,
    start_ms: f64,
}

impl ProgressTracker {
    /// A tracker for a template whose numbered steps are `descriptions` (step `1` is
    /// the first), with `base` and `finalize` described by `base` and `finalize`.
    pub fn new(base: &str, descriptions: &[String], finalize: &str) -> ProgressTracker {
        let mut steps = vec![("base".to_string(), base.to_string())];
        for (i, d) in descriptions.iter().enumerate() {
            steps.push((novita_template_json::u64_text(i as u64 + 1), d.clone()));
        }
        steps.push(("finalize".to_string(), finalize.to_string()));
        ProgressTracker {
            steps,
            ..ProgressTracker::default()
        }
    }

    fn total(&self) -> u64 {
        self.steps.len() as u64
    }

    fn position(&self, step: &str) -> Option<(u64, &str)> {
        self.steps
            .iter()
            .position(|(id, _)| id == step)
            .map(|i| (i as u64 + 1, self.steps[i].1.as_str()))
    }

    fn event(&self, run: &Running, state: &str, end_ms: Option<f64>) -> BuildProgress {
        let description = self.position(&run.step).map_or("", |(_, d)| d).to_string();
        let at = end_ms.unwrap_or(run.start_ms);
        BuildProgress {
            step: run.step.clone(),
            index: run.index,
            total: self.total(),
            description,
            state: state.to_string(),
            cached: run.cached,
            duration_ms: end_ms.map(|e| (e - run.start_ms).max(0.0) as u64),
            elapsed_ms: (at - self.first_start_ms.unwrap_or(at)).max(0.0) as u64,
        }
    }

    /// One server entry (its `step`, its message as sent, its time): the events it
    /// causes, in order.
    pub fn on_entry(
        &mut self,
        step: Option<&str>,
        message: &str,
        time_ms: f64,
    ) -> Vec<BuildProgress> {
        let mut out = Vec::new();
        let Some(step) = step else { return out };
        if self.current.as_ref().is_some_and(|c| c.step == step) {
            return out;
        }
        let Some((index, _)) = self.position(step) else {
            return out;
        };
        if self.seen.iter().any(|s| s == step) {
            return out;
        }
        if let Some(run) = self.current.take() {
            out.push(self.event(&run, "finished", Some(time_ms)));
        }
        self.first_start_ms.get_or_insert(time_ms);
        self.seen.push(step.to_string());
        let cached = crate::ansi::strip_ansi(message)
            .trim_start()
            .starts_with("CACHED");
        let run = Running {
            step: step.to_string(),
            index,
            cached,
            start_ms: time_ms,
        };
        out.push(self.event(&run, "started", None));
        self.current = Some(run);
        out
    }

    /// The build ended at `time_ms`: the running step finished, or failed (the
    /// failing step may be one that never logged, then it is reported started first).
    pub fn on_end(
        &mut self,
        failed_step: Option<&str>,
        failed: bool,
        time_ms: f64,
    ) -> Vec<BuildProgress> {
        let mut out = Vec::new();
        if let Some(step) = failed_step.filter(|_| failed) {
            if self.current.as_ref().is_none_or(|c| c.step != step) {
                out.extend(self.on_entry(Some(step), "", time_ms));
            }
        }
        if let Some(run) = self.current.take() {
            let state = if failed { "failed" } else { "finished" };
            out.push(self.event(&run, state, Some(time_ms)));
        }
        out
    }

    /// The step running now, as `(index, total, description)`, for messages.
    pub fn position_now(&self) -> Option<(u64, u64, &str)> {
        let run = self.current.as_ref()?;
        let (index, description) = self.position(&run.step)?;
        Some((index, self.total(), description))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker() -> ProgressTracker {
        ProgressTracker::new(
            "fromImage(\"python:3.12\")",
            &["runCmd(\"a\")".to_string(), "runCmd(\"b\")".to_string()],
            "setStartCmd(…)",
        )
    }

    #[test]
    fn steps_start_and_end_with_the_entries() {
        let mut t = tracker();
        let e = t.on_entry(Some("base"), "[base] FROM python:3.12", 1000.0);
        assert_eq!(e.len(), 1);
        assert_eq!(
            (e[0].index, e[0].total, e[0].state.as_str()),
            (1, 4, "started")
        );
        assert!(t.on_entry(Some("base"), "pulling", 1100.0).is_empty());
        let e = t.on_entry(Some("1"), "CACHED [builder 1/2] RUN a", 1500.0);
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].step.as_str(), e[0].state.as_str(), e[0].duration_ms),
            ("base", "finished", Some(500))
        );
        assert_eq!(
            (e[1].step.as_str(), e[1].cached, e[1].description.as_str()),
            ("1", true, "runCmd(\"a\")")
        );
        let e = t.on_entry(Some("2"), "[builder 2/2] RUN b", 1600.0);
        assert_eq!(e[1].elapsed_ms, 600);
        assert_eq!(t.position_now(), Some((3, 4, "runCmd(\"b\")")));
        let e = t.on_end(Some("2"), true, 2600.0);
        assert_eq!(
            (e[0].state.as_str(), e[0].duration_ms),
            ("failed", Some(1000))
        );
        assert!(t.on_end(None, false, 3000.0).is_empty());
    }

    #[test]
    fn entries_without_a_known_step_are_ignored() {
        let mut t = tracker();
        assert!(t.on_entry(None, "x", 0.0).is_empty());
        assert!(t.on_entry(Some("7"), "x", 0.0).is_empty());
        let e = t.on_end(Some("finalize"), true, 10.0);
        assert_eq!(
            e.iter().map(|p| p.state.as_str()).collect::<Vec<_>>(),
            ["started", "failed"]
        );
    }
}
