//! The one retrying unit: the attempt bookkeeping of a request (how many attempts,
//! since when, when the next may start, whether one is in flight) under a
//! [`RetryPolicy`]. Every machine that sends requests keeps one per request.

use crate::http::{HttpResponse, TransportError};
use crate::retry::{retry_delay, Jitter, RetryPolicy};

/// Attempts of one request.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempts {
    made: u32,
    first_started_ms: Option<f64>,
    ready_at_ms: f64,
    in_flight: bool,
}

impl Attempts {
    /// No attempt yet; the first may start at `ready_at_ms`.
    pub fn new(ready_at_ms: f64) -> Attempts {
        Attempts {
            made: 0,
            first_started_ms: None,
            ready_at_ms,
            in_flight: false,
        }
    }

    /// Attempts that continue a request whose `made` attempts were made elsewhere (a
    /// trigger repeated after a status check): the next may start at `ready_at_ms`.
    pub fn resumed(made: u32, ready_at_ms: f64) -> Attempts {
        Attempts {
            made,
            ..Attempts::new(ready_at_ms)
        }
    }

    /// Whether an attempt may start now.
    pub fn is_due(&self, now_ms: f64) -> bool {
        !self.in_flight && self.ready_at_ms <= now_ms
    }

    /// Whether an attempt is in flight.
    pub fn in_flight(&self) -> bool {
        self.in_flight
    }

    /// When the next attempt may start (`None` while one is in flight).
    pub fn ready_at_ms(&self) -> Option<f64> {
        (!self.in_flight).then_some(self.ready_at_ms)
    }

    /// Attempts started so far.
    pub fn made(&self) -> u32 {
        self.made
    }

    /// Records the start of an attempt.
    pub fn start(&mut self, now_ms: f64) {
        self.in_flight = true;
        self.made += 1;
        self.first_started_ms.get_or_insert(now_ms);
    }

    /// Records the end of the attempt in flight with `outcome`. A failure that the
    /// policy retries schedules the next attempt and returns its delay; anything else
    /// (a success, or a failure that is final) returns `None`.
    pub fn finish(
        &mut self,
        outcome: &Result<HttpResponse, TransportError>,
        idempotent: bool,
        policy: &RetryPolicy,
        jitter: &mut Jitter,
        now_ms: f64,
    ) -> Option<u64> {
        self.in_flight = false;
        let failed = outcome.as_ref().map_or(true, |r| !r.is_success());
        if !failed {
            return None;
        }
        let elapsed = (now_ms - self.first_started_ms.unwrap_or(now_ms)).max(0.0) as u64;
        let delay = retry_delay(
            policy, jitter, outcome, idempotent, self.made, elapsed, now_ms,
        )?;
        self.ready_at_ms = now_ms + delay as f64;
        Some(delay)
    }
}

/// Milliseconds from `now_ms` until `at_ms`, rounded up, at least 1.
pub fn ms_until(at_ms: f64, now_ms: f64) -> u64 {
    let d = at_ms - now_ms;
    if d <= 1.0 || d.is_nan() {
        return 1;
    }
    let whole = d as u64;
    if (whole as f64) < d {
        whole + 1
    } else {
        whole
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_schedules_the_next_attempt() {
        let policy = RetryPolicy::default();
        let mut jitter = Jitter::new(7);
        let mut a = Attempts::new(0.0);
        assert!(a.is_due(0.0));
        a.start(0.0);
        assert!(!a.is_due(0.0) && a.in_flight());
        let delay = a
            .finish(
                &Err(TransportError::Timeout),
                true,
                &policy,
                &mut jitter,
                100.0,
            )
            .unwrap();
        assert!(delay <= 500);
        assert_eq!(a.ready_at_ms(), Some(100.0 + delay as f64));
        assert_eq!(a.made(), 1);
        // Not idempotent: a timeout is final.
        a.start(1000.0);
        assert_eq!(
            a.finish(
                &Err(TransportError::Timeout),
                false,
                &policy,
                &mut jitter,
                1100.0
            ),
            None
        );
    }

    #[test]
    fn rounds_waits_up() {
        assert_eq!(ms_until(10.5, 0.0), 11);
        assert_eq!(ms_until(10.0, 0.0), 10);
        assert_eq!(ms_until(0.0, 5.0), 1);
    }
}
