//! Build log entries (docs/wire-contract.md §1.6): what `onBuildLogs` receives.

use crate::ansi::strip_ansi;
use crate::iso_time::parse_rfc3339_ms;
use crate::prelude::*;
use novita_template_json::shape::{Date, Encode, Ts, DATE_TAG, LOG_TAG};

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
}

/// A `LogEntry`, `LogEntryStart` or `LogEntryEnd` object on the JavaScript side:
/// `{"\u0000log": [kind, epoch ms, level, message]}`, revived by the face.
impl Encode for LogEntry {
    fn encode(&self) -> Option<Json> {
        let kind = match self.kind {
            LogKind::Normal => 0,
            LogKind::Start => 1,
            LogKind::End => 2,
        };
        let time = Date(self.timestamp_ms)
            .encode()
            .and_then(|d| d.get(DATE_TAG).cloned());
        Some(Json::Obj(vec![(
            LOG_TAG.into(),
            Json::Arr(vec![
                Json::int(kind),
                time.unwrap_or(Json::Null),
                Json::str(self.level.as_str()),
                Json::str(self.message.as_str()),
            ]),
        )]))
    }
}

impl Ts for LogEntry {
    fn ts() -> String {
        "LogEntry".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_entries_are_stripped_and_timed() {
        let e = LogEntry::from_server(
            "2026-01-01T00:00:02.000Z",
            "debug",
            "\u{1b}[32m[base]\u{1b}[0m pulling image",
            0.0,
        );
        assert_eq!(e.message, "[base] pulling image");
        assert_eq!(e.timestamp_ms, 1_767_225_602_000.0);
        assert_eq!(
            LogEntry::start(1.0, "Build started").kind.class_name(),
            "LogEntryStart"
        );
        assert_eq!(
            LogEntry::end(2.0, "done").encode().unwrap().to_compact(),
            "{\"\\u0000log\":[2,2,\"debug\",\"done\"]}"
        );
    }

    #[test]
    fn bad_server_timestamp_uses_receive_time() {
        let e = LogEntry::from_server("yesterday", "weird", "m", 5.0);
        assert_eq!((e.timestamp_ms, e.level.as_str()), (5.0, "weird"));
    }
}
