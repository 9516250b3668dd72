//! Shared test support: fixture loading (with header order preserved), a
//! sequential driver for `BuildSession` on a virtual clock, and an emulation
//! of the fixture generator's fake server for fixture 10.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use novita_template_flow::connection::{ConnectionConfig, ConnectionOptions, HostKind, Secret};
use novita_template_flow::http::reason_phrase;
use novita_template_flow::progress::BuildProgress;
use novita_template_flow::session::{Action, BuildConfig, BuildInfo, BuildSession, CopyUpload};
use novita_template_flow::{HttpRequest, HttpResponse, LogEntry, SdkError, TransportError};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

pub const API_KEY: &str = "nvk_test_0123456789";
/// Headers Node's fetch adds by itself, which our requests leave to the host.
pub const HOST_ADDED_HEADERS: [&str; 7] = [
    "host",
    "connection",
    "accept",
    "accept-language",
    "sec-fetch-mode",
    "accept-encoding",
    "content-length",
];

/// The repository's recorded fixtures, `tests/fixtures/`, unless
/// `NOVITA_FIXTURES_DIR` names another recording to check against.
pub fn fixtures_dir() -> PathBuf {
    std::env::var_os("NOVITA_FIXTURES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures"))
}

pub fn read_fixture(name: &str) -> String {
    let path = fixtures_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A JSON object's string entries in document order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderedHeaders(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for OrderedHeaders {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OrderedHeaders;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a header object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    out.push((k, v));
                }
                Ok(OrderedHeaders(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct FixtureRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: OrderedHeaders,
    #[serde(rename = "bodyText")]
    pub body_text: Option<String>,
    pub reply: Option<Value>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct FixtureLog {
    pub class: String,
    pub level: String,
    pub message: String,
    pub timestamp: String,
    #[serde(rename = "toString")]
    pub to_string: String,
}

/// The build part of fixtures 01–06.
#[derive(Clone, Debug, Deserialize)]
pub struct FixtureBuild {
    pub name: String,
    pub requests: Vec<FixtureRequest>,
    #[serde(rename = "onBuildLogs")]
    pub on_build_logs: Vec<FixtureLog>,
    pub result: Option<Value>,
}

/// Converts a recorded fake-server reply into a response.
pub fn reply_to_response(reply: &Value) -> HttpResponse {
    let status = reply["status"].as_u64().unwrap_or(200) as u16;
    let mut headers = Vec::new();
    let body = match reply.get("body") {
        None => Vec::new(),
        Some(Value::String(s)) => s.as_bytes().to_vec(),
        Some(v) => {
            headers.push(("content-type".to_string(), "application/json".to_string()));
            serde_json::to_vec(v).unwrap()
        }
    };
    if let Some(Value::Object(h)) = reply.get("headers") {
        for (k, v) in h {
            headers.push((k.to_ascii_lowercase(), v.as_str().unwrap_or("").to_string()));
        }
    }
    headers.push(("content-length".to_string(), body.len().to_string()));
    HttpResponse {
        status,
        status_text: reason_phrase(status).to_string(),
        headers,
        body,
    }
}

pub fn node_host() -> HostKind {
    HostKind::Node {
        version: "20.20.2".into(),
        os: "Linux".into(),
    }
}

pub fn test_connection(domain: Option<&str>) -> ConnectionConfig {
    let options = ConnectionOptions {
        api_key: Some(Secret(API_KEY.into())),
        api_url: Some("http://127.0.0.1:PORT".replace("PORT", "45678")),
        domain: domain.map(str::to_string),
        ..Default::default()
    };
    ConnectionConfig::resolve(&options, &[], node_host()).expect("test connection resolves")
}

pub fn path_and_query(req: &HttpRequest) -> (String, String) {
    let pq = req.path_and_query();
    match pq.find('?') {
        Some(i) => (pq[..i].to_string(), pq[i..].to_string()),
        None => (pq.to_string(), String::new()),
    }
}

/// Our headers as Node would record them (lower-case names).
pub fn lower_headers(req: &HttpRequest) -> Vec<(String, String)> {
    req.headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect()
}

/// The fixture's headers without the ones Node's fetch adds.
pub fn sdk_headers(fixture: &FixtureRequest) -> Vec<(String, String)> {
    fixture
        .headers
        .0
        .iter()
        .filter(|(k, _)| !HOST_ADDED_HEADERS.contains(&k.as_str()))
        .cloned()
        .collect()
}

/// Asserts our request equals a recorded one: method, path, query, headers, body bytes.
pub fn assert_same_request(ours: &HttpRequest, fixture: &FixtureRequest, what: &str) {
    let (path, query) = path_and_query(ours);
    assert_eq!(ours.method.as_str(), fixture.method, "{what}: method");
    assert_eq!(path, fixture.path, "{what}: path");
    assert_eq!(query, fixture.query, "{what}: query");
    assert_eq!(lower_headers(ours), sdk_headers(fixture), "{what}: headers");
    assert_eq!(
        ours.body.as_deref(),
        fixture.body_text.as_deref(),
        "{what}: body bytes"
    );
}

/// What a driven session did.
#[derive(Debug, Default)]
pub struct Trace {
    /// `"METHOD /path?query"` of every request and upload, in order.
    pub sequence: Vec<String>,
    pub requests: Vec<HttpRequest>,
    pub uploads: Vec<(usize, String)>,
    pub logs: Vec<LogEntry>,
    pub progress: Vec<BuildProgress>,
    /// The driver's clock when each entry of `logs` was delivered.
    pub delivered_ms: Vec<f64>,
    pub sleeps: Vec<u64>,
    pub prepared: usize,
    pub result: Option<Result<BuildInfo, SdkError>>,
    pub end_ms: f64,
}

impl Trace {
    /// `"METHOD /path?query"` lines, as fixture 10 lists requests.
    pub fn request_lines(&self) -> Vec<String> {
        self.requests
            .iter()
            .map(|r| format!("{} {}", r.method.as_str(), r.path_and_query()))
            .collect()
    }

    /// `"Class level message"` lines, as fixture 10 lists logs.
    pub fn log_lines(&self) -> Vec<String> {
        self.logs
            .iter()
            .map(|l| format!("{} {} {}", l.kind.class_name(), l.level, l.message))
            .collect()
    }
}

/// How the host behaves at `PrepareSteps`.
pub enum Prepare {
    /// Supply this trigger body and COPY list (and optionally host log entries first).
    Steps {
        body: String,
        copies: Vec<CopyUpload>,
        host_logs: Vec<LogEntry>,
    },
    /// Fail like the host would (e.g. `No files found`).
    Fail(SdkError),
}

/// Drives `session` sequentially on a virtual clock starting at `start_ms`.
/// `respond` answers API requests; `upload` answers upload PUTs.
pub fn drive(
    mut session: BuildSession,
    start_ms: f64,
    prepare: Prepare,
    mut respond: impl FnMut(&HttpRequest, f64) -> Result<HttpResponse, TransportError>,
    mut upload: impl FnMut(usize, &str) -> Result<HttpResponse, TransportError>,
) -> Trace {
    let mut trace = Trace::default();
    let mut now = start_ms;
    let mut prepare = Some(prepare);
    for _ in 0..100_000 {
        match session.next_action(now) {
            Action::Send { id, request } => {
                trace.sequence.push(format!(
                    "{} {}",
                    request.method.as_str(),
                    request.path_and_query()
                ));
                trace.requests.push(request.clone());
                let reply = respond(&request, now);
                now += 1.0;
                session.on_response(id, reply, now);
            }
            Action::PrepareSteps { .. } => {
                trace.prepared += 1;
                match prepare.take() {
                    Some(Prepare::Steps {
                        body,
                        copies,
                        host_logs,
                    }) => {
                        for entry in host_logs {
                            session.push_log(entry);
                        }
                        session.steps_ready(body, copies, now);
                    }
                    Some(Prepare::Fail(e)) => session.fail(e, now),
                    None => panic!("PrepareSteps asked twice"),
                }
            }
            Action::Upload {
                copy_index, url, ..
            } => {
                let path = url
                    .find("://")
                    .and_then(|i| url[i + 3..].find('/').map(|j| &url[i + 3 + j..]))
                    .unwrap_or("/");
                trace.sequence.push(format!("PUT {path}"));
                trace.uploads.push((copy_index, url.clone()));
                let reply = upload(copy_index, &url);
                now += 1.0;
                session.upload_done(copy_index, reply, now);
            }
            Action::Progress(p) => trace.progress.push(p),
            Action::Sleep { ms } => {
                trace.sleeps.push(ms);
                now += ms as f64;
            }
            Action::Wait => panic!("a sequential driver never has requests in flight"),
            Action::Log(entry) => {
                trace.logs.push(entry);
                trace.delivered_ms.push(now);
            }
            Action::Done(info) => {
                trace.result = Some(Ok(info));
                break;
            }
            Action::Failed(e) => {
                trace.result = Some(Err(e));
                break;
            }
        }
    }
    trace.end_ms = now;
    trace
}

pub fn ok_json(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        status_text: reason_phrase(status).to_string(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    })
}

pub fn bodiless(status: u16) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        status_text: reason_phrase(status).to_string(),
        headers: vec![("content-length".into(), "0".into())],
        body: Vec::new(),
    })
}

/// An emulation of the recording fake server (tests/fixtures/README.md,
/// "Re-recording"), used to replay fixture 10's scenarios. Deviation: status polls beyond the
/// scripted ones (our drain) get the last scripted status with no entries, as
/// a server honouring `logsOffset` would answer.
pub struct FakeServer {
    pub scenario: Vec<(String, Value)>,
    pub status_script: Vec<Value>,
    pub status_calls: usize,
    pub seq: usize,
}

pub fn default_status_script() -> Vec<Value> {
    serde_json::from_str(
        r#"[
        {"status":"building","logEntries":[
            {"timestamp":"2026-01-01T00:00:01.000Z","level":"info","message":"Building template tpl"},
            {"timestamp":"2026-01-01T00:00:02.000Z","level":"debug","message":"\u001b[32m[base]\u001b[0m pulling image"}]},
        {"status":"waiting","logEntries":[]},
        {"status":"ready","logEntries":[
            {"timestamp":"2026-01-01T00:00:03.000Z","level":"info","message":"Build finished"}]}
    ]"#,
    )
    .unwrap()
}

impl FakeServer {
    pub fn new(scenario: &Value, status_script: Option<&Value>) -> Self {
        let scenario = scenario
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let status_script = status_script
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_else(default_status_script);
        FakeServer {
            scenario,
            status_script,
            status_calls: 0,
            seq: 0,
        }
    }

    fn scenario_for(&self, key: &str) -> Option<HttpResponse> {
        self.scenario
            .iter()
            .find(|(k, _)| key.starts_with(k.as_str()))
            .map(|(_, v)| reply_to_response(v))
    }

    pub fn respond(
        &mut self,
        method: &str,
        path_and_query: &str,
        body: Option<&str>,
    ) -> HttpResponse {
        let path = path_and_query.split('?').next().unwrap_or("");
        let key = format!("{method} {path}");
        if let Some(r) = self.scenario_for(&key) {
            return r;
        }
        let p: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let json = |status: u16, v: Value| {
            reply_to_response(&serde_json::json!({"status": status, "body": v}))
        };
        if method == "POST" && path == "/v3/templates" {
            self.seq += 1;
            let n = self.seq;
            let b: Value = serde_json::from_str(body.unwrap_or("{}")).unwrap_or(Value::Null);
            let name = b["name"].as_str().unwrap_or("").to_string();
            let (base, tag) = match name.split_once(':') {
                Some((a, t)) => (a.to_string(), Some(t.to_string())),
                None => (name.clone(), None),
            };
            let tags = b
                .get("tags")
                .cloned()
                .unwrap_or_else(|| serde_json::json!([tag.unwrap_or_else(|| "default".into())]));
            return json(
                202,
                serde_json::json!({"templateID": format!("tpl{n}abcdefghijklmno"),
                    "buildID": format!("00000000-0000-4000-8000-00000000000{n}"),
                    "names": [base], "aliases": [base], "tags": tags, "public": false}),
            );
        }
        if method == "GET" && p.first() == Some(&"templates") && p.get(2) == Some(&"files") {
            let hash = p.get(3).copied().unwrap_or("");
            return json(
                201,
                serde_json::json!({"present": false, "url": format!("http://127.0.0.1:PORT/upload/{hash}")}),
            );
        }
        if method == "PUT" && path.starts_with("/upload/") {
            return reply_to_response(&serde_json::json!({"status": 200}));
        }
        if method == "POST" && p.first() == Some(&"v2") && p.get(3) == Some(&"builds") {
            return reply_to_response(&serde_json::json!({"status": 202}));
        }
        if method == "GET" && p.get(2) == Some(&"builds") && p.get(4) == Some(&"status") {
            self.status_calls += 1;
            let beyond = self.status_calls > self.status_script.len();
            let step =
                &self.status_script[(self.status_calls - 1).min(self.status_script.len() - 1)];
            let entries = if beyond {
                serde_json::json!([])
            } else {
                step["logEntries"].clone()
            };
            let mut body = serde_json::json!({"templateID": p[1], "buildID": p[3], "status": step["status"],
                "logEntries": entries.clone(),
                "logs": entries.as_array().map(|a| a.iter().map(|e| e["message"].clone()).collect::<Vec<_>>()).unwrap_or_default()});
            if let Some(reason) = step.get("reason") {
                body["reason"] = reason.clone();
            }
            return json(200, body);
        }
        reply_to_response(
            &serde_json::json!({"status": 404, "body": {"code": 404, "message": "no route"}}),
        )
    }
}

/// Parses fixture 10's `cases` map.
pub fn fixture_10_cases() -> BTreeMap<String, Value> {
    let v: Value = serde_json::from_str(&read_fixture("10-errors.json")).unwrap();
    v["cases"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

pub fn build_config(connection: ConnectionConfig) -> BuildConfig {
    BuildConfig::new(connection)
}

/// `new Date(ms).toISOString()` for the test servers' timestamps (years 1970-9999).
pub fn iso_time(ms: f64) -> String {
    let ms = ms as i64;
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}
