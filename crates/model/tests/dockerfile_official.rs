//! Differential test of `from_dockerfile` against the official SDK.
//!
//! `data/dockerfile_official.json` was recorded by running the official
//! `novita-sandbox@2.1.1` `Template().fromDockerfile(content)` on each Dockerfile and
//! dumping `instructions`, `envs`, `startCmd`, `readyCmd`, `baseImage`, the
//! `console.warn` lines and any thrown error. None of these Dockerfiles uses a form
//! our deliberate differences touch (quoted words with inner whitespace, legacy
//! `ENV K v1 v2`, multi-source COPY), so every result must be identical.

use novita_template_model::{InstructionKind, Template};
use serde_json::Value;

fn kind_name(k: InstructionKind) -> &'static str {
    k.as_str()
}

#[test]
fn from_dockerfile_matches_official_sdk() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/dockerfile_official.json"
    ))
    .expect("data file");
    let cases: serde_json::Map<String, Value> = serde_json::from_str(&text).expect("json");
    let mut compared = 0;
    let mut failures = Vec::new();
    for (name, case) in &cases {
        let content = case["content"].as_str().expect("content");
        let mut t = Template::default();
        let result = t.from_dockerfile(content);
        match (&case["error"], result) {
            (Value::Object(err), Err(e)) => {
                if err["name"] != e.class.name() || err["message"] != e.message.as_str() {
                    failures.push(format!("{name}: error {e} != {err:?}"));
                }
                // A rejected Dockerfile leaves the template untouched.
                assert_eq!(
                    t,
                    Template::default(),
                    "{name}: template changed by a failed import"
                );
            }
            (Value::Object(err), Ok(_)) => failures.push(format!("{name}: expected error {err:?}")),
            (_, Err(e)) => failures.push(format!("{name}: unexpected error {e}")),
            (_, Ok(import)) => {
                let got: Vec<Value> = t
                    .instructions()
                    .iter()
                    .map(|i| serde_json::json!({"type": kind_name(i.kind), "args": i.args, "force": i.force}))
                    .collect();
                if Value::Array(got.clone()) != case["instructions"] {
                    failures.push(format!(
                        "{name}: instructions\n  got  {}\n  want {}",
                        Value::Array(got),
                        case["instructions"]
                    ));
                }
                let mut got_envs: Vec<(String, String)> = t
                    .envs()
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                let mut want_envs: Vec<(String, String)> = case["envs"]
                    .as_object()
                    .expect("envs")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect();
                got_envs.sort();
                want_envs.sort();
                if got_envs != want_envs {
                    failures.push(format!("{name}: envs {got_envs:?} != {want_envs:?}"));
                }
                for (field, got) in [
                    ("startCmd", t.start_cmd()),
                    ("readyCmd", t.ready_cmd()),
                    ("baseImage", t.base_image()),
                ] {
                    if case[field].as_str() != got {
                        failures.push(format!("{name}: {field} {got:?} != {}", case[field]));
                    }
                }
                let want_warnings: Vec<String> = case["warnings"]
                    .as_array()
                    .expect("warnings")
                    .iter()
                    .map(|w| w.as_str().unwrap_or_default().to_string())
                    .collect();
                if import.warnings != want_warnings {
                    failures.push(format!(
                        "{name}: warnings {:?} != {want_warnings:?}",
                        import.warnings
                    ));
                }
                assert!(
                    t.inherit_image_config(),
                    "{name}: fromDockerfile must turn on image-config inheritance"
                );
            }
        }
        compared += 1;
    }
    println!(
        "fromDockerfile: {compared} Dockerfiles compared with the official SDK, {} mismatches",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared >= 30);
}
