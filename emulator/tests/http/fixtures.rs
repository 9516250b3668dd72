//! Every request body the official SDK sent in the recorded fixtures
//! (`tests/fixtures/`) is accepted, and each recorded build
//! runs to `ready` once its COPY files are uploaded.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::*;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Every `requests` array in a fixture, in document order.
fn request_lists(v: &Value, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Array(reqs)) = m.get("requests") {
                out.push(reqs.clone());
            }
            for (k, x) in m {
                if k != "requests" {
                    request_lists(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| request_lists(x, out)),
        _ => {}
    }
}

#[test]
fn the_official_sdk_bodies_are_accepted_and_build() {
    let dir = fixtures_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("fixtures at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "expected the fixture files in {}",
        dir.display()
    );

    let emu = Emu::start();
    let mut builds = 0;
    for file in files {
        let fixture: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let mut lists = Vec::new();
        request_lists(&fixture, &mut lists);
        for requests in lists {
            let mut current: Option<(String, String)> = None;
            for r in requests {
                let (Some(method), Some(path), Some(body)) = (
                    r["method"].as_str(),
                    r["path"].as_str(),
                    r["bodyText"].as_str(),
                ) else {
                    continue;
                };
                let name = file.file_name().unwrap().to_string_lossy().into_owned();
                if method == "POST" && path == "/v3/templates" {
                    let reply = emu.send("POST", path, body);
                    assert_eq!(reply.status, 202, "{name}: {body} -> {}", reply.text);
                    let v = reply.json();
                    current = Some((
                        v["templateID"].as_str().unwrap().into(),
                        v["buildID"].as_str().unwrap().into(),
                    ));
                } else if method == "POST" && path.starts_with("/v2/templates/") {
                    let (t, b) = current
                        .take()
                        .expect("a build request precedes its trigger");
                    let spec: Value = serde_json::from_str(body).unwrap();
                    for step in spec["steps"].as_array().unwrap() {
                        if let Some(h) = step["filesHash"].as_str() {
                            assert_eq!(emu.upload(&t, h, &tar_gz("f", b"x")).status, 200);
                        }
                    }
                    let reply = emu.trigger(&t, &b, body);
                    assert_eq!(reply.status, 202, "{name}: trigger -> {}", reply.text);
                    let (status, messages) = emu.wait(&t, &b);
                    assert_eq!(status["status"], "ready", "{name}: {status} {messages:#?}");
                    builds += 1;
                }
            }
        }
    }
    assert!(builds >= 18, "only {builds} recorded builds were replayed");
}
