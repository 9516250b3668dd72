//! A tiny read-only container registry under `/registry`, so that image-config
//! inheritance (docs/wire-contract.md §4.6) can be tested offline: a token endpoint, manifests
//! (an OCI index with linux/arm64 and linux/amd64 for `library/python`, a plain
//! manifest for the others) and config blobs. The images are synthetic; no layers
//! exist. No API key is needed; the front adds CORS headers, so a page on any
//! origin can read it (the package's `registryUrl`).
//!
//! It needs no server state and imports nothing of the API: the front mounts it
//! beside the API router.

use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::reply::json_reply;

const INDEX_TYPE: &str = "application/vnd.oci.image.index.v1+json";
const MANIFEST_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
const CONFIG_TYPE: &str = "application/vnd.oci.image.config.v1+json";

/// One stored document: its bytes, media type and digest.
struct Doc {
    bytes: Vec<u8>,
    media_type: &'static str,
    digest: String,
}

fn doc(value: &Value, media_type: &'static str) -> Doc {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    let digest = format!(
        "sha256:{}",
        Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    Doc {
        bytes,
        media_type,
        digest,
    }
}

struct Image {
    repo: &'static str,
    tags: &'static [&'static str],
    /// The manifest a tag resolves to (an index for multi-platform images).
    top: Doc,
    /// Per-platform manifests and config blobs.
    docs: Vec<Doc>,
}

fn config(arch: &str, env: &[&str], workdir: &str, entrypoint: Value, cmd: Value) -> Value {
    json!({
        "architecture": arch,
        "os": "linux",
        "config": {"Env": env, "WorkingDir": workdir, "Entrypoint": entrypoint, "Cmd": cmd},
        "rootfs": {"type": "layers", "diff_ids": []},
    })
}

fn manifest(config: &Doc) -> Doc {
    doc(
        &json!({
            "schemaVersion": 2,
            "mediaType": MANIFEST_TYPE,
            "config": {"mediaType": CONFIG_TYPE, "digest": config.digest, "size": config.bytes.len()},
            "layers": [],
        }),
        MANIFEST_TYPE,
    )
}

fn single(repo: &'static str, tags: &'static [&'static str], cfg: Value) -> Image {
    let c = doc(&cfg, CONFIG_TYPE);
    let m = manifest(&c);
    Image {
        repo,
        tags,
        top: m,
        docs: vec![c],
    }
}

fn images() -> &'static [Image] {
    static IMAGES: OnceLock<Vec<Image>> = OnceLock::new();
    IMAGES.get_or_init(|| {
        let python_env = [
            "PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG=C.UTF-8",
            "PYTHON_VERSION=3.12.7",
        ];
        let amd = doc(
            &config("amd64", &python_env, "", Value::Null, json!(["python3"])),
            CONFIG_TYPE,
        );
        let arm = doc(
            &config("arm64", &python_env, "", Value::Null, json!(["python3"])),
            CONFIG_TYPE,
        );
        let amd_m = manifest(&amd);
        let arm_m = manifest(&arm);
        let entry = |m: &Doc, arch: &str| {
            json!({"mediaType": MANIFEST_TYPE, "digest": m.digest, "size": m.bytes.len(),
                   "platform": {"architecture": arch, "os": "linux"}})
        };
        let index = doc(
            &json!({"schemaVersion": 2, "mediaType": INDEX_TYPE,
                    "manifests": [entry(&arm_m, "arm64"), entry(&amd_m, "amd64")]}),
            INDEX_TYPE,
        );
        vec![
            Image {
                repo: "library/python",
                tags: &["3.12", "3", "latest"],
                top: index,
                docs: vec![amd, arm, amd_m, arm_m],
            },
            single(
                "library/ubuntu",
                &["22.04", "24.04", "latest"],
                config(
                    "amd64",
                    &["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                    "",
                    Value::Null,
                    json!(["/bin/bash"]),
                ),
            ),
            single(
                "library/node",
                &["lts", "22", "latest"],
                config(
                    "amd64",
                    &[
                        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                        "NODE_VERSION=22.11.0",
                        "YARN_VERSION=1.22.22",
                    ],
                    "/usr/src/app",
                    json!(["docker-entrypoint.sh"]),
                    json!(["node"]),
                ),
            ),
            single(
                "library/debian",
                &["stable", "bookworm", "latest"],
                config(
                    "amd64",
                    &["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                    "",
                    Value::Null,
                    json!(["bash"]),
                ),
            ),
        ]
    })
}

fn send(d: &Doc) -> Response<Body> {
    let mut r = Response::new(Body::from(d.bytes.clone()));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(d.media_type));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(d.bytes.len()));
    if let Ok(v) = HeaderValue::from_str(&d.digest) {
        h.insert("docker-content-digest", v);
    }
    r
}

fn unknown(what: &str) -> Response<Body> {
    json_reply(
        StatusCode::NOT_FOUND,
        &json!({"errors": [{"code": "MANIFEST_UNKNOWN", "message": format!("{what} unknown to the emulator's registry")}]}),
    )
}

async fn token(RawQuery(q): RawQuery) -> Response<Body> {
    let scope = form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "scope")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    json_reply(
        StatusCode::OK,
        &json!({"token": format!("emulator-token:{scope}"), "expires_in": 300}),
    )
}

async fn v2(Path(rest): Path<String>) -> Response<Body> {
    let (repo, kind, reference) = if let Some((repo, r)) = rest.rsplit_once("/manifests/") {
        (repo, "manifests", r)
    } else if let Some((repo, d)) = rest.rsplit_once("/blobs/") {
        (repo, "blobs", d)
    } else {
        return unknown("path");
    };
    let Some(image) = images().iter().find(|i| i.repo == repo) else {
        return unknown(&format!("repository '{repo}'"));
    };
    if kind == "manifests" && image.tags.contains(&reference) {
        return send(&image.top);
    }
    let found = std::iter::once(&image.top)
        .chain(image.docs.iter())
        .find(|d| d.digest == reference && ((kind == "blobs") == (d.media_type == CONFIG_TYPE)));
    match found {
        Some(d) => send(d),
        None => unknown(&format!("{repo} {kind} '{reference}'")),
    }
}

async fn not_served() -> Response<Body> {
    unknown("path")
}

async fn read_only() -> Response<Body> {
    json_reply(
        StatusCode::METHOD_NOT_ALLOWED,
        &json!({"errors": [{"code": "UNSUPPORTED", "message": "the emulator's registry is read-only"}]}),
    )
}

/// The registry's routes; anything else under `/registry` is answered in the
/// registry's error format (404, or 405 for a write), never as an API reply.
pub fn router() -> Router {
    Router::new()
        .route("/registry/token", get(token))
        .route("/registry/v2/{*rest}", get(v2))
        .fallback(not_served)
        .method_not_allowed_fallback(read_only)
}
