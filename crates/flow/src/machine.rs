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
use novita_template_json::{push_quoted, ObjectText};

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

impl Step {
    /// The step as the JavaScript face's driver reads it: `{"t": "send" | "upload" |
    /// "prepare" | "sleep" | "wait" | "log" | "progress" | "done" | "fail", …}`.
    pub fn to_json(self) -> String {
        let mut o = ObjectText::new();
        match self {
            Step::Send {
                id,
                request,
                abortable,
            } => {
                o.str("t", "send");
                o.int("id", i64::from(id));
                o.str("method", request.method.as_str());
                o.str("url", &request.url);
                let out = o.key("headers");
                out.push('[');
                for (i, (k, v)) in request.headers.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('[');
                    push_quoted(out, k);
                    out.push(',');
                    push_quoted(out, v);
                    out.push(']');
                }
                out.push(']');
                match &request.body {
                    Some(body) => o.str("body", body),
                    None => o.value("body", &Json::Null),
                }
                o.opt_int("timeout", request.timeout_ms);
                o.value("abortable", &Json::Bool(abortable));
            }
            Step::Upload {
                id,
                copy,
                url,
                timeout_ms,
            } => {
                o.str("t", "upload");
                o.int("id", i64::from(id));
                o.int("copy", copy as i64);
                o.str("url", &url);
                o.opt_int("timeout", timeout_ms);
            }
            Step::Prepare(needs) => {
                o.str("t", "prepare");
                o.str("templateId", &needs.template_id);
                o.str("buildId", &needs.build_id);
            }
            Step::Sleep { ms } => {
                o.str("t", "sleep");
                o.int("ms", ms as i64);
            }
            Step::Wait => o.str("t", "wait"),
            Step::Log(entry) => {
                o.str("t", "log");
                o.value("entry", &entry.encode().unwrap_or(Json::Null));
            }
            Step::Progress(p) => {
                o.str("t", "progress");
                o.value("progress", &p.encode().unwrap_or(Json::Null));
            }
            Step::Done(value) => {
                o.str("t", "done");
                o.value("value", &value);
            }
            Step::Failed(e) => {
                o.str("t", "fail");
                o.value("error", &e.to_json());
            }
        }
        o.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Method;

    /// The step built as a JSON value and written by the general writer: what
    /// `to_json` must give byte for byte.
    fn expected(members: Vec<(&str, Json)>) -> String {
        Json::Obj(
            members
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
        .to_compact()
    }

    #[test]
    fn steps_as_the_driver_reads_them() {
        let request = HttpRequest {
            method: Method::Post,
            url: "https://api.example/templates?x=\"1\"".into(),
            headers: vec![
                ("X-API-Key".into(), "k\u{1}\\".into()),
                ("Content-Type".into(), "application/json".into()),
            ],
            body: Some("{\"a\":1}".into()),
            timeout_ms: Some(60_000),
            idempotent: false,
        };
        assert_eq!(
            Step::Send {
                id: 7,
                request: request.clone(),
                abortable: true
            }
            .to_json(),
            expected(vec![
                ("t", Json::str("send")),
                ("id", Json::int(7)),
                ("method", Json::str("POST")),
                ("url", Json::str(request.url.as_str())),
                (
                    "headers",
                    Json::Arr(vec![
                        Json::strs(&["X-API-Key", "k\u{1}\\"]),
                        Json::strs(&["Content-Type", "application/json"]),
                    ])
                ),
                ("body", Json::str("{\"a\":1}")),
                ("timeout", Json::int(60_000)),
                ("abortable", Json::Bool(true)),
            ])
        );
        let bare = HttpRequest {
            method: Method::Get,
            url: "u".into(),
            ..HttpRequest::default()
        };
        assert_eq!(
            Step::Send {
                id: 0,
                request: bare,
                abortable: false
            }
            .to_json(),
            r#"{"t":"send","id":0,"method":"GET","url":"u","headers":[],"body":null,"timeout":null,"abortable":false}"#
        );
        assert_eq!(
            Step::Upload {
                id: 3,
                copy: 2,
                url: "https://up/load".into(),
                timeout_ms: None
            }
            .to_json(),
            r#"{"t":"upload","id":3,"copy":2,"url":"https://up/load","timeout":null}"#
        );
        assert_eq!(
            Step::Prepare(PrepareNeeds {
                template_id: "t1".into(),
                build_id: "b1".into()
            })
            .to_json(),
            r#"{"t":"prepare","templateId":"t1","buildId":"b1"}"#
        );
        assert_eq!(
            Step::Sleep { ms: 250 }.to_json(),
            r#"{"t":"sleep","ms":250}"#
        );
        assert_eq!(Step::Wait.to_json(), r#"{"t":"wait"}"#);
        let entry = LogEntry::info(1000.0, "hello");
        assert_eq!(
            Step::Log(entry.clone()).to_json(),
            expected(vec![
                ("t", Json::str("log")),
                ("entry", entry.encode().unwrap()),
            ])
        );
        assert_eq!(
            Step::Done(Json::strs(&["a"])).to_json(),
            r#"{"t":"done","value":["a"]}"#
        );
        let e = SdkError::invalid("bad");
        assert_eq!(
            Step::Failed(e.clone()).to_json(),
            expected(vec![("t", Json::str("fail")), ("error", e.to_json())])
        );
    }
}
