//! Retry and polling policy: which failures are retried, how long to wait
//! (capped exponential backoff with full jitter, or the server's
//! `Retry-After`), and the adaptive status-polling cadence.
//!
//! Randomness comes from a seeded xorshift generator so that the host supplies
//! the seed and tests are reproducible.

use crate::http::{HttpResponse, TransportError};
use crate::iso_time::parse_http_date_ms;

/// When and how often failed requests are repeated.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Total attempts per request, the first included.
    pub max_attempts: u32,
    /// Backoff ceiling for attempt `n` is `base_delay_ms * 2^(n-1)`, capped by `max_delay_ms`.
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
    /// No retry is scheduled if it would start later than this after the first attempt.
    pub max_total_ms: u64,
    /// The longest `Retry-After` honoured as it is; a longer one is cut to this.
    pub max_retry_after_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base_delay_ms: 500,
            max_delay_ms: 10_000,
            max_total_ms: 120_000,
            max_retry_after_ms: u64::MAX,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }
}

/// Status polling cadence. A person watching a build wants each line within half a
/// second; the server wants few requests. A steady poll every `steady_interval_ms`
/// does both: the wait for a line is at most one interval (p95 ≈ 0.95 × 470 ms), at
/// less than half the official SDK's requests (one every 200 ms). Learning when the
/// server writes its batches was tried and missed whenever steps ended at irregular
/// times (p95 near 1.5 s). Only a build quiet for `quiet_after_ms` is polled less and
/// less often, up to `max_interval_ms`.
#[derive(Clone, Debug, PartialEq)]
pub struct PollPolicy {
    /// The first quiet interval of the back-off.
    pub min_interval_ms: u64,
    /// The delay between polls while the build logs.
    pub steady_interval_ms: u64,
    /// After this long without an entry the polls back off.
    pub quiet_after_ms: u64,
    /// Upper bound of the delay while quiet.
    pub max_interval_ms: u64,
    /// Growth of the quiet delay after each empty poll, in percent (150: ×1.5).
    pub backoff_percent: u64,
    /// Extra polls after `ready`/`error` to collect late log entries.
    pub max_drain_polls: u32,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            min_interval_ms: 200,
            steady_interval_ms: 470,
            quiet_after_ms: 20_000,
            max_interval_ms: 2_000,
            backoff_percent: 150,
            max_drain_polls: 10,
        }
    }
}

impl PollPolicy {
    /// The official SDK's cadence: a fixed 200 ms and no drain.
    pub fn fixed_200ms() -> Self {
        PollPolicy {
            min_interval_ms: 200,
            steady_interval_ms: 200,
            quiet_after_ms: u64::MAX,
            max_interval_ms: 200,
            backoff_percent: 100,
            max_drain_polls: 0,
        }
    }

    /// The next interval after a poll, given the current one and whether the poll
    /// brought new entries.
    pub fn next_interval(&self, current_ms: u64, had_entries: bool) -> u64 {
        if had_entries {
            return self.min_interval_ms;
        }
        let grown = current_ms.saturating_mul(self.backoff_percent.max(100)) / 100;
        grown.clamp(
            self.min_interval_ms,
            self.max_interval_ms.max(self.min_interval_ms),
        )
    }
}

/// A tiny xorshift64* generator; good enough for jitter, never for secrets.
#[derive(Clone, Debug)]
pub struct Jitter {
    state: u64,
}

impl Jitter {
    /// Seeds the generator (any seed works; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Jitter {
            state: if seed == 0 {
                0x9E37_79B9_7F4A_7C15
            } else {
                seed
            },
        }
    }

    /// The next pseudo-random 64-bit value.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `0..=max`.
    pub fn up_to(&mut self, max: u64) -> u64 {
        if max == u64::MAX {
            return self.next_u64();
        }
        self.next_u64() % (max + 1)
    }
}

/// A `Retry-After` delay-seconds value (`7`, or a decimal such as `0.5`, which some
/// servers send) in whole milliseconds, rounded up; `None` when it is not one.
/// Integer arithmetic only, so no float parser is needed.
pub fn delay_seconds_ms(value: &str) -> Option<u64> {
    let value = value.trim();
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (!fraction.is_empty() && !digits(fraction)) || value.ends_with('.') {
        return None;
    }
    // Beyond ~31 years a delay means "never"; cap instead of overflowing.
    let seconds: u64 = if whole.len() > 9 {
        999_999_999
    } else {
        novita_template_json::text::parse_u64(whole)?
    };
    let mut millis = 0u64;
    for (i, b) in fraction.bytes().enumerate() {
        let d = u64::from(b - b'0');
        match i {
            0 => millis += d * 100,
            1 => millis += d * 10,
            2 => millis += d,
            _ if d > 0 => return Some(seconds * 1000 + millis + 1),
            _ => {}
        }
    }
    Some(seconds * 1000 + millis)
}

/// `Retry-After` in milliseconds: delay-seconds (integer or decimal) or an
/// HTTP-date relative to `now_ms`. `None` when absent or unreadable.
pub fn retry_after_ms(response: &HttpResponse, now_ms: f64) -> Option<u64> {
    let value = response.header("retry-after")?;
    if let Some(ms) = delay_seconds_ms(value) {
        return Some(ms);
    }
    let at = parse_http_date_ms(value.trim())?;
    Some((at - now_ms).max(0.0) as u64)
}

/// Whether an outcome may be retried at all for a request of this idempotency.
pub fn is_retryable(outcome: &Result<HttpResponse, TransportError>, idempotent: bool) -> bool {
    match outcome {
        Err(TransportError::Aborted | TransportError::Unreadable(_)) => false,
        Err(_) => idempotent,
        Ok(response) if response.status == 429 => true,
        Ok(response) => idempotent && (500..=599).contains(&response.status),
    }
}

/// Decides whether to retry after attempt number `attempts_made` (1-based)
/// failed with `outcome`, `elapsed_ms` after the first attempt started.
/// Returns the delay before the next attempt, or `None` to give up.
pub fn retry_delay(
    policy: &RetryPolicy,
    jitter: &mut Jitter,
    outcome: &Result<HttpResponse, TransportError>,
    idempotent: bool,
    attempts_made: u32,
    elapsed_ms: u64,
    now_ms: f64,
) -> Option<u64> {
    if !is_retryable(outcome, idempotent) || attempts_made >= policy.max_attempts {
        return None;
    }
    let server_delay = match outcome {
        Ok(response) => retry_after_ms(response, now_ms),
        Err(_) => None,
    };
    let delay = match server_delay {
        Some(ms) => ms.min(policy.max_retry_after_ms),
        None => {
            let exp = attempts_made.saturating_sub(1).min(40);
            let ceiling = policy
                .base_delay_ms
                .saturating_mul(1u64 << exp)
                .min(policy.max_delay_ms);
            jitter.up_to(ceiling)
        }
    };
    if elapsed_ms.saturating_add(delay) > policy.max_total_ms {
        return None;
    }
    Some(delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16, headers: &[(&str, &str)]) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse {
            status: code,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        })
    }

    #[test]
    fn retryable_outcomes() {
        assert!(is_retryable(&Err(TransportError::Timeout), true));
        assert!(!is_retryable(&Err(TransportError::Timeout), false));
        assert!(!is_retryable(&Err(TransportError::Aborted), true));
        assert!(is_retryable(&status(429, &[]), false));
        assert!(is_retryable(&status(503, &[]), true));
        assert!(!is_retryable(&status(503, &[]), false));
        assert!(!is_retryable(&status(404, &[]), true));
    }

    #[test]
    fn full_jitter_stays_under_the_capped_ceiling() {
        let p = RetryPolicy::default();
        let mut j = Jitter::new(42);
        let err = Err(TransportError::Network("reset".into()));
        for attempt in 1..6 {
            let ceiling = (500u64 << (attempt - 1)).min(10_000);
            let mut seen_max = 0;
            for _ in 0..200 {
                let d = retry_delay(&p, &mut j, &err, true, attempt, 0, 0.0).unwrap();
                assert!(d <= ceiling);
                seen_max = seen_max.max(d);
            }
            assert!(
                seen_max > ceiling / 2,
                "jitter should spread: {seen_max} of {ceiling}"
            );
        }
        assert_eq!(retry_delay(&p, &mut j, &err, true, 6, 0, 0.0), None);
        assert_eq!(retry_delay(&p, &mut j, &err, true, 1, 120_000, 0.0), None);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let p = RetryPolicy::default();
        let mut j = Jitter::new(1);
        assert_eq!(
            retry_delay(
                &p,
                &mut j,
                &status(429, &[("retry-after", "3")]),
                false,
                1,
                0,
                0.0
            ),
            Some(3000)
        );
        assert_eq!(
            retry_delay(
                &p,
                &mut j,
                &status(503, &[("retry-after", "0.5")]),
                true,
                1,
                0,
                0.0
            ),
            Some(500)
        );
        let now = 784_111_777_000.0 - 7000.0;
        assert_eq!(
            retry_delay(
                &p,
                &mut j,
                &status(429, &[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]),
                false,
                1,
                0,
                now
            ),
            Some(7000)
        );
        // A Retry-After beyond the overall cap means giving up now.
        assert_eq!(
            retry_delay(
                &p,
                &mut j,
                &status(429, &[("retry-after", "3600")]),
                false,
                1,
                0,
                0.0
            ),
            None
        );
    }

    #[test]
    fn delay_seconds() {
        assert_eq!(delay_seconds_ms("7"), Some(7000));
        assert_eq!(delay_seconds_ms(" 0.5 "), Some(500));
        assert_eq!(delay_seconds_ms("1.2345"), Some(1235));
        assert_eq!(delay_seconds_ms("1.2340"), Some(1234));
        assert_eq!(
            delay_seconds_ms("99999999999999999999"),
            Some(999_999_999_000)
        );
        for bad in ["", "-1", "1.", ".5", "1e3", "abc", "1,5"] {
            assert_eq!(delay_seconds_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn adaptive_interval() {
        let p = PollPolicy::default();
        assert_eq!(p.next_interval(200, false), 300);
        assert_eq!(p.next_interval(1800, false), 2000);
        assert_eq!(p.next_interval(2000, true), 200);
        assert_eq!(PollPolicy::fixed_200ms().next_interval(200, false), 200);
    }
}
