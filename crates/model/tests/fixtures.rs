//! Rebuilds every template of fixtures 01-08 with the Rust API (mirroring each
//! fixture's `builderCalls`) and compares, byte for byte, what the official SDK
//! produced: `toJSON` text, `toDockerfile`, `dockerfileAfterToJSON`, and the compact
//! trigger body the SDK sent during `build`. Registry-mocked variants get the recording's
//! synthetic image configs applied (tests/fixtures/README.md, "Registry variants").

use novita_template_json::shape::Num;
use novita_template_model::dockerfile::to_dockerfile;
use novita_template_model::image_config::{self, env_from_config_entries, ImageConfig};
use novita_template_model::ready_cmd::*;
use novita_template_model::wire::{to_json_compact, to_json_pretty};
use novita_template_model::*;
use serde_json::Value;
use std::path::PathBuf;

/// A fixture file, the function that rebuilds its template, and a flag.
type Case = (&'static str, fn() -> Template, bool);

/// The repository's recorded fixtures, `tests/fixtures/`.
fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn load(name: &str) -> Value {
    let path = fixtures_dir().join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture JSON")
}

/// The synthetic configs of the recording's mocked registry.
fn mocked_config(image: &str) -> ImageConfig {
    if image.starts_with("python:") {
        ImageConfig {
            env: env_from_config_entries(&[
                "PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "LANG=C.UTF-8",
                "GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305",
                "PYTHON_VERSION=3.12.7",
                "PYTHON_SHA256=24887b92e2afd4a2ac602419ad4b596372f67ac9b077190f459aba390faf5550",
            ]),
            workdir: None,
            entrypoint: vec![],
            cmd: vec!["python3".into()],
        }
    } else if image.starts_with("ubuntu:") {
        ImageConfig {
            env: env_from_config_entries(&[
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ]),
            workdir: None,
            entrypoint: vec![],
            cmd: vec!["/bin/bash".into()],
        }
    } else if image.starts_with("registry.example.com/team/app") {
        ImageConfig {
            env: env_from_config_entries(&[
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "NODE_ENV=production",
                "HOME=/root",
                "APP_GREETING=it's \"quoted\" $HOME",
            ]),
            workdir: Some("/srv/app".into()),
            entrypoint: vec!["docker-entrypoint.sh".into()],
            cmd: vec![
                "node".into(),
                "server.js".into(),
                "--port".into(),
                "8080 8081".into(),
            ],
        }
    } else {
        panic!("no mocked config for {image}")
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Registry {
    /// No registry read happens (fromTemplate, inheritConfig: false).
    None,
    /// The read fails: nothing is inherited.
    Offline,
    /// The read returns the recording's synthetic config.
    Mocked,
}

/// Simulates what `toJSON`/`build` do before serializing: the one-time config read.
fn resolve(t: &mut Template, registry: Registry) {
    if let Some(req) = t.take_image_config_request() {
        match registry {
            Registry::Mocked => image_config::apply(t, &mocked_config(&req.image)),
            Registry::Offline => t.record_image_config_failure("fetch failed", None),
            Registry::None => panic!("unexpected registry read for {}", req.image),
        }
    }
}

/// `filesHash` values of the COPY steps, as recorded in a parsed `toJSON`.
fn recorded_hashes(parsed: &Value) -> Vec<String> {
    parsed["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| s["type"] == "COPY")
        .map(|s| s["filesHash"].as_str().expect("filesHash").to_string())
        .collect()
}

/// The compact body of the trigger request recorded during `build`.
fn trigger_body(requests: &Value) -> Option<String> {
    requests.as_array()?.iter().find_map(|r| {
        let path = r["path"].as_str()?;
        (r["method"] == "POST" && path.starts_with("/v2/templates/") && path.contains("/builds/"))
            .then(|| r["bodyText"].as_str().map(str::to_string))
            .flatten()
    })
}

#[derive(Default)]
struct Tally {
    to_json: usize,
    to_json_with_hashes: usize,
    compact: usize,
    dockerfile: usize,
    other: usize,
    failures: Vec<String>,
}

impl Tally {
    fn eq(&mut self, what: &str, got: &str, want: &str) -> bool {
        if got == want {
            true
        } else {
            let at = got
                .bytes()
                .zip(want.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            let lo = at.saturating_sub(80);
            self.failures.push(format!(
                "{what}: differs at byte {at}\n  got:  {:?}\n  want: {:?}",
                got.get(lo..(at + 80).min(got.len())).unwrap_or(got),
                want.get(lo..(at + 80).min(want.len())).unwrap_or(want)
            ));
            false
        }
    }

    /// Compares toJSON text (and its compact form against the build's trigger body).
    fn check_to_json(
        &mut self,
        what: &str,
        t: &Template,
        fixture_tojson: &Value,
        hashes: Option<&[String]>,
    ) {
        let want = fixture_tojson["text"].as_str().expect("toJSON.text");
        let got = to_json_pretty(t, hashes).unwrap_or_else(|e| format!("error {e}"));
        if self.eq(&format!("{what} toJSON"), &got, want) {
            if hashes.is_some() {
                self.to_json_with_hashes += 1;
            } else {
                self.to_json += 1;
            }
        }
    }

    fn compact(&mut self, what: &str, t: &Template, build: &Value, hashes: Option<&[String]>) {
        let Some(want) = trigger_body(&build["requests"]) else {
            self.failures
                .push(format!("{what}: no trigger request recorded"));
            return;
        };
        let got = to_json_compact(t, hashes).unwrap_or_else(|e| format!("error {e}"));
        if self.eq(&format!("{what} trigger body"), &got, &want) {
            self.compact += 1;
        }
    }

    fn dockerfile(&mut self, what: &str, t: &Template, want: &Value) {
        let got = match to_dockerfile(t) {
            Ok(s) => s,
            Err(e) => format!("{}: {}", e.class.name(), e.message),
        };
        let want = match want {
            Value::String(s) => s.clone(),
            other => {
                let e = &other["error"];
                format!(
                    "{}: {}",
                    e["name"].as_str().unwrap_or("?"),
                    e["message"].as_str().unwrap_or("?")
                )
            }
        };
        if self.eq(&format!("{what} toDockerfile"), &got, &want) {
            self.dockerfile += 1;
        }
    }
}

/// Runs one fixture variant: fresh `toDockerfile`, then toJSON (after the registry
/// step) and `dockerfileAfterToJSON`, then the build's trigger body on a fresh object.
fn check_variant(
    tally: &mut Tally,
    what: &str,
    make: &dyn Fn() -> Template,
    variant: &Value,
    registry: Registry,
    build_force: bool,
    with_hashes: bool,
) {
    let tojson = &variant["toJSON"];
    let hashes = with_hashes.then(|| recorded_hashes(&tojson["parsed"]));
    let hashes = hashes.as_deref();

    if !variant["toDockerfile"].is_null() {
        tally.dockerfile(what, &make(), &variant["toDockerfile"]);
    }

    let mut t = make();
    resolve(&mut t, registry);
    if registry == Registry::Offline {
        let failure = t.image_config_failure().map(|f| f.error.clone());
        tally.eq(
            &format!("{what} imageConfigFailure"),
            failure.as_deref().unwrap_or("none"),
            tojson["imageConfigFailure"]["error"]
                .as_str()
                .unwrap_or("none"),
        );
    }
    tally.check_to_json(what, &t, tojson, hashes);
    if !tojson["dockerfileAfterToJSON"].is_null() {
        tally.dockerfile(
            &format!("{what} (after toJSON)"),
            &t,
            &tojson["dockerfileAfterToJSON"],
        );
    }

    if !variant["build"].is_null() {
        let mut b = make();
        if build_force {
            b.set_force(true);
        }
        resolve(&mut b, registry);
        tally.compact(what, &b, &variant["build"], hashes);
    }
}

fn variants(fx: &Value) -> Vec<(&'static str, &Value, Registry)> {
    let mut out = Vec::new();
    if !fx["registryOffline"].is_null() {
        out.push(("registryOffline", &fx["registryOffline"], Registry::Offline));
        out.push(("registryMocked", &fx["registryMocked"], Registry::Mocked));
    } else {
        out.push(("single", fx, Registry::None));
    }
    out
}

fn ctx(path: &str) -> Template {
    Template::new(TemplateOptions {
        file_context_path: Some(path.into()),
        file_ignore_patterns: vec![],
    })
}

fn t01() -> Template {
    let mut t = ctx("inputs/copy-context");
    t.from_python_image(Some("3.12"))
        .unwrap()
        .pip_install(Some(&["flask", "requests"]), None)
        .unwrap()
        .pip_install(Some(&["httpx"]), Some(false))
        .unwrap()
        .set_start_cmd(
            "python -m http.server 8000",
            Some(&wait_for_port(&Num::from_int(8000)).unwrap()),
        )
        .unwrap();
    t
}

fn t02() -> Template {
    let mut t = ctx("inputs/copy-context");
    let creds = RegistryCredentials {
        username: "robot".into(),
        password: "s3cret".into(),
    };
    t.from_image("registry.example.com/team/app:1.0", Some(creds), None)
        .unwrap()
        .run_cmd(&["npm ci", "npm run build"], Some("root"))
        .unwrap();
    t
}

fn t03() -> Template {
    let dockerfile =
        std::fs::read_to_string(fixtures_dir().join("inputs/dockerfile-context/Dockerfile"))
            .expect("Dockerfile");
    let mut t = ctx("inputs/dockerfile-context");
    let import = t.from_dockerfile(&dockerfile).expect("fromDockerfile");
    assert_eq!(
        import.warnings,
        vec!["Unsupported instruction: LABEL".to_string()]
    );
    t
}

fn t04() -> Template {
    let mut t = ctx("inputs/copy-context");
    t.from_image("ubuntu:22.04", None, Some(false))
        .unwrap()
        .copy(&["app"], "/home/user/app", &CopyOptions::default())
        .unwrap()
        .copy(
            &["requirements.txt"],
            "/home/user/",
            &CopyOptions {
                user: Some("root".into()),
                mode: Some(Num::from_int(0o644)),
                ..Default::default()
            },
        )
        .unwrap()
        .copy(&["a.txt", "b.txt"], "/data/", &CopyOptions::default())
        .unwrap()
        .copy_items(&[CopyItem {
            src: vec!["setup.sh".into()],
            dest: "/usr/local/bin/setup.sh".into(),
            options: CopyOptions {
                mode: Some(Num::from_int(0o755)),
                force_upload: Some(true),
                ..Default::default()
            },
        }])
        .unwrap()
        .copy(&["link-to-req.txt"], "/data/", &CopyOptions::default())
        .unwrap()
        .copy(
            &["link-to-req.txt"],
            "/data/resolved.txt",
            &CopyOptions {
                resolve_symlinks: Some(true),
                ..Default::default()
            },
        )
        .unwrap()
        .run_cmd(&["ls -la /home/user/app"], None)
        .unwrap();
    t
}

fn t04b() -> Template {
    let mut t = ctx("inputs/copy-context");
    let none = CopyOptions::default();
    t.from_image("ubuntu:22.04", None, Some(false))
        .unwrap()
        .copy(&["."], "/ctx", &none)
        .unwrap()
        .copy(&["./app/"], "/x", &none)
        .unwrap()
        .copy(&["app/*.py"], "/y", &none)
        .unwrap()
        .copy(&["**/*.md"], "/z", &none)
        .unwrap();
    t
}

fn t05() -> Template {
    let mut t = ctx("inputs/copy-context");
    t.from_ubuntu_image(Some("22.04"))
        .unwrap()
        .apt_install(
            &["curl", "git"],
            &AptOptions {
                no_install_recommends: true,
                fix_missing: true,
            },
        )
        .unwrap()
        .apt_install(&["jq"], &AptOptions::default())
        .unwrap()
        .git_clone(
            "https://github.com/example/repo.git",
            Some("/opt/repo"),
            &GitCloneOptions {
                branch: Some("main".into()),
                depth: Some(Num::from_int(1)),
                user: Some("user".into()),
            },
        )
        .unwrap()
        .git_clone(
            "https://github.com/example/other.git",
            None,
            &GitCloneOptions::default(),
        )
        .unwrap()
        .set_envs(&[
            ("APP_ENV", "production"),
            ("PATH", "/opt/venv/bin:$PATH"),
            ("BAD NAME", "x"),
        ])
        .unwrap()
        .set_envs(&[("GREETING", "it's $(not run) `x` \"q\" \\ end")])
        .unwrap()
        .set_workdir("/opt/repo")
        .unwrap()
        .make_dir(
            &["/opt/data", "/opt/logs"],
            &MakeDirOptions {
                mode: Some(Num::from_int(0o750)),
                user: Some("root".into()),
            },
        )
        .unwrap()
        .make_symlink(
            "/opt/repo/bin/tool",
            "/usr/local/bin/tool",
            &ForceUserOptions {
                force: true,
                user: None,
            },
        )
        .unwrap()
        .rename(
            "/tmp/a",
            "/tmp/b",
            &ForceUserOptions {
                force: true,
                user: None,
            },
        )
        .unwrap()
        .remove(
            &["/tmp/x", "/tmp/y"],
            &RemoveOptions {
                recursive: true,
                force: true,
                user: Some("root".into()),
            },
        )
        .unwrap()
        .npm_install(
            Some(&["typescript", "tsx"]),
            &PackageOptions {
                g: true,
                dev: false,
            },
        )
        .unwrap()
        .npm_install(
            Some(&["vitest"]),
            &PackageOptions {
                g: false,
                dev: true,
            },
        )
        .unwrap()
        .npm_install::<&str>(None, &PackageOptions::default())
        .unwrap()
        .bun_install(
            Some(&["zod"]),
            &PackageOptions {
                g: false,
                dev: true,
            },
        )
        .unwrap()
        .bun_install::<&str>(
            None,
            &PackageOptions {
                g: true,
                dev: false,
            },
        )
        .unwrap()
        .set_user("user")
        .unwrap();
    t
}

fn t06_mid_chain() -> Template {
    let mut t = ctx("inputs/copy-context");
    t.from_template("base")
        .unwrap()
        .run_cmd(&["echo cached"], None)
        .unwrap();
    t.skip_cache();
    t.run_cmd(&["echo forced 1"], None)
        .unwrap()
        .copy(&["a.txt"], "/data/", &CopyOptions::default())
        .unwrap()
        .set_envs(&[("K", "v")])
        .unwrap()
        .run_cmd(&["echo forced 2"], None)
        .unwrap();
    t
}

fn t06_before_from() -> Template {
    let mut t = ctx("inputs/copy-context");
    t.skip_cache();
    t.from_image("ubuntu:22.04", None, Some(false))
        .unwrap()
        .run_cmd(&["echo hi"], None)
        .unwrap();
    t
}

fn t06_build_option() -> Template {
    let mut t = ctx("inputs/copy-context");
    t.from_template("base")
        .unwrap()
        .run_cmd(&["echo hi"], None)
        .unwrap();
    t
}

fn t07() -> Template {
    let mut t = Template::default();
    t.from_image("python:3.12", None, None).unwrap();
    t
}

fn t08() -> Template {
    let mut t = ctx("inputs/copy-context");
    t.from_template("base")
        .unwrap()
        .set_envs(&[("PORT", "3000")])
        .unwrap()
        .run_cmd(&["npm i -g serve"], None)
        .unwrap()
        .set_patch_cmd("echo patched > /etc/patched")
        .unwrap()
        .set_start_cmd(
            "serve -l 3000",
            Some(&wait_for_url("http://localhost:3000/health", Some(&Num::from_int(204))).unwrap()),
        )
        .unwrap();
    t
}

/// The `otherBases` templates of fixture 08, keyed as in the fixture.
fn other_bases() -> Vec<(&'static str, Template)> {
    let mut out = Vec::new();
    let mut t = Template::default();
    t.from_aws_registry(
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1",
        AccessKeyCredentials {
            access_key_id: "AKIAEXAMPLE".into(),
            secret_access_key: "secret-key".into(),
            region: "us-east-1".into(),
        },
    )
    .unwrap();
    out.push(("fromAWSRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1', {accessKeyId:'AKIA..', secretAccessKey:'sk', region:'us-east-1'})", t));
    let mut t = Template::default();
    // The skin passes JSON.stringify of an object argument.
    t.from_gcp_registry(
        "us-docker.pkg.dev/proj/repo/app:1",
        "{\"type\":\"service_account\",\"project_id\":\"proj\"}",
    )
    .unwrap();
    out.push(("fromGCPRegistry('us-docker.pkg.dev/proj/repo/app:1', {serviceAccountJSON: {type:'service_account', project_id:'proj'}})", t));
    let mut t = Template::default();
    t.from_oci_registry(
        "iad.ocir.io/ns/app:1",
        OciCredentials {
            tenancy_ocid: "ocid1.tenancy".into(),
            user_ocid: "ocid1.user".into(),
            fingerprint: "aa:bb".into(),
            private_key: "-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----".into(),
            region: "us-ashburn-1".into(),
        },
    )
    .unwrap();
    out.push(("fromOCIRegistry('iad.ocir.io/ns/app:1', {...})", t));
    let mut t = Template::default();
    t.from_huawei_cloud_registry(
        "swr.cn-north-4.myhuaweicloud.com/ns/app:1",
        AccessKeyCredentials {
            access_key_id: "HWAK".into(),
            secret_access_key: "HWSK".into(),
            region: "cn-north-4".into(),
        },
    )
    .unwrap();
    out.push((
        "fromHuaweiCloudRegistry('swr.cn-north-4.myhuaweicloud.com/ns/app:1', {...})",
        t,
    ));
    let mut t = Template::default();
    t.from_base_image().unwrap();
    out.push(("fromBaseImage()", t));
    out.push(("Template() with no from* call", Template::default()));
    let mut t = Template::default();
    t.from_image("node:20", None, Some(false))
        .unwrap()
        .set_start_cmd("node a.js", Some("true"))
        .unwrap();
    out.push(("fromImage('node:20', undefined, { inheritConfig: false }).setStartCmd('node a.js', 'true')", t));
    let mut t = Template::default();
    t.from_template("mcp-gateway")
        .unwrap()
        .add_mcp_server(&["github", "slack"])
        .unwrap();
    out.push((
        "fromTemplate('mcp-gateway').addMcpServer(['github', 'slack'])",
        t,
    ));
    let mut t = Template::default();
    t.from_template("devcontainer")
        .unwrap()
        .beta_dev_container_prebuild("/workspace")
        .unwrap()
        .beta_set_dev_container_start("/workspace")
        .unwrap();
    out.push(("fromTemplate('devcontainer').betaDevContainerPrebuild('/workspace').betaSetDevContainerStart('/workspace')", t));
    out
}

#[test]
fn fixtures_match_official_bytes() {
    let mut tally = Tally::default();

    let simple: [Case; 7] = [
        ("01-python-pip-start.json", t01, false),
        ("02-registry-credentials.json", t02, false),
        ("03-dockerfile.json", t03, true),
        ("04-copy.json", t04, true),
        ("04b-copy-globs.json", t04b, true),
        ("05-apt-git-envs.json", t05, false),
        ("08-from-template-ready-patch.json", t08, false),
    ];
    for (file, make, hashes) in simple {
        let fx = load(file);
        for (name, variant, registry) in variants(&fx) {
            check_variant(
                &mut tally,
                &format!("{file} {name}"),
                &make,
                variant,
                registry,
                false,
                hashes,
            );
        }
    }

    let fx = load("06-skip-cache.json");
    let cases: [Case; 3] = [
        ("midChain", t06_mid_chain, false),
        ("beforeFrom", t06_before_from, false),
        ("buildOption", t06_build_option, true),
    ];
    for (name, make, build_force) in cases {
        let case = &fx["cases"][name];
        check_variant(
            &mut tally,
            &format!("06 {name}"),
            &make,
            case,
            Registry::None,
            build_force,
            name == "midChain",
        );
    }

    let fx = load("07-seed-example.json");
    for (name, registry) in [
        ("registryOffline", Registry::Offline),
        ("registryMocked", Registry::Mocked),
    ] {
        let mut t = t07();
        resolve(&mut t, registry);
        tally.compact(&format!("07 {name}"), &t, &fx[name], None);
    }

    let fx = load("08-from-template-ready-patch.json");
    let after = &fx["after"];
    for (key, t) in other_bases() {
        let want = &after["otherBases"][key];
        assert!(!want.is_null(), "fixture has no otherBases entry {key}");
        let got: Value = serde_json::from_str(&to_json_pretty(&t, None).expect("toJSON"))
            .expect("our JSON parses");
        if got == want["toJSON"] {
            tally.other += 1;
        } else {
            tally.failures.push(format!(
                "08 otherBases {key}: toJSON {got} != {}",
                want["toJSON"]
            ));
        }
        tally.dockerfile(&format!("08 otherBases {key}"), &t, &want["toDockerfile"]);
    }
    let helpers: [(&str, String); 9] = [
        (
            "waitForPort(8000)",
            wait_for_port(&Num::from_int(8000)).unwrap(),
        ),
        (
            "waitForURL('http://localhost:3000/health')",
            wait_for_url("http://localhost:3000/health", None).unwrap(),
        ),
        (
            "waitForURL('http://localhost:3000/health', 204)",
            wait_for_url("http://localhost:3000/health", Some(&Num::from_int(204))).unwrap(),
        ),
        (
            "waitForProcess('nginx')",
            wait_for_process("nginx").unwrap(),
        ),
        (
            "waitForFile('/tmp/ready')",
            wait_for_file("/tmp/ready").unwrap(),
        ),
        (
            "waitForTimeout(5000)",
            wait_for_timeout(&Num::from_int(5000)).unwrap(),
        ),
        (
            "waitForTimeout(1500)",
            wait_for_timeout(&Num::from_int(1500)).unwrap(),
        ),
        (
            "waitForTimeout(500)",
            wait_for_timeout(&Num::from_int(500)).unwrap(),
        ),
        (
            "waitForTimeout(0)",
            wait_for_timeout(&Num::from_int(0)).unwrap(),
        ),
    ];
    for (key, got) in helpers {
        if tally.eq(
            &format!("08 readyCmdHelpers {key}"),
            &got,
            after["readyCmdHelpers"][key]
                .as_str()
                .unwrap_or("<missing>"),
        ) {
            tally.other += 1;
        }
    }
    type Apply = fn(&mut Template);
    let defaults: [(&str, Apply); 7] = [
        ("fromDebianImage()", |t| drop(t.from_debian_image(None))),
        ("fromUbuntuImage()", |t| drop(t.from_ubuntu_image(None))),
        ("fromPythonImage()", |t| drop(t.from_python_image(None))),
        ("fromNodeImage()", |t| drop(t.from_node_image(None))),
        ("fromBunImage()", |t| drop(t.from_bun_image(None))),
        ("fromBaseImage()", |t| drop(t.from_base_image())),
        ("Template() (no from call)", |_| {}),
    ];
    for (key, f) in defaults {
        let mut t = Template::default();
        f(&mut t);
        if tally.eq(
            &format!("08 defaultImageTags {key}"),
            t.base_image().unwrap_or("-"),
            after["defaultImageTags"][key]
                .as_str()
                .unwrap_or("<missing>"),
        ) {
            tally.other += 1;
        }
    }

    println!(
        "fixtures: {} toJSON equal, {} toJSON equal (serialization with recorded hashes), {} trigger bodies equal, {} toDockerfile equal, {} other checks equal, {} failures",
        tally.to_json, tally.to_json_with_hashes, tally.compact, tally.dockerfile, tally.other, tally.failures.len()
    );
    assert!(
        tally.failures.is_empty(),
        "fixture mismatches:\n{}",
        tally.failures.join("\n")
    );
    // Guard against a silently shrinking test: every variant listed above must have been compared.
    assert_eq!(tally.to_json + tally.to_json_with_hashes, 14);
}
