//! The build session: `Template.build` and `Template.buildInBackground` (§3, §6) as a
//! caller-driven state machine.
//!
//! The host loops on [`BuildSession::next_action`] (or drives it as a [`Machine`]):
//!
//! ```text
//! loop {
//!     match session.next_action(now()) {
//!         Action::Send { id, request }   => reply = fetch(request); session.on_response(id, reply, now())
//!         Action::PrepareSteps { .. }    => read registry, hash files; session.steps_ready(body, copies, now())
//!         Action::Upload { id, copy_index, url, .. } => tar.gz + PUT; session.on_response(id, reply, now())
//!         Action::Sleep { ms }           => sleep(ms)   (or until an in-flight reply arrives)
//!         Action::Wait                   => await any in-flight reply
//!         Action::Log(entry)             => onBuildLogs(entry)
//!         Action::Progress(p)            => onBuildProgress(p)
//!         Action::Done(info)             => return info
//!         Action::Failed(error)          => throw error
//!     }
//! }
//! ```
//!
//! Beyond the official loop (see DIFFERENCES.md): retries with backoff (the two POSTs
//! included, made safe to repeat), per-request timeouts, a whole-build deadline,
//! polling timed for a person watching, a final log drain, step progress, failures
//! with the failing step's last lines and a hint, and an abort that says what happened
//! on the server (and can delete a template the aborted build created).

use alloc::collections::VecDeque;

use crate::attempts::{ms_until, Attempts};
use crate::connection::{ConnectionConfig, ConnectionOptions};
use crate::endpoint::Endpoint;
use crate::errors::{error_from_status, error_from_transport};
use crate::failure_hints::explain_failure;
use crate::http::{HttpRequest, HttpResponse, TransportError};
use crate::log_entry::LogEntry;
use crate::machine::{Machine, PrepareNeeds, Step};
use crate::prelude::*;
use crate::progress::{BuildProgress, ProgressTracker};
use crate::retry::{is_retryable, Jitter, PollPolicy, RetryPolicy};
use crate::validation::{positive_integer, validate_name, validate_tags};
use crate::wire::{self, DEFAULT_CPU_COUNT, DEFAULT_MEMORY_MB};
use novita_template_json::shape::{Encode, JsFunction, Num, OneOrMany};

novita_template_json::shape! {
    /// Options of `Template.build` and `Template.buildInBackground`.
    input struct BuildOptions extends ConnectionOptions as connection {
        /// Tags for the build (besides a `name:tag` name's own tag).
        #[ts = "string[]"]
        pub tags: Option<OneOrMany> = "tags",
        /// Default 2.
        pub cpu_count: Option<Num> = "cpuCount",
        /// Default 1024.
        pub memory_mb: Option<Num> = "memoryMB",
        /// Rebuild every layer (marks the template itself, as in novita-sandbox).
        pub skip_cache: Option<bool> = "skipCache",
        /// Receives every log entry once, in order.
        #[ts = "(logEntry: LogEntry) => void"]
        pub on_build_logs: Option<JsFunction> = "onBuildLogs",
        /// Receives each step's progress as it starts and ends (`build` only).
        #[ts = "(progress: BuildProgress) => void"]
        pub on_build_progress: Option<JsFunction> = "onBuildProgress",
        /// Called once the server has created the build, before files are hashed and
        /// uploaded: its ids, for a console to show and link the build at once.
        #[ts = "(build: { templateId: string; buildId: string }) => void"]
        pub on_build_requested: Option<JsFunction> = "onBuildRequested",
        /// Progress of hashing and archiving each COPY source, for a progress bar (at
        /// most every 100 ms).
        #[ts = "(progress: UploadProgress) => void"]
        pub on_upload_progress: Option<JsFunction> = "onUploadProgress",
        /// Origin that replaces the image registries (and Docker Hub's token service)
        /// when the image's ENV/WORKDIR/CMD are read, e.g. a proxy of your web console or
        /// the emulator's `<apiUrl>/registry`. In a browser the image config is read only
        /// when this is given (browsers cannot read public registries: CORS).
        pub registry_url: Option<String> = "registryUrl",
        /// Whole-build deadline in milliseconds (`build` only): past it the build
        /// rejects with a `TemplateBuildTimeoutError` saying how far it got. The build
        /// itself goes on on the server.
        pub timeout_ms: Option<Num> = "timeoutMs",
        /// When `signal` aborts a build whose template it created (a template with no
        /// other build), delete that template. A template that had builds before is
        /// never deleted. Default false: an aborted build is left to the server.
        pub delete_on_abort: Option<bool> = "deleteOnAbort",
        /// The deprecated `Template.build(template, { alias, ...options })` form.
        pub alias: Option<String> = "alias",
    }
}

novita_template_json::shape! {
    /// Options of `Template.waitForBuild`.
    input struct WatchOptions as "WaitForBuildOptions" extends ConnectionOptions as connection {
        /// Log entries already seen (from `getBuildStatus`); later ones are delivered.
        pub logs_offset: Option<Num> = "logsOffset",
        /// Receives every log entry once, in order.
        #[ts = "(logEntry: LogEntry) => void"]
        pub on_build_logs: Option<JsFunction> = "onBuildLogs",
        /// Receives each step's progress (with descriptions when `template` is given).
        #[ts = "(progress: BuildProgress) => void"]
        pub on_build_progress: Option<JsFunction> = "onBuildProgress",
        /// The template that was built, to describe its steps in progress reports.
        #[ts = "TemplateClass"]
        pub template: Option<Json> = "template",
        /// Deadline in milliseconds for the wait (the build goes on on the server).
        pub timeout_ms: Option<Num> = "timeoutMs",
    }
}

/// Connection plus the policies of one session.
#[derive(Clone, Debug)]
pub struct BuildConfig {
    pub connection: ConnectionConfig,
    pub retry: RetryPolicy,
    pub poll: PollPolicy,
    /// Timeout for each upload PUT (`None`: none; large contexts take long).
    pub upload_timeout_ms: Option<u64>,
    /// The whole-build deadline (`timeoutMs`), counted from the session's start.
    pub deadline_ms: Option<u64>,
    /// Delete the template on abort when this build created it (`deleteOnAbort`).
    pub delete_on_abort: bool,
}

impl BuildConfig {
    /// Default retry and poll policies, no deadline.
    pub fn new(connection: ConnectionConfig) -> Self {
        BuildConfig {
            connection,
            retry: RetryPolicy::default(),
            poll: PollPolicy::default(),
            upload_timeout_ms: None,
            deadline_ms: None,
            delete_on_abort: false,
        }
    }

    /// The lifecycle options (`timeoutMs`, `deleteOnAbort`), checked.
    pub fn with_lifecycle(
        mut self,
        timeout_ms: Option<&Num>,
        delete_on_abort: Option<bool>,
    ) -> Result<Self, SdkError> {
        if let Some(t) = timeout_ms {
            match t.integer() {
                Some(ms) if ms > 0 => self.deadline_ms = Some(ms as u64),
                _ => {
                    let mut e = SdkError::invalid(novita_template_json::cat!(
                        "option `timeoutMs` must be a whole number of milliseconds > 0 (got ",
                        t.text(),
                        ")",
                    ));
                    e.set_field("argument", Json::str("timeoutMs"));
                    return Err(e);
                }
            }
        }
        self.delete_on_abort = delete_on_abort == Some(true);
        Ok(self)
    }
}

/// The user's build arguments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BuildRequest {
    pub name: String,
    pub tags: Option<Vec<String>>,
    /// JS number; default 2.
    pub cpu_count: Option<Num>,
    /// JS number; default 1024.
    pub memory_mb: Option<Num>,
}

impl BuildRequest {
    /// The request of `Template.build(template, name, options)`.
    pub fn from_options(name: &str, options: &BuildOptions) -> BuildRequest {
        BuildRequest {
            name: name.to_string(),
            tags: options.tags.clone().map(|t| t.0),
            cpu_count: options.cpu_count.clone(),
            memory_mb: options.memory_mb.clone(),
        }
    }
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

novita_template_json::shape! {
    /// What `build` and `buildInBackground` resolve to.
    output struct BuildInfo {
        /// Same as `name` (kept for the deprecated `build(t, {alias})` form).
        pub alias: String = "alias",
        pub name: String = "name",
        /// The tags the service gave the build.
        pub tags: Option<Vec<String>> = "tags",
        pub template_id: String = "templateId",
        pub build_id: String = "buildId",
    }
}

novita_template_json::shape! {
    /// What `waitForBuild` resolves to once the build is ready.
    output struct WatchResult as "WaitForBuildResult" {
        pub template_id: String = "templateId",
        pub build_id: String = "buildId",
        /// Log entries delivered in all (for a later `getBuildStatus`).
        pub logs_offset: u64 = "logsOffset",
    }
}

/// The next thing the host must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Send `request`, then call [`BuildSession::on_response`] with `id`.
    Send { id: u32, request: HttpRequest },
    /// Resolve the image config and hash the COPY sources, then call
    /// [`BuildSession::steps_ready`] (or [`BuildSession::fail`]).
    PrepareSteps {
        template_id: String,
        build_id: String,
    },
    /// Archive COPY `copy_index` and `PUT` it to `url` (no SDK headers), then call
    /// [`BuildSession::on_response`] with `id` (or [`BuildSession::upload_done`]).
    Upload {
        id: u32,
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
    /// Deliver to `onBuildProgress`.
    Progress(BuildProgress),
    /// Finished; repeated on every later call.
    Done(BuildInfo),
    /// Failed; repeated on every later call.
    Failed(SdkError),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    RequestBuild,
    FileLink(usize),
    Upload(usize),
    Trigger,
    /// After an ambiguous failure of a trigger that had made `attempts` attempts:
    /// did the server start the build?
    TriggerCheck {
        attempts: u32,
    },
    Status,
    /// After an abort with `deleteOnAbort`: the template's builds.
    CleanupLookup,
    CleanupDelete,
}

#[derive(Clone, Debug)]
struct Pending {
    id: u32,
    purpose: Purpose,
    endpoint: Endpoint,
    /// `None` for uploads (the host builds the PUT).
    request: Option<HttpRequest>,
    upload_url: String,
    /// Whether a failure may be repeated (beyond 429).
    repeatable: bool,
    /// Whether the caller's signal may cancel it (not the clean-up after an abort).
    abortable: bool,
    attempts: Attempts,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    RequestBuild,
    AwaitSteps,
    Files,
    Trigger,
    Polling,
    Draining,
    Cleanup,
    Finished,
}

#[derive(Clone, Debug)]
struct CopyState {
    copy: CopyUpload,
    done: bool,
}

/// What the server did with the build when the caller aborted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ServerBuild {
    /// No build was requested, or it was never triggered: nothing runs.
    NotStarted,
    /// Triggered: it goes on (the API has no cancel).
    Continues,
    /// Its template, which it created, was deleted.
    Deleted,
}

impl ServerBuild {
    fn as_str(self) -> &'static str {
        match self {
            ServerBuild::NotStarted => "not-started",
            ServerBuild::Continues => "continues",
            ServerBuild::Deleted => "deleted",
        }
    }
}

/// How many recent server entries are kept for a failure's log tail.
const RECENT_ENTRIES: usize = 200;
/// Lines of the failing step in a `BuildError`'s `logTail`.
const LOG_TAIL_LINES: usize = 10;

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
    /// Log entries handed to the host so far.
    logs_delivered: u64,
    /// Progress reports (a few per step), each with the number of log entries to
    /// deliver before it, so a step's report comes just before the entry that
    /// started or ended it.
    progress: Vec<(u64, BuildProgress)>,
    outcome: Option<Result<BuildInfo, SdkError>>,
    started: bool,
    started_ms: f64,
    aborted: bool,
    triggered: bool,
    prepare_emitted: bool,
    pending: Vec<Pending>,
    next_id: u32,
    jitter: Jitter,
    template_id: String,
    build_id: String,
    reply_tags: Option<Vec<String>>,
    copies: Vec<CopyState>,
    trigger_body: Option<String>,
    logs_offset: u64,
    /// When the last status poll brought entries (for the quiet back-off).
    last_entries_ms: f64,
    quiet_interval_ms: u64,
    drain_polls: u32,
    /// The result to finish with once the drain ends.
    drain_result: Option<Result<(), SdkError>>,
    tracker: Option<ProgressTracker>,
    /// Recent server entries `(step, message)`, for a failure's log tail.
    recent: Vec<(Option<String>, String)>,
    /// Following a build started elsewhere ([`BuildSession::watch`]).
    watching: bool,
}

/// Shows the progress only: the trigger body may hold registry credentials.
impl core::fmt::Debug for BuildSession {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
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
    fn blank(config: BuildConfig, background: bool, now_ms: f64, seed: u64) -> Self {
        let quiet_interval_ms = config.poll.min_interval_ms;
        BuildSession {
            config,
            name: String::new(),
            tags: None,
            cpu_count: DEFAULT_CPU_COUNT,
            memory_mb: DEFAULT_MEMORY_MB,
            background,
            phase: Phase::RequestBuild,
            logs: VecDeque::new(),
            logs_delivered: 0,
            progress: Vec::new(),
            outcome: None,
            started: false,
            started_ms: now_ms,
            aborted: false,
            triggered: false,
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
            last_entries_ms: now_ms,
            quiet_interval_ms,
            drain_polls: 0,
            drain_result: None,
            tracker: None,
            recent: Vec::new(),
            watching: false,
        }
    }

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
        let mut session = BuildSession::blank(config, background, now_ms, seed);
        session.name = request.name.clone();
        session.tags = request.tags.clone();
        // Argument errors come before anything else, without log entries.
        let validated = validate_name(&request.name)
            .and_then(|_| validate_tags("tags", request.tags.as_deref().unwrap_or(&[])))
            .and_then(|_| {
                positive_integer("cpuCount", request.cpu_count.as_ref(), DEFAULT_CPU_COUNT)
            })
            .and_then(|cpu| {
                Ok((
                    cpu,
                    positive_integer("memoryMB", request.memory_mb.as_ref(), DEFAULT_MEMORY_MB)?,
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
        let mut message =
            novita_template_json::cat!("Requesting build for template: ", &session.name);
        if let Some(tags) = session.tags.as_ref().filter(|t| !t.is_empty()) {
            message.push_str(" with tags ");
            message.push_str(&novita_template_json::text::join(tags, ", "));
        }
        session.logs.push_back(LogEntry::info(now_ms, message));
        let req = wire::request_build(
            &session.config.connection,
            &session.name,
            session.tags.as_deref(),
            session.cpu_count,
            session.memory_mb,
        );
        // A repeated build request leaves at most an untriggered build on the server,
        // which never runs and is superseded by ours (docs/wire-contract.md, "Repeats"):
        // so an ambiguous failure (no reply, a timeout, a 5xx) may be repeated. With
        // deleteOnAbort the reply must arrive even after an abort, to know what to delete.
        let abortable = !session.config.delete_on_abort;
        session.push(
            Purpose::RequestBuild,
            Endpoint::RequestBuild,
            req,
            now_ms,
            true,
            abortable,
        );
        session
    }

    /// Follows build `build_id` of `template_id` (started elsewhere, e.g. by
    /// `buildInBackground`) from log entry `logs_offset` on, to its end: the polling,
    /// drain, progress, deadline and failure reports of [`BuildSession::new`], without
    /// the request, the uploads and the trigger (and without Start/End entries).
    pub fn watch(
        config: BuildConfig,
        template_id: &str,
        build_id: &str,
        logs_offset: u64,
        now_ms: f64,
        seed: u64,
    ) -> Self {
        let mut session = BuildSession::blank(config, false, now_ms, seed);
        session.watching = true;
        session.template_id = template_id.to_string();
        session.build_id = build_id.to_string();
        session.logs_offset = logs_offset;
        session.triggered = true;
        session.phase = Phase::Polling;
        session.push_status_poll(now_ms);
        session
    }

    /// Describes the steps for progress reports: the base, the numbered steps (in
    /// the order the server numbers them) and the finalize step.
    pub fn describe_steps(&mut self, base: &str, steps: &[String], finalize: &str) {
        self.tracker = Some(ProgressTracker::new(base, steps, finalize));
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

    /// Cancels the session. In-flight replies are ignored (except those a
    /// `deleteOnAbort` clean-up still needs); the next actions wind it down to the
    /// `LogEntryEnd` entry (if a Start was emitted) and `Failed(AbortError)`, whose
    /// message and `serverBuild` field say what happened on the server.
    pub fn abort(&mut self) {
        self.aborted = true;
    }

    /// Fails the session with a host-side error (registry, hashing, archive).
    pub fn fail(&mut self, error: SdkError, now_ms: f64) {
        if self.outcome.is_none() {
            self.finish(Err(error), now_ms);
        }
    }

    /// The next thing to do; see [`Action`].
    pub fn next_action(&mut self, now_ms: f64) -> Action {
        if self.outcome.is_none() {
            if self.aborted {
                self.wind_down(now_ms);
            } else if let Some(limit) = self.config.deadline_ms {
                if !self.background && now_ms - self.started_ms >= limit as f64 {
                    let e = self.deadline_error(limit);
                    self.finish(Err(e), now_ms);
                }
            }
        }
        if self
            .progress
            .first()
            .is_some_and(|(at, _)| *at <= self.logs_delivered)
        {
            return Action::Progress(self.progress.remove(0).1);
        }
        if let Some(entry) = self.logs.pop_front() {
            self.logs_delivered += 1;
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
        if let Some(op) = self.pending.iter_mut().find(|p| p.attempts.is_due(now_ms)) {
            op.attempts.start(now_ms);
            return match (&op.purpose, &op.request) {
                (Purpose::Upload(slot), _) => Action::Upload {
                    id: op.id,
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
        let mut next_ready = self
            .pending
            .iter()
            .filter_map(|p| p.attempts.ready_at_ms())
            .fold(f64::INFINITY, f64::min);
        if let Some(limit) = self.config.deadline_ms.filter(|_| !self.background) {
            // Wake up for the deadline even when nothing else is due.
            next_ready = next_ready.min(self.started_ms + limit as f64);
        }
        if next_ready.is_finite() {
            return Action::Sleep {
                ms: ms_until(next_ready, now_ms),
            };
        }
        Action::Wait
    }

    /// Reports the reply (or transport failure) of `Send` or `Upload` number `id`.
    pub fn on_response(
        &mut self,
        id: u32,
        result: Result<HttpResponse, TransportError>,
        now_ms: f64,
    ) {
        if self.outcome.is_some() {
            return;
        }
        let Some(pos) = self
            .pending
            .iter()
            .position(|p| p.id == id && p.attempts.in_flight())
        else {
            return;
        };
        if self.aborted && self.pending[pos].abortable {
            return;
        }
        self.complete(pos, result, now_ms);
    }

    /// Reports the upload PUT of COPY `copy_index` (the host's [`CopyUpload::index`]).
    pub fn upload_done(
        &mut self,
        copy_index: usize,
        result: Result<HttpResponse, TransportError>,
        now_ms: f64,
    ) {
        let Some(slot) = self.copies.iter().position(|c| c.copy.index == copy_index) else {
            return;
        };
        let id = self
            .pending
            .iter()
            .find(|p| p.purpose == Purpose::Upload(slot))
            .map(|p| p.id);
        if let Some(id) = id {
            self.on_response(id, result, now_ms);
        }
    }

    /// Supplies the trigger body (the serialized template) and the COPY
    /// uploads, after [`Action::PrepareSteps`]. Each [`CopyUpload::index`]
    /// must be unique (it routes [`BuildSession::upload_done`]).
    pub fn steps_ready(&mut self, trigger_body: String, copies: Vec<CopyUpload>, now_ms: f64) {
        if self.outcome.is_some() || self.phase != Phase::AwaitSteps {
            return;
        }
        let duplicate = copies
            .iter()
            .enumerate()
            .any(|(i, c)| copies[..i].iter().any(|d| d.index == c.index));
        if duplicate {
            let error = SdkError::invalid("steps_ready: every CopyUpload needs its own index");
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
            self.push(
                Purpose::FileLink(slot),
                Endpoint::FileUploadLink,
                req,
                now_ms,
                true,
                true,
            );
        }
        self.after_copy_progress(now_ms);
    }

    // ------------------------------------------------------------ internals

    fn push(
        &mut self,
        purpose: Purpose,
        endpoint: Endpoint,
        request: HttpRequest,
        ready_at_ms: f64,
        repeatable: bool,
        abortable: bool,
    ) {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.push(Pending {
            id,
            purpose,
            endpoint,
            repeatable: repeatable || request.idempotent,
            request: Some(request),
            upload_url: String::new(),
            abortable,
            attempts: Attempts::new(ready_at_ms),
        });
    }

    fn finish(&mut self, mut result: Result<BuildInfo, SdkError>, now_ms: f64) {
        if self.outcome.is_some() {
            return;
        }
        if let Err(e) = &mut result {
            // Which build failed, for a console to link it (once the server named it).
            if !self.template_id.is_empty() && e.field("templateId").is_none() {
                e.set_field("templateId", Json::str(self.template_id.as_str()));
                e.set_field("buildId", Json::str(self.build_id.as_str()));
            }
            // A limit of the service (429 after the retries) gets its reason and hint too.
            if e.class == ErrorClass::RateLimitError && e.field("reason").is_none() {
                if let Some(cause) = explain_failure(&e.message, &[]) {
                    e.set_field("reason", Json::str(cause.reason));
                    e.set_field("hint", Json::str(cause.hint));
                }
            }
        }
        if let Some(tracker) = &mut self.tracker {
            let failed_step = result.as_ref().err().and_then(|e| e.step.clone());
            let failed = result.is_err() && self.triggered;
            if self.triggered {
                let at = self.logs_delivered + self.logs.len() as u64;
                for p in tracker.on_end(failed_step.as_deref(), failed, now_ms) {
                    self.progress.push((at, p));
                }
            }
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
                novita_template_json::cat!(
                    r.method.as_str(),
                    " ",
                    path.split('?').next().unwrap_or(path),
                )
            }
            None => "file upload".to_string(),
        }
    }

    /// "(template tpl…, build bld…)" once the ids are known.
    fn ids_text(&self) -> String {
        if self.template_id.is_empty() {
            return String::new();
        }
        novita_template_json::cat!(
            " (template ",
            &self.template_id,
            ", build ",
            &self.build_id,
            ")",
        )
    }

    /// "it reached step 3 of 9 (runCmd(\"make\"))", or where it stood before the steps.
    fn how_far(&self) -> String {
        if let Some((index, total, description)) =
            self.tracker.as_ref().and_then(|t| t.position_now())
        {
            return novita_template_json::cat!(
                "it reached step ",
                &u64_text(index),
                " of ",
                &u64_text(total),
                " (",
                description,
                ")",
            );
        }
        match self.phase {
            Phase::RequestBuild => "it was still being requested".into(),
            Phase::AwaitSteps | Phase::Files => "its files were still being prepared".into(),
            Phase::Trigger => "it was being started".into(),
            _ if self.triggered => "no step had reported yet".into(),
            _ => "it had not started".into(),
        }
    }

    fn deadline_error(&self, limit: u64) -> SdkError {
        let goes_on = if self.triggered {
            "; it goes on on the server"
        } else {
            ""
        };
        let mut e = SdkError::new(
            ErrorClass::TemplateBuildTimeoutError,
            novita_template_json::cat!(
                "The build did not finish within ",
                &u64_text(limit),
                " ms: ",
                &self.how_far(),
                goes_on,
                &self.ids_text(),
            ),
        );
        if let Some((index, total, description)) =
            self.tracker.as_ref().and_then(|t| t.position_now())
        {
            e.set_field(
                "progress",
                Json::Obj(vec![
                    ("index".into(), Json::int(index as i64)),
                    ("total".into(), Json::int(total as i64)),
                    ("description".into(), Json::str(description)),
                ]),
            );
        }
        e
    }

    /// After an abort: waits for what a clean-up needs, runs it, then fails with an
    /// error that says what happened on the server.
    fn wind_down(&mut self, now_ms: f64) {
        if self.phase == Phase::Cleanup {
            return;
        }
        // The build request is still in flight and its reply decides what to delete.
        let request_in_flight = self
            .pending
            .iter()
            .any(|p| p.purpose == Purpose::RequestBuild && !p.abortable);
        if request_in_flight && self.template_id.is_empty() {
            self.pending.retain(|p| p.purpose == Purpose::RequestBuild);
            return;
        }
        self.pending.clear();
        if self.config.delete_on_abort && !self.template_id.is_empty() {
            self.phase = Phase::Cleanup;
            let req = wire::get_template(&self.config.connection, &self.template_id);
            self.push(
                Purpose::CleanupLookup,
                Endpoint::GetTemplate,
                req,
                now_ms,
                true,
                false,
            );
            return;
        }
        let state = if self.triggered {
            ServerBuild::Continues
        } else {
            ServerBuild::NotStarted
        };
        let e = self.abort_error(state, None);
        self.finish(Err(e), now_ms);
    }

    fn abort_error(&self, state: ServerBuild, note: Option<&str>) -> SdkError {
        let ids = self.ids_text();
        let what = match state {
            ServerBuild::NotStarted if self.template_id.is_empty() => {
                "no build was started on the server".to_string()
            }
            ServerBuild::NotStarted => novita_template_json::cat!(
                "the build was never started, so nothing runs on the server",
                &ids,
            ),
            ServerBuild::Continues => novita_template_json::cat!(
                "the build goes on on the server",
                &ids,
                ": the API has no cancel; ",
                &self.how_far(),
            ),
            ServerBuild::Deleted => novita_template_json::cat!(
                "its template ",
                &self.template_id,
                ", which this build created, was deleted",
            ),
        };
        let mut message = novita_template_json::cat!("The build was aborted: ", &what);
        if let Some(note) = note {
            message.push_str(" (");
            message.push_str(note);
            message.push(')');
        }
        let mut e = SdkError::new(ErrorClass::AbortError, message)
            .with_field("serverBuild", Json::str(state.as_str()));
        if !self.template_id.is_empty() {
            e.set_field("templateId", Json::str(self.template_id.as_str()));
            e.set_field("buildId", Json::str(self.build_id.as_str()));
        }
        e
    }

    fn complete(&mut self, pos: usize, result: Result<HttpResponse, TransportError>, now_ms: f64) {
        let (purpose, repeatable) = (self.pending[pos].purpose, self.pending[pos].repeatable);
        let is_failure = result.as_ref().map_or(true, |r| !r.is_success());
        // A trigger that may or may not have reached the server: ask the server
        // (below) rather than repeat it blindly.
        let ambiguous_trigger = purpose == Purpose::Trigger
            && is_failure
            && is_retryable(&result, true)
            && !matches!(&result, Ok(r) if r.status == 429);
        if !ambiguous_trigger {
            let op = &mut self.pending[pos];
            if let Some(delay) = op.attempts.finish(
                &result,
                repeatable,
                &self.config.retry,
                &mut self.jitter,
                now_ms,
            ) {
                let message = novita_template_json::cat!(
                    "Retrying ",
                    &Self::describe(op),
                    " in ",
                    &u64_text(delay),
                    " ms (attempt ",
                    &u64_text((op.attempts.made() + 1).into()),
                    " of ",
                    &u64_text(self.config.retry.max_attempts.into()),
                    "): ",
                    &outcome_text(&result),
                );
                self.logs.push_back(LogEntry::new(now_ms, "debug", message));
                return;
            }
        }
        let op = self.pending.remove(pos);
        if ambiguous_trigger && op.attempts.made() < self.config.retry.max_attempts {
            self.check_trigger(op, &result, now_ms);
            return;
        }
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
            Purpose::TriggerCheck { attempts } => self.on_trigger_check(attempts, outcome, now_ms),
            Purpose::Status => self.on_status(outcome, now_ms),
            Purpose::CleanupLookup => self.on_cleanup_lookup(outcome, now_ms),
            Purpose::CleanupDelete => self.on_cleanup_delete(outcome, now_ms),
        }
    }

    fn on_request_build(&mut self, outcome: Result<HttpResponse, SdkError>, now_ms: f64) {
        match outcome.and_then(|r| wire::parse_request_build(&r)) {
            Err(e) => self.finish(Err(e), now_ms),
            Ok(reply) => {
                self.template_id = reply.template_id;
                self.build_id = reply.build_id;
                self.reply_tags = reply.tags;
                self.logs.push_back(LogEntry::info(
                    now_ms,
                    novita_template_json::cat!(
                        "Template created with ID: ",
                        &self.template_id,
                        ", Build ID: ",
                        &self.build_id,
                    ),
                ));
                self.phase = Phase::AwaitSteps;
            }
        }
    }

    fn on_file_link(&mut self, slot: usize, outcome: Result<HttpResponse, SdkError>, now_ms: f64) {
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
                        repeatable: true,
                        abortable: true,
                        attempts: Attempts::new(now_ms),
                    });
                }
                None => {
                    let src = self.copies[slot].copy.src.clone();
                    self.logs.push_back(LogEntry::info(
                        now_ms,
                        novita_template_json::cat!(
                            "Skipping upload of '",
                            &src,
                            "', already cached"
                        ),
                    ));
                    self.copies[slot].done = true;
                    self.after_copy_progress(now_ms);
                }
            },
        }
    }

    fn on_upload(&mut self, slot: usize, outcome: Result<HttpResponse, SdkError>, now_ms: f64) {
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
                self.logs.push_back(LogEntry::info(
                    now_ms,
                    novita_template_json::cat!("Uploaded '", &src, "'"),
                ));
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
        self.push_trigger(now_ms);
    }

    fn push_trigger(&mut self, ready_at_ms: f64) {
        let body = self.trigger_body.clone().unwrap_or_default();
        let req = wire::trigger_build(
            &self.config.connection,
            &self.template_id,
            &self.build_id,
            body,
        );
        self.push(
            Purpose::Trigger,
            Endpoint::TriggerBuild,
            req,
            ready_at_ms,
            false,
            true,
        );
    }

    /// The trigger got no clear answer: read the build's status, and trigger again only
    /// if it is still waiting. `failed` carries the attempt count over.
    fn check_trigger(
        &mut self,
        failed: Pending,
        result: &Result<HttpResponse, TransportError>,
        now_ms: f64,
    ) {
        self.logs.push_back(LogEntry::new(
            now_ms,
            "debug",
            novita_template_json::cat!(
                "The build trigger got no clear answer (",
                &outcome_text(result),
                "); asking the server whether the build started",
            ),
        ));
        let req = wire::build_status(
            &self.config.connection,
            &self.template_id,
            &self.build_id,
            Some(0),
        );
        let attempts = failed.attempts.made();
        let delay = self.backoff_delay(attempts);
        let check = Purpose::TriggerCheck { attempts };
        self.push(
            check,
            Endpoint::BuildStatus,
            req,
            now_ms + delay as f64,
            true,
            true,
        );
    }

    fn backoff_delay(&mut self, attempts_made: u32) -> u64 {
        let exp = attempts_made.saturating_sub(1).min(20);
        let ceiling = self
            .config
            .retry
            .base_delay_ms
            .saturating_mul(1 << exp)
            .min(self.config.retry.max_delay_ms);
        self.jitter.up_to(ceiling)
    }

    fn on_trigger_check(
        &mut self,
        attempts: u32,
        outcome: Result<HttpResponse, SdkError>,
        now_ms: f64,
    ) {
        let response = match outcome {
            Ok(r) => r,
            Err(e) => return self.finish(Err(e), now_ms),
        };
        let status = match wire::parse_build_status(&response) {
            Ok(reply) => reply.status,
            Err(e) => return self.finish(Err(e), now_ms),
        };
        if status == "waiting" {
            self.logs.push_back(LogEntry::new(
                now_ms,
                "debug",
                "The build has not started: triggering it again",
            ));
            self.push_trigger(now_ms);
            if let Some(trigger) = self.pending.last_mut() {
                trigger.attempts = Attempts::resumed(attempts, now_ms);
            }
            return;
        }
        self.logs.push_back(LogEntry::new(
            now_ms,
            "debug",
            novita_template_json::cat!("The build had started (status ", &status, ")"),
        ));
        self.on_trigger(Ok(HttpResponse::accepted()), now_ms);
        if self.phase == Phase::Polling {
            // The check was a status request from offset 0: it is the first poll.
            self.pending.retain(|p| p.purpose != Purpose::Status);
            self.on_status(Ok(response), now_ms);
        }
    }

    fn on_trigger(&mut self, outcome: Result<HttpResponse, SdkError>, now_ms: f64) {
        // 409: a repeated trigger of a build that already started (docs/wire-contract.md).
        let outcome = match outcome {
            Ok(r) if r.status == 409 => Ok(HttpResponse::accepted()),
            other => other,
        };
        match outcome.and_then(|r| wire::parse_trigger_build(&r)) {
            Err(e) => self.finish(Err(e), now_ms),
            Ok(()) => {
                self.triggered = true;
                if self.background {
                    let info = self.build_info();
                    self.finish(Ok(info), now_ms);
                    return;
                }
                self.logs
                    .push_back(LogEntry::info(now_ms, "Waiting for logs..."));
                self.phase = Phase::Polling;
                self.last_entries_ms = now_ms;
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
        self.push(
            Purpose::Status,
            Endpoint::BuildStatus,
            req,
            ready_at_ms,
            true,
            true,
        );
    }

    fn end_with(&mut self, result: Result<(), SdkError>, now_ms: f64) {
        let info = self.build_info();
        self.finish(result.map(|_| info), now_ms);
    }

    /// The delay before the next status poll, after one that brought `count` entries.
    fn next_poll_delay(&mut self, count: u64, now_ms: f64) -> u64 {
        let poll = &self.config.poll;
        if count > 0 {
            self.last_entries_ms = now_ms;
            self.quiet_interval_ms = poll.min_interval_ms;
            return poll.steady_interval_ms;
        }
        // While the build stays quiet, poll less and less often, up to the ceiling.
        if now_ms - self.last_entries_ms < poll.quiet_after_ms as f64 {
            return poll.steady_interval_ms;
        }
        self.quiet_interval_ms =
            poll.next_interval(self.quiet_interval_ms.max(poll.steady_interval_ms), false);
        self.quiet_interval_ms
    }

    fn on_status(&mut self, outcome: Result<HttpResponse, SdkError>, now_ms: f64) {
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
        for entry in &reply.log_entries {
            let e = entry.to_log_entry(now_ms);
            if let Some(tracker) = &mut self.tracker {
                let at = self.logs_delivered + self.logs.len() as u64;
                for p in tracker.on_entry(entry.step.as_deref(), &e.message, e.timestamp_ms) {
                    self.progress.push((at, p));
                }
            }
            if self.recent.len() == RECENT_ENTRIES {
                // At most RECENT_ENTRIES moves: a Vec is enough (no third VecDeque).
                self.recent.remove(0);
            }
            self.recent.push((entry.step.clone(), e.message.clone()));
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
                let delay = self.next_poll_delay(count, now_ms);
                self.push_status_poll(now_ms + delay as f64);
                return;
            }
            "ready" => Ok(()),
            "error" => {
                let reason = reply.reason.as_ref();
                let message = reason
                    .and_then(|r| r.message.clone())
                    .unwrap_or_else(|| "Unknown error".to_string());
                let step = reason.and_then(|r| r.step.clone());
                // The reason's own entries may hold lines the log pages did not.
                if let Some(r) = reason {
                    for e in &r.log_entries {
                        let stripped = crate::ansi::strip_ansi(&e.message);
                        if !self.recent.iter().any(|(_, m)| *m == stripped) {
                            self.recent
                                .push((e.step.clone().or(step.clone()), stripped));
                        }
                    }
                }
                let mut error = SdkError::new(ErrorClass::BuildError, message);
                error.step = step;
                self.explain(&mut error);
                Err(error)
            }
            _ => {
                self.end_with(
                    Err(SdkError::new(
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

    /// Adds the failing step's last lines (`logTail`) and, for known causes, a
    /// `reason` and a `hint`; the server's message stays the error's message.
    fn explain(&self, error: &mut SdkError) {
        let step = error.step.clone();
        // The failing step's lines, or every recent line when none is the step's.
        let of_step = |s: &Option<String>| step.is_some() && *s == step;
        let any_of_step = self.recent.iter().any(|(s, _)| of_step(s));
        let mut lines: Vec<&str> = Vec::new();
        for (s, m) in &self.recent {
            if !any_of_step || of_step(s) {
                lines.push(m);
            }
        }
        let tail = &lines[lines.len().saturating_sub(LOG_TAIL_LINES)..];
        error.set_field("logTail", Json::strs(tail));
        if let Some(cause) = explain_failure(&error.message, tail) {
            error.set_field("reason", Json::str(cause.reason));
            error.set_field("hint", Json::str(cause.hint));
        }
    }

    fn on_cleanup_lookup(&mut self, outcome: Result<HttpResponse, SdkError>, now_ms: f64) {
        let builds = match outcome.and_then(|r| wire::parse_template_builds(&r)) {
            Ok(b) => b,
            Err(e) => {
                let note = novita_template_json::cat!(
                    "whether to delete the template could not be checked: ",
                    &e.message,
                );
                let state = if self.triggered {
                    ServerBuild::Continues
                } else {
                    ServerBuild::NotStarted
                };
                let err = self.abort_error(state, Some(&note));
                return self.finish(Err(err), now_ms);
            }
        };
        let only_ours = builds.len() == 1 && builds[0].0 == self.build_id;
        if !only_ours {
            let state = if self.triggered {
                ServerBuild::Continues
            } else {
                ServerBuild::NotStarted
            };
            let err =
                self.abort_error(state, Some("the template had other builds, so it was kept"));
            return self.finish(Err(err), now_ms);
        }
        match wire::delete_template(&self.config.connection, &self.template_id) {
            Ok(req) => self.push(
                Purpose::CleanupDelete,
                Endpoint::DeleteTemplate,
                req,
                now_ms,
                true,
                false,
            ),
            Err(e) => {
                let err = self.abort_error(ServerBuild::Continues, Some(&e.message));
                self.finish(Err(err), now_ms);
            }
        }
    }

    fn on_cleanup_delete(&mut self, outcome: Result<HttpResponse, SdkError>, now_ms: f64) {
        let err = match outcome.and_then(|r| wire::parse_delete_template(&r)) {
            Ok(_) => self.abort_error(ServerBuild::Deleted, None),
            Err(e) => {
                let state = if self.triggered {
                    ServerBuild::Continues
                } else {
                    ServerBuild::NotStarted
                };
                let note = novita_template_json::cat!("deleting its template failed: ", &e.message);
                self.abort_error(state, Some(&note))
            }
        };
        self.finish(Err(err), now_ms);
    }
}

/// The session as a [`Machine`]: its result is the [`BuildInfo`] as JSON.
impl Machine for BuildSession {
    fn next(&mut self, now_ms: f64) -> Step {
        let abortable = |s: &BuildSession, id: u32| {
            s.pending
                .iter()
                .find(|p| p.id == id)
                .is_none_or(|p| p.abortable)
        };
        match self.next_action(now_ms) {
            Action::Send { id, request } => Step::Send {
                abortable: abortable(self, id),
                id,
                request,
            },
            Action::PrepareSteps {
                template_id,
                build_id,
            } => Step::Prepare(PrepareNeeds {
                template_id,
                build_id,
            }),
            Action::Upload {
                id,
                copy_index,
                url,
                timeout_ms,
            } => Step::Upload {
                id,
                copy: copy_index,
                url,
                timeout_ms,
            },
            Action::Sleep { ms } => Step::Sleep { ms },
            Action::Wait => Step::Wait,
            Action::Log(e) => Step::Log(e),
            Action::Progress(p) => Step::Progress(p),
            Action::Done(info) if self.watching => Step::Done(
                WatchResult {
                    template_id: info.template_id,
                    build_id: info.build_id,
                    logs_offset: self.logs_offset,
                }
                .encode()
                .unwrap_or(Json::Null),
            ),
            Action::Done(info) => Step::Done(info.encode().unwrap_or(Json::Null)),
            Action::Failed(e) => Step::Failed(e),
        }
    }

    fn on_reply(&mut self, id: u32, reply: Result<HttpResponse, TransportError>, now_ms: f64) {
        self.on_response(id, reply, now_ms);
    }

    fn abort(&mut self, _now_ms: f64) {
        BuildSession::abort(self);
    }
}

/// What a failed attempt got, for log lines: `503 Service Unavailable`, `timed out`.
fn outcome_text(result: &Result<HttpResponse, TransportError>) -> String {
    match result {
        Ok(r) => {
            novita_template_json::cat!(&u64_text(r.status.into()), " ", r.status_text_or_reason())
        }
        Err(e) => e.describe(),
    }
}
