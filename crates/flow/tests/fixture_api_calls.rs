//! Fixture 09: the non-build template API calls, `getBuildStatus`,
//! `buildInBackground` and the deprecated `build(t, {alias})`. Each request
//! must equal the recording and each parsed reply must equal the SDK's result.

mod support;

use std::collections::BTreeMap;

use novita_template_flow::api_call::{ApiCall, CallAction};
use novita_template_flow::calls;
use novita_template_flow::machine::{Machine, Step};
use novita_template_flow::paginator::{list_page, ListOptions};
use novita_template_flow::session::{BuildRequest, BuildSession};
use novita_template_flow::wire;
use novita_template_json::shape::Num;
use serde::Deserialize;
use serde_json::{json, Value};
use support::*;

#[derive(Deserialize)]
struct Call {
    result: Value,
    requests: Vec<FixtureRequest>,
}

#[derive(Deserialize)]
struct Fixture09 {
    calls: BTreeMap<String, Call>,
}

/// What the face makes of a result's JSON: tagged dates become `Date`s (shown here as
/// their ISO text), tagged log entries `LogEntry`s (shown as `{timestamp, level, message}`).
fn revived(v: &Value) -> Value {
    match v {
        Value::Object(m) if m.len() == 1 && m.contains_key("\u{0}date") => {
            match m["\u{0}date"].as_f64() {
                Some(ms) => json!(iso_time(ms)),
                None => json!("Invalid Date"),
            }
        }
        Value::Object(m) if m.len() == 1 && m.contains_key("\u{0}log") => {
            let e = &m["\u{0}log"];
            json!({"timestamp": iso_time(e[1].as_f64().unwrap()), "level": e[2], "message": e[3]})
        }
        Value::Array(a) => Value::Array(a.iter().map(revived).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), revived(v))).collect()),
        other => other.clone(),
    }
}

/// Runs a call machine against the recorded reply of `call`, checking its one request.
fn run(call: &Call, machine: &mut dyn Machine, name: &str) -> Value {
    assert_eq!(call.requests.len(), 1, "{name}");
    let mut now = 0.0;
    for _ in 0..10 {
        match machine.next(now) {
            Step::Send { id, request, .. } => {
                assert_same_request(&request, &call.requests[0], name);
                let reply = reply_to_response(call.requests[0].reply.as_ref().unwrap());
                now += 1.0;
                machine.on_reply(id, Ok(reply), now);
            }
            Step::Done(v) => return revived(&serde_json::from_str(&v.to_compact()).unwrap()),
            other => panic!("{name}: unexpected {other:?}"),
        }
    }
    panic!("{name}: no result")
}

/// Numbers in our JSON are f64; compare numerically with the fixture.
fn normalise(v: &Value) -> Value {
    match v {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
        }
        other => other.clone(),
    }
}

#[test]
fn fixture_09_every_call_matches() {
    let fixture: Fixture09 =
        serde_json::from_str(&read_fixture("09-template-api-calls.json")).unwrap();
    let conn = test_connection(None);
    let mut passed = 0;
    for (name, call) in &fixture.calls {
        let expected = normalise(&call.result);
        let got: Value = if let Some(alias) = name
            .strip_prefix("Template.exists('")
            .or_else(|| name.strip_prefix("Template.aliasExists('"))
        {
            let alias = &alias[..alias.find('\'').unwrap()];
            run(
                call,
                &mut calls::alias_exists(&conn, "Template.exists", alias, 1).unwrap(),
                name,
            )
        } else if name.starts_with("Template.assignTags(") {
            let tags: Vec<String> = call.requests[0].reply.as_ref().unwrap()["body"]["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            let mut m = calls::assign_tags(&conn, "agent-runtime-base:v1.0.0", &tags, 1).unwrap();
            run(call, &mut m, name)
        } else if name.starts_with("Template.removeTags(") {
            let tags = ["production".to_string(), "staging".to_string()];
            let mut m = calls::remove_tags(&conn, "agent-runtime-base", &tags, 1).unwrap();
            let v = run(call, &mut m, name);
            assert_eq!(v, Value::Null, "resolves to undefined");
            json!("(undefined)")
        } else if name.starts_with("Template.getTags(") {
            run(
                call,
                &mut calls::get_tags(&conn, "tplexists0000000000", 1).unwrap(),
                name,
            )
        } else if name.starts_with("Template.get(") {
            let mut v = run(
                call,
                &mut calls::get_template(&conn, "tplexists0000000000", 1).unwrap(),
                name,
            );
            // `get` has no templateType unless the server sends one.
            assert!(v.get("templateType").is_none());
            v.as_object_mut().unwrap().remove("metadata");
            v
        } else if name.starts_with("Template.list(") {
            let options = if name.contains("limit: 5") {
                ListOptions {
                    limit: Some(Num("5".into())),
                    ..Default::default()
                }
            } else if name.contains("snapshot_template") {
                ListOptions {
                    template_type: Some("snapshot_template".into()),
                    page: Some(Num("2".into())),
                    ..Default::default()
                }
            } else {
                ListOptions::default()
            };
            let params = options.validate().unwrap();
            let mut page = list_page(&conn, &params, params.page, 1);
            let v = run(call, &mut page, name);
            // page >= totalPages: the paginator (in the face) has no more pages.
            assert!(v["page"].as_f64() >= v["totalPages"].as_f64(), "{name}");
            // The whole TemplateListResponse, as the official nextPage() resolves it.
            v
        } else if let Some(id) = name.strip_prefix("TemplateApi.deleteTemplate('") {
            let id = &id[..id.find('\'').unwrap()];
            run(
                call,
                &mut calls::delete_template(&conn, id, 1).unwrap(),
                name,
            )
        } else if name.starts_with("Template.getBuildStatus(") {
            let offset = name.contains("logsOffset: 7").then_some(7);
            // getBuildStatus keeps the messages as sent (not ANSI-stripped).
            let mut m = calls::build_status(&conn, "tplX", "bldX", offset, 1).unwrap();
            run(call, &mut m, name)
        } else if name.starts_with("Template.buildInBackground(")
            || name.starts_with("Template.build(t, { alias")
        {
            let background = name.starts_with("Template.buildInBackground(");
            let request = if background {
                BuildRequest {
                    name: "bg-build:v2".into(),
                    tags: Some(vec!["x".into()]),
                    cpu_count: Some(Num("4".into())),
                    memory_mb: Some(Num("4096".into())),
                }
            } else {
                BuildRequest {
                    name: "legacy-alias".into(),
                    ..Default::default()
                }
            };
            // The generator's server numbers templates per process: reuse its replies.
            let recorded = call.requests.clone();
            let body = recorded[1].body_text.clone().unwrap();
            let mut i = 0;
            let trace = drive(
                BuildSession::new(build_config(conn.clone()), request, background, 0.0, 3),
                0.0,
                Prepare::Steps {
                    body,
                    copies: vec![],
                    host_logs: vec![],
                },
                move |_req, _| {
                    let r = recorded.get(i).and_then(|r| r.reply.clone()).unwrap_or_else(
                        || json!({"status": 200, "body": {"status": "ready", "logEntries": [], "logs": []}}),
                    );
                    i += 1;
                    Ok(reply_to_response(&r))
                },
                |_, _| panic!("no uploads"),
            );
            for (i, fixture) in call.requests.iter().enumerate() {
                assert_same_request(&trace.requests[i], fixture, &format!("{name} request {i}"));
            }
            // Background: no polling and no Start/End entries. Deprecated build: one drain poll more.
            let extra = if background { 0 } else { 1 };
            assert_eq!(trace.requests.len(), call.requests.len() + extra, "{name}");
            if background {
                assert!(trace
                    .logs
                    .iter()
                    .all(|l| l.kind == novita_template_flow::LogKind::Normal));
            }
            let info = trace.result.unwrap().unwrap();
            json!({"alias": info.alias, "name": info.name, "tags": info.tags, "templateId": info.template_id, "buildId": info.build_id})
        } else {
            panic!("unhandled fixture-09 call {name}");
        };
        assert_eq!(normalise(&got), expected, "{name}");
        passed += 1;
    }
    assert_eq!(passed, fixture.calls.len());
    println!("fixture 09 API calls: {passed}/{}", fixture.calls.len());
}

#[test]
fn delete_refuses_an_empty_id() {
    let e = wire::delete_template(&test_connection(None), "").unwrap_err();
    assert_eq!(
        (e.name(), e.message.as_str()),
        ("Error", "templateId cannot be empty")
    );
}

#[test]
fn api_call_retries_idempotent_gets() {
    let conn = test_connection(None);
    let mut call = calls::get_tags(&conn, "t", 9).unwrap();
    let mut now = 0.0;
    let mut sends = 0;
    let tags = loop {
        match call.next_action(now) {
            CallAction::Send(_) => {
                sends += 1;
                let reply = if sends < 3 {
                    bodiless(503)
                } else {
                    ok_json(200, "[]")
                };
                call.on_response(reply, now);
            }
            CallAction::Sleep { ms } => now += ms as f64,
            CallAction::Done(tags) => break tags,
            CallAction::Failed(e) => panic!("{e}"),
        }
    };
    assert_eq!(sends, 3);
    assert_eq!(tags, novita_template_json::Json::Arr(vec![]));

    // A POST (assign tags) is not repeated on a 500.
    let mut call: ApiCall<_> = calls::assign_tags(&conn, "a:b", &["c".into()], 9).unwrap();
    let CallAction::Send(_) = call.next_action(0.0) else {
        panic!()
    };
    call.on_response(bodiless(500), 1.0);
    let CallAction::Failed(e) = call.next_action(1.0) else {
        panic!("no retry expected")
    };
    assert_eq!(
        (e.name(), e.message.as_str()),
        ("TemplateError", "500: Internal Server Error")
    );
}
