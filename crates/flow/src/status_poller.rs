//! `Template.getBuildStatus`: one status GET (with retries), returning the
//! reply as the official SDK does (log messages not ANSI-stripped).

use crate::api_call::{ApiCall, CallAction};
use crate::connection::ConnectionConfig;
use crate::endpoint::Endpoint;
use crate::errors::FlowError;
use crate::http::{HttpResponse, TransportError};
use crate::log_entry::LogEntry;
use crate::retry::RetryPolicy;
use crate::wire::{self, BuildStatusReply};

/// The result of `getBuildStatus`.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildStatus {
    pub build_id: String,
    pub template_id: String,
    pub status: String,
    pub log_entries: Vec<LogEntry>,
    pub logs: Vec<String>,
    /// `(message, step, logEntries)` of a failed build.
    pub reason: Option<(Option<String>, Option<String>, Vec<LogEntry>)>,
}

/// What the host does next for a [`StatusPoller`].
#[derive(Clone, Debug, PartialEq)]
pub enum PollerAction {
    Send(crate::http::HttpRequest),
    Sleep { ms: u64 },
    Done(BuildStatus),
    Failed(FlowError),
}

/// One `getBuildStatus` call.
#[derive(Clone, Debug)]
pub struct StatusPoller {
    call: ApiCall,
}

impl StatusPoller {
    /// Refuses legacy domains like the official SDK, then prepares the GET
    /// (`?logsOffset=n` only when given).
    pub fn new(
        config: &ConnectionConfig,
        template_id: &str,
        build_id: &str,
        logs_offset: Option<u64>,
        policy: RetryPolicy,
        seed: u64,
    ) -> Result<Self, FlowError> {
        config.reject_legacy("Template.getBuildStatus")?;
        let request = wire::build_status(config, template_id, build_id, logs_offset);
        Ok(StatusPoller {
            call: ApiCall::new(request, Endpoint::BuildStatus, policy, seed),
        })
    }

    pub fn next_action(&mut self, now_ms: f64) -> PollerAction {
        match self.call.next_action(now_ms) {
            CallAction::Send(request) => PollerAction::Send(request),
            CallAction::Sleep { ms } => PollerAction::Sleep { ms },
            CallAction::Failed(e) => PollerAction::Failed(e),
            CallAction::Response(response) => match wire::parse_build_status(&response) {
                Ok(reply) => PollerAction::Done(to_status(reply, now_ms)),
                Err(e) => PollerAction::Failed(e),
            },
        }
    }

    pub fn on_response(&mut self, result: Result<HttpResponse, TransportError>, now_ms: f64) {
        self.call.on_response(result, now_ms);
    }

    pub fn abort(&mut self) {
        self.call.abort();
    }
}

fn to_status(reply: BuildStatusReply, now_ms: f64) -> BuildStatus {
    let raw = |entries: &[wire::ServerLogEntry]| {
        entries
            .iter()
            .map(|e| e.to_raw_log_entry(now_ms))
            .collect::<Vec<_>>()
    };
    BuildStatus {
        log_entries: raw(&reply.log_entries),
        reason: reply
            .reason
            .map(|r| (r.message, r.step, raw(&r.log_entries))),
        build_id: reply.build_id,
        template_id: reply.template_id,
        status: reply.status,
        logs: reply.logs,
    }
}
