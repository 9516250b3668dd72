//! One API request with the retry policy and its reply's parser: the machine behind
//! every call outside a build (aliases, tags, get, list, delete, status, sandboxes).
//! The constructors for each call are in [`crate::calls`].

use crate::attempts::{ms_until, Attempts};
use crate::endpoint::Endpoint;
use crate::errors::error_from_transport;
use crate::http::{HttpRequest, HttpResponse, TransportError};
use crate::machine::{Machine, Step};
use crate::prelude::*;
use crate::retry::{Jitter, RetryPolicy};
use alloc::rc::Rc;
use novita_template_json::shape::Encode;

/// Reads the final reply (any status) into the call's result; `now_ms` times entries
/// whose own timestamp is unreadable.
pub type Parser<T> = Rc<dyn Fn(&HttpResponse, f64) -> Result<T, SdkError>>;

/// A parser that needs no context: a `wire::parse_*` function.
pub fn plain<T: 'static>(parse: fn(&HttpResponse) -> Result<T, SdkError>) -> Parser<T> {
    Rc::new(move |r, _| parse(r))
}

/// A public call's parser: the `wire::parse_*` result as the JSON the face receives.
/// Every public call is then one type, [`JsonCall`], so the call machinery exists once
/// in the module however many calls there are.
pub fn encoded<T: Encode + 'static>(
    parse: fn(&HttpResponse) -> Result<T, SdkError>,
) -> Parser<Json> {
    Rc::new(move |r, _| parse(r).map(|v| v.encode().unwrap_or(Json::Null)))
}

/// A public call: its result is JSON for the face.
pub type JsonCall = ApiCall<Json>;

/// What the host must do next for an [`ApiCall`].
#[derive(Clone, Debug, PartialEq)]
pub enum CallAction<T> {
    /// Send this request, then call [`ApiCall::on_response`].
    Send(HttpRequest),
    /// Wait this long, then ask again.
    Sleep { ms: u64 },
    /// The result.
    Done(T),
    /// No result could be obtained.
    Failed(SdkError),
}

/// The request of a call and its attempts: everything that does not depend on what
/// the reply is read into, so it exists once in the module whatever the call.
#[derive(Clone)]
struct Sender {
    request: HttpRequest,
    endpoint: Endpoint,
    policy: RetryPolicy,
    jitter: Jitter,
    attempts: Attempts,
}

/// What the [`Sender`] does next while the call is undecided.
enum Next {
    Send(HttpRequest),
    Sleep(u64),
}

impl Sender {
    fn next(&mut self, now_ms: f64) -> Next {
        if self.attempts.in_flight() {
            // The host asked again before replying; repeat the pending send.
            return Next::Send(self.request.clone());
        }
        if !self.attempts.is_due(now_ms) {
            let at = self.attempts.ready_at_ms().unwrap_or(now_ms);
            return Next::Sleep(ms_until(at, now_ms));
        }
        self.attempts.start(now_ms);
        Next::Send(self.request.clone())
    }

    /// The final reply (or error) of the attempt in flight; `None` while retrying.
    fn finish(
        &mut self,
        result: Result<HttpResponse, TransportError>,
        now_ms: f64,
    ) -> Option<Result<HttpResponse, SdkError>> {
        if !self.attempts.in_flight() {
            return None;
        }
        let idempotent = self.request.idempotent;
        if self
            .attempts
            .finish(&result, idempotent, &self.policy, &mut self.jitter, now_ms)
            .is_some()
        {
            return None;
        }
        Some(result.map_err(|e| error_from_transport(self.endpoint, &e, self.request.timeout_ms)))
    }
}

/// A single request, its retry state and its parser.
#[derive(Clone)]
pub struct ApiCall<T> {
    sender: Sender,
    parse: Parser<T>,
    outcome: Option<Result<T, SdkError>>,
}

impl<T: Clone> ApiCall<T> {
    /// A call of `request` (from a `wire` builder) to `endpoint`, read by `parse`.
    pub fn new(request: HttpRequest, endpoint: Endpoint, parse: Parser<T>, seed: u64) -> Self {
        ApiCall {
            sender: Sender {
                request,
                endpoint,
                policy: RetryPolicy::default(),
                jitter: Jitter::new(seed),
                attempts: Attempts::new(f64::NEG_INFINITY),
            },
            parse,
            outcome: None,
        }
    }

    /// A call that is already decided (an argument error, a debug-mode answer).
    pub fn decided(outcome: Result<T, SdkError>, endpoint: Endpoint, parse: Parser<T>) -> Self {
        let mut call = ApiCall::new(HttpRequest::default(), endpoint, parse, 1);
        call.outcome = Some(outcome);
        call
    }

    /// Uses another retry policy.
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.sender.policy = policy;
        self
    }

    /// How many attempts were started.
    pub fn attempts(&self) -> u32 {
        self.sender.attempts.made()
    }

    /// Whether a request was sent and its reply has not come yet.
    pub fn in_flight(&self) -> bool {
        self.outcome.is_none() && self.sender.attempts.in_flight()
    }

    /// Cancels the call; the next action is `Failed(AbortError)`.
    pub fn abort(&mut self) {
        if self.outcome.is_none() {
            self.outcome = Some(Err(SdkError::new(
                ErrorClass::AbortError,
                "The request was aborted",
            )));
        }
    }

    /// The next thing to do.
    pub fn next_action(&mut self, now_ms: f64) -> CallAction<T> {
        match &self.outcome {
            Some(Ok(value)) => CallAction::Done(value.clone()),
            Some(Err(error)) => CallAction::Failed(error.clone()),
            None => match self.sender.next(now_ms) {
                Next::Send(r) => CallAction::Send(r),
                Next::Sleep(ms) => CallAction::Sleep { ms },
            },
        }
    }

    /// Reports the reply of the last `Send`.
    pub fn on_response(&mut self, result: Result<HttpResponse, TransportError>, now_ms: f64) {
        if self.outcome.is_some() {
            return;
        }
        if let Some(reply) = self.sender.finish(result, now_ms) {
            self.outcome = Some(reply.and_then(|r| (self.parse)(&r, now_ms)));
        }
    }
}

/// Every public call is a [`Machine`] whose result is its parsed value as JSON.
impl Machine for ApiCall<Json> {
    fn next(&mut self, now_ms: f64) -> Step {
        // The driver does not wait after a send: it asks again at once.
        if self.in_flight() {
            return Step::Wait;
        }
        match self.next_action(now_ms) {
            CallAction::Send(request) => Step::Send {
                id: self.attempts(),
                request,
                abortable: true,
            },
            CallAction::Sleep { ms } => Step::Sleep { ms },
            CallAction::Done(v) => Step::Done(v),
            CallAction::Failed(e) => Step::Failed(e),
        }
    }

    fn on_reply(&mut self, id: u32, reply: Result<HttpResponse, TransportError>, now_ms: f64) {
        if id == self.attempts() {
            self.on_response(reply, now_ms);
        }
    }

    fn abort(&mut self, _now_ms: f64) {
        ApiCall::abort(self);
    }
}
