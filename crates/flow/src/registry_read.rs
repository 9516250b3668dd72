//! Reading an image's config from its container registry (docs/wire-contract.md §4.6): the
//! optional token step, the manifest (an index resolved to linux/amd64), and the
//! config blob, with retries. Sans-IO like the rest of the flow: the host sends
//! each request and feeds the reply back.
//!
//! `base_url` replaces `https://<registry host>` (and the token service's host),
//! so a browser console can route reads through its own proxy, and tests through
//! the emulator's small registry.

use crate::attempts::{ms_until, Attempts};
use crate::http::{HttpRequest, HttpResponse, Method, TransportError};
use crate::machine::{Machine, Step};
use crate::prelude::*;
use crate::retry::{Jitter, RetryPolicy};
use novita_template_json::shape::Encode;
use novita_template_json::{parse_bytes, u64_text};

/// Media types offered to the registry, in the official order.
pub const MANIFEST_ACCEPT: &str = "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json";

const DOCKER_HUB: &str = "registry-1.docker.io";
/// Per-attempt timeout.
const ATTEMPT_TIMEOUT_MS: u64 = 30_000;
/// Longest `Retry-After` honoured as it is.
const MAX_RETRY_AFTER_MS: u64 = 10_000;

/// Three attempts per GET, 1 s then 2 s apart (jittered), as the official reader does.
fn registry_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay_ms: 1000,
        max_delay_ms: 2000,
        max_total_ms: 60_000,
        max_retry_after_ms: MAX_RETRY_AFTER_MS,
    }
}

/// What to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryTarget {
    /// The image as the user wrote it (for messages).
    pub image: String,
    pub host: String,
    pub repository: String,
    pub reference: String,
    /// `Basic …` when the template has registry credentials.
    pub basic_auth: Option<String>,
    /// Replaces `https://<host>`; `None` for the real registries.
    pub base_url: Option<String>,
}

novita_template_json::shape! {
    /// The parts of an image config that a template inherits.
    output struct RegistryImageConfig {
        /// `Env` entries as written (`NAME=value`).
        pub env: Vec<String> = "env",
        pub workdir: Option<String> = "workdir",
        pub entrypoint: Vec<String> = "entrypoint",
        pub cmd: Vec<String> = "cmd",
    }
}

/// Why the config could not be read. `unusable` marks images that cannot work at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryFailure {
    pub error: String,
    pub unusable: bool,
}

novita_template_json::shape! {
    /// What a registry read found: the config, or why there is none.
    output struct ImageConfigRead {
        pub config: Option<RegistryImageConfig> = "config",
        pub error: Option<String> = "error",
        pub unusable: Option<bool> = "unusable",
    }
}

impl From<Result<RegistryImageConfig, RegistryFailure>> for ImageConfigRead {
    fn from(r: Result<RegistryImageConfig, RegistryFailure>) -> Self {
        match r {
            Ok(config) => ImageConfigRead {
                config: Some(config),
                ..ImageConfigRead::default()
            },
            Err(f) => ImageConfigRead {
                config: None,
                error: Some(f.error),
                unusable: Some(f.unusable),
            },
        }
    }
}

/// The next thing the host does for a [`RegistryRead`].
#[derive(Clone, Debug, PartialEq)]
pub enum RegistryAction {
    Send(HttpRequest),
    Sleep { ms: u64 },
    Done(Result<RegistryImageConfig, RegistryFailure>),
}

#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Token,
    Manifest(String),
    Config(String),
    Finished(Result<RegistryImageConfig, RegistryFailure>),
}

/// One registry read.
#[derive(Clone, Debug)]
pub struct RegistryRead {
    target: RegistryTarget,
    authorization: Option<String>,
    stage: Stage,
    attempts: Attempts,
    jitter: Jitter,
    aborted: bool,
}

impl RegistryRead {
    pub fn new(target: RegistryTarget, seed: u64) -> Self {
        let needs_token = target.host == DOCKER_HUB || target.host == "ghcr.io";
        let first_manifest = target.reference.clone();
        RegistryRead {
            authorization: target.basic_auth.clone(),
            stage: if needs_token {
                Stage::Token
            } else {
                Stage::Manifest(first_manifest)
            },
            target,
            attempts: Attempts::new(f64::NEG_INFINITY),
            jitter: Jitter::new(seed),
            aborted: false,
        }
    }

    fn origin(&self) -> String {
        match &self.target.base_url {
            Some(base) => base.trim_end_matches('/').to_string(),
            None => ["https://", &self.target.host].concat(),
        }
    }

    fn token_url(&self) -> String {
        let (origin, service) = if self.target.host == "ghcr.io" {
            ("https://ghcr.io", "ghcr.io")
        } else {
            ("https://auth.docker.io", "registry.docker.io")
        };
        let origin = self
            .target
            .base_url
            .as_deref()
            .map_or(origin, |b| b.trim_end_matches('/'));
        [
            origin,
            "/token?service=",
            service,
            "&scope=repository:",
            &self.target.repository,
            ":pull",
        ]
        .concat()
    }

    fn get(&self, url: String, with_accept: bool) -> HttpRequest {
        let mut headers = Vec::new();
        if with_accept {
            headers.push(("Accept".to_string(), MANIFEST_ACCEPT.to_string()));
        }
        if let Some(a) = &self.authorization {
            headers.push(("Authorization".to_string(), a.clone()));
        }
        HttpRequest {
            method: Method::Get,
            url,
            headers,
            body: None,
            timeout_ms: Some(ATTEMPT_TIMEOUT_MS),
            idempotent: true,
        }
    }

    pub fn next_action(&mut self, now_ms: f64) -> RegistryAction {
        if self.aborted && !matches!(self.stage, Stage::Finished(_)) {
            self.fail("aborted".to_string(), false);
        }
        if let Stage::Finished(r) = &self.stage {
            return RegistryAction::Done(r.clone());
        }
        if !self.attempts.is_due(now_ms) {
            let at = self.attempts.ready_at_ms().unwrap_or(now_ms);
            return RegistryAction::Sleep {
                ms: ms_until(at, now_ms),
            };
        }
        self.attempts.start(now_ms);
        let request = match &self.stage {
            Stage::Token => {
                let mut r = self.get(self.token_url(), false);
                r.headers
                    .retain(|(k, _)| k == "Authorization" && self.target.basic_auth.is_some());
                r
            }
            Stage::Manifest(reference) => self.get(
                [
                    &self.origin(),
                    "/v2/",
                    &self.target.repository,
                    "/manifests/",
                    reference,
                ]
                .concat(),
                true,
            ),
            Stage::Config(digest) => self.get(
                [
                    &self.origin(),
                    "/v2/",
                    &self.target.repository,
                    "/blobs/",
                    digest,
                ]
                .concat(),
                true,
            ),
            Stage::Finished(_) => unreachable_finished(),
        };
        RegistryAction::Send(request)
    }

    fn finish(&mut self, r: Result<RegistryImageConfig, RegistryFailure>) {
        self.stage = Stage::Finished(r);
    }

    fn fail(&mut self, error: String, unusable: bool) {
        self.finish(Err(RegistryFailure { error, unusable }));
    }

    fn advance(&mut self, stage: Stage, now_ms: f64) {
        self.stage = stage;
        self.attempts = Attempts::new(now_ms);
    }

    pub fn on_response(&mut self, result: Result<HttpResponse, TransportError>, now_ms: f64) {
        if !self.attempts.in_flight() || self.aborted {
            return;
        }
        if self.stage == Stage::Token {
            // One attempt; a failed token step just means no bearer token.
            if let Ok(r) = &result {
                if let Some(token) =
                    json(r).and_then(|v| v.get("token")?.as_str().map(str::to_string))
                {
                    self.authorization = Some(["Bearer ", &token].concat());
                }
            }
            let first = self.target.reference.clone();
            self.advance(Stage::Manifest(first), now_ms);
            return;
        }
        let retry =
            self.attempts
                .finish(&result, true, &registry_policy(), &mut self.jitter, now_ms);
        if retry.is_some() {
            return;
        }
        let response = match result {
            Ok(r) if r.is_success() => r,
            Ok(r) => {
                let (error, unusable) = self.http_failure(&r);
                return self.fail(error, unusable);
            }
            Err(e) => {
                let message = match e {
                    TransportError::Timeout => "the registry did not answer in time".to_string(),
                    TransportError::Aborted => "aborted".to_string(),
                    TransportError::Network(m) | TransportError::Unreadable(m) => m,
                };
                return self.fail(message, false);
            }
        };
        let Some(body) = json(&response) else {
            return self.fail(
                [&self.target.image, ": the registry's reply is not JSON"].concat(),
                false,
            );
        };
        match self.stage {
            Stage::Manifest(_) => {
                if let Some(list) = body.get("manifests").and_then(Json::as_array) {
                    match pick_amd64(list) {
                        Some(digest) => self.advance(Stage::Manifest(digest), now_ms),
                        None => self.fail(no_amd64_message(&self.target.image, list), true),
                    }
                    return;
                }
                match body
                    .get("config")
                    .and_then(|c| c.get("digest"))
                    .and_then(Json::as_str)
                {
                    Some(d) => self.advance(Stage::Config(d.to_string()), now_ms),
                    None => self.fail(
                        [&self.target.image, ": manifest names no config blob"].concat(),
                        false,
                    ),
                }
            }
            Stage::Config(_) => {
                let config = |key: &str| body.get("config").and_then(|c| c.get(key));
                let strings = |key: &str| -> Vec<String> {
                    config(key)
                        .and_then(Json::as_array)
                        .map_or_else(Vec::new, |a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_string))
                                .collect()
                        })
                };
                let workdir = config("WorkingDir")
                    .and_then(Json::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string);
                self.finish(Ok(RegistryImageConfig {
                    env: strings("Env"),
                    workdir,
                    entrypoint: strings("Entrypoint"),
                    cmd: strings("Cmd"),
                }));
            }
            Stage::Token | Stage::Finished(_) => {}
        }
    }

    fn http_failure(&self, r: &HttpResponse) -> (String, bool) {
        let image = &self.target.image;
        let library =
            self.target.host == DOCKER_HUB && self.target.repository.starts_with("library/");
        match r.status {
            404 => (["no such image: the registry has no '", image, "' (HTTP 404). Check spelling and case — repository names are case-sensitive"].concat(), true),
            401 if library && self.target.basic_auth.is_none() => (
                ["no such image: Docker Hub has no official image '", image, "' (HTTP 401). The `library/` namespace has no private repositories, so this is a typo rather than a permissions problem"].concat(),
                true,
            ),
            401 if library => (
                ["cannot read '", image, "' (HTTP 401): either the credentials were rejected or there is no such image. Both answer alike here, so check the spelling and the case of the name, then the credentials"].concat(),
                false,
            ),
            s => (
                [
                    "RegistryHttpError: HTTP ",
                    &u64_text(u64::from(s)),
                    " ",
                    r.status_text_or_reason(),
                ]
                .concat(),
                false,
            ),
        }
    }
}

fn unreachable_finished() -> HttpRequest {
    // `next_action` returns `Done` before reaching here; an empty GET is harmless.
    HttpRequest::default()
}

fn json(r: &HttpResponse) -> Option<Json> {
    parse_bytes(&r.body).ok()
}

/// `(os, architecture, variant)` of an index entry (`""` when absent).
fn platform(entry: &Json) -> (&str, &str, Option<&str>) {
    let get = |k: &str| entry.get("platform")?.get(k)?.as_str();
    (
        get("os").unwrap_or_default(),
        get("architecture").unwrap_or_default(),
        get("variant"),
    )
}

fn pick_amd64(list: &[Json]) -> Option<String> {
    list.iter()
        .find(|e| matches!(platform(e), ("linux", "amd64", _)))
        .and_then(|e| e.get("digest").and_then(Json::as_str).map(str::to_string))
}

fn no_amd64_message(image: &str, list: &[Json]) -> String {
    // Sorted and without repeats, by insertion: an index lists a handful of platforms.
    let mut offers: Vec<String> = Vec::new();
    for (os, arch, variant) in list.iter().map(platform) {
        if os == "unknown" {
            continue;
        }
        let offer = match variant {
            Some(v) => [os, "/", arch, "/", v].concat(),
            None => [os, "/", arch].concat(),
        };
        if let Err(at) = offers.binary_search(&offer) {
            offers.insert(at, offer);
        }
    }
    let mut out = [image, " has no linux/amd64 variant"].concat();
    for (i, offer) in offers.iter().enumerate() {
        out.push_str(if i == 0 { " (offers " } else { ", " });
        out.push_str(offer);
    }
    if !offers.is_empty() {
        out.push(')');
    }
    out.push_str("; sandboxes are amd64, so this image cannot be used");
    out
}

/// A registry read as a [`Machine`]: its result is an [`ImageConfigRead`]; it never
/// fails (a read that goes wrong is a result that says why).
impl Machine for RegistryRead {
    fn next(&mut self, now_ms: f64) -> Step {
        // The driver does not wait after a send: it asks again at once.
        if self.attempts.in_flight() && !self.aborted {
            return Step::Wait;
        }
        match self.next_action(now_ms) {
            RegistryAction::Send(request) => Step::Send {
                id: self.attempts.made(),
                request,
                abortable: true,
            },
            RegistryAction::Sleep { ms } => Step::Sleep { ms },
            RegistryAction::Done(r) => {
                Step::Done(ImageConfigRead::from(r).encode().unwrap_or(Json::Null))
            }
        }
    }

    fn on_reply(&mut self, id: u32, reply: Result<HttpResponse, TransportError>, now_ms: f64) {
        if id == self.attempts.made() {
            self.on_response(reply, now_ms);
        }
    }

    fn abort(&mut self, _now_ms: f64) {
        self.aborted = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(host: &str, repo: &str, base: Option<&str>) -> RegistryTarget {
        RegistryTarget {
            image: "python:3.12".into(),
            host: host.into(),
            repository: repo.into(),
            reference: "3.12".into(),
            basic_auth: None,
            base_url: base.map(str::to_string),
        }
    }

    fn reply(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse {
            status,
            status_text: String::new(),
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        })
    }

    fn url(a: RegistryAction) -> String {
        match a {
            RegistryAction::Send(r) => r.url,
            other => panic!("expected a request, got {other:?}"),
        }
    }

    #[test]
    fn docker_hub_read_follows_token_index_manifest_and_blob() {
        let mut r = RegistryRead::new(target(DOCKER_HUB, "library/python", None), 1);
        assert_eq!(url(r.next_action(0.0)), "https://auth.docker.io/token?service=registry.docker.io&scope=repository:library/python:pull");
        r.on_response(reply(200, r#"{"token":"t0k"}"#), 0.0);
        let RegistryAction::Send(req) = r.next_action(0.0) else {
            panic!()
        };
        assert_eq!(
            req.url,
            "https://registry-1.docker.io/v2/library/python/manifests/3.12"
        );
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer t0k".into())));
        assert!(req
            .headers
            .contains(&("Accept".into(), MANIFEST_ACCEPT.into())));
        r.on_response(reply(200, r#"{"manifests":[{"digest":"sha256:arm","platform":{"os":"linux","architecture":"arm64"}},{"digest":"sha256:amd","platform":{"os":"linux","architecture":"amd64"}}]}"#), 0.0);
        assert_eq!(
            url(r.next_action(0.0)),
            "https://registry-1.docker.io/v2/library/python/manifests/sha256:amd"
        );
        r.on_response(reply(200, r#"{"config":{"digest":"sha256:cfg"}}"#), 0.0);
        assert_eq!(
            url(r.next_action(0.0)),
            "https://registry-1.docker.io/v2/library/python/blobs/sha256:cfg"
        );
        r.on_response(reply(200, r#"{"config":{"Env":["PATH=/usr/bin","LANG=C"],"WorkingDir":"/app","Cmd":["python3"]}}"#), 0.0);
        let RegistryAction::Done(Ok(c)) = r.next_action(0.0) else {
            panic!()
        };
        assert_eq!(c.env, vec!["PATH=/usr/bin", "LANG=C"]);
        assert_eq!(c.workdir.as_deref(), Some("/app"));
        assert_eq!(c.cmd, vec!["python3"]);
        assert!(c.entrypoint.is_empty());
    }

    #[test]
    fn base_url_replaces_the_registry_and_token_hosts() {
        let mut r = RegistryRead::new(
            target(
                DOCKER_HUB,
                "library/python",
                Some("http://127.0.0.1:9/registry/"),
            ),
            1,
        );
        assert_eq!(url(r.next_action(0.0)), "http://127.0.0.1:9/registry/token?service=registry.docker.io&scope=repository:library/python:pull");
        r.on_response(Err(TransportError::Network("refused".into())), 0.0);
        assert_eq!(
            url(r.next_action(0.0)),
            "http://127.0.0.1:9/registry/v2/library/python/manifests/3.12"
        );
    }

    #[test]
    fn network_failures_retry_twice_then_fail_without_marking_unusable() {
        let mut r = RegistryRead::new(target("registry.example.com", "team/app", None), 3);
        let mut now = 0.0;
        for ceiling in [1000, 2000] {
            assert!(matches!(r.next_action(now), RegistryAction::Send(_)));
            r.on_response(Err(TransportError::Network("fetch failed".into())), now);
            let RegistryAction::Sleep { ms } = r.next_action(now) else {
                panic!()
            };
            assert!((1..=ceiling).contains(&ms));
            now += ms as f64;
        }
        assert!(matches!(r.next_action(now), RegistryAction::Send(_)));
        r.on_response(Err(TransportError::Network("fetch failed".into())), now);
        assert_eq!(
            r.next_action(now),
            RegistryAction::Done(Err(RegistryFailure {
                error: "fetch failed".into(),
                unusable: false
            }))
        );
    }

    #[test]
    fn http_errors_give_the_documented_messages() {
        let mut r = RegistryRead::new(target("registry.example.com", "team/app", None), 3);
        r.next_action(0.0);
        r.on_response(reply(404, "{}"), 0.0);
        let RegistryAction::Done(Err(f)) = r.next_action(0.0) else {
            panic!()
        };
        assert!(
            f.unusable
                && f.error
                    .starts_with("no such image: the registry has no 'python:3.12' (HTTP 404)")
        );

        let mut r = RegistryRead::new(target("registry.example.com", "team/app", None), 3);
        r.next_action(0.0);
        r.on_response(reply(200, r#"{"manifests":[{"digest":"d","platform":{"os":"linux","architecture":"arm64","variant":"v8"}},{"digest":"e","platform":{"os":"unknown","architecture":"unknown"}}]}"#), 0.0);
        let RegistryAction::Done(Err(f)) = r.next_action(0.0) else {
            panic!()
        };
        assert_eq!(f.error, "python:3.12 has no linux/amd64 variant (offers linux/arm64/v8); sandboxes are amd64, so this image cannot be used");
        assert!(f.unusable);
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let mut r = RegistryRead::new(target("registry.example.com", "team/app", None), 3);
        r.next_action(0.0);
        r.on_response(
            Ok(HttpResponse {
                status: 429,
                status_text: String::new(),
                headers: vec![("retry-after".into(), "120".into())],
                body: Vec::new(),
            }),
            0.0,
        );
        assert_eq!(
            r.next_action(0.0),
            RegistryAction::Sleep {
                ms: MAX_RETRY_AFTER_MS
            }
        );
    }
}
