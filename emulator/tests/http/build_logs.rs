//! The build log format the client derives progress from (README "Build logs"):
//! every entry has a step, steps come in order, a step's first entry names it (and
//! says CACHED when cached), the entries after it are its output, timestamps are
//! RFC 3339 and strictly increasing, and uncached steps take `--step-ms`.

use serde_json::Value;

use crate::support::*;
use novita_emulator::Config;

fn text(e: &Value) -> &str {
    e["message"].as_str().unwrap()
}

/// Checks the step rule on a whole log and returns the steps in order with their
/// entries.
fn steps_of(entries: &[Value], n: usize) -> Vec<(String, Vec<Value>)> {
    let order: Vec<String> = std::iter::once("base".to_string())
        .chain((1..=n).map(|i| i.to_string()))
        .chain(std::iter::once("finalize".to_string()))
        .collect();
    let mut steps: Vec<(String, Vec<Value>)> = Vec::new();
    let mut last_ts = i64::MIN;
    for e in entries {
        let step = e["step"]
            .as_str()
            .unwrap_or_else(|| panic!("entry without a step: {e}"))
            .to_string();
        let ts = timestamp_ms(e["timestamp"].as_str().unwrap());
        assert!(ts > last_ts, "timestamps must increase: {e}");
        last_ts = ts;
        match steps.last_mut() {
            Some((s, list)) if *s == step => {
                assert!(
                    !text(e).starts_with('[') && !text(e).starts_with("CACHED"),
                    "only a step's first entry names it: {e}"
                );
                list.push(e.clone());
            }
            _ => {
                let pos = order.iter().position(|s| *s == step).unwrap();
                if let Some((prev, _)) = steps.last() {
                    let prev_pos = order.iter().position(|s| s == prev).unwrap();
                    assert!(pos > prev_pos, "step {step} after {prev}");
                }
                let name = match step.as_str() {
                    "base" => "[base] ".to_string(),
                    "finalize" => "[finalize] ".to_string(),
                    k => format!("[builder {k}/{n}] "),
                };
                let rest = text(e).strip_prefix("CACHED ").unwrap_or(text(e));
                assert!(rest.starts_with(&name), "{e} does not start step {step}");
                steps.push((step, vec![e.clone()]));
            }
        }
    }
    steps
}

#[test]
fn a_cached_step_and_a_failing_step_follow_the_step_rule() {
    let dir = temp_dir("logs");
    let step_ms = 150;
    let emu = Emu::with_config(Config {
        step_ms,
        ..config(&dir)
    });
    // Cache the base and step 1, then build three steps: 1 cached, 2 runs, 3 fails.
    let (_, _, s, _) = emu.build("steps", &run_body(&["echo one"]));
    assert_eq!(s["status"], "ready");
    let (t, b, s, _) = emu.build(
        "steps",
        &run_body(&["echo one", "pip install flask", "make __fail__"]),
    );
    assert_eq!(s["status"], "error");
    let entries = emu.all_entries(&t, &b);
    let steps = steps_of(&entries, 3);
    let names: Vec<&str> = steps.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        names,
        ["base", "1", "2", "3"],
        "no finalize after a failure"
    );

    // Cached steps: one entry, saying so.
    assert_eq!(steps[0].1.len(), 1);
    assert_eq!(text(&steps[0].1[0]), "CACHED [base] FROM TEMPLATE base");
    assert_eq!(steps[1].1.len(), 1);
    assert_eq!(text(&steps[1].1[0]), "CACHED [builder 1/3] RUN echo one");
    // The step that ran: its command and its output.
    let two: Vec<&str> = steps[2].1.iter().map(text).collect();
    assert_eq!(
        two,
        [
            "[builder 2/3] RUN pip install flask",
            "Collecting flask",
            "Installing collected packages: flask",
            "Successfully installed flask"
        ]
    );
    // The failing step ends with the reason, at level error.
    let three = &steps[3].1;
    assert_eq!(text(&three[0]), "[builder 3/3] RUN make __fail__");
    let last = three.last().unwrap();
    assert_eq!(last["level"], "error");
    assert_eq!(last["message"], s["reason"]["message"]);
    assert_eq!(s["reason"]["step"], "3");
    let reason_entries = s["reason"]["logEntries"].as_array().unwrap();
    assert!(!reason_entries.is_empty());
    assert!(reason_entries
        .iter()
        .all(|e| e["level"] == "error" && e["step"] == "3"));

    // Timing: a cached step takes no time, a step that runs takes --step-ms.
    let start = |i: usize| timestamp_ms(steps[i].1[0]["timestamp"].as_str().unwrap());
    assert!(
        start(2) - start(0) < step_ms as i64,
        "cached steps are instant"
    );
    assert!(
        start(3) - start(2) >= step_ms as i64,
        "step 2 ran {} ms",
        start(3) - start(2)
    );
    let end = timestamp_ms(last["timestamp"].as_str().unwrap());
    assert!(end - start(3) >= step_ms as i64);
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_full_build_logs_every_step_and_nothing_of_the_clients() {
    let emu = Emu::start();
    let body = r#"{"startCmd":"python -m http.server 8000","readyCmd":"ss -tuln | grep :8000","steps":[{"type":"RUN","args":["apt-get update && apt-get install -y git","root"],"force":false},{"type":"ENV","args":["APP","1"],"force":false},{"type":"RUN","args":["echo ready > /tmp/flag && echo done"],"force":false}],"force":false,"fromImage":"python:3.12","fromImageRegistry":{"type":"registry","username":"u","password":"p"}}"#;
    let (t, b, s, _) = emu.build("full-log", body);
    assert_eq!(s["status"], "ready");
    let entries = emu.all_entries(&t, &b);
    let steps = steps_of(&entries, 3);
    let texts =
        |i: usize| -> Vec<String> { steps[i].1.iter().map(|e| text(e).to_string()).collect() };
    assert_eq!(steps.len(), 5);
    assert_eq!(
        texts(0),
        [
            "[base] FROM python:3.12",
            "emulated build: no image is pulled and no command is run",
            "resolving docker.io/library/python:3.12",
            "authenticating with the credentials of fromImageRegistry",
            &texts(0)[4],
        ]
    );
    assert!(texts(0)[4].starts_with("pulled docker.io/library/python:3.12 (digest sha256:"));
    assert_eq!(
        texts(1),
        [
            "[builder 1/3] RUN apt-get update && apt-get install -y git",
            "running as user 'root'",
            "Reading package lists...",
            "Reading package lists...",
            "Building dependency tree...",
            "Setting up git ..."
        ]
    );
    assert_eq!(texts(2), ["[builder 2/3] ENV APP=1"]);
    assert_eq!(
        texts(3),
        [
            "[builder 3/3] RUN echo ready > /tmp/flag && echo done",
            "done"
        ]
    );
    assert_eq!(
        texts(4),
        [
            "[finalize] running start command: python -m http.server 8000",
            "waiting for ready command: ss -tuln | grep :8000",
            "ready command succeeded",
            "saving the template snapshot"
        ]
    );
    for e in &entries {
        let m = text(e);
        assert!(
            !["Build started", "Build finished", "Waiting for logs..."].contains(&m),
            "the service does not repeat the client's entries: {m}"
        );
    }
}
