//! Behaviour of the build session beyond the official SDK: final log drain,
//! adaptive polling, retries with backoff and Retry-After, no retry of POSTs
//! (except 429), per-request timeouts, abort, the concurrent upload phase and
//! option validation.

mod support;

use std::collections::VecDeque;

use novita_template_flow::connection::{ConnectionConfig, ConnectionOptions, Secret};
use novita_template_flow::session::{Action, BuildConfig, BuildRequest, BuildSession, CopyUpload};
use novita_template_flow::{
    ErrorClass, HttpRequest, HttpResponse, LogKind, PollPolicy, TransportError,
};
use support::*;

const T0: f64 = 1_800_000_000_000.0;

fn request(name: &str) -> BuildRequest {
    BuildRequest {
        name: name.into(),
        ..Default::default()
    }
}

fn created() -> Result<HttpResponse, TransportError> {
    ok_json(
        202,
        r#"{"templateID":"tpl","buildID":"bld","tags":["default"]}"#,
    )
}

fn status_page(status: &str, entries: &[(&str, &str)]) -> Result<HttpResponse, TransportError> {
    let list: Vec<String> = entries
        .iter()
        .map(|(ts, msg)| format!(r#"{{"timestamp":"{ts}","level":"info","message":"{msg}"}}"#))
        .collect();
    ok_json(
        200,
        &format!(
            r#"{{"templateID":"tpl","buildID":"bld","status":"{status}","logEntries":[{}],"logs":[]}}"#,
            list.join(",")
        ),
    )
}

fn steps() -> Prepare {
    Prepare::Steps {
        body: "{}".into(),
        copies: vec![],
        host_logs: vec![],
    }
}

fn offset_of(req: &HttpRequest) -> Option<u64> {
    req.url.split("logsOffset=").nth(1)?.parse().ok()
}

fn is_status(req: &HttpRequest) -> bool {
    req.url.contains("/status")
}

/// A scripted server for the build calls; status replies come from `pages`.
fn scripted(
    mut pages: VecDeque<Result<HttpResponse, TransportError>>,
) -> impl FnMut(&HttpRequest, f64) -> Result<HttpResponse, TransportError> {
    move |req, _| {
        if req.url.ends_with("/v3/templates") {
            created()
        } else if req.url.contains("/v2/templates/") {
            bodiless(202)
        } else {
            pages
                .pop_front()
                .unwrap_or_else(|| status_page("ready", &[]))
        }
    }
}

fn session_with(poll: PollPolicy, name: &str) -> BuildSession {
    let mut config = build_config(test_connection(None));
    config.poll = poll;
    BuildSession::new(config, request(name), false, T0, 99)
}

#[test]
fn drain_collects_entries_that_arrive_after_ready() {
    let pages = || {
        VecDeque::from(vec![
            status_page(
                "building",
                &[
                    ("2026-01-01T00:00:01Z", "one"),
                    ("2026-01-01T00:00:02Z", "two"),
                ],
            ),
            status_page("ready", &[("2026-01-01T00:00:03Z", "three")]),
            status_page(
                "ready",
                &[
                    ("2026-01-01T00:00:04Z", "four"),
                    ("2026-01-01T00:00:05Z", "five"),
                ],
            ),
            status_page("ready", &[]),
        ])
    };
    let ours = drive(
        session_with(PollPolicy::default(), "drain"),
        T0,
        steps(),
        scripted(pages()),
        |_, _| unreachable!(),
    );
    let server: Vec<String> = ours
        .logs
        .iter()
        .filter(|l| l.timestamp_ms < T0)
        .map(|l| l.message.clone())
        .collect();
    assert_eq!(
        server,
        ["one", "two", "three", "four", "five"],
        "each entry once, in order"
    );
    let offsets: Vec<u64> = ours
        .requests
        .iter()
        .filter(|r| is_status(r))
        .filter_map(offset_of)
        .collect();
    assert_eq!(offsets, [0, 2, 3, 5]);
    assert!(ours.result.unwrap().is_ok());
    assert_eq!(ours.logs.last().unwrap().kind, LogKind::End);

    // The official loop stops at `ready` and loses the late entries.
    let official = drive(
        session_with(PollPolicy::fixed_200ms(), "drain"),
        T0,
        steps(),
        scripted(pages()),
        |_, _| unreachable!(),
    );
    let server: Vec<String> = official
        .logs
        .iter()
        .filter(|l| l.timestamp_ms < T0)
        .map(|l| l.message.clone())
        .collect();
    assert_eq!(server, ["one", "two", "three"]);
    println!("drain: ours delivered 5/5 late-inclusive entries, the official loop 3/5");
}

#[test]
fn drain_is_bounded_and_keeps_the_error() {
    // A server that never stops sending entries: the drain stops after max_drain_polls.
    let mut n = 0;
    let responder = move |req: &HttpRequest, _| {
        if !is_status(req) {
            return if req.url.ends_with("/v3/templates") {
                created()
            } else {
                bodiless(202)
            };
        }
        n += 1;
        let ts = format!("2026-01-01T00:00:{:02}Z", n % 60);
        let body = format!(
            r#"{{"status":"error","reason":{{"message":"boom","step":"3"}},"logEntries":[{{"timestamp":"{ts}","level":"error","message":"e{n}"}}]}}"#
        );
        ok_json(200, &body)
    };
    let trace = drive(
        session_with(PollPolicy::default(), "bounded"),
        T0,
        steps(),
        responder,
        |_, _| unreachable!(),
    );
    let polls = trace.requests.iter().filter(|r| is_status(r)).count();
    assert_eq!(polls, 1 + 10, "terminal poll + max_drain_polls");
    let err = trace.result.unwrap().unwrap_err();
    assert_eq!(
        (err.name(), err.message.as_str(), err.step.as_deref()),
        ("BuildError", "boom", Some("3"))
    );
}

/// A build that runs `duration_ms` from its first poll and logs at `log_times`
/// (ms after start); the server honours `logsOffset`.
fn timed_server(
    duration_ms: f64,
    log_times: Vec<f64>,
) -> impl FnMut(&HttpRequest, f64) -> Result<HttpResponse, TransportError> {
    let mut start: Option<f64> = None;
    move |req, now| {
        if !is_status(req) {
            return if req.url.ends_with("/v3/templates") {
                created()
            } else {
                bodiless(202)
            };
        }
        let t0 = *start.get_or_insert(now);
        let elapsed = now - t0;
        let offset = offset_of(req).unwrap_or(0) as usize;
        let visible: Vec<(String, String)> = log_times
            .iter()
            .enumerate()
            .filter(|(_, t)| **t <= elapsed)
            .skip(offset)
            // Server timestamps: when each line was written, on the server's clock.
            .map(|(i, t)| (iso_time(t0 + t), format!("line {i}")))
            .collect();
        let refs: Vec<(&str, &str)> = visible
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        status_page(
            if elapsed >= duration_ms {
                "ready"
            } else {
                "building"
            },
            &refs,
        )
    }
}

fn count_polls(poll: PollPolicy, duration_ms: f64, log_times: Vec<f64>) -> (usize, Trace) {
    let expected_lines = log_times.len();
    let trace = drive(
        session_with(poll, "cadence"),
        T0,
        steps(),
        timed_server(duration_ms, log_times),
        |_, _| unreachable!(),
    );
    assert!(trace.result.as_ref().unwrap().is_ok());
    let delivered = trace
        .logs
        .iter()
        .filter(|l| l.message.starts_with("line "))
        .count();
    assert_eq!(delivered, expected_lines, "no entry lost or repeated");
    (
        trace.requests.iter().filter(|r| is_status(r)).count(),
        trace,
    )
}

#[test]
fn polling_backs_off_only_after_a_long_quiet() {
    // Quiet 60 s build: steady 470 ms polls for 20 s, then ×1.5 up to 2 s.
    let (fixed, _) = count_polls(PollPolicy::fixed_200ms(), 60_000.0, vec![]);
    let (ours, trace) = count_polls(PollPolicy::default(), 60_000.0, vec![]);
    assert!(fixed >= 290, "fixed 200 ms loop: {fixed}");
    assert!(ours * 3 < fixed, "ours {ours} vs fixed {fixed}");
    assert!(
        trace.sleeps.iter().take(40).all(|s| *s == 470),
        "{:?}",
        &trace.sleeps[..40]
    );
    assert!(
        trace.sleeps.contains(&705) && trace.sleeps.contains(&2000),
        "{:?}",
        trace.sleeps
    );

    // A burst of lines after a long quiet brings the steady cadence back.
    let burst: Vec<f64> = (0..30).map(|i| 30_000.0 + i as f64 * 100.0).collect();
    let (_, trace) = count_polls(PollPolicy::default(), 40_000.0, burst);
    let pos = trace.sleeps.iter().position(|s| *s == 2000).unwrap();
    assert!(
        trace.sleeps[pos..].contains(&470),
        "after quiet, new logs bring the steady cadence back: {:?}",
        trace.sleeps
    );
    println!("polls for a quiet 60 s build: ours {ours}, fixed 200 ms {fixed}");
}

/// Delivery latency of each `line i` (delivery clock minus the time it was written).
fn latencies(trace: &Trace, start_ms: f64, log_times: &[f64]) -> Vec<f64> {
    trace
        .logs
        .iter()
        .zip(&trace.delivered_ms)
        .filter_map(|(l, at)| {
            let i: usize = l.message.strip_prefix("line ")?.parse().ok()?;
            Some(at - (start_ms + log_times[i]))
        })
        .collect()
}

fn p95(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[(v.len() * 95 / 100).min(v.len() - 1)]
}

#[test]
fn live_logs_within_half_a_second_at_half_the_requests() {
    // The two profiles of `make bench`: a line every 500 ms for 5 s, and 8 steps of
    // 3 s each (a few lines at each step's start, the time a person waits for).
    let every_500: Vec<f64> = (0..10).map(|i| 250.0 + i as f64 * 500.0).collect();
    let steps_3s: Vec<f64> = (0..8)
        .flat_map(|step| (0..3).map(move |j| 100.0 + step as f64 * 3000.0 + j as f64 * 20.0))
        .collect();
    for (name, lines, duration) in [
        ("10 x 500 ms", every_500, 5_200.0),
        ("8 x 3 s", steps_3s, 24_200.0),
    ] {
        let (fixed, fixed_trace) = count_polls(PollPolicy::fixed_200ms(), duration, lines.clone());
        let (ours, trace) = count_polls(PollPolicy::default(), duration, lines.clone());
        let fixed_p95 = p95(latencies(
            &fixed_trace,
            first_status_ms(&fixed_trace),
            &lines,
        ));
        let ours_p95 = p95(latencies(&trace, first_status_ms(&trace), &lines));
        println!("{name}: polls ours {ours}, fixed 200 ms {fixed}; latency p95 ours {ours_p95} ms, fixed {fixed_p95} ms");
        assert!(ours * 2 <= fixed, "{name}: ours {ours} vs fixed {fixed}");
        assert!(ours_p95 <= 500.0, "{name}: latency p95 {ours_p95} ms");
    }
}

/// The driver's clock at the first status poll (the timed server's time zero).
fn first_status_ms(trace: &Trace) -> f64 {
    let waiting = trace
        .logs
        .iter()
        .position(|l| l.message == "Waiting for logs...")
        .unwrap_or(0);
    trace.delivered_ms[waiting]
}

#[test]
fn idempotent_requests_retry_with_backoff_and_retry_after() {
    let pages = VecDeque::from(vec![
        bodiless(503),
        Err(TransportError::Timeout),
        Ok(HttpResponse {
            status: 429,
            status_text: "Too Many Requests".into(),
            headers: vec![("retry-after".into(), "2".into())],
            body: vec![],
        }),
        Err(TransportError::Network("connection reset".into())),
        status_page("ready", &[]),
    ]);
    let trace = drive(
        session_with(PollPolicy::default(), "retry"),
        T0,
        steps(),
        scripted(pages),
        |_, _| unreachable!(),
    );
    assert!(trace.result.as_ref().unwrap().is_ok(), "{:?}", trace.result);
    let polls: Vec<u64> = trace
        .requests
        .iter()
        .filter(|r| is_status(r))
        .filter_map(offset_of)
        .collect();
    assert_eq!(polls, [0, 0, 0, 0, 0], "same offset on every retry");
    assert!(
        trace.sleeps.contains(&2000),
        "Retry-After honoured: {:?}",
        trace.sleeps
    );
    // Full jitter: each backoff is within its capped ceiling (500 ms · 2^n).
    let retries: Vec<&str> = trace
        .logs
        .iter()
        .filter(|l| l.message.starts_with("Retrying"))
        .map(|l| l.message.as_str())
        .collect();
    assert_eq!(retries.len(), 4, "{retries:?}");
    assert!(
        retries[0].contains("(attempt 2 of 6): 503 Service Unavailable"),
        "{}",
        retries[0]
    );
    assert!(
        retries[1].ends_with("timed out") && retries[2].contains("in 2000 ms"),
        "{retries:?}"
    );
    assert!(trace
        .logs
        .iter()
        .filter(|l| l.message.starts_with("Retrying"))
        .all(|l| l.level == "debug"));
}

#[test]
fn retries_are_bounded() {
    let pages = VecDeque::from(vec![bodiless(502); 10]);
    let trace = drive(
        session_with(PollPolicy::default(), "bounded"),
        T0,
        steps(),
        scripted(pages),
        |_, _| unreachable!(),
    );
    let err = trace.result.unwrap().unwrap_err();
    assert_eq!(
        (err.name(), err.message.as_str(), err.status),
        ("BuildError", "502: Bad Gateway", Some(502))
    );
    assert_eq!(trace.requests.iter().filter(|r| is_status(r)).count(), 6);

    // A Retry-After beyond the overall cap ends the build now, with the server's class.
    let huge = Ok(HttpResponse {
        status: 429,
        status_text: String::new(),
        headers: vec![("retry-after".into(), "86400".into())],
        body: br#"{"message":"slow down"}"#.to_vec(),
    });
    let trace = drive(
        session_with(PollPolicy::default(), "cap"),
        T0,
        steps(),
        scripted(VecDeque::from(vec![huge])),
        |_, _| unreachable!(),
    );
    let err = trace.result.unwrap().unwrap_err();
    assert_eq!(
        (err.name(), err.message.as_str()),
        (
            "RateLimitError",
            "Rate limit exceeded, please try again later - slow down"
        )
    );
    assert_eq!(trace.requests.iter().filter(|r| is_status(r)).count(), 1);
}

#[test]
fn both_build_posts_are_safe_to_repeat() {
    // The build request after a 500, a dropped connection or a timeout: repeated
    // (a repeat only leaves an untriggered build, which never runs).
    for failure in [
        bodiless(500),
        Err(TransportError::Network("reset".into())),
        Err(TransportError::Timeout),
    ] {
        let mut replies = vec![created(), failure];
        let trace = drive(
            session_with(PollPolicy::default(), "post"),
            T0,
            steps(),
            move |req, _| {
                if req.url.ends_with("/v3/templates") {
                    replies.pop().unwrap()
                } else if is_status(req) {
                    status_page("ready", &[])
                } else {
                    bodiless(202)
                }
            },
            |_, _| unreachable!(),
        );
        let requests = trace.request_lines();
        assert!(trace.result.unwrap().is_ok());
        assert_eq!(
            requests
                .iter()
                .filter(|r| *r == "POST /v3/templates")
                .count(),
            2
        );
    }

    // The trigger got no answer: the session asks for the build's status, and
    // triggers again only while the build is still waiting.
    for (first_check, triggers) in [("waiting", 2), ("building", 1)] {
        let mut trigger_replies = vec![
            bodiless(202),
            Err(TransportError::Network("socket hang up".into())),
        ];
        let mut checks = vec![status_page("ready", &[]), status_page(first_check, &[])];
        let trace = drive(
            session_with(PollPolicy::default(), "trigger"),
            T0,
            steps(),
            move |req, _| {
                if req.url.ends_with("/v3/templates") {
                    created()
                } else if is_status(req) {
                    checks.pop().unwrap_or_else(|| status_page("ready", &[]))
                } else {
                    trigger_replies.pop().unwrap_or_else(|| bodiless(202))
                }
            },
            |_, _| unreachable!(),
        );
        assert!(trace.result.as_ref().unwrap().is_ok(), "{:?}", trace.result);
        let lines = trace.request_lines();
        let sent = lines
            .iter()
            .filter(|r| r.starts_with("POST /v2/templates/"))
            .count();
        assert_eq!(
            sent, triggers,
            "after a check that says {first_check}: {lines:#?}"
        );
        assert!(trace
            .log_lines()
            .iter()
            .any(|l| l.contains("asking the server whether the build started")));
    }

    // A repeated trigger answered 409 (already triggered) goes on to polling.
    let mut trigger_replies = vec![ok_json(
        409,
        r#"{"code":409,"message":"build 'bld' was already triggered (status building)"}"#,
    )];
    let trace = drive(
        session_with(PollPolicy::default(), "conflict"),
        T0,
        steps(),
        move |req, _| {
            if req.url.ends_with("/v3/templates") {
                created()
            } else if is_status(req) {
                status_page("ready", &[])
            } else {
                trigger_replies.pop().unwrap_or_else(|| bodiless(202))
            }
        },
        |_, _| unreachable!(),
    );
    assert!(trace.result.unwrap().is_ok());

    // 429 with Retry-After on the build request: retried after the server's delay.
    let mut replies = vec![
        created(),
        Ok(HttpResponse {
            status: 429,
            status_text: "Too Many Requests".into(),
            headers: vec![("retry-after".into(), "1".into())],
            body: vec![],
        }),
    ];
    let trace = drive(
        session_with(PollPolicy::default(), "rate"),
        T0,
        steps(),
        move |req, _| {
            if req.url.ends_with("/v3/templates") {
                replies.pop().unwrap()
            } else if is_status(req) {
                status_page("ready", &[])
            } else {
                bodiless(202)
            }
        },
        |_, _| unreachable!(),
    );
    assert!(trace.result.unwrap().is_ok());
    assert_eq!(trace.sleeps.first(), Some(&1000));

    // A 400 is a verdict, not a glitch: never repeated.
    let trace = drive(
        session_with(PollPolicy::default(), "bad"),
        T0,
        steps(),
        |_, _| {
            ok_json(
                400,
                r#"{"code":400,"message":"template name 'bad' is invalid"}"#,
            )
        },
        |_, _| unreachable!(),
    );
    assert_eq!(trace.requests.len(), 1);
    assert_eq!(
        trace.result.unwrap().unwrap_err().message,
        "400: template name 'bad' is invalid"
    );
}

#[test]
fn every_request_carries_the_request_timeout() {
    for (option, expected) in [
        (None, Some(60_000)),
        (Some(5_000), Some(5_000)),
        (Some(0), None),
    ] {
        let options = ConnectionOptions {
            api_key: Some(Secret(API_KEY.into())),
            api_url: Some("http://127.0.0.1:1".into()),
            request_timeout_ms: option
                .map(|ms: u64| novita_template_json::shape::Num(ms.to_string())),
            ..Default::default()
        };
        let conn = ConnectionConfig::resolve(&options, &[], node_host()).unwrap();
        let session = BuildSession::new(BuildConfig::new(conn), request("t"), false, T0, 1);
        let pages = VecDeque::from(vec![
            status_page("building", &[]),
            status_page("ready", &[]),
        ]);
        let trace = drive(session, T0, steps(), scripted(pages), |_, _| unreachable!());
        assert!(trace.requests.len() >= 4);
        assert!(
            trace.requests.iter().all(|r| r.timeout_ms == expected),
            "{option:?}"
        );
    }
    // A timed-out status poll that keeps timing out ends as TimeoutError.
    let pages = VecDeque::from(vec![Err(TransportError::Timeout); 6]);
    let trace = drive(
        session_with(PollPolicy::default(), "slow"),
        T0,
        steps(),
        scripted(pages),
        |_, _| unreachable!(),
    );
    let err = trace.result.unwrap().unwrap_err();
    assert_eq!(
        (err.name(), err.message.as_str()),
        ("TimeoutError", "Request timed out after 60000 ms")
    );
}

#[test]
fn abort_ends_with_log_entry_end_and_abort_error() {
    let mut session = session_with(PollPolicy::default(), "abortable");
    let mut now = T0;
    let mut polls = 0;
    let mut logs = Vec::new();
    let mut in_flight = None;
    let outcome = loop {
        match session.next_action(now) {
            Action::Send { id, request } => {
                if is_status(&request) {
                    polls += 1;
                    if polls == 3 {
                        // The user aborts while this poll is in flight.
                        in_flight = Some(id);
                        session.abort();
                        continue;
                    }
                }
                let reply = if request.url.ends_with("/v3/templates") {
                    created()
                } else if is_status(&request) {
                    status_page("building", &[])
                } else {
                    bodiless(202)
                };
                session.on_response(id, reply, now);
            }
            Action::PrepareSteps { .. } => session.steps_ready("{}".into(), vec![], now),
            Action::Sleep { ms } => now += ms as f64,
            Action::Log(l) => logs.push(l),
            Action::Failed(e) => break Err(e),
            Action::Done(i) => break Ok(i),
            other => panic!("unexpected {other:?}"),
        }
    };
    let err = outcome.unwrap_err();
    assert_eq!(err.name(), "AbortError");
    // Honest: the build was triggered, so it goes on on the server.
    assert_eq!(
        err.message,
        "The build was aborted: the build goes on on the server (template tpl, build bld): the API has no cancel; no step had reported yet"
    );
    assert_eq!(
        err.field("serverBuild"),
        Some(&novita_template_json::Json::str("continues"))
    );
    assert_eq!(logs.last().unwrap().kind, LogKind::End);
    assert_eq!(logs.iter().filter(|l| l.kind == LogKind::End).count(), 1);
    // A reply arriving after the abort is ignored; the outcome stays.
    session.on_response(in_flight.unwrap(), status_page("ready", &[]), now);
    assert!(
        matches!(session.next_action(now), Action::Failed(e) if e.class == ErrorClass::AbortError)
    );
}

#[test]
fn concurrent_file_links_and_uploads() {
    let mut session = session_with(PollPolicy::default(), "parallel");
    let copies: Vec<CopyUpload> = (0..3)
        .map(|i| CopyUpload {
            index: i,
            files_hash: format!("h{i}"),
            force_upload: i == 2,
            src: format!("src{i}"),
        })
        .collect();
    let now = T0;
    let mut inflight: Vec<(u32, HttpRequest)> = Vec::new();
    let mut uploads: Vec<usize> = Vec::new();
    let mut logs = Vec::new();
    let mut order = Vec::new();
    let result = loop {
        match session.next_action(now) {
            Action::Send { id, request } => {
                order.push(request.path_and_query().to_string());
                inflight.push((id, request));
            }
            Action::Upload { copy_index, .. } => uploads.push(copy_index),
            Action::Progress(_) => {}
            Action::PrepareSteps { .. } => session.steps_ready("{}".into(), copies.clone(), now),
            Action::Log(l) => logs.push(l.message),
            Action::Sleep { .. } => panic!("nothing is delayed here"),
            Action::Wait => {
                // Complete the newest request or upload first (reverse order).
                if let Some(copy) = uploads.pop() {
                    session.upload_done(copy, bodiless(200), now);
                } else if let Some((id, req)) = inflight.pop() {
                    let p = req.path_and_query();
                    let reply = if p == "/v3/templates" {
                        created()
                    } else if p.contains("/files/h0") {
                        ok_json(201, r#"{"present":false,"url":"https://s3/h0"}"#)
                    } else if p.contains("/files/h1") {
                        ok_json(201, r#"{"present":true}"#)
                    } else if p.contains("/files/h2") {
                        ok_json(201, r#"{"present":true,"url":"https://s3/h2"}"#)
                    } else if is_status(&req) {
                        status_page("ready", &[])
                    } else {
                        bodiless(202)
                    };
                    session.on_response(id, reply, now);
                } else {
                    panic!("Wait with nothing in flight");
                }
            }
            Action::Done(i) => break i,
            Action::Failed(e) => panic!("{e}"),
        }
    };
    assert_eq!(result.template_id, "tpl");
    // All three link requests went out before any reply.
    assert_eq!(
        &order[1..4],
        [
            "/templates/tpl/files/h0",
            "/templates/tpl/files/h1",
            "/templates/tpl/files/h2"
        ]
    );
    let upload_logs: Vec<&String> = logs.iter().filter(|m| m.contains("'src")).collect();
    assert_eq!(
        upload_logs,
        [
            "Uploaded 'src2'",
            "Skipping upload of 'src1', already cached",
            "Uploaded 'src0'"
        ]
    );
    let all = logs
        .iter()
        .position(|m| m == "All file uploads completed")
        .unwrap();
    assert!(logs[..all].iter().filter(|m| m.contains("'src")).count() == 3);
}

#[test]
fn invalid_options_fail_before_any_request_or_log() {
    for (req, class, needle) in [
        (
            BuildRequest {
                name: "".into(),
                ..Default::default()
            },
            ErrorClass::TemplateError,
            "Name must be provided",
        ),
        (
            BuildRequest {
                name: "a b".into(),
                ..Default::default()
            },
            ErrorClass::InvalidArgumentError,
            "name",
        ),
        (
            BuildRequest {
                name: "ok".into(),
                cpu_count: Some(novita_template_json::shape::Num("0.5".into())),
                ..Default::default()
            },
            ErrorClass::InvalidArgumentError,
            "cpuCount",
        ),
        (
            BuildRequest {
                name: "ok".into(),
                memory_mb: Some(novita_template_json::shape::Num("-1".into())),
                ..Default::default()
            },
            ErrorClass::InvalidArgumentError,
            "memoryMB",
        ),
        (
            BuildRequest {
                name: "ok".into(),
                tags: Some(vec!["x y".into()]),
                ..Default::default()
            },
            ErrorClass::InvalidArgumentError,
            "tags[0]",
        ),
    ] {
        let mut s = BuildSession::new(build_config(test_connection(None)), req, false, T0, 1);
        match s.next_action(T0) {
            Action::Failed(e) => {
                assert_eq!(e.class, class);
                assert!(e.message.contains(needle), "{}", e.message);
            }
            other => panic!("expected Failed, got {other:?}"),
        }
    }
}

#[test]
fn missing_log_entries_is_a_typed_error() {
    let pages = VecDeque::from(vec![ok_json(200, r#"{"status":"building"}"#)]);
    let trace = drive(
        session_with(PollPolicy::default(), "shape"),
        T0,
        steps(),
        scripted(pages),
        |_, _| unreachable!(),
    );
    let err = trace.result.unwrap().unwrap_err();
    assert_eq!(
        (err.name(), err.message.as_str()),
        (
            "BuildError",
            "Invalid response from the server: missing logEntries"
        )
    );
}

#[test]
fn uploads_retry_on_server_errors_but_not_on_403() {
    let copies = vec![CopyUpload {
        index: 7,
        files_hash: "h".into(),
        force_upload: false,
        src: "app".into(),
    }];
    let link = |req: &HttpRequest, _| {
        if req.url.ends_with("/v3/templates") {
            created()
        } else if req.url.contains("/files/") {
            ok_json(201, r#"{"present":false,"url":"https://s3/x"}"#)
        } else if is_status(req) {
            status_page("ready", &[])
        } else {
            bodiless(202)
        }
    };
    let mut replies = vec![bodiless(200), bodiless(503)];
    let trace = drive(
        session_with(PollPolicy::default(), "up"),
        T0,
        Prepare::Steps {
            body: "{}".into(),
            copies: copies.clone(),
            host_logs: vec![],
        },
        link,
        move |_, _| replies.pop().unwrap(),
    );
    assert!(trace.result.unwrap().is_ok());
    assert_eq!(
        trace.uploads,
        [
            (7, "https://s3/x".to_string()),
            (7, "https://s3/x".to_string())
        ]
    );
    let trace = drive(
        session_with(PollPolicy::default(), "up"),
        T0,
        Prepare::Steps {
            body: "{}".into(),
            copies,
            host_logs: vec![],
        },
        link,
        |_, _| bodiless(403),
    );
    let err = trace.result.unwrap().unwrap_err();
    assert_eq!(
        (err.name(), err.message.as_str()),
        ("FileUploadError", "Failed to upload file: Forbidden")
    );
    assert_eq!(trace.uploads.len(), 1);
}

#[test]
fn debug_output_never_shows_credentials() {
    let mut session = session_with(PollPolicy::default(), "secret");
    let mut now = T0;
    let body = r#"{"fromImage":"r/i","fromImageRegistry":{"type":"registry","username":"u","password":"hunter2"}}"#;
    loop {
        match session.next_action(now) {
            Action::Send { id, request } => {
                let shown = format!("{request:?}");
                assert!(
                    !shown.contains(API_KEY) && !shown.contains("hunter2"),
                    "{shown}"
                );
                if request.url.ends_with("/v3/templates") {
                    session.on_response(id, created(), now);
                } else {
                    break;
                }
            }
            Action::PrepareSteps { .. } => session.steps_ready(body.into(), vec![], now),
            Action::Log(_) => {}
            Action::Sleep { ms } => now += ms as f64,
            other => panic!("unexpected {other:?}"),
        }
        let shown = format!("{session:?}");
        assert!(
            !shown.contains(API_KEY) && !shown.contains("hunter2"),
            "{shown}"
        );
    }
}

#[test]
fn duplicate_copy_indexes_are_refused() {
    let copy = CopyUpload {
        index: 1,
        files_hash: "h".into(),
        force_upload: false,
        src: "a".into(),
    };
    let trace = drive(
        session_with(PollPolicy::default(), "dup"),
        T0,
        Prepare::Steps {
            body: "{}".into(),
            copies: vec![copy.clone(), copy],
            host_logs: vec![],
        },
        |_, _| created(),
        |_, _| unreachable!(),
    );
    let err = trace.result.unwrap().unwrap_err();
    assert_eq!(err.class, ErrorClass::InvalidArgumentError);
    assert_eq!(
        trace.requests.len(),
        1,
        "no file-link request after the refusal"
    );
    assert_eq!(trace.logs.last().unwrap().kind, LogKind::End);
}
