//! CORS preflight and headers, static files at `/` and the package at `/pkg/`.

use crate::support::*;
use novita_emulator::Config;

#[test]
fn preflight_allows_every_sdk_header_without_a_key() {
    let emu = Emu::start();
    let raw = emu.raw(
        &format!(
            "OPTIONS /templates/x/builds/y/status HTTP/1.1\r\nHost: {}\r\nOrigin: http://example.test\r\nAccess-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: x-api-key, lang_version\r\nConnection: close\r\n\r\n",
            emu.addr()
        ),
        b"",
    );
    assert!(raw.starts_with("HTTP/1.1 204"), "{raw}");
    let lower = raw.to_ascii_lowercase();
    assert!(lower.contains("access-control-allow-origin: http://example.test"));
    assert!(lower.contains("access-control-allow-methods: get, post, put, delete, options"));
    for h in [
        "content-type",
        "x-api-key",
        "authorization",
        "browser",
        "lang",
        "lang_version",
        "package_version",
        "publisher",
        "sdk_runtime",
        "system",
        "x-novita-sdk-name",
        "x-novita-sdk-version",
        "user-agent",
    ] {
        let line = lower
            .lines()
            .find(|l| l.starts_with("access-control-allow-headers:"))
            .unwrap();
        assert!(line.contains(h), "{h} not allowed: {line}");
    }
}

#[test]
fn every_reply_carries_cors_headers() {
    let emu = Emu::start();
    for r in [
        emu.get("/v2/templates"),
        emu.try_get("/v2/templates", None).unwrap(),
        emu.get("/nothing"),
    ] {
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert_eq!(
            r.header("access-control-expose-headers"),
            Some("retry-after, docker-content-digest")
        );
    }
}

#[test]
fn static_files_and_the_package_mount() {
    let site = temp_dir("site");
    std::fs::write(site.join("index.html"), "<h1>demo</h1>").unwrap();
    let pkg = temp_dir("pkg");
    std::fs::write(pkg.join("index.js"), "export {}").unwrap();
    std::fs::write(pkg.join("core_bg.wasm"), b"\0asm").unwrap();
    let data = temp_dir("static-data");
    let emu = Emu::with_config(Config {
        serve: Some(site.clone()),
        serve_pkg: Some(pkg.clone()),
        ..config(&data)
    });
    let index = emu.try_get("/", None).unwrap();
    assert_eq!(index.status, 200);
    assert_eq!(index.text, "<h1>demo</h1>");
    assert!(index
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let js = emu.try_get("/pkg/index.js", None).unwrap();
    assert_eq!(js.text, "export {}");
    assert!(js
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    let wasm = emu.try_get("/pkg/core_bg.wasm", None).unwrap();
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    let raw = emu.raw(
        &format!(
            "GET /pkg/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            emu.addr()
        ),
        b"",
    );
    assert!(raw.starts_with("HTTP/1.1 404"), "{raw}");
    emu.try_get("/missing.html", None)
        .unwrap()
        .assert_error(404, "no such endpoint");
    drop(emu);
    for d in [site, pkg, data] {
        let _ = std::fs::remove_dir_all(d);
    }
}
