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
