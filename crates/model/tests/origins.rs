//! The call descriptions kept with each step (`Instruction::origin`, the base and
//! finalize origins): for every builder method, with and without its options, the
//! text a failed step names. They read like the JavaScript call that was written.

use novita_template_json::shape::Num;
use novita_template_model::*;

fn last_origin(t: &Template) -> String {
    t.instructions().last().expect("a step").origin.clone()
}

fn num(text: &str) -> Option<Num> {
    Some(Num(text.into()))
}

/// (what was called, the origin recorded)
fn origins() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut t = Template::default();
    let base = |t: &Template| t.step_origin("base").unwrap();
    let finalize = |t: &Template| t.step_origin("finalize").unwrap();

    t.from_image("img:1", None, None).unwrap();
    out.push(("fromImage", base(&t)));
    let creds = RegistryCredentials {
        username: "u\"1".into(),
        password: "p".into(),
    };
    t.from_image("img", Some(creds.clone()), Some(false))
        .unwrap();
    out.push(("fromImage creds inherit", base(&t)));
    t.from_image("img", None, Some(true)).unwrap();
    out.push(("fromImage inherit only", base(&t)));
    t.from_debian_image(None).unwrap();
    out.push(("fromDebianImage", base(&t)));
    t.from_ubuntu_image(Some("22.04")).unwrap();
    out.push(("fromUbuntuImage", base(&t)));
    t.from_python_image(Some("3.12")).unwrap();
    out.push(("fromPythonImage", base(&t)));
    t.from_node_image(None).unwrap();
    out.push(("fromNodeImage", base(&t)));
    t.from_bun_image(Some("1")).unwrap();
    out.push(("fromBunImage", base(&t)));
    t.from_base_image().unwrap();
    out.push(("fromBaseImage", base(&t)));
    let keys = AccessKeyCredentials {
        access_key_id: "a".into(),
        secret_access_key: "s".into(),
        region: "r".into(),
    };
    t.from_aws_registry("aws/img", keys.clone()).unwrap();
    out.push(("fromAWSRegistry", base(&t)));
    t.from_gcp_registry("gcp/img", "{}").unwrap();
    out.push(("fromGCPRegistry", base(&t)));
    let oci = OciCredentials {
        tenancy_ocid: "t".into(),
        user_ocid: "u".into(),
        fingerprint: "f".into(),
        private_key: "k".into(),
        region: "r".into(),
    };
    t.from_oci_registry("oci/img", oci).unwrap();
    out.push(("fromOCIRegistry", base(&t)));
    t.from_huawei_cloud_registry("hw/img", keys).unwrap();
    out.push(("fromHuaweiCloudRegistry", base(&t)));
    t.from_template("mcp-gateway").unwrap();
    out.push(("fromTemplate", base(&t)));

    t.run_cmd(&["make"], None).unwrap();
    out.push(("runCmd", last_origin(&t)));
    t.run_cmd(&["a", "b \"c\""], Some("root")).unwrap();
    out.push(("runCmd list user", last_origin(&t)));
    t.set_workdir("/w").unwrap();
    out.push(("setWorkdir", last_origin(&t)));
    t.set_user("me").unwrap();
    out.push(("setUser", last_origin(&t)));
    t.set_envs(&[("A", "1"), ("B", "x\ny")]).unwrap();
    out.push(("setEnvs", last_origin(&t)));
    t.copy(&["a.txt"], "/d", &CopyOptions::default()).unwrap();
    out.push(("copy", last_origin(&t)));
    let all = CopyOptions {
        force_upload: Some(true),
        user: Some("me".into()),
        mode: num("493"),
        resolve_symlinks: Some(false),
    };
    t.copy(&["a", "b"], "/d/", &all).unwrap();
    out.push(("copy list all options", last_origin(&t)));
    let odd_mode = CopyOptions {
        mode: num("0"),
        ..CopyOptions::default()
    };
    t.copy(&["a"], "/d", &odd_mode).unwrap();
    out.push(("copy mode 0", last_origin(&t)));
    let items = [
        CopyItem {
            src: vec!["x".into()],
            dest: "/x".into(),
            options: CopyOptions::default(),
        },
        CopyItem {
            src: vec!["y".into(), "z".into()],
            dest: "/y".into(),
            options: all.clone(),
        },
    ];
    t.copy_items(&items).unwrap();
    out.push(("copyItems", last_origin(&t)));
    t.remove(&["f"], &RemoveOptions::default()).unwrap();
    out.push(("remove", last_origin(&t)));
    let rm = RemoveOptions {
        force: true,
        recursive: true,
        user: Some("me".into()),
    };
    t.remove(&["f", "g h"], &rm).unwrap();
    out.push(("remove all options", last_origin(&t)));
    t.rename("a", "b", &ForceUserOptions::default()).unwrap();
    out.push(("rename", last_origin(&t)));
    let fu = ForceUserOptions {
        force: true,
        user: Some("me".into()),
    };
    t.rename("a", "b c", &fu).unwrap();
    out.push(("rename all options", last_origin(&t)));
    t.make_dir(&["d"], &MakeDirOptions::default()).unwrap();
    out.push(("makeDir", last_origin(&t)));
    let md = MakeDirOptions {
        mode: num("448"),
        user: Some("me".into()),
    };
    t.make_dir(&["d", "e"], &md).unwrap();
    out.push(("makeDir all options", last_origin(&t)));
    t.make_symlink("a", "b", &ForceUserOptions::default())
        .unwrap();
    out.push(("makeSymlink", last_origin(&t)));
    t.make_symlink("a", "b", &fu).unwrap();
    out.push(("makeSymlink all options", last_origin(&t)));
    t.pip_install::<&str>(None, None).unwrap();
    out.push(("pipInstall", last_origin(&t)));
    t.pip_install(Some(&["flask", "rich"]), Some(false))
        .unwrap();
    out.push(("pipInstall list g", last_origin(&t)));
    t.npm_install::<&str>(None, &PackageOptions::default())
        .unwrap();
    out.push(("npmInstall", last_origin(&t)));
    let both = PackageOptions { g: true, dev: true };
    t.npm_install(Some(&["a"]), &both).unwrap();
    out.push(("npmInstall all options", last_origin(&t)));
    t.bun_install(Some(&["a", "b"]), &both).unwrap();
    out.push(("bunInstall", last_origin(&t)));
    t.apt_install(&["curl"], &AptOptions::default()).unwrap();
    out.push(("aptInstall", last_origin(&t)));
    let apt = AptOptions {
        no_install_recommends: true,
        fix_missing: true,
    };
    t.apt_install(&["curl", "git"], &apt).unwrap();
    out.push(("aptInstall all options", last_origin(&t)));
    t.add_mcp_server(&["x"]).unwrap();
    out.push(("addMcpServer", last_origin(&t)));
    t.add_mcp_server(&["x", "y"]).unwrap();
    out.push(("addMcpServer list", last_origin(&t)));
    t.git_clone("https://g/r", None, &GitCloneOptions::default())
        .unwrap();
    out.push(("gitClone", last_origin(&t)));
    let git = GitCloneOptions {
        branch: Some("main".into()),
        depth: num("1"),
        user: Some("me".into()),
    };
    t.git_clone("https://g/r", None, &git).unwrap();
    out.push(("gitClone options without path", last_origin(&t)));
    t.git_clone("https://g/r", Some("dir"), &git).unwrap();
    out.push(("gitClone all", last_origin(&t)));
    t.set_start_cmd("serve", None).unwrap();
    out.push(("setStartCmd", finalize(&t)));
    t.set_start_cmd("serve", Some("true")).unwrap();
    out.push(("setStartCmd ready", finalize(&t)));
    t.set_ready_cmd("check").unwrap();
    out.push(("setReadyCmd", finalize(&t)));

    let mut d = Template::default();
    d.from_template("devcontainer").unwrap();
    d.beta_dev_container_prebuild("/dc").unwrap();
    out.push(("betaDevContainerPrebuild", last_origin(&d)));
    d.beta_set_dev_container_start("/dc").unwrap();
    out.push(("betaSetDevContainerStart", finalize(&d)));

    let dockerfiles = [
        "FROM python:3\nRUN pip install x\nENV A=1 B=2\nCMD [\"python\", \"app.py\"]\nHEALTHCHECK x\n",
        "FROM node\nWORKDIR /app\nUSER node\nCOPY --chown=me a b /d/\nARG X\nENTRYPOINT node .\n",
    ];
    for text in dockerfiles {
        let mut f = Template::default();
        f.from_dockerfile(text).unwrap();
        out.push(("fromDockerfile base", base(&f)));
        for ins in f.instructions() {
            out.push(("fromDockerfile step", ins.origin.clone()));
        }
        out.push(("fromDockerfile finalize", finalize(&f)));
    }
    out
}

#[test]
fn every_builder_call_is_described_as_written() {
    let expected: &[(&str, &str)] = &[
        ("fromImage", "fromImage(\"img:1\")"),
        ("fromImage creds inherit", "fromImage(\"img\", { username: \"u\\\"1\", password: \"***\" }, { inheritConfig: false })"),
        ("fromImage inherit only", "fromImage(\"img\", undefined, { inheritConfig: true })"),
        ("fromDebianImage", "fromDebianImage()"),
        ("fromUbuntuImage", "fromUbuntuImage(\"22.04\")"),
        ("fromPythonImage", "fromPythonImage(\"3.12\")"),
        ("fromNodeImage", "fromNodeImage()"),
        ("fromBunImage", "fromBunImage(\"1\")"),
        ("fromBaseImage", "fromBaseImage()"),
        ("fromAWSRegistry", "fromAWSRegistry(\"aws/img\", { ... })"),
        ("fromGCPRegistry", "fromGCPRegistry(\"gcp/img\", { ... })"),
        ("fromOCIRegistry", "fromOCIRegistry(\"oci/img\", { ... })"),
        ("fromHuaweiCloudRegistry", "fromHuaweiCloudRegistry(\"hw/img\", { ... })"),
        ("fromTemplate", "fromTemplate(\"mcp-gateway\")"),
        ("runCmd", "runCmd(\"make\")"),
        ("runCmd list user", "runCmd([\"a\", \"b \\\"c\\\"\"], { user: \"root\" })"),
        ("setWorkdir", "setWorkdir(\"/w\")"),
        ("setUser", "setUser(\"me\")"),
        ("setEnvs", "setEnvs({ \"A\": \"1\", \"B\": \"x\\ny\" })"),
        ("copy", "copy(\"a.txt\", \"/d\")"),
        ("copy list all options", "copy([\"a\", \"b\"], \"/d/\", { forceUpload: true, user: \"me\", mode: 0o755, resolveSymlinks: false })"),
        ("copy mode 0", "copy(\"a\", \"/d\", { mode: 0o0 })"),
        ("copyItems", "copyItems(... copy([\"y\", \"z\"], \"/y\", { forceUpload: true, user: \"me\", mode: 0o755, resolveSymlinks: false }))"),
        ("remove", "remove(\"f\")"),
        ("remove all options", "remove([\"f\", \"g h\"], { force: true, recursive: true, user: \"me\" })"),
        ("rename", "rename(\"a\", \"b\")"),
        ("rename all options", "rename(\"a\", \"b c\", { force: true, user: \"me\" })"),
        ("makeDir", "makeDir(\"d\")"),
        ("makeDir all options", "makeDir([\"d\", \"e\"], { mode: 0o700, user: \"me\" })"),
        ("makeSymlink", "makeSymlink(\"a\", \"b\")"),
        ("makeSymlink all options", "makeSymlink(\"a\", \"b\", { force: true, user: \"me\" })"),
        ("pipInstall", "pipInstall()"),
        ("pipInstall list g", "pipInstall([\"flask\", \"rich\"], { g: false })"),
        ("npmInstall", "npmInstall()"),
        ("npmInstall all options", "npmInstall(\"a\", { g: true, dev: true })"),
        ("bunInstall", "bunInstall([\"a\", \"b\"], { g: true, dev: true })"),
        ("aptInstall", "aptInstall(\"curl\")"),
        ("aptInstall all options", "aptInstall([\"curl\", \"git\"], { noInstallRecommends: true, fixMissing: true })"),
        ("addMcpServer", "addMcpServer(\"x\")"),
        ("addMcpServer list", "addMcpServer([\"x\", \"y\"])"),
        ("gitClone", "gitClone(\"https://g/r\")"),
        ("gitClone options without path", "gitClone(\"https://g/r\", undefined, { branch: \"main\", depth: 1, user: \"me\" })"),
        ("gitClone all", "gitClone(\"https://g/r\", \"dir\", { branch: \"main\", depth: 1, user: \"me\" })"),
        ("setStartCmd", "setStartCmd(\"serve\")"),
        ("setStartCmd ready", "setStartCmd(\"serve\", \"true\")"),
        ("setReadyCmd", "setReadyCmd(\"check\")"),
        ("betaDevContainerPrebuild", "betaDevContainerPrebuild(\"/dc\")"),
        ("betaSetDevContainerStart", "betaSetDevContainerStart(\"/dc\")"),
        ("fromDockerfile base", "fromDockerfile(FROM \"python:3\")"),
        ("fromDockerfile step", "fromDockerfile (implicit setUser(\"root\"))"),
        ("fromDockerfile step", "fromDockerfile (implicit setWorkdir(\"/\"))"),
        ("fromDockerfile step", "fromDockerfile (line 2: RUN pip install x)"),
        ("fromDockerfile step", "fromDockerfile (line 3: ENV A=1 B=2)"),
        ("fromDockerfile step", "fromDockerfile (implicit setUser(\"user\"))"),
        ("fromDockerfile step", "fromDockerfile (implicit setWorkdir(\"/home/user\"))"),
        ("fromDockerfile finalize", "fromDockerfile (line 4: CMD [\"python\", \"app.py\"])"),
        ("fromDockerfile base", "fromDockerfile(FROM \"node\")"),
        ("fromDockerfile step", "fromDockerfile (implicit setUser(\"root\"))"),
        ("fromDockerfile step", "fromDockerfile (implicit setWorkdir(\"/\"))"),
        ("fromDockerfile step", "fromDockerfile (line 2: WORKDIR /app)"),
        ("fromDockerfile step", "fromDockerfile (line 3: USER node)"),
        ("fromDockerfile step", "fromDockerfile (line 4: COPY --chown=me a b /d/)"),
        ("fromDockerfile step", "fromDockerfile (line 4: COPY --chown=me a b /d/)"),
        ("fromDockerfile step", "fromDockerfile (line 5: ARG X)"),
        ("fromDockerfile finalize", "fromDockerfile (line 6: ENTRYPOINT node .)"),
    ];
    let got = origins();
    assert_eq!(got.len(), expected.len());
    for ((what, origin), (want_what, want)) in got.iter().zip(expected) {
        assert_eq!((*what, origin.as_str()), (*want_what, *want));
    }
}
