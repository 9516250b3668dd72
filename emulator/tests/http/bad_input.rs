//! Bad input of every class gets the right 4xx with a `{code, message}` body that
//! says what is wrong, and changes nothing.

use crate::support::*;

fn total(emu: &Emu) -> u64 {
    emu.get("/v2/templates?limit=100").json()["total"]
        .as_u64()
        .unwrap()
}

#[test]
fn malformed_or_invalid_build_requests() {
    let emu = Emu::start();
    let post = |body: &str| emu.send("POST", "/v3/templates", body);
    post("{").assert_error(400, "malformed JSON");
    post("[1]").assert_error(400, "must be an object");
    post("").assert_error(400, "JSON body");
    post(r#"{"cpuCount":2}"#).assert_error(400, "'name' is required");
    post(r#"{"name":5}"#).assert_error(400, "'name' must be a string");
    post(r#"{"name":"_lead"}"#).assert_error(400, "must start with a letter or a digit");
    post(r#"{"name":"bad/name"}"#).assert_error(400, "'/' is not allowed");
    post(r#"{"name":"ok:bad tag"}"#).assert_error(400, "tag 'bad tag' is invalid");
    post(r#"{"name":"ok","tags":["-x"]}"#).assert_error(400, "tag '-x' is invalid");
    post(r#"{"name":"ok","tags":"v1"}"#).assert_error(400, "array of strings");
    post(r#"{"name":"ok","cpuCount":"2"}"#).assert_error(400, "'cpuCount' must be an integer");
    let long = format!(r#"{{"name":"{}"}}"#, "a".repeat(200));
    post(&long).assert_error(400, "too long");
    assert_eq!(total(&emu), 0, "no template was created");
}

#[test]
fn oversized_bodies_are_refused() {
    let emu = Emu::start();
    let big = format!(
        r#"{{"name":"big","pad":"{}"}}"#,
        "x".repeat(1024 * 1024 + 10)
    );
    // The server may answer 413 from the Content-Length alone and close before the
    // body is sent, so write raw and read whatever reply came.
    let raw = emu.raw(
        &format!(
            "POST /v3/templates HTTP/1.1\r\nHost: {}\r\nX-API-KEY: {KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            emu.addr(),
            big.len()
        ),
        big.as_bytes(),
    );
    assert!(
        raw.starts_with("HTTP/1.1 413"),
        "{}",
        &raw[..raw.len().min(300)]
    );
    assert!(raw.contains(r#""code":413"#) && raw.contains("larger than the limit"));
    // without a Content-Length (chunked), the cap applies while reading
    let chunked = emu.raw(
        &format!(
            "POST /v3/templates HTTP/1.1\r\nHost: {}\r\nX-API-KEY: {KEY}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n",
            emu.addr(),
            big.len()
        ),
        format!("{big}\r\n0\r\n\r\n").as_bytes(),
    );
    assert!(
        chunked.starts_with("HTTP/1.1 413"),
        "{}",
        &chunked[..chunked.len().min(300)]
    );
    assert_eq!(total(&emu), 0);
}

#[test]
fn malformed_trigger_bodies() {
    let emu = Emu::start();
    let (t, b) = emu.request_build("trig");
    let trig = |body: &str| emu.trigger(&t, &b, body);
    trig("{nope").assert_error(400, "malformed JSON");
    trig(r#"{"steps":[{"type":"ADD","args":["a","b"]}],"fromImage":"x"}"#)
        .assert_error(400, "unknown step type 'ADD'");
    trig(r#"{"steps":[{"type":"RUN","args":[]}],"fromImage":"x"}"#)
        .assert_error(400, "RUN takes 1 or 2 arguments");
    trig(r#"{"steps":[{"type":"ENV","args":["A"]}],"fromImage":"x"}"#)
        .assert_error(400, "ENV takes an even number");
    trig(r#"{"steps":[{"type":"USER","args":["a","b"]}],"fromImage":"x"}"#)
        .assert_error(400, "USER takes 1 argument, got 2");
    trig(r#"{"steps":[{"type":"COPY","args":["a","b","",""],"filesHash":"../../etc"}],"fromImage":"x"}"#)
        .assert_error(400, "64 lowercase hexadecimal");
    trig(r#"{"steps":[{"type":"RUN","args":[1]}],"fromImage":"x"}"#)
        .assert_error(400, "must be a string");
    trig(r#"{"steps":[],"fromImage":"x","fromTemplate":"y"}"#).assert_error(400, "not both");
    trig(r#"{"steps":[]}"#).assert_error(400, "needs a base");
    trig(r#"{"steps":[],"fromImage":"x","fromImageRegistry":{"type":"ftp"}}"#)
        .assert_error(400, "unknown registry type");
    // nothing started
    assert_eq!(emu.status(&t, &b, 0)["status"], "waiting");
    // a good trigger works once; a second one conflicts
    assert_eq!(trig(&run_body(&["true"])).status, 202);
    trig(&run_body(&["true"]))
        .assert_error(409, &format!("build '{b}' was already triggered (status "));
}

#[test]
fn unknown_ids_and_path_traversal() {
    let emu = Emu::start();
    let (t, b) = emu.request_build("ids");
    emu.trigger(
        &t,
        "00000000-0000-4000-8000-000000000000",
        &run_body(&["x"]),
    )
    .assert_error(404, "not found");
    emu.trigger("nosuchtemplate", &b, &run_body(&["x"]))
        .assert_error(404, "not found");
    emu.get(&format!("/templates/{t}/builds/nope/status"))
        .assert_error(404, "not found");
    emu.get(&format!("/templates/{t}/builds/{b}/status?logsOffset=-1"))
        .assert_error(400, "logsOffset");
    emu.get(&format!("/templates/{t}/builds/{b}/status?level=loud"))
        .assert_error(400, "level 'loud'");
    emu.get("/templates/nosuch").assert_error(404, "not found");
    emu.get("/templates/nosuch/tags")
        .assert_error(404, "not found");
    emu.get(&format!("/templates/{t}/files/{}", "A".repeat(64)))
        .assert_error(400, "lowercase hexadecimal");
    emu.get(&format!("/templates/{t}/files/..%2F..%2Fetc%2Fpasswd"))
        .assert_error(400, "invalid files hash");
    emu.get(&format!("/templates/nosuch/files/{}", hash_of(1)))
        .assert_error(404, "not found");
    emu.get("/templates/a%2F..%2Fb")
        .assert_error(400, "invalid template id");
    emu.send("DELETE", "/sandboxes/a%20b", "")
        .assert_error(400, "invalid sandbox id");
    emu.get("/v2/templates?limit=101")
        .assert_error(400, "limit '101'");
    emu.get("/v2/templates?page=0")
        .assert_error(400, "page '0'");
    emu.get("/v2/templates?template_type=other")
        .assert_error(400, "template_type");
    let wrong = emu.send("PUT", "/v3/templates", "");
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.json()["code"], 405);
}

#[test]
fn tag_requests_with_bad_input() {
    let emu = Emu::start();
    emu.build("tg", &run_body(&["true"]));
    let post = |b: &str| emu.send("POST", "/templates/tags", b);
    post(r#"{"target":"tg:default"}"#).assert_error(400, "'tags' is required");
    post(r#"{"target":"tg:default","tags":[]}"#).assert_error(400, "at least one tag");
    post(r#"{"target":"tg:default","tags":["bad tag"]}"#)
        .assert_error(400, "tag 'bad tag' is invalid");
    post(r#"{"target":"tg:nope","tags":["x"]}"#).assert_error(404, "no build tagged 'nope'");
    post(r#"{"target":"zz:default","tags":["x"]}"#).assert_error(404, "template 'zz' not found");
    let del = |b: &str| emu.send("DELETE", "/templates/tags", b);
    del(r#"{"name":"tg","tags":["default","missing"]}"#).assert_error(404, "no tag 'missing'");
    // all or nothing: `default` is still there
    assert_eq!(
        emu.get("/templates/tg/tags")
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    del("not json").assert_error(400, "malformed JSON");
    emu.get("/templates/aliases/name%3Awith%20tag%2Fslash")
        .assert_error(400, "invalid");
}

#[test]
fn upload_framing_and_content_checks() {
    let emu = Emu::start();
    let (t, _) = emu.request_build("up");
    let hash = hash_of(0x42);
    let url = emu.get(&format!("/templates/{t}/files/{hash}")).json()["url"]
        .as_str()
        .unwrap()
        .to_string();
    let path = url.split_once(&emu.addr()).unwrap().1.to_string();

    // not a gzip tar
    emu.put_bytes(&url, b"plain text")
        .assert_error(400, "not a gzip-compressed tar");
    // a gzip of something that is not tar
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &[9u8; 1024]).unwrap();
    emu.put_bytes(&url, &gz.finish().unwrap())
        .assert_error(400, "checksum");
    // wrong token
    let forged = url.replace("token=", "token=0");
    emu.put_bytes(&forged, &tar_gz("a", b"1"))
        .assert_error(403, "upload token");
    // no Content-Length
    let raw = emu.raw(
        &format!(
            "PUT {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            emu.addr()
        ),
        b"",
    );
    assert!(raw.starts_with("HTTP/1.1 411"), "{raw}");
    // chunked
    let body = tar_gz("a", b"1");
    let chunked = format!("{:x}\r\n", body.len());
    let mut bytes = chunked.into_bytes();
    bytes.extend_from_slice(&body);
    bytes.extend_from_slice(b"\r\n0\r\n\r\n");
    let raw = emu.raw(
        &format!(
            "PUT {path} HTTP/1.1\r\nHost: {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            emu.addr()
        ),
        &bytes,
    );
    assert!(
        raw.starts_with("HTTP/1.1 411") && raw.contains("chunked"),
        "{raw}"
    );
    // body shorter than Content-Length (the client hangs up mid-body)
    let raw = emu.raw_then(
        &format!(
            "PUT {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: 100\r\nConnection: close\r\n\r\n",
            emu.addr()
        ),
        b"short",
        true,
    );
    assert!(raw.is_empty() || raw.starts_with("HTTP/1.1 400"), "{raw}");
    // still not present, and no stray files
    assert_eq!(
        emu.get(&format!("/templates/{t}/files/{hash}")).json()["present"],
        false
    );
    // the partial file goes away once the server has seen the hang-up
    let uploads = emu.data_dir.join("uploads");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::fs::read_dir(&uploads).unwrap().count() > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "a partial upload was left behind"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // too large for a small cap
    let dir = temp_dir("cap");
    let small = Emu::with_config(novita_emulator::Config {
        max_upload_bytes: 10,
        ..config(&dir)
    });
    let (t, _) = small.request_build("up");
    small
        .upload(&t, &hash, &tar_gz("a", b"1"))
        .assert_error(413, "larger than the limit");
    drop(small);
    let _ = std::fs::remove_dir_all(dir);
}
