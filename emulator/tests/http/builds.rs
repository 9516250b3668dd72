//! The build state machine: layer cache, force, supersede, failure triggers, limits.

use std::time::{Duration, Instant};

use crate::support::*;
use novita_emulator::Config;

fn cached(messages: &[String]) -> Vec<&String> {
    messages
        .iter()
        .filter(|m| m.starts_with("CACHED"))
        .collect()
}

#[test]
fn rebuilds_are_cached_and_force_breaks_the_chain() {
    let emu = Emu::start();
    let body = run_body(&["apt-get install git", "pip install flask", "echo done"]);
    let (_, _, s, first) = emu.build("cache-app", &body);
    assert_eq!(s["status"], "ready");
    assert!(cached(&first).is_empty());

    let (_, _, _, second) = emu.build("cache-app", &body);
    assert!(second.contains(&"CACHED [base] FROM TEMPLATE base".to_string()));
    assert!(second.contains(&"CACHED [builder 2/3] RUN pip install flask".to_string()));
    assert!(second.contains(&"CACHED [builder 3/3] RUN echo done".to_string()));

    // step 2 forced: 1 cached, 2 and 3 rebuilt
    let forced = r#"{"steps":[{"type":"RUN","args":["apt-get install git"],"force":false},{"type":"RUN","args":["pip install flask"],"force":true},{"type":"RUN","args":["echo done"],"force":false}],"force":false,"fromTemplate":"base"}"#;
    let (_, _, _, third) = emu.build("cache-app", forced);
    assert!(third.contains(&"CACHED [builder 1/3] RUN apt-get install git".to_string()));
    assert!(third.contains(&"[builder 2/3] RUN pip install flask".to_string()));
    assert!(third.contains(&"[builder 3/3] RUN echo done".to_string()));

    // template-level force: nothing cached
    let all = body.replace(
        r#""force":false,"fromTemplate""#,
        r#""force":true,"fromTemplate""#,
    );
    let (_, _, _, fourth) = emu.build("cache-app", &all);
    assert!(cached(&fourth).is_empty(), "{fourth:#?}");

    // a changed step changes the keys after it
    let changed = run_body(&["apt-get install git", "pip install django", "echo done"]);
    let (_, _, _, fifth) = emu.build("cache-app", &changed);
    assert!(fifth.contains(&"CACHED [builder 1/3] RUN apt-get install git".to_string()));
    assert!(fifth.contains(&"[builder 3/3] RUN echo done".to_string()));
}

#[test]
fn a_cached_rebuild_is_faster() {
    let dir = temp_dir("speed");
    let emu = Emu::with_config(Config {
        step_ms: 100,
        ..config(&dir)
    });
    let body = run_body(&["a", "b", "c", "d", "e"]);
    let started = Instant::now();
    emu.build("speed", &body);
    let cold = started.elapsed();
    let started = Instant::now();
    emu.build("speed", &body);
    let warm = started.elapsed();
    assert!(
        warm + Duration::from_millis(150) < cold,
        "cold {cold:?} warm {warm:?}"
    );
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_new_build_supersedes_a_running_one() {
    let dir = temp_dir("supersede");
    let emu = Emu::with_config(Config {
        step_ms: 200,
        ..config(&dir)
    });
    let (t, old) = emu.request_build("busy");
    assert_eq!(
        emu.trigger(&t, &old, &run_body(&["a", "b", "c", "d"]))
            .status,
        202
    );
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(emu.status(&t, &old, 0)["status"], "building");
    let (t2, new) = emu.request_build("busy");
    assert_eq!(t, t2);
    assert_eq!(emu.trigger(&t, &new, &run_body(&["a"])).status, 202);
    let s = emu.status(&t, &old, 0);
    assert_eq!(s["status"], "error");
    assert_eq!(s["reason"]["message"], format!("superseded by build {new}"));
    assert!(s["reason"].get("step").is_none(), "not the step's fault");
    // Logged as an error of the step the old build was in when it was stopped.
    let entries = s["logEntries"].as_array().unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last["message"], s["reason"]["message"]);
    assert_eq!(last["level"], "error");
    assert_eq!(last["step"], entries[entries.len() - 2]["step"]);
    let (s, _) = emu.wait(&t, &new);
    assert_eq!(s["status"], "ready");
    // the old build's task stopped: no entries after the supersede message
    let before = emu.status(&t, &old, 0)["logEntries"]
        .as_array()
        .unwrap()
        .len();
    std::thread::sleep(Duration::from_millis(450));
    assert_eq!(
        emu.status(&t, &old, 0)["logEntries"]
            .as_array()
            .unwrap()
            .len(),
        before
    );
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn failure_triggers() {
    let emu = Emu::start();
    let (_, _, s, messages) = emu.build(
        "fail-run",
        &run_body(&["echo ok", "make __fail__", "never"]),
    );
    assert_eq!(s["status"], "error");
    assert_eq!(s["reason"]["step"], "2");
    let msg = s["reason"]["message"].as_str().unwrap();
    assert!(
        msg.contains("RUN step 2 failed") && msg.contains("make __fail__"),
        "{msg}"
    );
    assert!(!s["reason"]["logEntries"].as_array().unwrap().is_empty());
    assert!(s["reason"]["logEntries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["level"] == "error"));
    assert!(
        !messages.iter().any(|m| m.contains("never")),
        "stops at the failing step"
    );

    let ready_fail = r#"{"startCmd":"srv","readyCmd":"curl __fail__","steps":[],"force":false,"fromTemplate":"base"}"#;
    let (_, _, s, messages) = emu.build("fail-ready", ready_fail);
    assert_eq!(s["reason"]["step"], "finalize");
    assert!(s["reason"]["message"]
        .as_str()
        .unwrap()
        .contains("did not succeed after 5 attempts"));
    assert_eq!(
        messages.iter().filter(|m| m.contains("(attempt ")).count(),
        4
    );

    let missing = r#"{"steps":[],"force":false,"fromImage":"ghost__missing__:1"}"#;
    let (_, _, s, _) = emu.build("fail-pull", missing);
    assert_eq!(s["reason"]["step"], "base");
    assert!(s["reason"]["message"]
        .as_str()
        .unwrap()
        .contains("failed to pull image 'ghost__missing__:1'"));

    let hash = hash_of(0x11);
    let copy = format!(
        r#"{{"steps":[{{"type":"RUN","args":["true"],"force":false}},{{"type":"COPY","args":["app","/app","",""],"force":false,"filesHash":"{hash}"}}],"force":false,"fromTemplate":"base"}}"#
    );
    let (_, _, s, _) = emu.build("fail-copy", &copy);
    assert_eq!(s["reason"]["step"], "2");
    assert!(s["reason"]["message"]
        .as_str()
        .unwrap()
        .contains("never uploaded"));

    // with the upload, the same COPY works
    let (t, b) = emu.request_build("fail-copy");
    assert_eq!(emu.upload(&t, &hash, &tar_gz("app/x", b"1")).status, 200);
    emu.trigger(&t, &b, &copy);
    assert_eq!(emu.wait(&t, &b).0["status"], "ready");

    let unknown_base = r#"{"steps":[],"force":false,"fromTemplate":"no-such-base"}"#;
    let (_, _, s, _) = emu.build("fail-base", unknown_base);
    assert_eq!(s["reason"]["step"], "base");
    // a local template with a ready build is a valid base
    let local = r#"{"steps":[],"force":false,"fromTemplate":"fail-copy"}"#;
    assert_eq!(emu.build("child", local).2["status"], "ready");
}

#[test]
fn platform_limits_are_enforced() {
    let emu = Emu::start();
    let post = |body: &str| emu.send("POST", "/v3/templates", body);
    post(r#"{"name":"a","cpuCount":9,"memoryMB":1024}"#).assert_error(400, "1 to 8 CPUs");
    post(r#"{"name":"a","cpuCount":0,"memoryMB":1024}"#).assert_error(400, "cpuCount 0");
    post(r#"{"name":"a","cpuCount":2,"memoryMB":64}"#).assert_error(400, "128 to 8192 MiB");
    post(r#"{"name":"a","cpuCount":2,"memoryMB":16384}"#).assert_error(400, "128 to 8192 MiB");
    post(r#"{"name":"a","cpuCount":2,"memoryMB":1025}"#).assert_error(400, "even");
    assert_eq!(
        post(r#"{"name":"a","cpuCount":8,"memoryMB":8192}"#).status,
        202
    );
}
