//! Checks shared by the Node and the browser wasm-bindgen suites: the skin,
//! compiled to wasm, converts JavaScript values, refuses bad ones with typed
//! errors (never a trap), and serializes like the official SDK.

use js_sys::{Array, Object, Reflect};
use novita_template_wasm::{wait_for_port, wait_for_timeout, TemplateBase};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn error_name_and_message(e: &JsValue) -> (String, String) {
    let get = |k: &str| {
        Reflect::get(e, &JsValue::from_str(k))
            .unwrap()
            .as_string()
            .unwrap_or_default()
    };
    (get("name"), get("message"))
}

pub fn chained_calls_serialize_like_the_official_sdk() {
    let t = TemplateBase::new(JsValue::UNDEFINED).unwrap();
    let t = t.from_python_image("3.12".into()).unwrap();
    let pkgs: JsValue = Array::of2(&"flask".into(), &"requests".into()).into();
    let t = t.pip_install(pkgs, JsValue::UNDEFINED).unwrap();
    let t = t
        .pip_install("httpx".into(), obj(&[("g", JsValue::FALSE)]))
        .unwrap();
    let t = t
        .set_start_cmd(
            "python -m http.server 8000".into(),
            wait_for_port(JsValue::from(8000)).unwrap().into(),
        )
        .unwrap();
    // Fixture 01's toDockerfile, byte for byte.
    assert_eq!(
        TemplateBase::to_dockerfile(&t).unwrap(),
        "FROM python:3.12\nRUN pip install flask requests\nRUN pip install --user httpx\nENTRYPOINT python -m http.server 8000\n"
    );
}

pub async fn to_json_resolves_with_the_fixture_text() {
    let fixture: serde_json::Value = serde_json::from_str(include_str!(
        "../fixtures/08-from-template-ready-patch.json"
    ))
    .unwrap();
    let expected = fixture["toJSON"]["text"].as_str().unwrap();
    let t = TemplateBase::new(JsValue::UNDEFINED).unwrap();
    let t = t.from_template("base".into()).unwrap();
    let t = t.set_envs(obj(&[("PORT", "3000".into())])).unwrap();
    let t = t
        .run_cmd("npm i -g serve".into(), JsValue::UNDEFINED)
        .unwrap();
    let t = t
        .set_patch_cmd("echo patched > /etc/patched".into())
        .unwrap();
    let ready = novita_template_wasm::wait_for_url(
        "http://localhost:3000/health".into(),
        JsValue::from(204),
    )
    .unwrap();
    let t = t
        .set_start_cmd("serve -l 3000".into(), ready.into())
        .unwrap();
    let text = JsFuture::from(TemplateBase::to_json(&t, None, JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(text.as_string().unwrap(), expected);
}

pub fn bad_arguments_are_typed_errors_not_traps() {
    let t = TemplateBase::new(JsValue::UNDEFINED).unwrap();
    let files = obj(&[("a.txt", "a".into())]);
    let with_files = TemplateBase::new(obj(&[("fileContext", files)])).unwrap();
    let cases: Vec<(JsValue, &str)> = vec![
        (
            t.run_cmd(JsValue::from(5), JsValue::UNDEFINED)
                .err()
                .unwrap(),
            "runCmd",
        ),
        (
            t.run_cmd("".into(), JsValue::UNDEFINED).err().unwrap(),
            "runCmd",
        ),
        (
            t.set_envs(obj(&[("A", JsValue::from(1))])).err().unwrap(),
            "setEnvs",
        ),
        (
            with_files
                .copy("/etc/passwd".into(), "/x".into(), JsValue::UNDEFINED)
                .err()
                .unwrap(),
            "absolute",
        ),
        (
            t.from_dockerfile("RUN echo no from".into()).err().unwrap(),
            "FROM",
        ),
        (
            t.git_clone("".into(), JsValue::UNDEFINED, JsValue::UNDEFINED)
                .err()
                .unwrap(),
            "gitClone",
        ),
        (
            t.make_dir("/d".into(), obj(&[("mode", JsValue::from(-1))]))
                .err()
                .unwrap(),
            "makeDir",
        ),
        (
            wait_for_port(JsValue::from(70000)).err().unwrap(),
            "waitForPort",
        ),
        (wait_for_port("80".into()).err().unwrap(), "waitForPort"),
        (
            wait_for_timeout(JsValue::from(f64::NAN)).err().unwrap(),
            "waitForTimeout",
        ),
        (
            TemplateBase::new(JsValue::from(3)).err().unwrap(),
            "options",
        ),
    ];
    for (err, needle) in cases {
        let (name, message) = error_name_and_message(&err);
        assert!(
            !name.is_empty() && name != "RuntimeError",
            "{name}: {message}"
        );
        assert!(
            message.contains(needle),
            "{message:?} should mention {needle}"
        );
    }
    // The module is still usable after all of that.
    assert!(t.run_cmd("echo ok".into(), JsValue::UNDEFINED).is_ok());
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
        async fn to_json_resolves_with_the_fixture_text() {
            shared::to_json_resolves_with_the_fixture_text().await;
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn bad_arguments_are_typed_errors_not_traps() {
            shared::bad_arguments_are_typed_errors_not_traps();
        }
    };
}
