//! Test support: an emulator on 127.0.0.1:0 in a temporary data directory, and a
//! small blocking HTTP client around ureq that never turns statuses into errors.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use novita_emulator::{BackgroundServer, Config};
use serde_json::Value;

pub const KEY: &str = "nvk_test_key";

/// A fresh, empty directory under the system temp dir.
pub fn temp_dir(label: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "emu-test-{label}-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn config(data_dir: &std::path::Path) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        api_keys: vec![KEY.to_string()],
        data_dir: Some(data_dir.to_path_buf()),
        step_ms: 5,
        ..Config::default()
    }
}

pub struct Emu {
    pub server: Option<BackgroundServer>,
    pub url: String,
    pub data_dir: PathBuf,
    owns_dir: bool,
    agent: ureq::Agent,
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// Asserts an error reply: the status, `{code, message}`, and a message part.
    pub fn assert_error(&self, status: u16, message_part: &str) {
        assert_eq!(self.status, status, "body: {}", self.text);
        let v = self.json();
        assert_eq!(v["code"], status, "body: {}", self.text);
        let m = v["message"].as_str().unwrap_or("");
        assert!(
            m.contains(message_part),
            "message {m:?} lacks {message_part:?}"
        );
    }
}

impl Emu {
    pub fn start() -> Emu {
        let dir = temp_dir("data");
        let mut e = Emu::with_config(config(&dir));
        e.owns_dir = true;
        e
    }

    pub fn with_config(config: Config) -> Emu {
        let data_dir = config.data_dir.clone().expect("tests use a data dir");
        let server = BackgroundServer::start(config).expect("emulator starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(20)))
            .build()
            .into();
        Emu {
            url: server.url.clone(),
            server: Some(server),
            data_dir,
            owns_dir: false,
            agent,
        }
    }

    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }

    /// Stops the server but keeps the data directory.
    pub fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            s.stop();
        }
    }

    fn finish(
        &self,
        r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Reply, ureq::Error> {
        let mut r = r?;
        let headers = r
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let status = r.status().as_u16();
        let text = r.body_mut().read_to_string().unwrap_or_default();
        Ok(Reply {
            status,
            headers,
            text,
        })
    }

    pub fn try_get(&self, path: &str, key: Option<&str>) -> Result<Reply, ureq::Error> {
        let mut req = self.agent.get(format!("{}{path}", self.url));
        if let Some(k) = key {
            req = req.header("X-API-KEY", k);
        }
        self.finish(req.call())
    }

    pub fn get(&self, path: &str) -> Reply {
        self.try_get(path, Some(KEY)).expect("GET answered")
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.get(format!("{}{path}", self.url));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.finish(req.call()).expect("GET answered")
    }

    pub fn send(&self, method: &str, path: &str, body: &str) -> Reply {
        self.try_send(method, path, body).expect("request answered")
    }

    pub fn try_send(&self, method: &str, path: &str, body: &str) -> Result<Reply, ureq::Error> {
        let url = format!("{}{path}", self.url);
        let r = match method {
            "POST" => self
                .agent
                .post(url)
                .header("X-API-KEY", KEY)
                .content_type("application/json")
                .send(body),
            "DELETE" if body.is_empty() => self.agent.delete(url).header("X-API-KEY", KEY).call(),
            "DELETE" => self
                .agent
                .delete(url)
                .header("X-API-KEY", KEY)
                .header("Content-Type", "application/json")
                .force_send_body()
                .send(body),
            "PUT" => self.agent.put(url).header("X-API-KEY", KEY).send(body),
            m => panic!("unsupported {m}"),
        };
        self.finish(r)
    }

    pub fn put_bytes(&self, url: &str, bytes: &[u8]) -> Reply {
        self.finish(self.agent.put(url).send(bytes))
            .expect("PUT answered")
    }

    /// Sends raw bytes over TCP and returns the raw reply (for framing tests).
    pub fn raw(&self, request: &str, body: &[u8]) -> String {
        self.raw_then(request, body, false)
    }

    /// Like [`Emu::raw`]; with `hang_up`, the client closes its sending side after
    /// the bytes, as a client that gives up mid-body does.
    pub fn raw_then(&self, request: &str, body: &[u8], hang_up: bool) -> String {
        let mut s = TcpStream::connect(self.addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        // Write errors are expected when the server answers early and closes.
        let _ = s.write_all(request.as_bytes());
        let _ = s.write_all(body);
        if hang_up {
            let _ = s.shutdown(std::net::Shutdown::Write);
        }
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    // ---- API conveniences -------------------------------------------------

    /// `POST /v3/templates`; returns (templateID, buildID).
    pub fn request_build(&self, name: &str) -> (String, String) {
        let r = self.send(
            "POST",
            "/v3/templates",
            &format!(r#"{{"name":"{name}","cpuCount":2,"memoryMB":1024}}"#),
        );
        assert_eq!(r.status, 202, "{}", r.text);
        let v = r.json();
        (
            v["templateID"].as_str().unwrap().to_string(),
            v["buildID"].as_str().unwrap().to_string(),
        )
    }

    pub fn trigger(&self, t: &str, b: &str, body: &str) -> Reply {
        self.send("POST", &format!("/v2/templates/{t}/builds/{b}"), body)
    }

    pub fn status(&self, t: &str, b: &str, offset: usize) -> Value {
        let r = self.get(&format!(
            "/templates/{t}/builds/{b}/status?logsOffset={offset}"
        ));
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    }

    /// Every log entry of a build, read page by page from offset 0.
    pub fn all_entries(&self, t: &str, b: &str) -> Vec<Value> {
        let mut all: Vec<Value> = Vec::new();
        loop {
            let page = self.status(t, b, all.len())["logEntries"]
                .as_array()
                .unwrap()
                .clone();
            if page.is_empty() {
                return all;
            }
            all.extend(page);
        }
    }

    /// Polls until the build leaves waiting/building; returns the last status and
    /// every log message.
    pub fn wait(&self, t: &str, b: &str) -> (Value, Vec<String>) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut messages = Vec::new();
        loop {
            let s = self.status(t, b, messages.len());
            for e in s["logEntries"].as_array().unwrap() {
                messages.push(e["message"].as_str().unwrap().to_string());
            }
            let st = s["status"].as_str().unwrap().to_string();
            if st != "building" && st != "waiting" {
                // drain what is left
                loop {
                    let more = self.status(t, b, messages.len());
                    let entries = more["logEntries"].as_array().unwrap();
                    if entries.is_empty() {
                        break;
                    }
                    for e in entries {
                        messages.push(e["message"].as_str().unwrap().to_string());
                    }
                }
                return (s, messages);
            }
            assert!(Instant::now() < deadline, "build {b} did not finish");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Requests, triggers and waits for a build of `name` with the given trigger body.
    pub fn build(&self, name: &str, body: &str) -> (String, String, Value, Vec<String>) {
        let (t, b) = self.request_build(name);
        let r = self.trigger(&t, &b, body);
        assert_eq!(r.status, 202, "{}", r.text);
        let (s, m) = self.wait(&t, &b);
        (t, b, s, m)
    }

    /// Gets an upload link for `hash` and PUTs `bytes` to it.
    pub fn upload(&self, template_id: &str, hash: &str, bytes: &[u8]) -> Reply {
        let link = self.get(&format!("/templates/{template_id}/files/{hash}"));
        assert_eq!(link.status, 201, "{}", link.text);
        let url = link.json()["url"].as_str().unwrap().to_string();
        self.put_bytes(&url, bytes)
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        self.stop();
        if self.owns_dir {
            let _ = std::fs::remove_dir_all(&self.data_dir);
        }
    }
}

/// A one-file gzip tar archive (ustar), made by hand.
pub fn tar_gz(name: &str, content: &[u8]) -> Vec<u8> {
    use flate2::write::GzEncoder;
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..107].copy_from_slice(b"0000644");
    h[108..115].copy_from_slice(b"0000000");
    h[116..123].copy_from_slice(b"0000000");
    h[124..135].copy_from_slice(format!("{:011o}", content.len()).as_bytes());
    h[136..147].copy_from_slice(b"00000000000");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    let sum: u32 = h.iter().map(|b| *b as u32).sum::<u32>() + 8 * b' ' as u32;
    h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    h[155] = b' ';
    let mut tar = h.to_vec();
    tar.extend_from_slice(content);
    tar.resize(tar.len().div_ceil(512) * 512, 0);
    tar.extend_from_slice(&[0u8; 1024]);
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).unwrap();
    gz.finish().unwrap()
}

pub fn run_body(cmds: &[&str]) -> String {
    let steps: Vec<Value> = cmds
        .iter()
        .map(|c| serde_json::json!({"type": "RUN", "args": [c], "force": false}))
        .collect();
    serde_json::json!({"steps": steps, "force": false, "fromTemplate": "base"}).to_string()
}

pub fn hash_of(n: u8) -> String {
    format!("{:02x}", n).repeat(32)
}

/// Milliseconds since the epoch of an RFC 3339 UTC timestamp in the API's form
/// (`2026-01-01T00:00:01.234Z`); panics on any other form.
pub fn timestamp_ms(ts: &str) -> i64 {
    let b = ts.as_bytes();
    assert!(
        ts.len() == 24 && b[4] == b'-' && b[10] == b'T' && b[19] == b'.' && ts.ends_with('Z'),
        "not an RFC 3339 UTC timestamp with milliseconds: {ts}"
    );
    let n = |r: std::ops::Range<usize>| ts[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    ((days * 24 + n(11..13)) * 60 + n(14..16)) * 60_000 + n(17..19) * 1000 + n(20..23)
}
