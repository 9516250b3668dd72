//! One API request with the retry policy, for the calls outside a build
//! (aliases, tags, get, list, delete, status, sandbox create/kill).
//!
//! Driven like the build session: loop on [`ApiCall::next_action`]; send on
//! `Send`, sleep on `Sleep`; on `Response` hand the reply to the matching
//! `wire::parse_*` function, which maps statuses to results or errors.

use crate::endpoint::Endpoint;
use crate::errors::{error_from_transport, ErrorClass, FlowError};
use crate::http::{HttpRequest, HttpResponse, TransportError};
use crate::retry::{retry_delay, Jitter, RetryPolicy};

/// What the host must do next for an [`ApiCall`].
#[derive(Clone, Debug, PartialEq)]
pub enum CallAction {
    /// Send this request, then call [`ApiCall::on_response`].
    Send(HttpRequest),
    /// Wait this long, then ask again.
    Sleep { ms: u64 },
    /// The final reply (any status): parse it with the endpoint's parser.
    Response(HttpResponse),
    /// No reply could be obtained.
    Failed(FlowError),
}

/// A single request plus its retry state.
#[derive(Clone, Debug)]
pub struct ApiCall {
    request: HttpRequest,
    endpoint: Endpoint,
    policy: RetryPolicy,
    jitter: Jitter,
    attempts: u32,
    first_started_ms: Option<f64>,
    ready_at_ms: f64,
    in_flight: bool,
    outcome: Option<Result<HttpResponse, FlowError>>,
}

impl ApiCall {
    /// Prepares `request` (from a `wire` builder) for `endpoint`.
    pub fn new(request: HttpRequest, endpoint: Endpoint, policy: RetryPolicy, seed: u64) -> Self {
        ApiCall {
            request,
            endpoint,
            policy,
            jitter: Jitter::new(seed),
            attempts: 0,
            first_started_ms: None,
            ready_at_ms: f64::NEG_INFINITY,
            in_flight: false,
            outcome: None,
        }
    }

    /// How many attempts were started.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Cancels the call; the next action is `Failed(AbortError)`.
    pub fn abort(&mut self) {
        if self.outcome.is_none() {
            self.outcome = Some(Err(FlowError::new(
                ErrorClass::AbortError,
                "The request was aborted",
            )));
        }
    }

    /// The next thing to do.
    pub fn next_action(&mut self, now_ms: f64) -> CallAction {
        match &self.outcome {
            Some(Ok(response)) => return CallAction::Response(response.clone()),
            Some(Err(error)) => return CallAction::Failed(error.clone()),
            None => {}
        }
        if self.in_flight {
            // The host asked again before replying; repeat the pending send.
            return CallAction::Send(self.request.clone());
        }
        if self.ready_at_ms > now_ms {
            return CallAction::Sleep {
                ms: (self.ready_at_ms - now_ms).ceil().max(1.0) as u64,
            };
        }
        self.in_flight = true;
        self.attempts += 1;
        self.first_started_ms.get_or_insert(now_ms);
        CallAction::Send(self.request.clone())
    }

    /// Reports the reply of the last `Send`.
    pub fn on_response(&mut self, result: Result<HttpResponse, TransportError>, now_ms: f64) {
        if self.outcome.is_some() || !self.in_flight {
            return;
        }
        self.in_flight = false;
        let failed = result.as_ref().map_or(true, |r| !r.is_success());
        if failed {
            let elapsed = (now_ms - self.first_started_ms.unwrap_or(now_ms)).max(0.0) as u64;
            if let Some(delay) = retry_delay(
                &self.policy,
                &mut self.jitter,
                &result,
                self.request.idempotent,
                self.attempts,
                elapsed,
                now_ms,
            ) {
                self.ready_at_ms = now_ms + delay as f64;
                return;
            }
        }
        self.outcome = Some(match result {
            Ok(response) => Ok(response),
            Err(e) => Err(error_from_transport(
                self.endpoint,
                &e,
                self.request.timeout_ms,
            )),
        });
    }
}
