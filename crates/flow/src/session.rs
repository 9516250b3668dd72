//! The build session: `Template.build` and `Template.buildInBackground` (§3, §6)
//! as a caller-driven state machine.
//!
//! The host loops on [`BuildSession::next_action`] and performs what it says:
//!
//! ```text
//! loop {
//!     match session.next_action(now()) {
//!         Action::Send { id, request }    => reply = fetch(request); session.on_response(id, reply, now())
//!         Action::PrepareSteps { .. }     => read registry, hash files; session.steps_ready(body, copies, now())
//!         Action::Upload { copy_index, url, .. } => tar.gz + PUT; session.upload_done(copy_index, reply, now())
//!         Action::Sleep { ms }            => sleep(ms)   (or until an in-flight reply arrives)
//!         Action::Wait                    => await any in-flight reply
//!         Action::Log(entry)              => onBuildLogs(entry)
//!         Action::Done(info)              => return info
//!         Action::Failed(error)           => throw error
//!     }
//! }
//! ```
//!
//! A host that awaits each `Send`/`Upload` before asking again gets a plain
//! sequential flow and never sees `Wait`; a host that fires them concurrently
//! gets the official parallel file-link/upload phase.
//!
//! Differences from the official loop (see DIFFERENCES.md): retries with
//! backoff, per-request timeouts, adaptive polling, a final log drain, abort,
//! and bodiless error replies treated as errors.

use std::collections::VecDeque;

use crate::connection::ConnectionConfig;
use crate::endpoint::Endpoint;
use crate::errors::{error_from_status, error_from_transport, ErrorClass, FlowError};
use crate::http::{HttpRequest, HttpResponse, TransportError};
use crate::log_entry::LogEntry;
use crate::retry::{retry_delay, Jitter, PollCadence, PollPolicy, RetryPolicy};
use crate::validation::{positive_integer, validate_name, validate_tags};
use crate::wire::{self, DEFAULT_CPU_COUNT, DEFAULT_MEMORY_MB};

/// Connection plus the policies of one session.
#[derive(Clone, Debug)]
pub struct BuildConfig {
    pub connection: ConnectionConfig,
    pub retry: RetryPolicy,
    pub poll: PollPolicy,
    /// Timeout for each upload PUT (`None`: none; large contexts take long).
    pub upload_timeout_ms: Option<u64>,
}

impl BuildConfig {
    /// Default retry and poll policies.
    pub fn new(connection: ConnectionConfig) -> Self {
        BuildConfig {
            connection,
            retry: RetryPolicy::default(),
            poll: PollPolicy::default(),
            upload_timeout_ms: None,
        }
    }
}

/// The user's build arguments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BuildRequest {
    pub name: String,
    pub tags: Option<Vec<String>>,
    /// JS number; default 2.
    pub cpu_count: Option<f64>,
    /// JS number; default 1024.
    pub memory_mb: Option<f64>,
}

/// One COPY instruction's upload inputs, supplied by the host after hashing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyUpload {
    /// The host's handle for this COPY; echoed in [`Action::Upload`].
    pub index: usize,
    pub files_hash: String,
    pub force_upload: bool,
    /// The source as written by the user, for the log messages.
    pub src: String,
}

/// What `build` and `buildInBackground` resolve to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildInfo {
    pub alias: String,
    pub name: String,
    /// The `tags` of the build-request reply (`None`: undefined).
    pub tags: Option<Vec<String>>,
    pub template_id: String,
    pub build_id: String,
}

/// The next thing the host must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Send `request`, then call [`BuildSession::on_response`] with `id`.
    Send { id: u64, request: HttpRequest },
    /// Resolve the image config and hash the COPY sources, then call
    /// [`BuildSession::steps_ready`] (or [`BuildSession::fail`]).
    PrepareSteps {
        template_id: String,
        build_id: String,
    },
    /// Archive COPY `copy_index` and `PUT` it to `url` (no SDK headers), then
    /// call [`BuildSession::upload_done`].
    Upload {
        copy_index: usize,
        url: String,
        timeout_ms: Option<u64>,
    },
    /// Nothing to do for `ms` milliseconds (return earlier if an in-flight
    /// request completes).
    Sleep { ms: u64 },
    /// Nothing to do until an in-flight request or upload completes.
    Wait,
    /// Deliver to `onBuildLogs`.
    Log(LogEntry),
    /// Finished; repeated on every later call.
    Done(BuildInfo),
    /// Failed; repeated on every later call.
    Failed(FlowError),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    RequestBuild,
    FileLink(usize),
    Trigger,
    Status,
    Upload(usize),
}

#[derive(Clone, Debug)]
struct Pending {
    id: u64,
    purpose: Purpose,
    endpoint: Endpoint,
    /// `None` for uploads (the host builds the PUT).
    request: Option<HttpRequest>,
    upload_url: String,
    idempotent: bool,
    attempts: u32,
    first_started_ms: Option<f64>,
    ready_at_ms: f64,
    in_flight: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    RequestBuild,
    AwaitSteps,
    Files,
    Trigger,
    Polling,
    Draining,
    Finished,
}

#[derive(Clone, Debug)]
struct CopyState {
    copy: CopyUpload,
    done: bool,
}

/// The state machine of one build. See the module docs for the driving loop.
pub struct BuildSession {
    config: BuildConfig,
    name: String,
    tags: Option<Vec<String>>,
    cpu_count: u32,
    memory_mb: u32,
    background: bool,
    phase: Phase,
    logs: VecDeque<LogEntry>,
    outcome: Option<Result<BuildInfo, FlowError>>,
    started: bool,
    aborted: bool,
    prepare_emitted: bool,
    pending: Vec<Pending>,
    next_id: u64,
    jitter: Jitter,
    template_id: String,
    build_id: String,
    reply_tags: Option<Vec<String>>,
    copies: Vec<CopyState>,
    trigger_body: Option<String>,
    logs_offset: u64,
    interval_ms: u64,
    /// When the server writes its entries, to time the polls.
    cadence: PollCadence,
    drain_polls: u32,
    /// The result to finish with once the drain ends.
    drain_result: Option<Result<(), FlowError>>,
}

/// Shows the progress only: the trigger body may hold registry credentials.
impl std::fmt::Debug for BuildSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildSession")
            .field("name", &self.name)
            .field("background", &self.background)
            .field("phase", &self.phase)
            .field("template_id", &self.template_id)
            .field("build_id", &self.build_id)
            .field("logs_offset", &self.logs_offset)
            .field("pending", &self.pending.len())
            .field("aborted", &self.aborted)
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

impl BuildSession {
    /// Starts a session at `now_ms` (epoch ms). `background` selects
    /// `buildInBackground` (no polling, no Start/End entries). `seed` feeds the
    /// retry jitter. Invalid options make the first action `Failed`.
    pub fn new(
        config: BuildConfig,
        request: BuildRequest,
        background: bool,
        now_ms: f64,
        seed: u64,
    ) -> Self {
        let interval_ms = config.poll.min_interval_ms;
        let mut session = BuildSession {
            config,
            name: request.name.clone(),
            tags: request.tags.clone(),
            cpu_count: DEFAULT_CPU_COUNT,
            memory_mb: DEFAULT_MEMORY_MB,
            background,
            phase: Phase::RequestBuild,
            logs: VecDeque::new(),
            outcome: None,
            started: false,
            aborted: false,
            prepare_emitted: false,
            pending: Vec::new(),
            next_id: 1,
            jitter: Jitter::new(seed),
            template_id: String::new(),
            build_id: String::new(),
            reply_tags: None,
            copies: Vec::new(),
            trigger_body: None,
            logs_offset: 0,
            interval_ms,
            cadence: PollCadence::default(),
            drain_polls: 0,
            drain_result: None,
        };
        // Argument errors come before anything else, without log entries.
        let validated = validate_name(&request.name)
            .and_then(|_| validate_tags("tags", request.tags.as_deref().unwrap_or(&[])))
            .and_then(|_| positive_integer("cpuCount", request.cpu_count, DEFAULT_CPU_COUNT))
            .and_then(|cpu| {
                Ok((
                    cpu,
                    positive_integer("memoryMB", request.memory_mb, DEFAULT_MEMORY_MB)?,
                ))
            });
        match validated {
            Err(e) => {
                session.phase = Phase::Finished;
                session.outcome = Some(Err(e));
                return session;
            }
            Ok((cpu, mem)) => {
                session.cpu_count = cpu;
                session.memory_mb = mem;
            }
        }
        if !background {
            session.started = true;
            session
                .logs
                .push_back(LogEntry::start(now_ms, "Build started"));
        }
        let feature = if background {
            "Template.buildInBackground"
        } else {
            "Template.build"
        };
        if let Err(e) = session.config.connection.reject_legacy(feature) {
            session.finish(Err(e), now_ms);
            return session;
        }
        let mut message = format!("Requesting build for template: {}", session.name);
        if let Some(tags) = session.tags.as_ref().filter(|t| !t.is_empty()) {
            message.push_str(&format!(" with tags {}", tags.join(", ")));
        }
        session.logs.push_back(LogEntry::info(now_ms, message));
        let req = wire::request_build(
            &session.config.connection,
            &session.name,
            session.tags.as_deref(),
            session.cpu_count,
            session.memory_mb,
        );
        session.push_request(Purpose::RequestBuild, Endpoint::RequestBuild, req, now_ms);
        session
    }

    /// The template and build ids, once the build request succeeded.
    pub fn ids(&self) -> Option<(&str, &str)> {
        (!self.template_id.is_empty())
            .then_some((self.template_id.as_str(), self.build_id.as_str()))
    }

    /// The log offset reached so far (entries delivered from the server).
    pub fn logs_offset(&self) -> u64 {
        self.logs_offset
    }

    /// Whether `Done` or `Failed` has been decided.
    pub fn is_finished(&self) -> bool {
        self.outcome.is_some()
    }

    /// Queues a log entry produced by the host (e.g. the registry `warn`), in order.
    pub fn push_log(&mut self, entry: LogEntry) {
        if self.outcome.is_none() {
            self.logs.push_back(entry);
        }
    }

    /// Cancels the session: the next actions are the `LogEntryEnd` entry (if a
    /// Start was emitted) and `Failed(AbortError)`. The server-side build is
    /// not cancelled; in-flight replies are ignored.
    pub fn abort(&mut self) {
        self.aborted = true;
    }

    /// Fails the session with a host-side error (registry, hashing, archive).
    pub fn fail(&mut self, error: FlowError, now_ms: f64) {
        if self.outcome.is_none() {
            self.finish(Err(error), now_ms);
        }
    }

    /// The next thing to do; see [`Action`].
    pub fn next_action(&mut self, now_ms: f64) -> Action {
        if self.aborted && self.outcome.is_none() {
            self.finish(
                Err(FlowError::new(
                    ErrorClass::AbortError,
                    "The build was aborted",
                )),
                now_ms,
            );
        }
        if let Some(entry) = self.logs.pop_front() {
            return Action::Log(entry);
        }
        if let Some(outcome) = &self.outcome {
            return match outcome {
                Ok(info) => Action::Done(info.clone()),
                Err(e) => Action::Failed(e.clone()),
            };
        }
        if self.phase == Phase::AwaitSteps && !self.prepare_emitted {
            self.prepare_emitted = true;
            return Action::PrepareSteps {
                template_id: self.template_id.clone(),
                build_id: self.build_id.clone(),
            };
        }
        let upload_timeout = self.config.upload_timeout_ms;
        let copies = &self.copies;
        if let Some(op) = self
            .pending
            .iter_mut()
            .find(|p| !p.in_flight && p.ready_at_ms <= now_ms)
        {
            op.in_flight = true;
            op.attempts += 1;
            if op.first_started_ms.is_none() {
                op.first_started_ms = Some(now_ms);
            }
            return match (&op.purpose, &op.request) {
                (Purpose::Upload(slot), _) => Action::Upload {
                    copy_index: copies.get(*slot).map_or(*slot, |c| c.copy.index),
                    url: op.upload_url.clone(),
                    timeout_ms: upload_timeout,
                },
                (_, Some(request)) => Action::Send {
                    id: op.id,
                    request: request.clone(),
                },
                (_, None) => Action::Wait,
            };
        }
        let next_ready = self
            .pending
            .iter()
            .filter(|p| !p.in_flight)
            .map(|p| p.ready_at_ms)
            .fold(f64::INFINITY, f64::min);
        if next_ready.is_finite() {
            return Action::Sleep {
                ms: (next_ready - now_ms).max(1.0).ceil() as u64,
            };
        }
        Action::Wait
    }

    /// Reports the reply (or transport failure) of `Send { id, .. }`.
    pub fn on_response(
        &mut self,
        id: u64,
        result: Result<HttpResponse, TransportError>,
        now_ms: f64,
    ) {
        if self.outcome.is_some() || self.aborted {
            return;
        }
        let Some(pos) = self.pending.iter().position(|p| p.id == id && p.in_flight) else {
            return;
        };
        self.complete(pos, result, now_ms);
    }

    /// Reports the upload PUT of COPY `copy_index` (the host's [`CopyUpload::index`]).
    pub fn upload_done(
        &mut self,
        copy_index: usize,
        result: Result<HttpResponse, TransportError>,
        now_ms: f64,
    ) {
        if self.outcome.is_some() || self.aborted {
            return;
        }
        let Some(slot) = self.copies.iter().position(|c| c.copy.index == copy_index) else {
            return;
        };
        let Some(pos) = self
            .pending
            .iter()
            .position(|p| p.purpose == Purpose::Upload(slot) && p.in_flight)
        else {
            return;
        };
        self.complete(pos, result, now_ms);
    }

    /// Supplies the trigger body (the serialized template) and the COPY
    /// uploads, after [`Action::PrepareSteps`]. Each [`CopyUpload::index`]
    /// must be unique (it routes [`BuildSession::upload_done`]).
    pub fn steps_ready(&mut self, trigger_body: String, copies: Vec<CopyUpload>, now_ms: f64) {
        if self.outcome.is_some() || self.phase != Phase::AwaitSteps {
            return;
        }
        let mut seen: Vec<usize> = copies.iter().map(|c| c.index).collect();
        seen.sort_unstable();
        if seen.windows(2).any(|w| w[0] == w[1]) {
            let error = FlowError::new(
                ErrorClass::InvalidArgumentError,
                "steps_ready: every CopyUpload needs its own index",
            );
            self.finish(Err(error), now_ms);
            return;
        }
        self.trigger_body = Some(trigger_body);
        self.phase = Phase::Files;
        self.copies = copies
            .into_iter()
            .map(|copy| CopyState { copy, done: false })
            .collect();
        for slot in 0..self.copies.len() {
            let req = wire::file_upload_link(
                &self.config.connection,
                &self.template_id,
                &self.copies[slot].copy.files_hash,
            );
            self.push_request(
                Purpose::FileLink(slot),
                Endpoint::FileUploadLink,
                req,
                now_ms,
            );
        }
        self.after_copy_progress(now_ms);
    }

    // ------------------------------------------------------------ internals

    fn push_request(
        &mut self,
        purpose: Purpose,
        endpoint: Endpoint,
        request: HttpRequest,
        ready_at_ms: f64,
    ) {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.push(Pending {
            id,
            purpose,
            endpoint,
            idempotent: request.idempotent,
            request: Some(request),
            upload_url: String::new(),
            attempts: 0,
            first_started_ms: None,
            ready_at_ms,
            in_flight: false,
        });
    }

    fn finish(&mut self, result: Result<BuildInfo, FlowError>, now_ms: f64) {
        if self.outcome.is_some() {
            return;
        }
        if self.started {
            self.logs.push_back(LogEntry::end(now_ms, "Build finished"));
        }
        self.pending.clear();
        self.phase = Phase::Finished;
        self.outcome = Some(result);
    }

    fn build_info(&self) -> BuildInfo {
        BuildInfo {
            alias: self.name.clone(),
            name: self.name.clone(),
            tags: self.reply_tags.clone(),
            template_id: self.template_id.clone(),
            build_id: self.build_id.clone(),
        }
    }

    fn describe(op: &Pending) -> String {
        match &op.request {
            Some(r) => {
                let path = r.path_and_query();
                format!(
                    "{} {}",
                    r.method.as_str(),
                    path.split('?').next().unwrap_or(path)
                )
            }
            None => "file upload".to_string(),
        }
    }

    fn complete(&mut self, pos: usize, result: Result<HttpResponse, TransportError>, now_ms: f64) {
        let is_failure = match &result {
            Ok(r) => !r.is_success(),
            Err(_) => true,
        };
        if is_failure {
            let op = &self.pending[pos];
            let elapsed = (now_ms - op.first_started_ms.unwrap_or(now_ms)).max(0.0) as u64;
            let delay = retry_delay(
                &self.config.retry,
                &mut self.jitter,
                &result,
                op.idempotent,
                op.attempts,
                elapsed,
                now_ms,
            );
            if let Some(delay) = delay {
                let why = match &result {
                    Ok(r) => format!("{} {}", r.status, r.status_text_or_reason()),
                    Err(TransportError::Timeout) => "timed out".to_string(),
                    Err(TransportError::Network(m)) => crate::errors::truncate_detail(m),
                    Err(TransportError::Aborted) => "aborted".to_string(),
                };
                let message = format!(
                    "Retrying {} in {delay} ms (attempt {} of {}): {why}",
                    Self::describe(op),
                    op.attempts + 1,
                    self.config.retry.max_attempts
                );
                self.logs.push_back(LogEntry::new(now_ms, "debug", message));
                let op = &mut self.pending[pos];
                op.in_flight = false;
                op.ready_at_ms = now_ms + delay as f64;
                return;
            }
        }
        let op = self.pending.remove(pos);
        let outcome = match result {
            Ok(response) => Ok(response),
            Err(e) => {
                let timeout = op
                    .request
                    .as_ref()
                    .and_then(|r| r.timeout_ms)
                    .or(self.config.upload_timeout_ms);
                Err(error_from_transport(op.endpoint, &e, timeout))
            }
        };
        match op.purpose {
            Purpose::RequestBuild => self.on_request_build(outcome, now_ms),
            Purpose::FileLink(slot) => self.on_file_link(slot, outcome, now_ms),
            Purpose::Upload(slot) => self.on_upload(slot, outcome, now_ms),
            Purpose::Trigger => self.on_trigger(outcome, now_ms),
            Purpose::Status => self.on_status(outcome, now_ms),
        }
    }

    fn on_request_build(&mut self, outcome: Result<HttpResponse, FlowError>, now_ms: f64) {
        match outcome.and_then(|r| wire::parse_request_build(&r)) {
            Err(e) => self.finish(Err(e), now_ms),
            Ok(reply) => {
                self.template_id = reply.template_id;
                self.build_id = reply.build_id;
                self.reply_tags = reply.tags;
                self.logs.push_back(LogEntry::info(
                    now_ms,
                    format!(
                        "Template created with ID: {}, Build ID: {}",
                        self.template_id, self.build_id
                    ),
                ));
                self.phase = Phase::AwaitSteps;
            }
        }
    }

    fn on_file_link(&mut self, slot: usize, outcome: Result<HttpResponse, FlowError>, now_ms: f64) {
        let Some(state) = self.copies.get(slot) else {
            return;
        };
        let force = state.copy.force_upload;
        match outcome.and_then(|r| wire::parse_file_upload_link(&r)) {
            Err(e) => self.finish(Err(e), now_ms),
            Ok(link) => match link.upload_url(force) {
                Some(url) => {
                    let id = self.next_id;
                    self.next_id += 1;
                    self.pending.push(Pending {
                        id,
                        purpose: Purpose::Upload(slot),
                        endpoint: Endpoint::FileUpload,
                        request: None,
                        upload_url: url.to_string(),
                        idempotent: true,
                        attempts: 0,
                        first_started_ms: None,
                        ready_at_ms: now_ms,
                        in_flight: false,
                    });
                }
                None => {
                    let src = self.copies[slot].copy.src.clone();
                    self.logs.push_back(LogEntry::info(
                        now_ms,
                        format!("Skipping upload of '{src}', already cached"),
                    ));
                    self.copies[slot].done = true;
                    self.after_copy_progress(now_ms);
                }
            },
        }
    }

    fn on_upload(&mut self, slot: usize, outcome: Result<HttpResponse, FlowError>, now_ms: f64) {
        let result = outcome.and_then(|r| {
            if r.is_success() {
                Ok(())
            } else {
                Err(error_from_status(Endpoint::FileUpload, &r))
            }
        });
        match result {
            Err(e) => self.finish(Err(e), now_ms),
            Ok(()) => {
                let Some(state) = self.copies.get_mut(slot) else {
                    return;
                };
                state.done = true;
                let src = state.copy.src.clone();
                self.logs
                    .push_back(LogEntry::info(now_ms, format!("Uploaded '{src}'")));
                self.after_copy_progress(now_ms);
            }
        }
    }

    /// Once every COPY is settled, logs the two progress lines and triggers.
    fn after_copy_progress(&mut self, now_ms: f64) {
        if self.phase != Phase::Files || self.copies.iter().any(|c| !c.done) {
            return;
        }
        self.logs
            .push_back(LogEntry::info(now_ms, "All file uploads completed"));
        self.logs
            .push_back(LogEntry::info(now_ms, "Starting building..."));
        self.phase = Phase::Trigger;
        let body = self.trigger_body.take().unwrap_or_default();
        let req = wire::trigger_build(
            &self.config.connection,
            &self.template_id,
            &self.build_id,
            body,
        );
        self.push_request(Purpose::Trigger, Endpoint::TriggerBuild, req, now_ms);
    }

    fn on_trigger(&mut self, outcome: Result<HttpResponse, FlowError>, now_ms: f64) {
        match outcome.and_then(|r| wire::parse_trigger_build(&r)) {
            Err(e) => self.finish(Err(e), now_ms),
            Ok(()) if self.background => {
                let info = self.build_info();
                self.finish(Ok(info), now_ms);
            }
            Ok(()) => {
                self.logs
                    .push_back(LogEntry::info(now_ms, "Waiting for logs..."));
                self.phase = Phase::Polling;
                self.push_status_poll(now_ms);
            }
        }
    }

    fn push_status_poll(&mut self, ready_at_ms: f64) {
        let req = wire::build_status(
            &self.config.connection,
            &self.template_id,
            &self.build_id,
            Some(self.logs_offset),
        );
        self.push_request(Purpose::Status, Endpoint::BuildStatus, req, ready_at_ms);
    }

    fn end_with(&mut self, result: Result<(), FlowError>, now_ms: f64) {
        let info = self.build_info();
        self.finish(result.map(|_| info), now_ms);
    }

    fn on_status(&mut self, outcome: Result<HttpResponse, FlowError>, now_ms: f64) {
        let reply = match outcome.and_then(|r| wire::parse_build_status(&r)) {
            Ok(reply) => reply,
            Err(e) => {
                // A failing drain poll does not change the build's result.
                let result = match self.drain_result.take() {
                    Some(result) => result,
                    None => Err(e),
                };
                self.end_with(result, now_ms);
                return;
            }
        };
        let count = reply.log_entries.len() as u64;
        let mut entry_times = Vec::with_capacity(reply.log_entries.len());
        for entry in &reply.log_entries {
            let e = entry.to_log_entry(now_ms);
            entry_times.push(e.timestamp_ms);
            self.logs.push_back(e);
        }
        self.logs_offset += count;
        if self.phase == Phase::Draining {
            self.drain_polls += 1;
            if count == 0 || self.drain_polls >= self.config.poll.max_drain_polls {
                let result = self.drain_result.take().unwrap_or(Ok(()));
                self.end_with(result, now_ms);
            } else {
                self.push_status_poll(now_ms);
            }
            return;
        }
        let terminal = match reply.status.as_str() {
            "building" | "waiting" => {
                let delay =
                    self.cadence
                        .next_delay(&self.config.poll, &mut self.interval_ms, &entry_times);
                self.push_status_poll(now_ms + delay as f64);
                return;
            }
            "ready" => Ok(()),
            "error" => {
                let reason = reply.reason.as_ref();
                let mut error = FlowError::new(
                    ErrorClass::BuildError,
                    reason
                        .and_then(|r| r.message.clone())
                        .unwrap_or_else(|| "Unknown error".to_string()),
                );
                error.step = reason.and_then(|r| r.step.clone());
                Err(error)
            }
            _ => {
                self.end_with(
                    Err(FlowError::new(
                        ErrorClass::BuildError,
                        "Unknown build error occurred.",
                    )),
                    now_ms,
                );
                return;
            }
        };
        if count > 0 && self.config.poll.max_drain_polls > 0 {
            self.phase = Phase::Draining;
            self.drain_result = Some(terminal);
            self.push_status_poll(now_ms);
        } else {
            self.end_with(terminal, now_ms);
        }
    }
}
