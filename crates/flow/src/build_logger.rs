//! The default build logger's behaviour (docs/wire-contract.md §1.7) as pure functions plus
//! a small state holder. The host supplies the clock, the locale time string
//! (`toLocaleTimeString`), whether stdout is a terminal and the colour level,
//! and writes the returned text.

use crate::log_entry::{LogEntry, LogKind};
use crate::prelude::*;

/// Interval at which a terminal host should call [`BuildLoggerState::tick`].
pub const SPINNER_INTERVAL_MS: u64 = 150;

/// Spinner frames, in order.
pub const SPINNER_FRAMES: [&str; 8] = ["⣾", "⣽", "⣻", "⢿", "⡿", "⣟", "⣯", "⣷"];

/// How much colour the terminal supports (chalk's levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorLevel {
    None,
    Basic,
    Ansi256,
    TrueColor,
}

/// The order of a level (`debug` 0 … `error` 3); `None` for unknown levels.
pub fn level_order(level: &str) -> Option<u8> {
    match level {
        "debug" => Some(0),
        "info" => Some(1),
        "warn" => Some(2),
        "error" => Some(3),
        _ => None,
    }
}

/// Whether an entry passes the `minLevel` filter. As in the official logger,
/// an unknown entry level or an unknown `min_level` never filters.
pub fn passes_min_level(entry_level: &str, min_level: &str) -> bool {
    match (level_order(entry_level), level_order(min_level)) {
        (Some(e), Some(m)) => e >= m,
        _ => true,
    }
}

/// `Number.prototype.toFixed(1)` for `x >= 0`: the nearest tenth of the exact binary
/// value, an exact tie going up (`0.25` gives `0.3`, `0.35`, stored as 0.34999…, gives
/// `0.3`). Integer arithmetic on the float's bits: no float formatting is needed.
/// Negative, infinite and NaN values (never an elapsed time) give `0.0`.
pub fn to_fixed_1(x: f64) -> String {
    let tenths = if x.is_finite() && x > 0.0 {
        let bits = x.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i64;
        let fraction = bits & ((1 << 52) - 1);
        let (mantissa, exp) = if exponent == 0 {
            (u128::from(fraction), -1074)
        } else {
            (u128::from(fraction | (1 << 52)), exponent - 1075)
        };
        // x = mantissa × 2^exp; tenths = floor(10x + 1/2).
        if exp >= 0 {
            (mantissa * 10).checked_shl(exp as u32).unwrap_or(u128::MAX)
        } else if exp < -100 {
            0
        } else {
            let shift = (-exp) as u32;
            (mantissa * 10 + (1u128 << (shift - 1))) >> shift
        }
    } else {
        0
    };
    // The decimal digits of `tenths`, with the point before the last one (u64 math:
    // a u128 division would cost a kilobyte of wasm for times no build reaches).
    let mut digits = Vec::new();
    let mut rest = u64::try_from(tenths).unwrap_or(u64::MAX);
    while rest > 0 || digits.len() < 2 {
        digits.push(b'0' + (rest % 10) as u8);
        rest /= 10;
    }
    let mut out = String::with_capacity(digits.len() + 1);
    for (i, d) in digits.iter().rev().enumerate() {
        if i == digits.len() - 1 {
            out.push('.');
        }
        out.push(char::from(*d));
    }
    out
}

/// The elapsed-time column: seconds with one decimal and `s`, padded to 5.
pub fn format_elapsed(elapsed_ms: f64) -> String {
    let mut text = to_fixed_1(elapsed_ms.max(0.0) / 1000.0);
    text.push('s');
    while text.len() < 5 {
        text.push(' ');
    }
    text
}

fn paint(text: &str, open: &str, close: &str, color: ColorLevel) -> String {
    if color == ColorLevel::None {
        text.to_string()
    } else {
        novita_template_json::cat!("\u{1b}[", open, "m", text, "\u{1b}[", close, "m")
    }
}

/// An orange-ish hex colour at each chalk level.
fn hex_open(rgb: (u8, u8, u8), ansi256: u8, basic: u8, color: ColorLevel) -> String {
    match color {
        ColorLevel::TrueColor => novita_template_json::cat!(
            "38;2;",
            &u64_text(rgb.0.into()),
            ";",
            &u64_text(rgb.1.into()),
            ";",
            &u64_text(rgb.2.into()),
        ),
        ColorLevel::Ansi256 => novita_template_json::cat!("38;5;", &u64_text(ansi256.into())),
        _ => u64_text(basic.into()),
    }
}

/// The 5-character level label, coloured like the official logger. Unknown
/// levels get the `INFO ` label.
pub fn level_label(level: &str, color: ColorLevel) -> String {
    match level {
        "error" => paint("ERROR", "31", "39", color),
        "warn" => paint(
            "WARN ",
            &hex_open((0xff, 0x44, 0x00), 202, 91, color),
            "39",
            color,
        ),
        "debug" => paint("DEBUG", "90", "39", color),
        _ => paint(
            "INFO ",
            &hex_open((0xff, 0x88, 0x00), 214, 93, color),
            "39",
            color,
        ),
    }
}

/// One output line including the trailing newline:
/// `<elapsed> | <time> <LABEL> <message>\n`. The message is printed as is.
pub fn format_line(
    entry: &LogEntry,
    elapsed_ms: f64,
    local_time: &str,
    color: ColorLevel,
) -> String {
    novita_template_json::cat!(
        &format_elapsed(elapsed_ms),
        " | ",
        &paint(local_time, "2", "22", color),
        " ",
        &level_label(&entry.level, color),
        " ",
        &entry.message,
        "\n",
    )
}

/// The spinner line for frame counter `frame` (already incremented):
/// `<frame> Building <seconds>s\r`.
pub fn spinner_line(frame: u64, elapsed_ms: f64) -> String {
    let glyph = SPINNER_FRAMES[(frame % SPINNER_FRAMES.len() as u64) as usize];
    novita_template_json::cat!(
        glyph,
        " Building ",
        &to_fixed_1(elapsed_ms.max(0.0) / 1000.0),
        "s\r",
    )
}

/// What the host must do after [`BuildLoggerState::handle`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoggerOutput {
    /// Text to write to stdout (may be empty).
    pub write: String,
    /// Start calling `tick` every [`SPINNER_INTERVAL_MS`].
    pub start_interval: bool,
    /// Stop the interval.
    pub stop_interval: bool,
}

/// The state of one `defaultBuildLogger({minLevel})` callback.
#[derive(Clone, Debug)]
pub struct BuildLoggerState {
    pub min_level: String,
    pub start_ms: f64,
    pub frame: u64,
    pub is_tty: bool,
    pub color: ColorLevel,
}

impl BuildLoggerState {
    /// A logger created at `now_ms`. `min_level` defaults to `info`.
    pub fn new(min_level: Option<&str>, now_ms: f64, is_tty: bool, color: ColorLevel) -> Self {
        BuildLoggerState {
            min_level: min_level.unwrap_or("info").to_string(),
            start_ms: now_ms,
            frame: 0,
            is_tty,
            color,
        }
    }

    /// Handles one entry; `local_time` is the entry timestamp's
    /// `toLocaleTimeString(undefined, {hour, minute, second: '2-digit'})`.
    pub fn handle(&mut self, entry: &LogEntry, now_ms: f64, local_time: &str) -> LoggerOutput {
        match entry.kind {
            LogKind::Start => {
                if !self.is_tty {
                    return LoggerOutput::default();
                }
                self.start_ms = now_ms;
                self.frame = 0;
                LoggerOutput {
                    write: self.tick(now_ms),
                    start_interval: true,
                    stop_interval: false,
                }
            }
            LogKind::End => LoggerOutput {
                stop_interval: true,
                ..Default::default()
            },
            LogKind::Normal => {
                if !passes_min_level(&entry.level, &self.min_level) {
                    return LoggerOutput::default();
                }
                let mut write = format_line(entry, now_ms - self.start_ms, local_time, self.color);
                write.push_str(&self.tick(now_ms));
                LoggerOutput {
                    write,
                    ..Default::default()
                }
            }
        }
    }

    /// The spinner redraw (empty when not a terminal).
    pub fn tick(&mut self, now_ms: f64) -> String {
        if !self.is_tty {
            return String::new();
        }
        self.frame += 1;
        spinner_line(self.frame, now_ms - self.start_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_fixed_rounds_like_javascript() {
        assert_eq!(to_fixed_1(0.0), "0.0");
        assert_eq!(to_fixed_1(0.25), "0.3"); // exact tie: away from zero
        assert_eq!(to_fixed_1(0.35), "0.3"); // 0.35 is 0.34999… in binary
        assert_eq!(to_fixed_1(12.345), "12.3");
        assert_eq!(to_fixed_1(9.96), "10.0");
        assert_eq!(to_fixed_1(99.95), "100.0"); // 99.950000000000003…
        assert_eq!(to_fixed_1(-0.04), "0.0");
        assert_eq!(to_fixed_1(2.05), "2.0"); // 2.04999… in binary
        assert_eq!(to_fixed_1(1.05), "1.1"); // 1.05000…04 in binary
        assert_eq!(to_fixed_1(1e17), "100000000000000000.0");
        assert_eq!(to_fixed_1(5e-324), "0.0");
    }

    #[test]
    fn plain_line_matches_observed_output() {
        let e = LogEntry::new(0.0, "warn", "a warn message");
        assert_eq!(
            format_line(&e, 0.0, "10:00:01 AM", ColorLevel::None),
            "0.0s  | 10:00:01 AM WARN  a warn message\n"
        );
        assert_eq!(format_elapsed(12_345.0), "12.3s");
    }

    #[test]
    fn coloured_labels_match_chalk() {
        assert_eq!(
            level_label("warn", ColorLevel::TrueColor),
            "\u{1b}[38;2;255;68;0mWARN \u{1b}[39m"
        );
        assert_eq!(
            level_label("info", ColorLevel::TrueColor),
            "\u{1b}[38;2;255;136;0mINFO \u{1b}[39m"
        );
        assert_eq!(
            level_label("error", ColorLevel::Basic),
            "\u{1b}[31mERROR\u{1b}[39m"
        );
        assert_eq!(
            level_label("debug", ColorLevel::Ansi256),
            "\u{1b}[90mDEBUG\u{1b}[39m"
        );
        assert_eq!(level_label("trace", ColorLevel::None), "INFO ");
        let e = LogEntry::new(0.0, "info", "m");
        assert_eq!(
            format_line(&e, 1500.0, "10:00:01", ColorLevel::TrueColor),
            "1.5s  | \u{1b}[2m10:00:01\u{1b}[22m \u{1b}[38;2;255;136;0mINFO \u{1b}[39m m\n"
        );
    }

    #[test]
    fn filter_and_spinner() {
        assert!(!passes_min_level("debug", "info"));
        assert!(passes_min_level("error", "warn"));
        assert!(passes_min_level("custom", "error"));
        assert!(passes_min_level("debug", "bogus"));
        let mut s = BuildLoggerState::new(None, 0.0, true, ColorLevel::None);
        let out = s.handle(&LogEntry::start(1000.0, "Build started"), 1000.0, "");
        assert!(out.start_interval);
        assert_eq!(out.write, "⣽ Building 0.0s\r"); // counter incremented before use
        let out = s.handle(&LogEntry::new(0.0, "debug", "hidden"), 1100.0, "");
        assert_eq!(out.write, "");
        let out = s.handle(&LogEntry::info(0.0, "shown"), 3000.0, "t");
        assert_eq!(out.write, "2.0s  | t INFO  shown\n⣻ Building 2.0s\r");
        assert!(
            s.handle(&LogEntry::end(0.0, "Build finished"), 0.0, "")
                .stop_interval
        );
        let mut quiet = BuildLoggerState::new(Some("debug"), 0.0, false, ColorLevel::None);
        assert_eq!(
            quiet
                .handle(&LogEntry::new(0.0, "debug", "x"), 0.0, "t")
                .write,
            "0.0s  | t DEBUG x\n"
        );
    }
}
