//! Property tests: no input makes the Dockerfile parser panic, and the trigger body
//! keeps every string the builder was given (parsed back with serde_json).

use novita_template_model::dockerfile::to_dockerfile;
use novita_template_model::wire::{to_json_compact, to_json_pretty};
use novita_template_model::{CopyOptions, Template};
use proptest::prelude::*;
use serde_json::Value;

/// Dockerfile-ish text: keywords, quotes, escapes, heredocs, comments, continuations,
/// directives and arbitrary characters, so the parser's corners are actually reached.
fn dockerfile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("FROM ".to_string()),
        Just("RUN ".to_string()),
        Just("COPY ".to_string()),
        Just("ADD --chown=".to_string()),
        Just("ENV ".to_string()),
        Just("ARG ".to_string()),
        Just("CMD ".to_string()),
        Just("ENTRYPOINT [\"a\", ".to_string()),
        Just("WORKDIR ".to_string()),
        Just("USER ".to_string()),
        Just("LABEL ".to_string()),
        Just("# escape=`\n".to_string()),
        Just("<<EOF".to_string()),
        Just("<<-".to_string()),
        Just("EOF".to_string()),
        Just("\\\n".to_string()),
        Just("`\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("\\".to_string()),
        Just("=".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("#".to_string()),
        Just("--".to_string()),
        Just("/abs".to_string()),
        Just("../up".to_string()),
        Just("\u{feff}".to_string()),
        "[a-zA-Z0-9_./:$@{}\\[\\],-]{0,8}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Collects every string in a parsed JSON value, in document order.
fn strings_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings_in(x, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings_in(x, out)
        }),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn dockerfile_import_never_panics(text in dockerfile_text()) {
        let mut t = Template::default();
        let before = t.clone();
        match t.from_dockerfile(&text) {
            Ok(_) => {
                // Whatever was imported serializes and prints without panicking.
                let body = to_json_pretty(&t, None).expect("serializes");
                prop_assert!(serde_json::from_str::<Value>(&body).is_ok());
                let _ = to_dockerfile(&t);
                prop_assert!(t.inherit_image_config());
            }
            Err(_) => prop_assert_eq!(t, before),
        }
    }

    #[test]
    fn trigger_body_keeps_every_string(
        cmd in any::<String>().prop_filter("non-empty", |s| !s.is_empty()),
        key in "[A-Za-z_][A-Za-z0-9_ ]{0,8}",
        value in any::<String>(),
        src in "[a-z][a-z0-9 ._-]{0,10}",
        hash in any::<String>(),
    ) {
        let mut t = Template::default();
        t.run_cmd(&[cmd.as_str()], None).unwrap();
        t.set_envs(&[(key.as_str(), value.as_str())]).unwrap();
        t.copy(&[src.as_str()], "/dst", &CopyOptions::default()).unwrap();
        let hashes = [hash.clone()];
        for text in [to_json_compact(&t, Some(&hashes)).unwrap(), to_json_pretty(&t, Some(&hashes)).unwrap()] {
            let parsed: Value = serde_json::from_str(&text).expect("parses");
            let mut strings = Vec::new();
            strings_in(&parsed, &mut strings);
            prop_assert_eq!(&parsed["steps"][0]["args"][0], &Value::String(cmd.clone()));
            prop_assert_eq!(&parsed["steps"][1]["args"], &serde_json::json!([key.clone(), value.clone()]));
            prop_assert_eq!(&parsed["steps"][2]["filesHash"], &Value::String(hash.clone()));
            prop_assert!(strings.contains(&src));
        }
    }
}

/// A counted fuzz run of the Dockerfile parser and of the builder's argument checks
/// (the Rust side of option decoding), so `make test` can print how many inputs it
/// tried (`cargo test -- --show-output`).
#[test]
fn fuzz_run_dockerfile_parser_and_builder_arguments() {
    use proptest::test_runner::{Config, TestRunner};
    use std::cell::Cell;
    let executions = Cell::new(0u64);
    let config = Config {
        cases: 3000,
        ..Config::default()
    };
    TestRunner::new(config.clone())
        .run(&dockerfile_text(), |text| {
            executions.set(executions.get() + 1);
            let mut t = Template::default();
            let _ = t.from_dockerfile(&text);
            Ok(())
        })
        .expect("the Dockerfile parser never panics");
    let words = (any::<String>(), any::<f64>(), any::<Option<String>>());
    TestRunner::new(config)
        .run(&words, |(s, n, user)| {
            executions.set(executions.get() + 1);
            // Any text, valid number or not, as a number argument.
            let n = novita_template_json::shape::Num(format!("{n}"));
            let mut t = Template::default();
            let _ = t.run_cmd(&[s.as_str()], user.as_deref());
            let _ = t.make_dir(
                &[s.as_str()],
                &novita_template_model::MakeDirOptions {
                    mode: Some(n.clone()),
                    user: user.clone(),
                },
            );
            let _ = t.git_clone(
                &s,
                user.as_deref(),
                &novita_template_model::GitCloneOptions {
                    branch: user.clone(),
                    depth: Some(n.clone()),
                    user: None,
                },
            );
            let _ = novita_template_model::ready_cmd::wait_for_port(&n);
            let _ = novita_template_model::ready_cmd::wait_for_timeout(&n);
            let _ = t.copy(
                &[s.as_str()],
                &s,
                &CopyOptions {
                    mode: Some(n.clone()),
                    ..CopyOptions::default()
                },
            );
            let _ = t.set_envs(&[(s.as_str(), s.as_str())]);
            let _ = to_json_pretty(&t, None);
            Ok(())
        })
        .expect("builder arguments never panic");
    println!(
        "fuzz: {} executions (Dockerfile parser and builder arguments), no panic",
        executions.get()
    );
}
