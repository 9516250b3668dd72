//! No reply bytes, statuses or headers can make the session or the parsers
//! panic, and a session fed arbitrary replies always reaches Done or Failed.

mod support;

use novita_template_flow::ansi::strip_ansi;
use novita_template_flow::connection::{ConnectionConfig, ConnectionOptions, Headers, Secret};
use novita_template_flow::iso_time::{parse_http_date_ms, parse_rfc3339_ms};
use novita_template_flow::machine::Machine;
use novita_template_flow::paginator::{list_page, ListOptions};
use novita_template_flow::retry::retry_after_ms;
use novita_template_flow::session::{Action, BuildRequest, BuildSession, CopyUpload};
use novita_template_flow::{errors, wire, Endpoint, HttpResponse, TransportError};
use proptest::prelude::*;
use support::*;

fn arb_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        Just(Vec::new()),
        Just(br#"{"templateID":"t","buildID":"b","tags":["x"]}"#.to_vec()),
        Just(br#"{"present":false,"url":"https://u"}"#.to_vec()),
        Just(
            br#"{"status":"building","logEntries":[{"timestamp":"x","level":1,"message":null}]}"#
                .to_vec()
        ),
        Just(br#"{"status":"ready","logEntries":[]}"#.to_vec()),
        Just(br#"{"status":"error","logEntries":"no","reason":7}"#.to_vec()),
        Just(br#"{"message":{"deep":[1,2]}}"#.to_vec()),
        Just(b"[1,2,3]".to_vec()),
        "[ -~\\x1b]{0,80}".prop_map(|s| s.into_bytes()),
    ]
}

fn arb_reply() -> impl Strategy<Value = Result<HttpResponse, TransportError>> {
    let response = (
        prop_oneof![
            100u16..600,
            Just(200u16),
            Just(201),
            Just(202),
            Just(204),
            Just(404),
            Just(429),
            Just(503)
        ],
        ".{0,12}",
        proptest::collection::vec(
            (
                prop_oneof![Just("retry-after".to_string()), "[a-z-]{1,12}"],
                prop_oneof![
                    Just("1".to_string()),
                    Just("Sun, 06 Nov 1994 08:49:37 GMT".to_string()),
                    ".{0,20}"
                ],
            ),
            0..3,
        ),
        arb_body(),
    )
        .prop_map(|(status, status_text, headers, body)| {
            Ok(HttpResponse {
                status,
                status_text,
                headers,
                body,
            })
        });
    prop_oneof![
        8 => response,
        1 => Just(Err(TransportError::Timeout)),
        1 => ".{0,30}".prop_map(|m| Err(TransportError::Network(m))),
        1 => Just(Err(TransportError::Aborted)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn session_survives_any_replies(replies in proptest::collection::vec(arb_reply(), 1..40), background in any::<bool>(), seed in any::<u64>()) {
        let session = BuildSession::new(
            build_config(test_connection(None)),
            BuildRequest { name: "fuzz".into(), ..Default::default() },
            background,
            0.0,
            seed,
        );
        let copies = vec![CopyUpload { index: 3, files_hash: "h".into(), force_upload: true, src: "s".into() }];
        let mut replies = replies.into_iter();
        let mut uploads = Vec::new();
        let trace = drive(
            session,
            0.0,
            Prepare::Steps { body: "{}".into(), copies, host_logs: vec![] },
            |_, _| replies.next().unwrap_or(Err(TransportError::Network("exhausted".into()))),
            |i, _| { uploads.push(i); Err(TransportError::Network("upload".into())) },
        );
        prop_assert!(trace.result.is_some(), "the session must finish");
        let ends = trace.logs.iter().filter(|l| l.kind == novita_template_flow::LogKind::End).count();
        prop_assert_eq!(ends, usize::from(!background));
    }

    #[test]
    fn parsers_survive_any_reply(reply in arb_reply()) {
        if let Ok(r) = reply {
            let _ = wire::parse_request_build(&r);
            let _ = wire::parse_file_upload_link(&r);
            let _ = wire::parse_trigger_build(&r);
            let _ = wire::parse_build_status(&r);
            let _ = wire::parse_alias_exists(&r);
            let _ = wire::parse_assign_tags(&r);
            let _ = wire::parse_remove_tags(&r);
            let _ = wire::parse_get_tags(&r);
            let _ = wire::parse_get_template(&r);
            let _ = wire::parse_list_templates(&r, "template_build", 1);
            let _ = wire::parse_delete_template(&r);
            let _ = wire::parse_create_sandbox(&r).map(|c| c.check_envd_version());
            let _ = wire::parse_kill_sandbox(&r);
            let _ = retry_after_ms(&r, 0.0);
            let e = errors::error_from_status(Endpoint::GetTemplate, &r);
            prop_assert!(e.message.chars().count() < 700);
            let params = ListOptions::default().validate().unwrap();
            let mut page = list_page(&test_connection(None), &params, 1, 1);
            let _ = page.next(0.0);
            page.on_reply(1, Ok(r.clone()), 1.0);
            let _ = page.next(1.0);
        }
    }

    #[test]
    fn text_functions_survive_any_string(s in "\\PC{0,60}|[\\x1b\\x9b\\x9c\\x07\\[\\]0-9;:?a-z]{0,40}") {
        let stripped = strip_ansi(&s);
        prop_assert!(stripped.len() <= s.len());
        let _ = parse_rfc3339_ms(&s);
        let _ = parse_http_date_ms(&s);
        let options = ConnectionOptions { api_url: Some(s.clone()), domain: Some(s.clone()), ..Default::default() };
        let _ = ConnectionConfig::resolve(&options, &[], node_host());
        let _ = novita_template_flow::validation::validate_name(&s);
    }
}

#[test]
fn any_aborted_session_stops() {
    let mut s = BuildSession::new(
        build_config(test_connection(None)),
        BuildRequest {
            name: "x".into(),
            ..Default::default()
        },
        false,
        0.0,
        1,
    );
    s.abort();
    let mut seen = Vec::new();
    for _ in 0..6 {
        seen.push(s.next_action(0.0));
    }
    // Entries queued before the abort, then LogEntryEnd, then only the AbortError; no request.
    assert!(matches!(&seen[0], Action::Log(l) if l.message == "Build started"));
    assert!(matches!(&seen[1], Action::Log(l) if l.message.starts_with("Requesting build")));
    assert!(matches!(&seen[2], Action::Log(l) if l.kind == novita_template_flow::LogKind::End));
    assert!(seen[3..]
        .iter()
        .all(|a| matches!(a, Action::Failed(e) if e.name() == "AbortError")));
}

/// A counted fuzz run of the reply parsers and of connection-option resolution, so
/// `make test` can print how many inputs it tried (`cargo test -- --show-output`).
#[test]
fn fuzz_run_reply_parsers_and_connection_options() {
    use proptest::test_runner::{Config, TestRunner};
    use std::cell::Cell;
    let executions = Cell::new(0u64);
    let config = Config {
        cases: 3000,
        ..Config::default()
    };
    TestRunner::new(config.clone())
        .run(&arb_reply(), |reply| {
            executions.set(executions.get() + 1);
            if let Ok(r) = reply {
                let _ = wire::parse_build_status(&r);
                let _ = wire::parse_list_templates(&r, "template_build", 1);
                let _ = wire::parse_get_template(&r);
                let _ = errors::error_from_status(Endpoint::RequestBuild, &r);
            }
            Ok(())
        })
        .expect("reply parsers never panic");
    TestRunner::new(config)
        .run(
            &(any::<String>(), any::<String>(), any::<Option<u64>>()),
            |(url, key, timeout)| {
                executions.set(executions.get() + 1);
                let options = ConnectionOptions {
                    api_url: Some(url.clone()),
                    api_key: Some(Secret(key.clone())),
                    domain: Some(key),
                    request_timeout_ms: timeout
                        .map(|t| novita_template_json::shape::Num(t.to_string())),
                    headers: Some(Headers(vec![(url.clone(), url)])),
                    ..Default::default()
                };
                let _ = ConnectionConfig::resolve(&options, &[], node_host());
                Ok(())
            },
        )
        .expect("connection options never panic");
    println!(
        "fuzz: {} executions (reply parsers and connection options), no panic",
        executions.get()
    );
}
