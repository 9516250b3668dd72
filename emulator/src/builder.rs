//! Runs builds: each triggered build becomes a task that plays the planned phases
//! ([`crate::plan`]) against the clock, writing log entries and the final status to
//! the store as each phase ends. The store refuses phases of a build that is no
//! longer `building` (superseded or deleted), which ends the task.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::task::AbortHandle;

use crate::plan::{self, Outcome, PlanContext, PlanSettings};
use crate::spec::BuildSpec;
use crate::store::Store;

/// Answers the planner's questions from the store. A database error counts as
/// "not there", which can only make a build do more work, never skip any.
struct StoreContext<'a>(&'a Store);

impl PlanContext for StoreContext<'_> {
    fn layer_cached(&self, key: &str) -> bool {
        self.0.layer_cached(key).unwrap_or(false)
    }
    fn upload_present(&self, files_hash: &str) -> bool {
        self.0.upload_present(files_hash).unwrap_or(false)
    }
    fn template_ready(&self, name: &str) -> bool {
        self.0.resolve_ready_build(name).is_ok()
    }
}

/// Starts and tracks build tasks, so that stopping the server stops them too.
pub struct Builder {
    store: Arc<Store>,
    step_ms: u64,
    step_timeout_ms: u64,
    tasks: Mutex<Vec<AbortHandle>>,
    /// When each started build is planned to end, for `Retry-After` when the
    /// concurrency limit is reached.
    planned_ends: Mutex<HashMap<String, Instant>>,
}

impl Builder {
    pub fn new(store: Arc<Store>, step_ms: u64, step_timeout_ms: u64) -> Builder {
        Builder {
            store,
            step_ms,
            step_timeout_ms,
            tasks: Mutex::new(Vec::new()),
            planned_ends: Mutex::new(HashMap::new()),
        }
    }

    /// Plans the build now and plays it in the background.
    pub fn start(&self, build_id: String, spec: &BuildSpec, memory_mb: i64) {
        let settings = PlanSettings {
            step_ms: self.step_ms,
            step_timeout_ms: self.step_timeout_ms,
            memory_mb,
        };
        let phases = plan::plan(spec, &settings, &StoreContext(&self.store));
        let end = Instant::now() + Duration::from_millis(plan::duration_ms(&phases));
        {
            let mut ends = self.planned_ends.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            ends.retain(|_, e| *e > now);
            ends.insert(build_id.clone(), end);
        }
        let store = self.store.clone();
        let task = tokio::spawn(async move {
            for phase in phases {
                if phase.delay_ms > 0 {
                    tokio::time::sleep(Duration::from_millis(phase.delay_ms)).await;
                }
                let applied = store.apply_phase(
                    &build_id,
                    &phase.entries,
                    phase.layer_key.as_deref(),
                    &phase.outcome,
                );
                if !matches!(applied, Ok(true)) || phase.outcome != Outcome::Continue {
                    return;
                }
            }
        });
        let mut tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        tasks.retain(|t| !t.is_finished());
        tasks.push(task.abort_handle());
    }

    /// Whole seconds (at least 1) until the first of `running` is planned to end.
    pub fn seconds_until_one_ends(&self, running: &[String]) -> u64 {
        let ends = self.planned_ends.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        running
            .iter()
            .filter_map(|id| ends.get(id))
            .map(|e| e.saturating_duration_since(now).as_millis() as u64)
            .min()
            .map_or(1, |ms| ms.div_ceil(1000).max(1))
    }

    /// Stops every running build task (used when the server stops).
    pub fn abort_all(&self) {
        let tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        for t in tasks.iter() {
            t.abort();
        }
    }
}
