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
use novita_template_json::shape::Encode;

/// What the build needs from the host before it can send its steps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

fn obj(members: Vec<(&str, Json)>) -> Json {
    Json::Obj(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn opt_ms(ms: Option<u64>) -> Json {
    ms.map_or(Json::Null, |ms| Json::int(ms as i64))
}

impl Step {
    /// The step as the JavaScript face's driver reads it: `{"t": "send" | "upload" |
    /// "prepare" | "sleep" | "wait" | "log" | "progress" | "done" | "fail", …}`.
    pub fn to_json(self) -> String {
        let v = match self {
            Step::Send {
                id,
                request,
                abortable,
            } => obj(vec![
                ("t", Json::str("send")),
                ("id", Json::int(i64::from(id))),
                ("method", Json::str(request.method.as_str())),
                ("url", Json::str(request.url)),
                (
                    "headers",
                    Json::Arr(
                        request
                            .headers
                            .iter()
                            .map(|(k, v)| Json::strs(&[k.as_str(), v.as_str()]))
                            .collect(),
                    ),
                ),
                ("body", request.body.map_or(Json::Null, Json::str)),
                ("timeout", opt_ms(request.timeout_ms)),
                ("abortable", Json::Bool(abortable)),
            ]),
            Step::Upload {
                id,
                copy,
                url,
                timeout_ms,
            } => obj(vec![
                ("t", Json::str("upload")),
                ("id", Json::int(i64::from(id))),
                ("copy", Json::int(copy as i64)),
                ("url", Json::str(url)),
                ("timeout", opt_ms(timeout_ms)),
            ]),
            Step::Prepare(needs) => obj(vec![
                ("t", Json::str("prepare")),
                ("templateId", Json::str(needs.template_id)),
                ("buildId", Json::str(needs.build_id)),
            ]),
            Step::Sleep { ms } => obj(vec![
                ("t", Json::str("sleep")),
                ("ms", Json::int(ms as i64)),
            ]),
            Step::Wait => obj(vec![("t", Json::str("wait"))]),
            Step::Log(entry) => obj(vec![
                ("t", Json::str("log")),
                ("entry", entry.encode().unwrap_or(Json::Null)),
            ]),
            Step::Progress(p) => obj(vec![
                ("t", Json::str("progress")),
                ("progress", p.encode().unwrap_or(Json::Null)),
            ]),
            Step::Done(value) => obj(vec![("t", Json::str("done")), ("value", value)]),
            Step::Failed(e) => obj(vec![("t", Json::str("fail")), ("error", e.to_json())]),
        };
        v.to_compact()
    }
}
