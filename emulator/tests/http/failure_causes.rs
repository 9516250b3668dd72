//! The known failure causes (README "Failure triggers"): each fails the build at
//! its step, with a message in the service's style that the client's hints match,
//! logged as the step's last entry.

use std::time::Instant;

use serde_json::Value;

use crate::support::*;
use novita_emulator::Config;

/// Requests (with `memory_mb`), triggers and waits; returns the final status and
/// every entry.
fn failing_build(emu: &Emu, name: &str, memory_mb: u32, body: &str) -> (Value, Vec<Value>) {
    let r = emu.send(
        "POST",
        "/v3/templates",
        &format!(r#"{{"name":"{name}","cpuCount":2,"memoryMB":{memory_mb}}}"#),
    );
    assert_eq!(r.status, 202, "{}", r.text);
    let v = r.json();
    let (t, b) = (
        v["templateID"].as_str().unwrap().to_string(),
        v["buildID"].as_str().unwrap().to_string(),
    );
    assert_eq!(emu.trigger(&t, &b, body).status, 202);
    let (s, _) = emu.wait(&t, &b);
    assert_eq!(s["status"], "error", "{name}: {s}");
    let entries = emu.all_entries(&t, &b);
    let last = entries.last().unwrap();
    assert_eq!(last["message"], s["reason"]["message"], "{name}");
    assert_eq!(last["level"], "error");
    assert_eq!(last["step"], s["reason"]["step"], "{name}");
    (s, entries)
}

fn image_body(image: &str) -> String {
    format!(
        r#"{{"steps":[{{"type":"RUN","args":["echo never"],"force":false}}],"force":false,"fromImage":"{image}"}}"#
    )
}

#[test]
fn each_known_cause_fails_at_its_step_with_its_message() {
    let dir = temp_dir("causes");
    let emu = Emu::with_config(Config {
        step_timeout_ms: Some(400),
        ..config(&dir)
    });
    let reason = |s: &Value| s["reason"]["message"].as_str().unwrap().to_string();

    let (s, entries) = failing_build(&emu, "denied", 1024, &image_body("corp/app__denied__:1"));
    assert_eq!(s["reason"]["step"], "base");
    assert_eq!(
        reason(&s),
        "failed to pull image 'corp/app__denied__:1': access denied: the registry refused to serve it with the given credentials (or without any)"
    );
    assert!(!entries.iter().any(|e| e["message"] == "never"));

    let (s, _) = failing_build(&emu, "missing", 1024, &image_body("ghost__missing__:1"));
    assert_eq!(s["reason"]["step"], "base");
    assert_eq!(
        reason(&s),
        "failed to pull image 'ghost__missing__:1': manifest unknown: the registry has no such image or tag"
    );

    let (s, entries) = failing_build(
        &emu,
        "oom",
        2048,
        &run_body(&["echo warm", "python train.py __oom__"]),
    );
    assert_eq!(s["reason"]["step"], "2");
    assert_eq!(
        reason(&s),
        "RUN step 2 failed: 'python train.py __oom__' was killed: out of memory (exit code 137; the build has 2048 MiB of memory)"
    );
    let killed = &entries[entries.len() - 2];
    assert_eq!(
        (killed["message"].as_str(), killed["level"].as_str()),
        (Some("Killed"), Some("error"))
    );

    let (s, _) = failing_build(
        &emu,
        "disk",
        1024,
        &run_body(&["dd if=/dev/zero of=/big __disk__"]),
    );
    assert_eq!(s["reason"]["step"], "1");
    assert_eq!(
        reason(&s),
        "RUN step 1 failed: 'dd if=/dev/zero of=/big __disk__' exited with code 1: no space left on device (the template disk is 5120 MiB)"
    );

    let started = Instant::now();
    let (s, entries) = failing_build(
        &emu,
        "timeout",
        1024,
        &run_body(&["sleep 99999 __timeout__"]),
    );
    assert!(
        started.elapsed().as_millis() >= 400,
        "the step runs until the limit"
    );
    assert_eq!(s["reason"]["step"], "1");
    assert_eq!(
        reason(&s),
        "RUN step 1 failed: 'sleep 99999 __timeout__' timed out after 400ms (the step time limit)"
    );
    let header = entries.iter().position(|e| e["step"] == "1").unwrap();
    let ran = timestamp_ms(entries.last().unwrap()["timestamp"].as_str().unwrap())
        - timestamp_ms(entries[header]["timestamp"].as_str().unwrap());
    assert!(ran >= 400, "logged over {ran} ms");

    // __fail__ keeps its message.
    let (s, _) = failing_build(&emu, "fail", 1024, &run_body(&["make __fail__"]));
    assert_eq!(
        reason(&s),
        "RUN step 1 failed: 'make __fail__' exited with code 1 (the command contains the failure trigger __fail__)"
    );
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_concurrency_limit_refuses_with_429_and_retry_after() {
    let dir = temp_dir("limit");
    let emu = Emu::with_config(Config {
        step_ms: 400,
        max_concurrent_builds: Some(1),
        ..config(&dir)
    });
    let (other_t, other_b) = emu.request_build("queued");
    let (t, b) = emu.request_build("busy");
    // Planned: base + 6 steps of 400 ms + a 200 ms snapshot = 3 s.
    let started = Instant::now();
    assert_eq!(
        emu.trigger(&t, &b, &run_body(&["a", "b", "c", "d", "e", "f"]))
            .status,
        202
    );

    // A build request for another template is refused while one build runs.
    let r = emu.send("POST", "/v3/templates", r#"{"name":"third"}"#);
    r.assert_error(
        429,
        "too many concurrent template builds: 1 running, the limit is 1; retry after ",
    );
    let secs: u64 = r.header("retry-after").unwrap().parse().unwrap();
    let left = 3 - started.elapsed().as_secs().min(3);
    assert!((left.max(1)..=3).contains(&secs), "Retry-After {secs}");
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .ends_with(&format!("retry after {secs} s")));
    assert_eq!(
        r.header("access-control-expose-headers"),
        Some("retry-after, docker-content-digest")
    );
    assert_eq!(
        emu.get("/v2/templates").json()["total"],
        2,
        "nothing created"
    );

    // So is triggering another template's build; it stays waiting.
    let refused = emu.trigger(&other_t, &other_b, &run_body(&["x"]));
    refused.assert_error(429, "too many concurrent template builds");
    assert!(refused.header("retry-after").is_some());
    assert_eq!(emu.status(&other_t, &other_b, 0)["status"], "waiting");

    // A new build of the running template is allowed: it supersedes the old one.
    let (same_t, again) = emu.request_build("busy");
    assert_eq!(same_t, t);
    assert_eq!(emu.trigger(&t, &again, &run_body(&["a"])).status, 202);
    assert_eq!(emu.status(&t, &b, 0)["status"], "error");

    // Once the running build is gone, the waiting one can be triggered.
    assert_eq!(
        emu.send("DELETE", &format!("/templates/{t}"), "").status,
        204
    );
    assert_eq!(
        emu.trigger(&other_t, &other_b, &run_body(&["x"])).status,
        202
    );
    assert_eq!(emu.wait(&other_t, &other_b).0["status"], "ready");
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}
