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
