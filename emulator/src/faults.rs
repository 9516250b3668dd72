//! Fault injection for reliability tests: latency, 500s, 429s with `Retry-After`,
//! and connections closed without a reply. Faults are decided before a request
//! reaches its handler. A 429 always strikes first (nothing happens, as with a
//! rate limiter); a 500 or a drop strikes first or, for `late_share` of them,
//! after the handler ran: the request took effect but its reply is lost, so a
//! client cannot tell from the failure whether its request happened.

use std::sync::Mutex;
use std::time::Duration;

use crate::config::Faults;

/// What to do to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Close the connection without a reply.
    Drop,
    /// 429 with `Retry-After: 1`.
    RateLimit,
    /// 500 with a JSON body.
    ServerError,
}

/// The dice's verdict for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub fault: Fault,
    /// The fault replaces the handler's reply instead of preventing it (500 and
    /// drop only).
    pub late: bool,
}

pub struct FaultInjector {
    config: Faults,
    dice: Mutex<fastrand::Rng>,
}

impl FaultInjector {
    pub fn new(config: Faults) -> FaultInjector {
        let dice = match config.seed {
            Some(s) => fastrand::Rng::with_seed(s),
            None => fastrand::Rng::new(),
        };
        FaultInjector {
            config,
            dice: Mutex::new(dice),
        }
    }

    /// The delay to add to every API request.
    pub fn latency(&self) -> Option<Duration> {
        (self.config.latency_ms > 0).then(|| Duration::from_millis(self.config.latency_ms))
    }

    /// Rolls the dice for one request: drop, then 429, then 500, each with its own
    /// rate; then, for a 500 or a drop, whether it strikes after the handler.
    pub fn roll(&self) -> Verdict {
        let c = &self.config;
        let none = Verdict {
            fault: Fault::None,
            late: false,
        };
        if c.drop_rate <= 0.0 && c.rate_limit_rate <= 0.0 && c.error_rate <= 0.0 {
            return none;
        }
        let mut dice = self.dice.lock().unwrap_or_else(|p| p.into_inner());
        let fault = if dice.f64() < c.drop_rate {
            Fault::Drop
        } else if dice.f64() < c.rate_limit_rate {
            Fault::RateLimit
        } else if dice.f64() < c.error_rate {
            Fault::ServerError
        } else {
            return none;
        };
        let late = matches!(fault, Fault::Drop | Fault::ServerError) && dice.f64() < c.late_share;
        Verdict { fault, late }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_of_one_and_zero_are_deterministic() {
        let always = |f: fn(&mut Faults)| {
            let mut c = Faults::default();
            f(&mut c);
            FaultInjector::new(c).roll()
        };
        let verdict = |fault, late| Verdict { fault, late };
        assert_eq!(
            always(|c| {
                c.late_share = 0.0;
                c.drop_rate = 1.0
            }),
            verdict(Fault::Drop, false)
        );
        assert_eq!(
            always(|c| {
                c.late_share = 1.0;
                c.drop_rate = 1.0
            }),
            verdict(Fault::Drop, true)
        );
        assert_eq!(
            always(|c| {
                c.late_share = 1.0;
                c.rate_limit_rate = 1.0
            }),
            verdict(Fault::RateLimit, false),
            "a 429 never strikes late"
        );
        assert_eq!(
            always(|c| {
                c.late_share = 1.0;
                c.error_rate = 1.0
            }),
            verdict(Fault::ServerError, true)
        );
        assert_eq!(always(|_| {}), verdict(Fault::None, false));
    }

    #[test]
    fn a_late_share_splits_the_faults() {
        let f = FaultInjector::new(Faults {
            error_rate: 1.0,
            late_share: 0.5,
            seed: Some(3),
            ..Faults::default()
        });
        let late = (0..400).filter(|_| f.roll().late).count();
        assert!((120..=280).contains(&late), "{late} of 400 late");
    }

    #[test]
    fn a_seed_repeats_the_sequence() {
        let seq = |seed| {
            let f = FaultInjector::new(Faults {
                error_rate: 0.5,
                seed: Some(seed),
                ..Faults::default()
            });
            (0..32).map(|_| f.roll().fault).collect::<Vec<_>>()
        };
        assert_eq!(seq(42), seq(42));
        assert!(seq(42).contains(&Fault::ServerError) && seq(42).contains(&Fault::None));
    }
}
