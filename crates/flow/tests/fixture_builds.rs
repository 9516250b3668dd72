//! Replays the recorded builds of fixtures 01 and 07 (both registry modes)
//! through `BuildSession`: every request (method, path, query, Node header
//! list, body bytes) and every `onBuildLogs` entry must equal the official
//! SDK's, plus the one documented extra: the drain poll after `ready`.

mod support;

use novita_template_json::shape::Num;

use novita_template_flow::connection::ConnectionConfig;
use novita_template_flow::iso_time::parse_rfc3339_ms;
use novita_template_flow::sandbox::SandboxOptions;
use novita_template_flow::session::{BuildRequest, BuildSession};
use novita_template_flow::wire;
use novita_template_flow::{LogEntry, LogKind};
use serde::Deserialize;
use serde_json::Value;
use support::*;

#[derive(Deserialize)]
struct Mode01 {
    build: FixtureBuild,
}

#[derive(Deserialize)]
struct Fixture01 {
    #[serde(rename = "registryOffline")]
    registry_offline: Mode01,
    #[serde(rename = "registryMocked")]
    registry_mocked: Mode01,
}

#[derive(Deserialize)]
struct Mode07 {
    #[serde(rename = "buildResult")]
    build_result: Value,
    #[serde(rename = "sandboxId")]
    sandbox_id: String,
    requests: Vec<FixtureRequest>,
}

#[derive(Deserialize)]
struct Fixture07 {
    #[serde(rename = "registryOffline")]
    registry_offline: Mode07,
    #[serde(rename = "registryMocked")]
    registry_mocked: Mode07,
}

fn info_json(info: &novita_template_flow::BuildInfo) -> Value {
    serde_json::json!({"alias": info.alias, "name": info.name, "tags": info.tags,
        "templateId": info.template_id, "buildId": info.build_id})
}

fn is_status_poll(r: &novita_template_flow::HttpRequest) -> bool {
    r.url.contains("/status?")
}

/// Replays `requests` in order; the drain poll (beyond the recording) gets an
/// empty `ready` page.
fn replay(
    connection: ConnectionConfig,
    name: &str,
    tags: Option<Vec<String>>,
    cpu: Option<f64>,
    mem: Option<f64>,
    requests: &[FixtureRequest],
    host_logs: Vec<LogEntry>,
) -> Trace {
    let trigger = requests
        .iter()
        .find(|r| r.path.starts_with("/v2/templates/"))
        .and_then(|r| r.body_text.clone())
        .expect("fixture has a trigger body");
    let session = BuildSession::new(
        build_config(connection),
        BuildRequest {
            name: name.into(),
            tags,
            cpu_count: cpu.map(|n| Num(n.to_string())),
            memory_mb: mem.map(|n| Num(n.to_string())),
        },
        false,
        1_795_870_020_997.0,
        7,
    );
    let recorded: Vec<FixtureRequest> = requests.to_vec();
    let mut index = 0;
    drive(
        session,
        1_795_870_020_997.0,
        Prepare::Steps {
            body: trigger,
            copies: vec![],
            host_logs,
        },
        move |req, _now| {
            let reply = if index < recorded.len() && !recorded[index].path.starts_with("/sandboxes")
            {
                let r = recorded[index].reply.clone().expect("recorded reply");
                reply_to_response(&r)
            } else {
                assert!(is_status_poll(req), "unexpected extra request {}", req.url);
                let body = r#"{"templateID":"t","buildID":"b","status":"ready","logEntries":[],"logs":[]}"#;
                ok_json(200, body).unwrap()
            };
            index += 1;
            Ok(reply)
        },
        |_, _| panic!("no uploads in these fixtures"),
    )
}

fn check_requests(trace: &Trace, recorded: &[FixtureRequest], what: &str) {
    let build_requests: Vec<&FixtureRequest> = recorded
        .iter()
        .filter(|r| !r.path.starts_with("/sandboxes"))
        .collect();
    // Ours = the official sequence + one drain poll (documented difference).
    assert_eq!(
        trace.requests.len(),
        build_requests.len() + 1,
        "{what}: {:#?}",
        trace.request_lines()
    );
    for (i, fixture) in build_requests.iter().enumerate() {
        assert_same_request(&trace.requests[i], fixture, &format!("{what} request {i}"));
    }
    let last_official = build_requests.last().unwrap();
    let drain = trace.requests.last().unwrap();
    let (path, query) = path_and_query(drain);
    assert_eq!(
        path, last_official.path,
        "{what}: the drain polls the same build"
    );
    assert_eq!(
        query, "?logsOffset=3",
        "{what}: the drain asks from the current offset"
    );
    assert_eq!(lower_headers(drain), sdk_headers(last_official));
}

fn check_logs(trace: &Trace, expected: &[FixtureLog], what: &str) {
    assert_eq!(
        trace.logs.len(),
        expected.len(),
        "{what}: {:#?}",
        trace.log_lines()
    );
    for (ours, official) in trace.logs.iter().zip(expected) {
        assert_eq!(ours.kind.class_name(), official.class, "{what}");
        assert_eq!(ours.level, official.level, "{what}");
        assert_eq!(ours.message, official.message, "{what}");
        // Server entries carry the server's timestamps: the same instant exactly
        // (the face prints it with the platform's toISOString).
        if official.timestamp.starts_with("2026-01-01") {
            let expected = novita_template_flow::iso_time::parse_rfc3339_ms(&official.timestamp);
            assert_eq!(Some(ours.timestamp_ms), expected, "{what}");
            assert!(
                official
                    .to_string
                    .ends_with(&format!("] [{}] {}", ours.level, ours.message)),
                "{what}"
            );
        }
    }
}

#[test]
fn fixture_01_builds_replay_exactly() {
    let fixture: Fixture01 =
        serde_json::from_str(&read_fixture("01-python-pip-start.json")).unwrap();
    let mut passed = 0;
    for (mode, data) in [
        ("registryOffline", &fixture.registry_offline),
        ("registryMocked", &fixture.registry_mocked),
    ] {
        let build = &data.build;
        // The registry warning is produced by the host during PrepareSteps.
        let host_logs: Vec<LogEntry> = build
            .on_build_logs
            .iter()
            .filter(|l| l.level == "warn")
            .map(|l| {
                LogEntry::new(
                    parse_rfc3339_ms(&l.timestamp).unwrap(),
                    "warn",
                    l.message.clone(),
                )
            })
            .collect();
        let trace = replay(
            test_connection(None),
            &build.name,
            Some(vec!["v1".into(), "latest".into()]),
            None,
            None,
            &build.requests,
            host_logs,
        );
        let what = format!("01 {mode}");
        check_requests(&trace, &build.requests, &what);
        check_logs(&trace, &build.on_build_logs, &what);
        let info = trace
            .result
            .as_ref()
            .unwrap()
            .as_ref()
            .expect("build succeeds");
        assert_eq!(&info_json(info), build.result.as_ref().unwrap(), "{what}");
        assert_eq!(trace.logs.last().unwrap().kind, LogKind::End);
        passed += 1;
    }
    println!("fixture 01 build replays: {passed}/2");
}

#[test]
fn fixture_07_seed_example_replays_exactly() {
    let fixture: Fixture07 = serde_json::from_str(&read_fixture("07-seed-example.json")).unwrap();
    let mut passed = 0;
    for (mode, data) in [
        ("registryOffline", &fixture.registry_offline),
        ("registryMocked", &fixture.registry_mocked),
    ] {
        let what = format!("07 {mode}");
        let trace = replay(
            test_connection(None),
            "my-python-template",
            None,
            Some(2.0),
            Some(1024.0),
            &data.requests,
            vec![],
        );
        check_requests(&trace, &data.requests, &what);
        let info = trace
            .result
            .as_ref()
            .unwrap()
            .as_ref()
            .expect("build succeeds");
        assert_eq!(info_json(info), data.build_result, "{what}");
        let lines = trace.log_lines();
        assert_eq!(lines.first().unwrap(), "LogEntryStart debug Build started");
        assert_eq!(lines.last().unwrap(), "LogEntryEnd debug Build finished");

        // Sandbox.create + kill, as the seed example continues.
        let conn = test_connection(None);
        let create =
            wire::create_sandbox(&conn, &info.template_id, &SandboxOptions::default()).unwrap();
        let recorded_create = data
            .requests
            .iter()
            .find(|r| r.path == "/sandboxes")
            .unwrap();
        assert_same_request(&create, recorded_create, &format!("{what} sandbox create"));
        let created =
            wire::parse_create_sandbox(&reply_to_response(recorded_create.reply.as_ref().unwrap()))
                .unwrap();
        created.check_envd_version().unwrap();
        assert_eq!(
            created.sandbox_id_for(conn.is_legacy_domain()),
            data.sandbox_id
        );
        let kill = wire::kill_sandbox(&conn, &data.sandbox_id);
        let recorded_kill = data.requests.iter().find(|r| r.method == "DELETE").unwrap();
        assert_same_request(&kill, recorded_kill, &format!("{what} sandbox kill"));
        assert!(wire::parse_kill_sandbox(&reply_to_response(
            recorded_kill.reply.as_ref().unwrap()
        ))
        .unwrap());
        passed += 1;
    }
    println!("fixture 07 seed-example replays: {passed}/2");
}

#[test]
fn old_envd_is_refused_with_the_official_message() {
    let reply = serde_json::json!({"status": 201, "body": {"sandboxID": "s", "clientID": "c", "templateID": "t", "envdVersion": "0.0.9"}});
    let created = wire::parse_create_sandbox(&reply_to_response(&reply)).unwrap();
    let e = created.check_envd_version().unwrap_err();
    assert_eq!(e.name(), "TemplateError");
    assert!(e
        .message
        .starts_with("You need to update the template to use the new SDK."));
    assert_eq!(created.sandbox_id_for(true), "s-c");
}
