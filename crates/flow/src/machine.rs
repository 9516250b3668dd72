//! The one protocol every sans-IO machine of the package speaks, so one driver (the
//! JavaScript face, or a test) runs them all: ask [`Machine::next`] what to do, do it,
//! report replies with [`Machine::on_reply`].
//!
//! ```text
//! loop {
//!     match machine.next(now()) {
//!         Step::Send { id, request, .. }  => start fetch(request); its reply → machine.on_reply(id, reply, now())
//!         Step::Upload { id, copy, url, .. } => archive COPY `copy`, PUT it to url; → machine.on_reply(id, …)
//!         Step::Prepare(needs)            => read the image config, hash the COPY sources (build only)
//!         Step::Sleep { ms }              => wait ms, or until an in-flight reply arrives
//!         Step::Wait                      => wait for an in-flight reply
//!         Step::Log(entry)                => onBuildLogs(entry)
//!         Step::Progress(p)               => onBuildProgress(p)
//!         Step::Done(value)               => resolve with value
//!         Step::Failed(error)             => reject with error
//!     }
//! }
//! ```
//!
//! Requests may be in flight several at once (a build's COPY file checks); a driver
//! that awaits each before asking again sees a sequential flow instead.

use crate::http::{HttpRequest, HttpResponse, TransportError};
use crate::log_entry::LogEntry;
use crate::prelude::*;
use crate::progress::BuildProgress;

/// What the build needs from the host before it can send its steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrepareNeeds {
    pub template_id: String,
    pub build_id: String,
}

/// What the driver must do next.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Send `request`, then report its reply with `on_reply(id, …)`. A request that is
    /// not `abortable` (clean-up after a cancel) must not use the caller's signal.
    Send {
        id: u32,
        request: HttpRequest,
        abortable: bool,
    },
    /// Archive COPY step `copy` and `PUT` it to `url` (no SDK headers); report with
    /// `on_reply(id, …)`.
    Upload {
        id: u32,
        copy: usize,
        url: String,
        timeout_ms: Option<u64>,
    },
    /// Prepare the build's steps (build machines only).
    Prepare(PrepareNeeds),
    /// Nothing to do for `ms` (return earlier when an in-flight reply arrives).
    Sleep { ms: u64 },
    /// Nothing to do until an in-flight reply arrives.
    Wait,
    /// Deliver to `onBuildLogs`.
    Log(LogEntry),
    /// Deliver to `onBuildProgress`.
    Progress(BuildProgress),
    /// Finished with this result (JSON for the face); repeated on every later call.
    Done(Json),
    /// Failed; repeated on every later call.
    Failed(SdkError),
}

/// A sans-IO machine: requests out, replies in, time passed in.
pub trait Machine {
    /// The next thing to do at `now_ms` (epoch milliseconds).
    fn next(&mut self, now_ms: f64) -> Step;
    /// The reply (or transport failure) of `Step::Send`/`Step::Upload` number `id`.
    fn on_reply(&mut self, id: u32, reply: Result<HttpResponse, TransportError>, now_ms: f64);
    /// The caller cancelled: the next steps wind the machine down to `Failed`.
    fn abort(&mut self, now_ms: f64);
}
