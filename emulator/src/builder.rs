//! Runs builds: each triggered build becomes a task that plays the planned phases
//! ([`crate::plan`]) against the clock, writing log entries and the final status to
//! the store as each phase ends. The store refuses phases of a build that is no
//! longer `building` (superseded or deleted), which ends the task.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::AbortHandle;

use crate::plan::{self, Outcome, PlanContext};
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
    tasks: Mutex<Vec<AbortHandle>>,
}

impl Builder {
    pub fn new(store: Arc<Store>, step_ms: u64) -> Builder {
        Builder {
            store,
            step_ms,
            tasks: Mutex::new(Vec::new()),
        }
    }

    /// Plans the build now and plays it in the background.
    pub fn start(&self, build_id: String, spec: &BuildSpec) {
        let phases = plan::plan(spec, self.step_ms, &StoreContext(&self.store));
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

    /// Stops every running build task (used when the server stops).
    pub fn abort_all(&self) {
        let tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        for t in tasks.iter() {
            t.abort();
        }
    }
}
