//! `defaultBuildLogger`'s state and text (the face owns the console and the timer),
//! and `stripAnsi`.

use alloc::string::String;

use novita_template_flow::build_logger::{BuildLoggerState, ColorLevel, SPINNER_INTERVAL_MS};
use novita_template_flow::log_entry::{LogEntry, LogKind};
use novita_template_json::Json;
use wasm_bindgen::prelude::*;

use crate::builder_options::DefaultBuildLoggerOptions;
use crate::interop::{invalid, thrown, Args, Environment, Exported};

/// Removes ANSI escape sequences (colours, cursor moves) from `text`.
#[wasm_bindgen(js_name = stripAnsi)]
pub fn strip_ansi(text: &str) -> String {
    novita_template_flow::ansi::strip_ansi(text)
}

/// chalk's rule, in short: colours on a terminal unless `NO_COLOR`; `FORCE_COLOR` wins.
fn color_level(env: &Environment, is_tty: bool) -> ColorLevel {
    match env.var("FORCE_COLOR") {
        Some("0") | Some("false") => return ColorLevel::None,
        Some("1") => return ColorLevel::Basic,
        Some("2") => return ColorLevel::Ansi256,
        Some(_) => return ColorLevel::TrueColor,
        None => {}
    }
    if !is_tty || env.var("NO_COLOR").is_some() || env.var("TERM") == Some("dumb") {
        ColorLevel::None
    } else {
        ColorLevel::TrueColor
    }
}

/// The state of one `defaultBuildLogger({minLevel})` callback.
#[wasm_bindgen]
pub struct Logger {
    state: BuildLoggerState,
}

#[wasm_bindgen]
impl Logger {
    /// `args_json` is `[options]`; `environment_json` as for the calls (its `env`
    /// carries `FORCE_COLOR`, `NO_COLOR`, `TERM`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        args_json: &str,
        environment_json: &str,
        is_tty: bool,
        now: f64,
    ) -> Exported<Logger> {
        let method = "defaultBuildLogger";
        let args = Args::parse(method, args_json).map_err(thrown)?;
        let o: DefaultBuildLoggerOptions = args.options(0).map_err(thrown)?;
        if let Some(l) = &o.min_level {
            if !["debug", "info", "warn", "error"].contains(&l.as_str()) {
                let what = "option `minLevel` must be one of debug, info, warn, error";
                return Err(thrown(invalid(method, "minLevel", what)));
            }
        }
        let env = Environment::parse(environment_json);
        let color = color_level(&env, is_tty);
        Ok(Logger {
            state: BuildLoggerState::new(o.min_level.as_deref(), now, is_tty, color),
        })
    }

    /// One entry (`kind` 0 normal, 1 start, 2 end): `{"write", "start", "stop"}`: text to
    /// print, the spinner timer's interval in ms to start (0: none), whether to stop it.
    pub fn handle(
        &mut self,
        kind: u8,
        level: &str,
        message: &str,
        timestamp: f64,
        local_time: &str,
        now: f64,
    ) -> String {
        let kind = match kind {
            1 => LogKind::Start,
            2 => LogKind::End,
            _ => LogKind::Normal,
        };
        let entry = LogEntry {
            timestamp_ms: timestamp,
            level: level.into(),
            message: message.into(),
            kind,
        };
        let out = self.state.handle(&entry, now, local_time);
        Json::Obj(alloc::vec![
            ("write".into(), Json::str(out.write)),
            (
                "start".into(),
                Json::int(if out.start_interval {
                    SPINNER_INTERVAL_MS as i64
                } else {
                    0
                }),
            ),
            ("stop".into(), Json::Bool(out.stop_interval)),
        ])
        .to_compact()
    }

    /// The spinner's redraw (empty when not on a terminal).
    pub fn tick(&mut self, now: f64) -> String {
        self.state.tick(now)
    }
}
