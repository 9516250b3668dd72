//! Pins each deliberate difference from the official SDK (see DIFFERENCES.md).
//! Every test shows both outputs: `OFFICIAL` values were recorded by running
//! `novita-sandbox@2.1.1` on the same input; the assertions check our output and that
//! it differs from the official one only where the official output is wrong.

use novita_template_model::ready_cmd::{wait_for_file, wait_for_process, wait_for_url};
use novita_template_model::*;

fn runs(t: &Template) -> Vec<String> {
    t.instructions().iter().map(|i| i.args[0].clone()).collect()
}

fn steps(t: &Template) -> Vec<Vec<String>> {
    t.instructions()
        .iter()
        .map(|i| {
            std::iter::once(i.kind.as_str().to_string())
                .chain(i.args.iter().cloned())
                .collect()
        })
        .collect()
}

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Difference 1: helper arguments a shell would misread are quoted like `shlex.quote`.
#[test]
fn helper_arguments_are_shell_quoted_only_when_needed() {
    const OFFICIAL: [&str; 5] = [
        "rm -r /tmp/my dir /tmp/plain",
        "mv /tmp/it's /tmp/b",
        "mkdir -p /opt/a b",
        "ln -s /opt/$(x) /usr/local/bin/x",
        "git clone https://example.com/r.git --branch feat;rm --single-branch /opt/my repo",
    ];
    let mut t = Template::default();
    t.from_template("base")
        .unwrap()
        .remove(
            &["/tmp/my dir", "/tmp/plain"],
            &RemoveOptions {
                recursive: true,
                ..Default::default()
            },
        )
        .unwrap()
        .rename("/tmp/it's", "/tmp/b", &ForceUserOptions::default())
        .unwrap()
        .make_dir(&["/opt/a b"], &MakeDirOptions::default())
        .unwrap()
        .make_symlink(
            "/opt/$(x)",
            "/usr/local/bin/x",
            &ForceUserOptions::default(),
        )
        .unwrap()
        .git_clone(
            "https://example.com/r.git",
            Some("/opt/my repo"),
            &GitCloneOptions {
                branch: Some("feat;rm".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let ours = runs(&t);
    assert_eq!(
        ours,
        v(&[
            "rm -r '/tmp/my dir' /tmp/plain",
            "mv '/tmp/it'\"'\"'s' /tmp/b",
            "mkdir -p '/opt/a b'",
            "ln -s '/opt/$(x)' /usr/local/bin/x",
            "git clone https://example.com/r.git --branch 'feat;rm' --single-branch '/opt/my repo'",
        ])
    );
    for (o, off) in ours.iter().zip(OFFICIAL) {
        assert_ne!(o, off);
    }
    // Plain arguments keep the official bytes (fixture 05 checks the full set).
    let mut plain = Template::default();
    plain
        .remove(&["/tmp/x"], &RemoveOptions::default())
        .unwrap();
    assert_eq!(runs(&plain), v(&["rm /tmp/x"]));
}

/// Difference 1 (continued): ready-command and devcontainer arguments.
#[test]
fn ready_and_devcontainer_arguments_are_quoted_only_when_needed() {
    const OFFICIAL: [&str; 3] = [
        "curl -s -o /dev/null -w \"%{http_code}\" http://x/?a=1&b=2 | grep -q \"200\"",
        "pgrep my proc > /dev/null",
        "[ -f /tmp/a b ]",
    ];
    let ours = [
        wait_for_url("http://x/?a=1&b=2", None).unwrap(),
        wait_for_process("my proc").unwrap(),
        wait_for_file("/tmp/a b").unwrap(),
    ];
    assert_eq!(
        ours,
        [
            "curl -s -o /dev/null -w \"%{http_code}\" 'http://x/?a=1&b=2' | grep -q \"200\""
                .to_string(),
            "pgrep 'my proc' > /dev/null".to_string(),
            "[ -f '/tmp/a b' ]".to_string(),
        ]
    );
    for (o, off) in ours.iter().zip(OFFICIAL) {
        assert_ne!(o, off);
    }

    const OFFICIAL_RUN: &str = "devcontainer build --workspace-folder /work space";
    let mut d = Template::default();
    d.from_template("devcontainer")
        .unwrap()
        .beta_dev_container_prebuild("/work space")
        .unwrap()
        .beta_set_dev_container_start("/work space")
        .unwrap();
    assert_eq!(
        runs(&d),
        v(&["devcontainer build --workspace-folder '/work space'"])
    );
    assert_ne!(runs(&d)[0], OFFICIAL_RUN);
    assert_eq!(
        d.start_cmd(),
        Some("sudo devcontainer up --workspace-folder '/work space' && sudo /prepare-exec.sh '/work space' | sudo tee /devcontainer.sh > /dev/null && sudo chmod +x /devcontainer.sh && sudo touch /devcontainer.up")
    );
}

fn import(content: &str) -> Template {
    let mut t = Template::default();
    t.from_dockerfile(content).unwrap();
    t
}

/// Difference 2a: `COPY a b /dst` keeps every source.
#[test]
fn dockerfile_multi_source_copy_keeps_every_source() {
    let official = vec![
        v(&["COPY", "a.txt", "/dst/", "", ""]),
        v(&["COPY", "c", "/e/", "u", ""]),
    ];
    let t = import("FROM a\nCOPY a.txt b.txt /dst/\nADD --chown=u c d /e/");
    let ours: Vec<Vec<String>> = steps(&t).into_iter().filter(|s| s[0] == "COPY").collect();
    assert_eq!(
        ours,
        vec![
            v(&["COPY", "a.txt", "/dst/", "", ""]),
            v(&["COPY", "b.txt", "/dst/", "", ""]),
            v(&["COPY", "c", "/e/", "u", ""]),
            v(&["COPY", "d", "/e/", "u", ""]),
        ]
    );
    assert_ne!(ours, official);
}

/// Difference 2b: legacy `ENV key value words` sets the whole value.
#[test]
fn dockerfile_legacy_env_form_is_kept() {
    let official = vec![v(&["ENV", "a", "b"])];
    let t = import("FROM a\nENV K v1 v2\nENV L a=b c");
    let ours: Vec<Vec<String>> = steps(&t).into_iter().filter(|s| s[0] == "ENV").collect();
    assert_eq!(
        ours,
        vec![v(&["ENV", "K", "v1 v2"]), v(&["ENV", "L", "a=b c"])]
    );
    assert_ne!(ours, official);
}

/// Difference 2c: quoted words group and lose their quotes in ENV/ARG values.
#[test]
fn dockerfile_quoted_env_values_are_unquoted() {
    let official = vec![
        v(&["ENV", "S", "\"a", "T", "'x"]),
        v(&["ENV", "Q", "\"x\""]),
        v(&["ENV", "G=\"1", "2\""]),
    ];
    let t = import("FROM a\nENV S=\"a b\" T='x  y'\nENV Q=\"x\"\nARG G=\"1 2\"");
    let ours: Vec<Vec<String>> = steps(&t).into_iter().filter(|s| s[0] == "ENV").collect();
    assert_eq!(
        ours,
        vec![
            v(&["ENV", "S", "a b", "T", "x  y"]),
            v(&["ENV", "Q", "x"]),
            v(&["ENV", "G", "1 2"])
        ]
    );
    assert_ne!(ours, official);
    assert_eq!(
        t.envs(),
        vec![("S", "a b"), ("T", "x  y"), ("Q", "x"), ("G", "1 2")]
    );
}

/// Difference 2c: a quoted RUN keeps its text for the shell (inner spaces, escapes).
#[test]
fn dockerfile_quoted_run_keeps_inner_whitespace() {
    let official = "echo \"a b\" && echo 'cnd'";
    let t = import("FROM a\nRUN echo \"a   b\" && echo 'c\\nd'");
    let ours = &steps(&t)[2];
    assert_eq!(ours, &v(&["RUN", "echo \"a   b\" && echo 'c\\nd'"]));
    assert_ne!(ours[1], official);
}

/// Difference 2c: quoted COPY paths, WORKDIR and USER are unquoted.
#[test]
fn dockerfile_quoted_paths_are_unquoted() {
    let official = vec![
        v(&["COPY", "\"my", "dir/\"", "", ""]),
        v(&["WORKDIR", "\"/w"]),
        v(&["USER", "\"bob\""]),
    ];
    let t = import("FROM a\nCOPY \"my file.txt\" \"/dst dir/\"\nWORKDIR \"/w s\"\nUSER \"bob\"");
    let ours: Vec<Vec<String>> = steps(&t)[2..5].to_vec();
    assert_eq!(
        ours,
        vec![
            v(&["COPY", "my file.txt", "/dst dir/", "", ""]),
            v(&["WORKDIR", "/w s"]),
            v(&["USER", "bob"])
        ]
    );
    assert_ne!(ours, official);
}

/// Difference 3: server step numbers map to the call that made the step, counting
/// every serialized step (the official SDK counts stack frames, which drift after
/// multi-source copies, copyItems and fromDockerfile).
#[test]
fn failed_step_names_the_right_call() {
    let mut t = Template::default();
    t.from_template("base")
        .unwrap()
        .copy(&["a.txt", "b.txt"], "/data/", &CopyOptions::default())
        .unwrap()
        .run_cmd(&["make"], None)
        .unwrap()
        .set_envs(&[("A", "1")])
        .unwrap()
        .set_start_cmd("serve", Some("true"))
        .unwrap();
    assert_eq!(
        t.step_origin("base").as_deref(),
        Some("fromTemplate(\"base\")")
    );
    assert_eq!(
        t.step_origin("1").as_deref(),
        Some("copy([\"a.txt\", \"b.txt\"], \"/data/\")")
    );
    assert_eq!(
        t.step_origin("2").as_deref(),
        Some("copy([\"a.txt\", \"b.txt\"], \"/data/\")")
    );
    // The official SDK would name the runCmd frame for step 2 and setEnvs for step 3.
    assert_eq!(t.step_origin("3").as_deref(), Some("runCmd(\"make\")"));
    assert_eq!(
        t.step_origin("4").as_deref(),
        Some("setEnvs({ \"A\": \"1\" })")
    );
    assert!(t.step_origin("5").unwrap().contains("runtime environment"));
    assert_eq!(t.step_origin("6"), None);
    assert_eq!(
        t.step_origin("finalize").as_deref(),
        Some("setStartCmd(\"serve\", \"true\")")
    );
    assert_eq!(t.step_origin("x"), None);
}

/// Difference 4: keywords are upper-cased as ASCII. JavaScript's `toUpperCase` turns
/// `uſer` (long s) into `USER`, so the official parser also sets the user `app` here;
/// Docker's parser, and ours, do not know that instruction and skip it with a warning.
#[test]
fn dockerfile_keywords_are_ascii_case_insensitive() {
    let official = vec![
        v(&["USER", "root"]),
        v(&["USER", "app"]),
        v(&["USER", "bob"]),
    ];
    let mut t = Template::default();
    let warnings = t
        .from_dockerfile("FROM a\nuſer app\nuser bob\nrun echo hi")
        .unwrap()
        .warnings;
    let users: Vec<Vec<String>> = steps(&t).into_iter().filter(|s| s[0] == "USER").collect();
    assert_eq!(users, vec![v(&["USER", "root"]), v(&["USER", "bob"])]);
    assert_ne!(users, official);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        runs(&t).contains(&"echo hi".to_string()),
        "lower-case `run` is still RUN"
    );
}
