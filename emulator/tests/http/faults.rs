//! Fault flags at rate 1.0 are deterministic; a faulted request changes nothing.

use std::time::{Duration, Instant};

use crate::support::*;
use novita_emulator::config::Faults;
use novita_emulator::Config;

fn faulty(dir: &std::path::Path, faults: Faults) -> Emu {
    Emu::with_config(Config {
        faults,
        ..config(dir)
    })
}

#[test]
fn error_rate_gives_500_json_and_no_state_change() {
    let dir = temp_dir("f500");
    let mut emu = faulty(
        &dir,
        Faults {
            error_rate: 1.0,
            late_share: 0.0,
            ..Faults::default()
        },
    );
    let r = emu.send("POST", "/v3/templates", r#"{"name":"never"}"#);
    r.assert_error(500, "injected fault");
    emu.stop();
    let clean = Emu::with_config(config(&dir));
    assert_eq!(
        clean.get("/v2/templates").json()["total"],
        0,
        "the faulted request had no effect"
    );
    drop(clean);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn rate_limit_gives_429_with_retry_after() {
    let dir = temp_dir("f429");
    let emu = faulty(
        &dir,
        Faults {
            rate_limit_rate: 1.0,
            ..Faults::default()
        },
    );
    let r = emu.get("/v2/templates");
    r.assert_error(429, "rate limit");
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(
        r.header("access-control-expose-headers"),
        Some("retry-after, docker-content-digest")
    );
    // the registry and preflight are not faulted
    assert_eq!(emu.get("/registry/token?service=x&scope=y").status, 200);
    let pre = emu.raw(
        &format!(
            "OPTIONS /v3/templates HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            emu.addr()
        ),
        b"",
    );
    assert!(pre.starts_with("HTTP/1.1 204"), "{pre}");
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn latency_delays_api_requests() {
    let dir = temp_dir("flat");
    let emu = faulty(
        &dir,
        Faults {
            latency_ms: 300,
            ..Faults::default()
        },
    );
    let started = Instant::now();
    assert_eq!(emu.get("/v2/templates").status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(emu.get("/registry/token").status, 200);
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "registry is not delayed"
    );
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn drop_rate_closes_the_connection_without_a_reply() {
    let dir = temp_dir("fdrop");
    let mut emu = faulty(
        &dir,
        Faults {
            drop_rate: 1.0,
            late_share: 0.0,
            ..Faults::default()
        },
    );
    let raw = emu.raw(
        &format!(
            "POST /v3/templates HTTP/1.1\r\nHost: {}\r\nX-API-KEY: {KEY}\r\nContent-Type: application/json\r\nContent-Length: 16\r\nConnection: close\r\n\r\n",
            emu.addr()
        ),
        br#"{"name":"never"}"#,
    );
    assert_eq!(raw, "", "no reply at all");
    assert!(emu.try_get("/v2/templates", Some(KEY)).is_err());
    emu.stop();
    let clean = Emu::with_config(config(&dir));
    assert_eq!(clean.get("/v2/templates").json()["total"], 0);
    drop(clean);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_seed_makes_partial_rates_repeatable() {
    let statuses = |seed| {
        let dir = temp_dir("fseed");
        let emu = faulty(
            &dir,
            Faults {
                error_rate: 0.5,
                seed: Some(seed),
                ..Faults::default()
            },
        );
        let s: Vec<u16> = (0..16).map(|_| emu.get("/v2/templates").status).collect();
        drop(emu);
        let _ = std::fs::remove_dir_all(dir);
        s
    };
    let a = statuses(9);
    assert_eq!(a, statuses(9));
    assert!(a.contains(&500) && a.contains(&200), "{a:?}");
}

/// Every API route, with a body where it needs one (ids need not exist: the fault
/// strikes before any lookup).
fn every_route() -> Vec<(&'static str, String, String)> {
    let hash = hash_of(0x42);
    vec![
        ("POST", "/v3/templates".into(), r#"{"name":"x"}"#.into()),
        (
            "POST",
            "/v2/templates/t1/builds/b1".into(),
            run_body(&["true"]),
        ),
        ("GET", "/v2/templates".into(), String::new()),
        (
            "GET",
            "/templates/t1/builds/b1/status?logsOffset=0".into(),
            String::new(),
        ),
        ("GET", format!("/templates/t1/files/{hash}"), String::new()),
        ("PUT", format!("/uploads/{hash}?token=x"), "x".into()),
        (
            "POST",
            "/templates/tags".into(),
            r#"{"target":"x:v1","tags":["a"]}"#.into(),
        ),
        (
            "DELETE",
            "/templates/tags".into(),
            r#"{"name":"x","tags":["a"]}"#.into(),
        ),
        ("GET", "/templates/t1/tags".into(), String::new()),
        ("GET", "/templates/aliases/x".into(), String::new()),
        ("GET", "/templates/t1".into(), String::new()),
        ("DELETE", "/templates/t1".into(), String::new()),
        ("POST", "/sandboxes".into(), r#"{"templateID":"x"}"#.into()),
        ("DELETE", "/sandboxes/s1".into(), String::new()),
    ]
}

#[test]
fn faults_can_hit_every_api_route_including_both_build_posts() {
    let dir = temp_dir("fall");
    let emu = faulty(
        &dir,
        Faults {
            error_rate: 1.0,
            ..Faults::default()
        },
    );
    for (method, path, body) in every_route() {
        let r = if method == "GET" {
            emu.get(&path)
        } else {
            emu.send(method, &path, &body)
        };
        r.assert_error(500, "injected fault");
    }
    drop(emu);
    let dir2 = temp_dir("fall-drop");
    let emu = faulty(
        &dir2,
        Faults {
            drop_rate: 1.0,
            ..Faults::default()
        },
    );
    for (method, path, body) in every_route() {
        let r = if method == "GET" {
            emu.try_get(&path, Some(KEY))
        } else {
            emu.try_send(method, &path, &body)
        };
        assert!(r.is_err(), "{method} {path} was answered");
    }
    drop(emu);
    for d in [dir, dir2] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn a_late_fault_loses_the_reply_but_keeps_the_effect() {
    let dir = temp_dir("flate");
    let late = |faults: Faults| {
        faulty(
            &dir,
            Faults {
                late_share: 1.0,
                ..faults
            },
        )
    };
    // The build request answers 500, yet the build exists.
    let mut emu = late(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    emu.send("POST", "/v3/templates", r#"{"name":"did-it-happen"}"#)
        .assert_error(500, "injected fault");
    emu.stop();
    let mut clean = Emu::with_config(config(&dir));
    let got = clean.get("/templates/did-it-happen").json();
    assert_eq!(got["builds"].as_array().unwrap().len(), 1);
    assert_eq!(got["builds"][0]["status"], "waiting");
    let t = got["templateID"].as_str().unwrap().to_string();
    let b = got["builds"][0]["buildID"].as_str().unwrap().to_string();
    clean.stop();

    // The trigger's connection is dropped, yet the build ran.
    let mut emu = late(Faults {
        drop_rate: 1.0,
        ..Faults::default()
    });
    let sent = emu.try_send(
        "POST",
        &format!("/v2/templates/{t}/builds/{b}"),
        &run_body(&["echo happened"]),
    );
    assert!(sent.is_err(), "no reply");
    std::thread::sleep(Duration::from_millis(300));
    emu.stop();
    let clean = Emu::with_config(config(&dir));
    let (s, messages) = clean.wait(&t, &b);
    assert_eq!(s["status"], "ready");
    assert!(messages.contains(&"happened".to_string()));
    // A retry of the trigger learns that it happened.
    clean
        .trigger(&t, &b, &run_body(&["echo happened"]))
        .assert_error(409, "was already triggered (status ready)");
    drop(clean);
    drop(emu);
    let _ = std::fs::remove_dir_all(&dir);
}
