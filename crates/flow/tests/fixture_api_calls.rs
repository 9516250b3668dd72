//! Fixture 09: the non-build template API calls, `getBuildStatus`,
//! `buildInBackground` and the deprecated `build(t, {alias})`. Each request
//! must equal the recording and each parsed reply must equal the SDK's result.

mod support;

use std::collections::BTreeMap;

use novita_template_flow::api_call::{ApiCall, CallAction};
use novita_template_flow::iso_time::format_iso;
use novita_template_flow::paginator::{ListOptions, TemplatePaginator};
use novita_template_flow::session::{BuildRequest, BuildSession};
use novita_template_flow::status_poller::{PollerAction, StatusPoller};
use novita_template_flow::wire::{self, TemplateInfo};
use novita_template_flow::{Endpoint, HttpRequest, RetryPolicy};
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

fn info_json(t: &TemplateInfo, with_type: bool) -> Value {
    let mut v = json!({
        "templateId": t.template_id, "buildId": t.build_id, "buildStatus": t.build_status,
        "aliases": t.aliases, "names": t.names,
        "buildCount": t.build_count, "cpuCount": t.cpu_count, "memoryMB": t.memory_mb,
        "diskSizeMB": t.disk_size_mb, "spawnCount": t.spawn_count, "envdVersion": t.envd_version,
        "public": t.public, "createdAt": format_iso(t.created_at_ms), "updatedAt": format_iso(t.updated_at_ms),
        "lastSpawnedAt": t.last_spawned_at_ms.map(format_iso),
    });
    if with_type {
        v["templateType"] = json!(t.template_type);
    }
    if let Some(by) = &t.created_by {
        v["createdBy"] = by.clone();
    }
    v
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

fn one_request(call: &Call, ours: &HttpRequest, name: &str) -> novita_template_flow::HttpResponse {
    assert_eq!(call.requests.len(), 1, "{name}");
    assert_same_request(ours, &call.requests[0], name);
    reply_to_response(call.requests[0].reply.as_ref().unwrap())
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
            let reply = one_request(call, &wire::alias_exists(&conn, alias), name);
            json!(wire::parse_alias_exists(&reply).unwrap())
        } else if name.starts_with("Template.assignTags(") {
            let tags: Vec<String> = call.requests[0].reply.as_ref().unwrap()["body"]["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            let reply = one_request(
                call,
                &wire::assign_tags(&conn, "agent-runtime-base:v1.0.0", &tags),
                name,
            );
            let r = wire::parse_assign_tags(&reply).unwrap();
            json!({"buildId": r.build_id, "tags": r.tags})
        } else if name.starts_with("Template.removeTags(") {
            let req = wire::remove_tags(
                &conn,
                "agent-runtime-base",
                &["production".into(), "staging".into()],
            );
            let reply = one_request(call, &req, name);
            wire::parse_remove_tags(&reply).unwrap();
            json!("(undefined)")
        } else if name.starts_with("Template.getTags(") {
            let reply = one_request(call, &wire::get_tags(&conn, "tplexists0000000000"), name);
            let tags = wire::parse_get_tags(&reply).unwrap();
            json!(tags.iter().map(|t| json!({"tag": t.tag, "buildId": t.build_id, "createdAt": format_iso(t.created_at_ms)})).collect::<Vec<_>>())
        } else if name.starts_with("Template.get(") {
            let reply = one_request(
                call,
                &wire::get_template(&conn, "tplexists0000000000"),
                name,
            );
            info_json(&wire::parse_get_template(&reply).unwrap(), false)
        } else if name.starts_with("Template.list(") {
            let options = if name.contains("limit: 5") {
                ListOptions {
                    limit: Some(5.0),
                    ..Default::default()
                }
            } else if name.contains("snapshot_template") {
                ListOptions {
                    template_type: Some("snapshot_template".into()),
                    page: Some(2.0),
                    ..Default::default()
                }
            } else {
                ListOptions::default()
            };
            let mut paginator = TemplatePaginator::new(&options).unwrap();
            let reply = one_request(call, &paginator.next_page_request(&conn).unwrap(), name);
            let page = paginator.on_page(&reply).unwrap();
            // page >= totalPages: no more pages, and asking again is refused.
            assert!(!paginator.has_next());
            assert_eq!(
                paginator.next_page_request(&conn).unwrap_err().message,
                "No more pages to fetch"
            );
            json!({"templates": page.templates.iter().map(|t| info_json(t, true)).collect::<Vec<_>>(),
                "total": page.total, "page": page.page, "limit": page.limit, "totalPages": page.total_pages})
        } else if let Some(id) = name.strip_prefix("TemplateApi.deleteTemplate('") {
            let id = &id[..id.find('\'').unwrap()];
            let reply = one_request(call, &wire::delete_template(&conn, id).unwrap(), name);
            json!(wire::parse_delete_template(&reply).unwrap())
        } else if name.starts_with("Template.getBuildStatus(") {
            let offset = name.contains("logsOffset: 7").then_some(7);
            let mut poller =
                StatusPoller::new(&conn, "tplX", "bldX", offset, RetryPolicy::default(), 1)
                    .unwrap();
            let PollerAction::Send(req) = poller.next_action(0.0) else {
                panic!("{name}: expected a send")
            };
            let reply = one_request(call, &req, name);
            poller.on_response(Ok(reply), 1.0);
            let PollerAction::Done(s) = poller.next_action(1.0) else {
                panic!("{name}: expected a result")
            };
            // getBuildStatus keeps the messages as sent (not ANSI-stripped).
            json!({"buildID": s.build_id, "templateID": s.template_id, "status": s.status,
                "logEntries": s.log_entries.iter().map(|e| json!({"timestamp": e.iso_timestamp(), "level": e.level, "message": e.message})).collect::<Vec<_>>(),
                "logs": s.logs})
        } else if name.starts_with("Template.buildInBackground(")
            || name.starts_with("Template.build(t, { alias")
        {
            let background = name.starts_with("Template.buildInBackground(");
            let request = if background {
                BuildRequest {
                    name: "bg-build:v2".into(),
                    tags: Some(vec!["x".into()]),
                    cpu_count: Some(4.0),
                    memory_mb: Some(4096.0),
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
    let mut call = ApiCall::new(
        wire::get_tags(&conn, "t"),
        Endpoint::GetTags,
        RetryPolicy::default(),
        9,
    );
    let mut now = 0.0;
    let mut sends = 0;
    let final_reply = loop {
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
            CallAction::Response(r) => break r,
            CallAction::Failed(e) => panic!("{e}"),
        }
    };
    assert_eq!(sends, 3);
    assert!(wire::parse_get_tags(&final_reply).unwrap().is_empty());

    // A POST (assign tags) is not repeated on a 500.
    let mut call = ApiCall::new(
        wire::assign_tags(&conn, "a:b", &["c".into()]),
        Endpoint::AssignTags,
        RetryPolicy::default(),
        9,
    );
    let CallAction::Send(_) = call.next_action(0.0) else {
        panic!()
    };
    call.on_response(bodiless(500), 1.0);
    let CallAction::Response(r) = call.next_action(1.0) else {
        panic!("no retry expected")
    };
    let e = wire::parse_assign_tags(&r).unwrap_err();
    assert_eq!(
        (e.name(), e.message.as_str()),
        ("TemplateError", "500: Internal Server Error")
    );
}
