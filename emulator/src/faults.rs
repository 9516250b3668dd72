//! Fault injection for reliability tests: latency, 500s, 429s with `Retry-After`,
//! and connections closed without a reply. Faults are decided before a request
//! reaches its handler, so a faulted request never changes state.

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

    /// Rolls the dice for one request: drop, then 429, then 500, each with its own rate.
    pub fn roll(&self) -> Fault {
        let c = &self.config;
        if c.drop_rate <= 0.0 && c.rate_limit_rate <= 0.0 && c.error_rate <= 0.0 {
            return Fault::None;
        }
        let mut dice = self.dice.lock().unwrap_or_else(|p| p.into_inner());
        if dice.f64() < c.drop_rate {
            Fault::Drop
        } else if dice.f64() < c.rate_limit_rate {
            Fault::RateLimit
        } else if dice.f64() < c.error_rate {
            Fault::ServerError
        } else {
            Fault::None
        }
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
        assert_eq!(always(|c| c.drop_rate = 1.0), Fault::Drop);
        assert_eq!(always(|c| c.rate_limit_rate = 1.0), Fault::RateLimit);
        assert_eq!(always(|c| c.error_rate = 1.0), Fault::ServerError);
        assert_eq!(always(|_| {}), Fault::None);
    }

    #[test]
    fn a_seed_repeats_the_sequence() {
        let seq = |seed| {
            let f = FaultInjector::new(Faults {
                error_rate: 0.5,
                seed: Some(seed),
                ..Faults::default()
            });
            (0..32).map(|_| f.roll()).collect::<Vec<_>>()
        };
        assert_eq!(seq(42), seq(42));
        assert!(seq(42).contains(&Fault::ServerError) && seq(42).contains(&Fault::None));
    }
}
