//! Builder semantics beyond the fixtures: validation (stricter than the official SDK,
//! never changing output for valid input), atomic failures, official error classes,
//! force/skipCache rules, env merging and image-config application.

use novita_template_json::shape::Num;
use novita_template_model::dockerfile::to_dockerfile;
use novita_template_model::image_config::{self, ImageConfig};
use novita_template_model::image_ref;
use novita_template_model::wire::{to_json_compact, trigger_body};
use novita_template_model::*;

fn err(r: Result<&mut Template, SdkError>) -> SdkError {
    r.map(|_| ()).unwrap_err()
}

#[test]
fn validation_errors_name_method_and_argument() {
    let mut t = Template::default();
    let cases: Vec<(SdkError, &str)> = vec![
        (
            err(t.run_cmd::<&str>(&[], None)),
            "runCmd: command must be a non-empty string",
        ),
        (
            err(t.run_cmd(&["ok", ""], None)),
            "runCmd: command must be a non-empty string",
        ),
        (
            err(t.run_cmd(&["ok"], Some(""))),
            "runCmd: user must be a non-empty string",
        ),
        (
            err(t.from_image("", None, None)),
            "fromImage: image must be a non-empty string",
        ),
        (
            err(t.from_template("")),
            "fromTemplate: template must be a non-empty string",
        ),
        (
            err(t.set_workdir("")),
            "setWorkdir: workdir must be a non-empty string",
        ),
        (
            err(t.set_envs(&[("", "x")])),
            "setEnvs: variable names must be non-empty strings",
        ),
        (
            err(t.copy(&["a"], "", &CopyOptions::default())),
            "copy: dest must be a non-empty string",
        ),
        (
            err(t.copy(
                &["a"],
                "/d",
                &CopyOptions {
                    mode: Some(Num::from_int(0o10000)),
                    ..Default::default()
                },
            )),
            "copy: mode must be an integer between 0 and 0o7777",
        ),
        (
            err(t.copy(
                &["a"],
                "/d",
                &CopyOptions {
                    mode: Some(Num("1.5".into())),
                    ..Default::default()
                },
            )),
            "copy: mode must be an integer between 0 and 0o7777",
        ),
        (
            err(t.pip_install(Some(&[] as &[&str]), None)),
            "pipInstall: packages must contain at least one non-empty string",
        ),
        (
            err(t.apt_install(&["curl", ""], &AptOptions::default())),
            "aptInstall: packages must be a non-empty string",
        ),
        (
            err(t.git_clone(
                "https://x/y.git",
                None,
                &GitCloneOptions {
                    depth: Some(Num::from_int(0)),
                    ..Default::default()
                },
            )),
            "gitClone: depth must be an integer between 1 and 4294967295",
        ),
        (
            err(t.make_dir(
                &["/a"],
                &MakeDirOptions {
                    mode: Some(Num::from_int(-1)),
                    user: None,
                },
            )),
            "makeDir: mode must be an integer between 0 and 0o7777",
        ),
        (
            err(t.set_start_cmd("", None)),
            "setStartCmd: startCommand must be a non-empty string",
        ),
    ];
    for (e, msg) in cases {
        assert_eq!(e.class, ErrorClass::InvalidArgumentError, "{msg}");
        assert_eq!(e.message, msg);
    }
    assert_eq!(
        t,
        Template::default(),
        "rejected calls must not change the template"
    );
}

#[test]
fn copy_source_errors_are_official_template_errors_and_atomic() {
    let mut t = Template::default();
    let e = err(t.copy(&["ok.txt", "/etc/passwd"], "/d", &CopyOptions::default()));
    assert_eq!(e.class, ErrorClass::TemplateError);
    assert!(e
        .message
        .starts_with("Invalid source path \"/etc/passwd\": absolute paths"));
    let items = [
        CopyItem {
            src: vec!["a".into()],
            dest: "/a".into(),
            options: CopyOptions::default(),
        },
        CopyItem {
            src: vec!["../b".into()],
            dest: "/b".into(),
            options: CopyOptions::default(),
        },
    ];
    let e = err(t.copy_items(&items));
    assert_eq!(e.class, ErrorClass::TemplateError);
    assert!(e.message.contains("path escapes the context directory"));
    assert!(
        t.instructions().is_empty(),
        "no COPY recorded when one source is invalid"
    );
}

#[test]
fn mcp_and_devcontainer_need_their_templates() {
    let mut t = Template::default();
    let e = err(t.add_mcp_server(&["github"]));
    assert_eq!(
        (e.class, e.message.as_str()),
        (
            ErrorClass::BuildError,
            "MCP servers can only be added to mcp-gateway template"
        )
    );
    let e = err(t.beta_dev_container_prebuild("/w"));
    assert_eq!(
        (e.class, e.message.as_str()),
        (
            ErrorClass::BuildError,
            "Devcontainers can only used in the devcontainer template"
        )
    );
    let e = err(t.beta_set_dev_container_start("/w"));
    assert_eq!(e.class, ErrorClass::BuildError);
}

#[test]
fn copy_records_official_args_and_optional_keys() {
    let mut t = Template::default();
    t.copy(
        &["a", "b"],
        "/d",
        &CopyOptions {
            user: Some("u".into()),
            mode: Some(Num::from_int(0o4755)),
            force_upload: Some(false),
            resolve_symlinks: None,
        },
    )
    .unwrap()
    .copy(
        &["c"],
        "/d",
        &CopyOptions {
            mode: Some(Num::from_int(0)),
            ..Default::default()
        },
    )
    .unwrap();
    let i = t.instructions();
    assert_eq!(i.len(), 3);
    assert_eq!(i[0].args, ["a", "/d", "u", "4755"]);
    assert_eq!(i[1].args, ["b", "/d", "u", "4755"]);
    assert_eq!(i[2].args, ["c", "/d", "", ""]);
    let body = to_json_compact(&t, Some(&["h1".into(), "h2".into(), "h3".into()])).unwrap();
    assert!(
        body.contains(
            r#""args":["a","/d","u","4755"],"force":false,"forceUpload":false,"filesHash":"h1""#
        ),
        "{body}"
    );
    assert!(
        body.contains(r#""args":["c","/d","",""],"force":false,"filesHash":"h3""#),
        "{body}"
    );
    let e = to_json_compact(&t, Some(&["h1".into()])).unwrap_err();
    assert_eq!(e.class, ErrorClass::InvalidArgumentError);
    assert!(!to_json_compact(&t, None).unwrap().contains("filesHash"));
}

#[test]
fn skip_cache_is_sticky_and_forces_later_from() {
    let mut t = Template::default();
    t.run_cmd(&["a"], None).unwrap();
    t.skip_cache();
    t.run_cmd(&["b"], None)
        .unwrap()
        .copy(&["x"], "/x", &CopyOptions::default())
        .unwrap();
    assert!(!t.force());
    t.from_template("base").unwrap();
    assert!(t.force(), "from* after skipCache sets template force");
    let forces: Vec<bool> = t.instructions().iter().map(|i| i.force).collect();
    assert_eq!(forces, [false, true, true]);
    let mut u = Template::default();
    u.copy(
        &["x"],
        "/x",
        &CopyOptions {
            force_upload: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(u.instructions()[0].force, "forceUpload forces the COPY");
}

#[test]
fn set_envs_merges_in_javascript_order() {
    let mut t = Template::default();
    t.set_envs::<&str, &str>(&[]).unwrap();
    assert!(
        t.instructions().is_empty(),
        "an empty setEnvs records nothing"
    );
    t.set_envs(&[("B", "1"), ("A", "2"), ("B", "3")])
        .unwrap()
        .set_envs(&[("A", "4"), ("C", "5")])
        .unwrap();
    assert_eq!(t.instructions()[0].args, ["B", "3", "A", "2"]);
    assert_eq!(t.envs(), vec![("B", "3"), ("A", "4"), ("C", "5")]);
}

#[test]
fn image_config_is_read_once_and_applied_like_the_sdk() {
    let mut t = Template::default();
    assert!(
        t.take_image_config_request().is_none(),
        "Template() alone reads nothing"
    );
    let creds = RegistryCredentials {
        username: "u".into(),
        password: "p".into(),
    };
    t.from_image("reg.example.com/app:1", Some(creds.clone()), None)
        .unwrap();
    t.set_envs(&[("NODE_ENV", "dev"), ("MINE", "1")])
        .unwrap()
        .set_start_cmd("mine", None)
        .unwrap();
    let req = t.take_image_config_request().expect("a read is due");
    assert_eq!(req.image, "reg.example.com/app:1");
    assert_eq!(req.credentials, Some(creds));
    assert!(
        t.take_image_config_request().is_none(),
        "only once per template"
    );
    image_config::apply(
        &mut t,
        &ImageConfig {
            env: vec![
                ("PATH".into(), "/bin".into()),
                ("NODE_ENV".into(), "production".into()),
            ],
            workdir: Some("/srv".into()),
            entrypoint: vec![],
            cmd: vec!["node".into()],
        },
    );
    assert_eq!(
        t.envs(),
        vec![("PATH", "/bin"), ("NODE_ENV", "dev"), ("MINE", "1")]
    );
    assert_eq!(t.start_cmd(), Some("mine"), "the user's start command wins");
    assert_eq!(t.ready_cmd(), None);
    let last = t.instructions().last().unwrap();
    assert_eq!(
        (last.kind, last.args.clone(), last.force),
        (InstructionKind::Workdir, vec!["/srv".to_string()], false)
    );
    assert_eq!(
        to_dockerfile(&t).unwrap(),
        "FROM reg.example.com/app:1\nENV NODE_ENV=dev MINE=1\nWORKDIR /srv\nENTRYPOINT mine\n"
    );

    // fromImage without credentials forgets them for the read but keeps fromImageRegistry.
    t.from_image("other:1", None, Some(false)).unwrap();
    assert!(t.take_image_config_request().is_none());
    assert!(trigger_body(&t, None)
        .unwrap()
        .to_compact()
        .contains(r#""fromImageRegistry":{"type":"registry","username":"u","password":"p"}"#));
}

#[test]
fn dockerfile_errors_are_official_and_leave_template_untouched() {
    let mut t = Template::default();
    t.run_cmd(&["keep"], None).unwrap();
    let before = t.clone();
    for (content, class, msg) in [
        ("FROM a\nFROM b", ErrorClass::Error, "Multi-stage Dockerfiles are not supported"),
        ("RUN x", ErrorClass::Error, "Dockerfile must contain a FROM instruction"),
        ("FROM a\nRUN x\nCOPY /abs /d", ErrorClass::TemplateError, "Invalid source path \"/abs\": absolute paths are not allowed. Use a relative path within the context directory."),
        ("FROM a\nENV A=1\nCMD [\"x\"]\nCOPY ../up /d", ErrorClass::TemplateError, "Invalid source path \"../up\": path escapes the context directory. The path must stay within the context directory."),
    ] {
        let e = t.from_dockerfile(content).unwrap_err();
        assert_eq!((e.class, e.message.as_str()), (class, msg));
        assert_eq!(t, before);
    }
    let mut f = Template::default();
    f.from_template("base").unwrap();
    let e = to_dockerfile(&f).unwrap_err();
    assert_eq!(e.class, ErrorClass::Error);
    assert!(e
        .message
        .starts_with("Cannot convert template built from another template to Dockerfile."));
}

#[test]
fn dockerfile_steps_name_their_lines() {
    let mut t = Template::default();
    t.from_dockerfile(
        "FROM python:3\nRUN pip install x\nCOPY a b /d/\nCMD [\"python\", \"app.py\"]",
    )
    .unwrap();
    assert_eq!(
        t.step_origin("1").as_deref(),
        Some("fromDockerfile (implicit setUser(\"root\"))")
    );
    assert_eq!(
        t.step_origin("3").as_deref(),
        Some("fromDockerfile (line 2: RUN pip install x)")
    );
    assert_eq!(
        t.step_origin("4").as_deref(),
        Some("fromDockerfile (line 3: COPY a b /d/)")
    );
    assert_eq!(
        t.step_origin("5").as_deref(),
        Some("fromDockerfile (line 3: COPY a b /d/)")
    );
    assert!(t.step_origin("finalize").unwrap().contains("line 4: CMD"));
    assert_eq!(t.start_cmd(), Some("python app.py"));
    assert_eq!(t.ready_cmd(), Some("sleep 20"));
}

#[test]
fn image_reference_parse_is_exposed() {
    let r = image_ref::parse("python:3.12").unwrap();
    assert_eq!(
        (r.host.as_str(), r.repository.as_str(), r.reference.as_str()),
        ("registry-1.docker.io", "library/python", "3.12")
    );
}

#[test]
fn steps_know_the_call_that_made_them() {
    let mut t = Template::default();
    t.begin_call(0);
    t.from_python_image(Some("3.12")).unwrap();
    t.begin_call(1);
    t.copy(&["a", "b"], "/app", &CopyOptions::default())
        .unwrap();
    t.begin_call(2);
    t.run_cmd(&["make"], None).unwrap();
    t.begin_call(3);
    t.set_start_cmd("serve", Some("sleep 1")).unwrap();
    t.begin_call(4);
    t.set_envs(&[("A", "1")]).unwrap();
    // Two COPY steps from one call, then RUN, then ENV; the runtime-env step follows.
    assert_eq!(
        ["base", "1", "2", "3", "4", "finalize", "5", "9"].map(|s| t.step_call(s)),
        [
            Some(0),
            Some(1),
            Some(1),
            Some(2),
            Some(4),
            Some(3),
            None,
            None
        ]
    );
    let (base, steps, finalize) = t.step_descriptions();
    assert_eq!(base, "fromPythonImage(\"3.12\")");
    assert_eq!(steps.len(), 5, "{steps:?}");
    assert_eq!(steps[2], "runCmd(\"make\")");
    assert!(steps[4].contains("runtime environment"), "{steps:?}");
    assert!(finalize.starts_with("setStartCmd("), "{finalize}");
}
