//! The test registry: token, an OCI index for library/python, manifests and config
//! blobs reachable by digest, 404 for unknown images.

use crate::support::*;

#[test]
fn python_index_leads_to_an_amd64_config() {
    let emu = Emu::start();
    let token = emu
        .try_get(
            "/registry/token?service=registry.docker.io&scope=repository:library/python:pull",
            None,
        )
        .unwrap();
    assert_eq!(token.status, 200);
    assert!(token.json()["token"]
        .as_str()
        .unwrap()
        .contains("library/python"));

    let index = emu
        .try_get("/registry/v2/library/python/manifests/3.12", None)
        .unwrap();
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("content-type"),
        Some("application/vnd.oci.image.index.v1+json")
    );
    let v = index.json();
    let platforms: Vec<String> = v["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{}/{}",
                m["platform"]["os"].as_str().unwrap(),
                m["platform"]["architecture"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(platforms, ["linux/arm64", "linux/amd64"]);
    let amd = v["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["platform"]["architecture"] == "amd64")
        .unwrap();
    let manifest = emu
        .try_get(
            &format!(
                "/registry/v2/library/python/manifests/{}",
                amd["digest"].as_str().unwrap()
            ),
            None,
        )
        .unwrap();
    assert_eq!(manifest.status, 200);
    let config_digest = manifest.json()["config"]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let blob = emu
        .try_get(
            &format!("/registry/v2/library/python/blobs/{config_digest}"),
            None,
        )
        .unwrap();
    let cfg = blob.json();
    assert_eq!(cfg["architecture"], "amd64");
    assert!(cfg["config"]["Env"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e == "LANG=C.UTF-8"));
    assert_eq!(cfg["config"]["Cmd"], serde_json::json!(["python3"]));
}

#[test]
fn plain_manifests_and_unknown_images() {
    let emu = Emu::start();
    let m = emu
        .try_get("/registry/v2/library/node/manifests/lts", None)
        .unwrap();
    assert_eq!(
        m.header("content-type"),
        Some("application/vnd.oci.image.manifest.v1+json")
    );
    let digest = m.json()["config"]["digest"].as_str().unwrap().to_string();
    let cfg = emu
        .try_get(&format!("/registry/v2/library/node/blobs/{digest}"), None)
        .unwrap()
        .json();
    assert_eq!(cfg["config"]["WorkingDir"], "/usr/src/app");
    assert_eq!(
        cfg["config"]["Entrypoint"],
        serde_json::json!(["docker-entrypoint.sh"])
    );
    assert_eq!(
        emu.try_get("/registry/v2/library/ubuntu/manifests/22.04", None)
            .unwrap()
            .status,
        200
    );
    assert_eq!(
        emu.try_get("/registry/v2/library/ubuntu/manifests/99.99", None)
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        emu.try_get("/registry/v2/nobody/nothing/manifests/latest", None)
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        emu.try_get("/registry/v2/library/python/blobs/sha256:00", None)
            .unwrap()
            .status,
        404
    );
}

/// What a browser does for a page on another origin: preflight (the registry reads
/// send a long `Accept`, which is not CORS-safelisted, and maybe `Authorization`),
/// then the GET with `Origin`; the reply must name that origin.
fn cross_origin_get(emu: &Emu, path: &str, origin: &str) -> Reply {
    let pre = emu.raw(
        &format!(
            "OPTIONS {path} HTTP/1.1\r\nHost: {}\r\nOrigin: {origin}\r\nAccess-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: accept, authorization\r\nConnection: close\r\n\r\n",
            emu.addr()
        ),
        b"",
    );
    assert!(pre.starts_with("HTTP/1.1 204"), "{path}: {pre}");
    let lower = pre.to_ascii_lowercase();
    assert!(
        lower.contains(&format!("access-control-allow-origin: {origin}")),
        "{pre}"
    );
    let allowed = lower
        .lines()
        .find(|l| l.starts_with("access-control-allow-headers:"))
        .unwrap_or_default();
    for h in ["accept", "authorization"] {
        assert!(allowed.contains(h), "{h} not allowed: {allowed}");
    }
    assert!(lower.contains("access-control-allow-methods: get"), "{pre}");
    let r = emu.get_with(
        path,
        &[
            ("Origin", origin),
            ("Accept", "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"),
        ],
    );
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some(origin),
        "{path}"
    );
    r
}

#[test]
fn a_page_on_another_origin_reads_python_node_and_ubuntu() {
    let emu = Emu::start();
    // The page is served elsewhere: another port on the same host.
    let origin = "http://127.0.0.1:1";
    let token = cross_origin_get(
        &emu,
        "/registry/token?service=registry.docker.io&scope=repository:library/node:pull",
        origin,
    );
    assert_eq!(token.status, 200);
    assert_eq!(
        token.json()["token"],
        "emulator-token:repository:library/node:pull"
    );

    // The default tags of fromPythonImage, fromNodeImage and fromUbuntuImage, and
    // the tags the demo and the tests name.
    for (repo, tag, cmd) in [
        ("library/python", "3", "python3"),
        ("library/python", "3.12", "python3"),
        ("library/node", "lts", "node"),
        ("library/ubuntu", "latest", "/bin/bash"),
        ("library/ubuntu", "22.04", "/bin/bash"),
    ] {
        let top = cross_origin_get(
            &emu,
            &format!("/registry/v2/{repo}/manifests/{tag}"),
            origin,
        );
        assert_eq!(top.status, 200, "{repo}:{tag}");
        let exposed = top
            .header("access-control-expose-headers")
            .unwrap_or_default();
        assert!(exposed.contains("docker-content-digest"), "{exposed}");
        assert!(top
            .header("docker-content-digest")
            .unwrap()
            .starts_with("sha256:"));
        let mut manifest = top.json();
        if let Some(list) = manifest["manifests"].as_array() {
            let amd = list
                .iter()
                .find(|m| m["platform"]["architecture"] == "amd64")
                .unwrap();
            let path = format!(
                "/registry/v2/{repo}/manifests/{}",
                amd["digest"].as_str().unwrap()
            );
            manifest = cross_origin_get(&emu, &path, origin).json();
        }
        let blob = cross_origin_get(
            &emu,
            &format!(
                "/registry/v2/{repo}/blobs/{}",
                manifest["config"]["digest"].as_str().unwrap()
            ),
            origin,
        );
        assert_eq!(blob.status, 200, "{repo}:{tag}");
        let cfg = blob.json();
        assert_eq!(cfg["architecture"], "amd64");
        let cmd_list = cfg["config"]["Cmd"].as_array().unwrap();
        assert_eq!(cmd_list.last().unwrap(), cmd, "{repo}:{tag}");
    }

    // A miss is readable too (the client tells a 404 from a CORS failure), and a
    // write is refused in the registry's error format, not as an API reply.
    let miss = cross_origin_get(&emu, "/registry/v2/library/python/manifests/0.1", origin);
    assert_eq!(miss.status, 404);
    assert_eq!(miss.json()["errors"][0]["code"], "MANIFEST_UNKNOWN");
    let post = emu.send("POST", "/registry/v2/library/python/manifests/3", "{}");
    assert_eq!(post.status, 405, "{}", post.text);
    assert_eq!(post.json()["errors"][0]["code"], "UNSUPPORTED");
    let elsewhere = emu.get("/registry/v1/anything");
    assert_eq!(elsewhere.status, 404);
    assert!(elsewhere.json()["errors"].is_array());
}
