//! Build log entries (protocol §1.6): what `onBuildLogs` receives.

use crate::ansi::strip_ansi;
use crate::iso_time::{format_iso, parse_rfc3339_ms};
use crate::json_text::quote;

/// Which JavaScript class an entry is: `LogEntry`, `LogEntryStart` or `LogEntryEnd`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    Normal,
    Start,
    End,
}

impl LogKind {
    /// The JavaScript class name.
    pub fn class_name(self) -> &'static str {
        match self {
            LogKind::Normal => "LogEntry",
            LogKind::Start => "LogEntryStart",
            LogKind::End => "LogEntryEnd",
        }
    }
}

/// One log entry. `timestamp_ms` is epoch milliseconds (a JS `Date` value).
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub timestamp_ms: f64,
    /// `debug`, `info`, `warn`, `error`, or whatever the server sent.
    pub level: String,
    pub message: String,
    pub kind: LogKind,
}

impl LogEntry {
    /// A normal entry.
    pub fn new(timestamp_ms: f64, level: impl Into<String>, message: impl Into<String>) -> Self {
        LogEntry {
            timestamp_ms,
            level: level.into(),
            message: message.into(),
            kind: LogKind::Normal,
        }
    }

    /// An `info` entry, as the SDK's own progress messages are.
    pub fn info(timestamp_ms: f64, message: impl Into<String>) -> Self {
        LogEntry::new(timestamp_ms, "info", message)
    }

    /// `LogEntryStart` (level always `debug`).
    pub fn start(timestamp_ms: f64, message: impl Into<String>) -> Self {
        LogEntry {
            kind: LogKind::Start,
            ..LogEntry::new(timestamp_ms, "debug", message)
        }
    }

    /// `LogEntryEnd` (level always `debug`).
    pub fn end(timestamp_ms: f64, message: impl Into<String>) -> Self {
        LogEntry {
            kind: LogKind::End,
            ..LogEntry::new(timestamp_ms, "debug", message)
        }
    }

    /// An entry from the build server, as the polling loop delivers it: the
    /// message ANSI-stripped, the level passed through, the timestamp parsed
    /// from RFC 3339. An unparsable timestamp falls back to `received_ms`
    /// (the official SDK would hold an invalid `Date`, whose `toString` throws).
    pub fn from_server(timestamp: &str, level: &str, message: &str, received_ms: f64) -> Self {
        LogEntry::new(
            parse_rfc3339_ms(timestamp).unwrap_or(received_ms),
            level,
            strip_ansi(message),
        )
    }

    /// `toString()`: `[<ISO timestamp>] [<level>] <message without ANSI>`.
    pub fn to_display_string(&self) -> String {
        format!(
            "[{}] [{}] {}",
            format_iso(self.timestamp_ms),
            self.level,
            strip_ansi(&self.message)
        )
    }

    /// The timestamp as `Date.prototype.toISOString()` prints it.
    pub fn iso_timestamp(&self) -> String {
        format_iso(self.timestamp_ms)
    }

    /// `JSON.stringify(entry)`: `{"timestamp":"…Z","level":"…","message":"…"}`.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"timestamp\":{},\"level\":{},\"message\":{}}}",
            quote(&self.iso_timestamp()),
            quote(&self.level),
            quote(&self.message)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_string_matches_fixture() {
        let e = LogEntry::from_server(
            "2026-01-01T00:00:02.000Z",
            "debug",
            "\u{1b}[32m[base]\u{1b}[0m pulling image",
            0.0,
        );
        assert_eq!(e.message, "[base] pulling image");
        assert_eq!(
            e.to_display_string(),
            "[2026-01-01T00:00:02.000Z] [debug] [base] pulling image"
        );
        let s = LogEntry::start(1_795_870_020_997.0, "Build started");
        assert_eq!(
            s.to_display_string(),
            "[2026-11-28T12:47:00.997Z] [debug] Build started"
        );
        assert_eq!(s.kind.class_name(), "LogEntryStart");
        assert_eq!(
            LogEntry::info(0.0, "a\"b").to_json(),
            r#"{"timestamp":"1970-01-01T00:00:00.000Z","level":"info","message":"a\"b"}"#
        );
    }

    #[test]
    fn bad_server_timestamp_uses_receive_time() {
        let e = LogEntry::from_server("yesterday", "weird", "m", 5.0);
        assert_eq!((e.timestamp_ms, e.level.as_str()), (5.0, "weird"));
    }
}
