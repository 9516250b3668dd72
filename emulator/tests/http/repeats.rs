//! Repeated POSTs (README "Repeats"), as a client sends them after a lost reply: a
//! repeated build request creates another `waiting` build; a repeated trigger is
//! refused with 409 and changes nothing.

use std::time::Duration;

use crate::support::*;
use novita_emulator::Config;

const REQUEST: &str = r#"{"name":"again","tags":["v1"],"cpuCount":2,"memoryMB":1024}"#;

#[test]
fn a_repeated_build_request_creates_another_waiting_build() {
    let emu = Emu::start();
    let first = emu.send("POST", "/v3/templates", REQUEST);
    let second = emu.send("POST", "/v3/templates", REQUEST);
    assert_eq!((first.status, second.status), (202, 202));
    let (a, b) = (first.json(), second.json());
    assert_eq!(a["templateID"], b["templateID"], "one template");
    assert_ne!(a["buildID"], b["buildID"], "two builds");
    assert_eq!(a["tags"], b["tags"]);
    let t = a["templateID"].as_str().unwrap();
    let (one, two) = (
        a["buildID"].as_str().unwrap(),
        b["buildID"].as_str().unwrap(),
    );
    let builds = emu.get(&format!("/templates/{t}")).json()["builds"].clone();
    assert_eq!(builds.as_array().unwrap().len(), 2);
    assert!(builds
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["status"] == "waiting"));

    // Triggering the second supersedes the first, which never logged anything.
    assert_eq!(emu.trigger(t, two, &run_body(&["echo hi"])).status, 202);
    let s = emu.status(t, one, 0);
    assert_eq!(s["status"], "error");
    assert_eq!(s["reason"]["message"], format!("superseded by build {two}"));
    assert!(s["reason"].get("step").is_none());
    assert_eq!(
        s["logEntries"].as_array().unwrap().len(),
        0,
        "it never started a step"
    );
    // It can no longer be triggered, and saying so changes nothing.
    emu.trigger(t, one, &run_body(&["echo hi"])).assert_error(
        409,
        &format!(
            "build '{one}' can no longer be triggered (status error: superseded by build {two})"
        ),
    );
    assert_eq!(emu.wait(t, two).0["status"], "ready");
    assert_eq!(emu.status(t, one, 0)["status"], "error");
}

#[test]
fn a_repeated_trigger_is_refused_and_changes_nothing() {
    let dir = temp_dir("retrigger");
    let emu = Emu::with_config(Config {
        step_ms: 100,
        ..config(&dir)
    });
    let (t, b) = emu.request_build("trigger-twice");
    assert_eq!(emu.trigger(&t, &b, &run_body(&["echo first"])).status, 202);
    // A newer waiting build of the same template: a repeat taken as a new trigger
    // would supersede it.
    let (_, bystander) = emu.request_build("trigger-twice");
    std::thread::sleep(Duration::from_millis(30));

    let r = emu.trigger(&t, &b, &run_body(&["echo second"]));
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json(),
        serde_json::json!({"code": 409, "message": format!("build '{b}' was already triggered (status building)")})
    );
    let (s, messages) = emu.wait(&t, &b);
    assert_eq!(s["status"], "ready");
    assert!(messages.contains(&"[builder 1/1] RUN echo first".to_string()));
    assert!(
        !messages.iter().any(|m| m.contains("second")),
        "the repeat did not change the build: {messages:#?}"
    );
    assert_eq!(emu.status(&t, &bystander, 0)["status"], "waiting");

    // After the end: the same answer, with the final status.
    emu.trigger(&t, &b, &run_body(&["echo first"]))
        .assert_error(
            409,
            &format!("build '{b}' was already triggered (status ready)"),
        );
    assert_eq!(
        emu.all_entries(&t, &b).len(),
        messages.len(),
        "no entry added"
    );
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}
