//! Checks shared by the Node and the browser wasm-bindgen suites: the core module,
//! compiled to wasm, takes the face's JSON, refuses bad input with typed errors
//! (never a trap), serializes like the official SDK, and runs a call machine.

use novita_template_json::{parse, Json};
use novita_template_wasm::{ready_cmd, start_call, Model};

/// The error an export threw: its class index and message.
fn error(thrown: String) -> (i64, String) {
    let v = parse(&thrown).expect("errors are JSON");
    let class = v.get("class").and_then(Json::as_integer).expect("a class");
    let message = v
        .get("message")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_string();
    (class, message)
}

/// `ErrorClass::InvalidArgumentError`'s index (the face's table follows `ErrorClass::ALL`).
const INVALID_ARGUMENT: i64 = 9;

pub fn chained_calls_serialize_like_the_official_sdk() {
    let mut t = Model::new("{}").unwrap();
    t.call("fromPythonImage", r#"["3.12"]"#, 0).unwrap();
    t.call("pipInstall", r#"[["flask","requests"]]"#, 1)
        .unwrap();
    t.call("pipInstall", r#"["httpx",{"g":false}]"#, 2).unwrap();
    let port = ready_cmd("waitForPort", "[8000]").unwrap();
    let args = Json::Arr(vec![
        Json::str("python -m http.server 8000"),
        Json::str(port),
    ]);
    t.call("setStartCmd", &args.to_compact(), 3).unwrap();
    // Fixture 01's toDockerfile, byte for byte.
    assert_eq!(
        t.to_dockerfile().unwrap(),
        "FROM python:3.12\nRUN pip install flask requests\nRUN pip install --user httpx\nENTRYPOINT python -m http.server 8000\n"
    );
}

pub fn to_json_gives_the_fixture_text() {
    let fixture = parse(include_str!(
        "../fixtures/08-from-template-ready-patch.json"
    ))
    .unwrap();
    let expected = fixture
        .get("toJSON")
        .and_then(|t| t.get("text"))
        .and_then(Json::as_str)
        .unwrap();
    let mut t = Model::new("{}").unwrap();
    t.call("fromTemplate", r#"["base"]"#, 0).unwrap();
    t.call("setEnvs", r#"[{"PORT":"3000"}]"#, 1).unwrap();
    t.call("runCmd", r#"["npm i -g serve"]"#, 2).unwrap();
    t.call("setPatchCmd", r#"["echo patched > /etc/patched"]"#, 3)
        .unwrap();
    let ready = ready_cmd("waitForURL", r#"["http://localhost:3000/health",204]"#).unwrap();
    let args = Json::Arr(vec![Json::str("serve -l 3000"), Json::str(ready)]);
    t.call("setStartCmd", &args.to_compact(), 4).unwrap();
    assert_eq!(t.to_json(None, true, false).unwrap(), expected);
}

pub fn bad_arguments_are_typed_errors_not_traps() {
    let mut t = Model::new("{}").unwrap();
    t.call("fromImage", r#"["node:22"]"#, 0).unwrap();
    let cases: [(&str, &str, &str); 6] = [
        ("runCmd", "[null]", "runCmd"),
        ("runCmd", "[[1,2]]", "runCmd"),
        ("setEnvs", r#"[{"A":1}]"#, "setEnvs"),
        ("gitClone", "[42]", "gitClone"),
        ("makeDir", "[]", "makeDir"),
        ("runCmd", "not json", "runCmd"),
    ];
    for (method, args, needle) in cases {
        let (class, message) = error(t.call(method, args, 1).unwrap_err());
        assert_eq!(class, INVALID_ARGUMENT, "{method}({args}): {message}");
        assert!(
            message.contains(needle),
            "{message:?} should mention {needle}"
        );
    }
    let (class, message) = error(ready_cmd("waitForPort", "[70000]").unwrap_err());
    assert_eq!(class, INVALID_ARGUMENT, "{message}");
    // The module is still usable after all of that, and nothing was recorded.
    t.call("runCmd", r#"["echo ok"]"#, 2).unwrap();
    assert_eq!(t.to_dockerfile().unwrap(), "FROM node:22\nRUN echo ok\n");
}

pub fn a_call_machine_sends_and_reads_its_reply() {
    let env = r#"{"host":{"kind":"browser"},"env":{}}"#;
    let args = r#"["tpl1",{"apiUrl":"http://127.0.0.1:9","apiKey":"k"}]"#;
    let mut m = start_call("getTags", args, env, 0.5).unwrap();
    let step = parse(&m.next(0.0)).unwrap();
    assert_eq!(step.get("t").and_then(Json::as_str), Some("send"));
    assert_eq!(
        step.get("url").and_then(Json::as_str),
        Some("http://127.0.0.1:9/templates/tpl1/tags")
    );
    let id = step.get("id").and_then(Json::as_integer).unwrap() as u32;
    // Asked again before the reply: wait.
    assert_eq!(
        parse(&m.next(1.0)).unwrap().get("t").and_then(Json::as_str),
        Some("wait")
    );
    let body = br#"[{"tag":"v1","buildID":"b1","createdAt":"2026-01-01T00:00:00Z"}]"#;
    m.reply(
        id,
        0,
        200,
        "OK",
        "content-type\napplication/json\n",
        body,
        2.0,
    );
    let done = parse(&m.next(3.0)).unwrap();
    assert_eq!(
        done.get("t").and_then(Json::as_str),
        Some("done"),
        "{done:?}"
    );
    let tags = done.get("value").and_then(Json::as_array).unwrap();
    assert_eq!(tags[0].get("tag").and_then(Json::as_str), Some("v1"));
    // A missing credential or bad option is refused before any request.
    let (class, _) = error(start_call("getTags", "[42]", env, 0.5).err().unwrap());
    assert_eq!(class, INVALID_ARGUMENT);
}

/// The suite's test functions, declared in each runner file (Node, browser).
#[macro_export]
macro_rules! wasm_suite {
    () => {
        #[wasm_bindgen_test::wasm_bindgen_test]
        fn chained_calls_serialize_like_the_official_sdk() {
            shared::chained_calls_serialize_like_the_official_sdk();
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn to_json_gives_the_fixture_text() {
            shared::to_json_gives_the_fixture_text();
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn bad_arguments_are_typed_errors_not_traps() {
            shared::bad_arguments_are_typed_errors_not_traps();
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn a_call_machine_sends_and_reads_its_reply() {
            shared::a_call_machine_sends_and_reads_its_reply();
        }
    };
}
