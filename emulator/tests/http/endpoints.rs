//! Every API endpoint with well-formed requests: shapes, statuses, framing.

use crate::support::*;

#[test]
fn request_build_returns_ids_tags_and_names() {
    let emu = Emu::start();
    let r = emu.send(
        "POST",
        "/v3/templates",
        r#"{"name":"my-app:v1","tags":["stable","v1"],"cpuCount":2,"memoryMB":1024}"#,
    );
    assert_eq!(r.status, 202, "{}", r.text);
    let v = r.json();
    assert_eq!(v["tags"], serde_json::json!(["v1", "stable"]));
    assert_eq!(v["names"], serde_json::json!(["my-app"]));
    assert_eq!(v["aliases"], serde_json::json!(["my-app"]));
    assert_eq!(v["public"], false);
    assert!(v["templateID"].as_str().unwrap().len() == 20);
    let b = v["buildID"].as_str().unwrap();
    assert_eq!(b.len(), 36);
    // no tag given: `default`; same name: same template, new build
    let r2 = emu
        .send("POST", "/v3/templates", r#"{"name":"my-app"}"#)
        .json();
    assert_eq!(r2["tags"], serde_json::json!(["default"]));
    assert_eq!(r2["templateID"], v["templateID"]);
    assert_ne!(r2["buildID"], v["buildID"]);
    // names are case-insensitive and stored in lowercase
    let r3 = emu
        .send("POST", "/v3/templates", r#"{"name":"My-App:Beta"}"#)
        .json();
    assert_eq!(r3["templateID"], v["templateID"]);
    assert_eq!(r3["names"], serde_json::json!(["my-app"]));
    assert_eq!(r3["tags"], serde_json::json!(["Beta"]));
    assert_eq!(
        emu.get("/templates/MY-APP").json()["templateID"],
        v["templateID"]
    );
}

#[test]
fn a_build_runs_to_ready_with_step_logs() {
    let emu = Emu::start();
    let (t, b) = emu.request_build("logs-app");
    let s = emu.status(&t, &b, 0);
    assert_eq!(s["status"], "waiting");
    let body = r#"{"startCmd":"python app.py","readyCmd":"ss -tuln | grep :8000","steps":[{"type":"RUN","args":["pip install flask","root"],"force":false},{"type":"ENV","args":["A","1","B","2"],"force":false},{"type":"WORKDIR","args":["/app"],"force":false}],"force":false,"fromImage":"python:3.12"}"#;
    let r = emu.trigger(&t, &b, body);
    assert_eq!(r.status, 202);
    assert_eq!(
        r.header("content-length"),
        Some("0"),
        "empty 2xx must say so"
    );
    assert!(r.text.is_empty());
    let (s, messages) = emu.wait(&t, &b);
    assert_eq!(s["status"], "ready");
    assert!(s.get("reason").is_none());
    for expected in [
        "[base] FROM python:3.12",
        "resolving docker.io/library/python:3.12",
        "[builder 1/3] RUN pip install flask",
        "running as user 'root'",
        "Collecting flask",
        "Successfully installed flask",
        "[builder 2/3] ENV A=1 B=2",
        "[builder 3/3] WORKDIR /app",
        "[finalize] running start command: python app.py",
        "waiting for ready command: ss -tuln | grep :8000",
        "ready command succeeded",
        "saving the template snapshot",
    ] {
        assert!(
            messages.iter().any(|m| m == expected),
            "missing {expected:?} in {messages:#?}"
        );
    }
    // The client logs its own start and end; the service does not echo them.
    assert!(
        !messages.iter().any(|m| m.starts_with("Build ")),
        "{messages:#?}"
    );
    let full = emu.status(&t, &b, 0);
    let entries = full["logEntries"].as_array().unwrap();
    assert_eq!(full["logs"].as_array().unwrap().len(), entries.len());
    let steps: Vec<&str> = entries
        .iter()
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    let mut order = steps.clone();
    order.dedup();
    assert_eq!(order, ["base", "1", "2", "3", "finalize"]);
    for e in entries {
        let ts = e["timestamp"].as_str().unwrap();
        assert!(
            ts.len() == 24 && ts.ends_with('Z') && ts.as_bytes()[10] == b'T',
            "{ts}"
        );
        assert!(["debug", "info", "warn", "error"].contains(&e["level"].as_str().unwrap()));
    }
    // level filter
    let warn_up = emu
        .get(&format!(
            "/templates/{t}/builds/{b}/status?logsOffset=0&level=info"
        ))
        .json();
    assert!(warn_up["logEntries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["level"] != "debug"));
    assert!(warn_up["logEntries"].as_array().unwrap().len() < entries.len());
}

#[test]
fn status_pages_hold_at_most_100_entries() {
    let emu = Emu::start();
    // Quiet commands: one entry per step.
    let cmds: Vec<String> = (0..120).map(|i| format!("touch /tmp/{i}")).collect();
    let refs: Vec<&str> = cmds.iter().map(String::as_str).collect();
    let (t, b, s, messages) = emu.build("paged", &run_body(&refs));
    assert_eq!(s["status"], "ready");
    assert!(messages.len() > 120);
    let first = emu.status(&t, &b, 0);
    assert_eq!(first["logEntries"].as_array().unwrap().len(), 100);
    let rest = emu.status(&t, &b, 100);
    assert_eq!(
        rest["logEntries"].as_array().unwrap().len(),
        messages.len() - 100
    );
    assert_eq!(
        emu.status(&t, &b, 10_000)["logEntries"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn uploads_are_stored_and_reported_present() {
    let emu = Emu::start();
    let (t, _) = emu.request_build("files");
    let hash = hash_of(0xab);
    let link = emu.get_with(
        &format!("/templates/{t}/files/{hash}"),
        &[
            ("X-API-KEY", KEY),
            (
                "Host",
                &format!("localhost:{}", emu.addr().rsplit(':').next().unwrap()),
            ),
        ],
    );
    assert_eq!(link.status, 201, "{}", link.text);
    let v = link.json();
    assert_eq!(v["present"], false);
    let url = v["url"].as_str().unwrap();
    assert!(
        url.starts_with("http://localhost:"),
        "URL follows the Host header: {url}"
    );
    let url = url.replacen("localhost", "127.0.0.1", 1);
    let put = emu.put_bytes(&url, &tar_gz("a.txt", b"hello"));
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.header("content-length"), Some("0"));
    let again = emu.get(&format!("/templates/{t}/files/{hash}")).json();
    assert_eq!(again["present"], true);
    assert!(
        again["url"].as_str().unwrap().starts_with(&emu.url),
        "default Host is ours"
    );
    assert!(emu
        .data_dir
        .join("uploads")
        .join(format!("{hash}.tar.gz"))
        .is_file());
}

#[test]
fn tags_assign_list_remove_and_aliases() {
    let emu = Emu::start();
    let (t, b1, s, _) = emu.build("tagged", &run_body(&["echo 1"]));
    assert_eq!(s["status"], "ready");
    let tags = emu.get(&format!("/templates/{t}/tags")).json();
    assert_eq!(tags[0]["tag"], "default");
    assert_eq!(tags[0]["buildID"], b1.as_str());

    let r = emu.send(
        "POST",
        "/templates/tags",
        r#"{"target":"tagged:default","tags":["prod","v1"]}"#,
    );
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["buildID"], b1.as_str());
    assert_eq!(r.json()["tags"], serde_json::json!(["prod", "v1"]));
    let by_name = emu.get("/templates/tagged/tags").json();
    let names: Vec<&str> = by_name
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["tag"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["default", "prod", "v1"]);

    // a second ready build takes `default`, `prod` stays on the first
    let (_, b2, _, _) = emu.build("tagged", &run_body(&["echo 2"]));
    let now = emu.get("/templates/tagged/tags").json();
    let of = |tag: &str| {
        now.as_array()
            .unwrap()
            .iter()
            .find(|x| x["tag"] == tag)
            .unwrap()["buildID"]
            .clone()
    };
    assert_eq!(of("default"), b2.as_str());
    assert_eq!(of("prod"), b1.as_str());

    let del = emu.send(
        "DELETE",
        "/templates/tags",
        r#"{"name":"tagged","tags":["prod","v1"]}"#,
    );
    assert_eq!(del.status, 204);
    assert_eq!(
        emu.get("/templates/tagged/tags")
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    assert_eq!(emu.get("/templates/aliases/tagged").status, 200);
    assert_eq!(
        emu.get("/templates/aliases/tagged").json()["templateID"],
        t.as_str()
    );
    assert_eq!(emu.get("/templates/aliases/tagged:default").status, 200);
    emu.get("/templates/aliases/tagged:prod")
        .assert_error(404, "not found");
    emu.get("/templates/aliases/nothing-here")
        .assert_error(404, "not found");
}

#[test]
fn list_get_and_delete_templates() {
    let emu = Emu::start();
    for name in ["one", "two", "three"] {
        emu.build(name, &run_body(&["true"]));
    }
    let p1 = emu
        .get("/v2/templates?template_type=template_build&page=1&limit=2")
        .json();
    assert_eq!(p1["total"], 3);
    assert_eq!(p1["totalPages"], 2);
    assert_eq!(p1["templates"].as_array().unwrap().len(), 2);
    let p2 = emu
        .get("/v2/templates?template_type=template_build&page=2&limit=2")
        .json();
    assert_eq!(p2["templates"].as_array().unwrap().len(), 1);
    let entry = &p2["templates"][0];
    for key in [
        "templateID",
        "buildID",
        "buildStatus",
        "aliases",
        "names",
        "cpuCount",
        "memoryMB",
        "envdVersion",
        "createdAt",
    ] {
        assert!(entry.get(key).is_some(), "{key} missing");
    }
    let snaps = emu
        .get("/v2/templates?template_type=snapshot_template&page=1&limit=2")
        .json();
    assert_eq!(snaps["total"], 0);

    let id = entry["templateID"].as_str().unwrap();
    let got = emu.get(&format!("/templates/{id}")).json();
    assert_eq!(got["templateID"], id);
    assert_eq!(got["builds"][0]["status"], "ready");
    assert_eq!(got["builds"][0]["cpuCount"], 2);
    let r = emu.send("DELETE", &format!("/templates/{id}"), "");
    assert_eq!(r.status, 204);
    emu.get(&format!("/templates/{id}"))
        .assert_error(404, "not found");
    emu.send("DELETE", &format!("/templates/{id}"), "")
        .assert_error(404, "not found");
    assert_eq!(emu.get("/v2/templates").json()["total"], 2);
}

#[test]
fn sandboxes_create_and_kill() {
    let emu = Emu::start();
    let (t, _, _, _) = emu.build("sbx-app", &run_body(&["true"]));
    let r = emu.send(
        "POST",
        "/sandboxes",
        r#"{"templateID":"sbx-app","timeout":300,"secure":true,"allow_internet_access":true,"autoPause":false}"#,
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let v = r.json();
    assert_eq!(v["templateID"], t.as_str());
    assert_eq!(v["envdVersion"], "0.2.0");
    let id = v["sandboxID"].as_str().unwrap();
    assert!(!v["clientID"].as_str().unwrap().is_empty());
    assert_eq!(
        emu.send("POST", "/sandboxes", &format!(r#"{{"templateID":"{t}"}}"#))
            .status,
        201
    );
    let k = emu.send("DELETE", &format!("/sandboxes/{id}"), "");
    assert_eq!(k.status, 204);
    emu.send("DELETE", &format!("/sandboxes/{id}"), "")
        .assert_error(404, "not found");
    emu.send("POST", "/sandboxes", r#"{"templateID":"nope"}"#)
        .assert_error(404, "not found");
    emu.request_build("never-built");
    emu.send("POST", "/sandboxes", r#"{"templateID":"never-built"}"#)
        .assert_error(404, "no build tagged 'default'");
    assert_eq!(emu.get(&format!("/templates/{t}")).json()["spawnCount"], 2);
}

#[test]
fn api_key_is_required_and_bearer_is_accepted() {
    let emu = Emu::start();
    let none = emu.try_get("/v2/templates", None).unwrap();
    none.assert_error(401, "API key");
    emu.try_get("/v2/templates", Some("wrong"))
        .unwrap()
        .assert_error(401, "API key");
    let bearer = emu.get_with(
        "/v2/templates",
        &[("Authorization", &format!("Bearer {KEY}"))],
    );
    assert_eq!(bearer.status, 200);
    // unknown API paths still need the key, then 404
    emu.try_get("/templates/a/b/c/d/e", None)
        .unwrap()
        .assert_error(401, "API key");
    emu.get("/v3/nothing").assert_error(404, "no such endpoint");
}
