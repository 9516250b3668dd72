//! Connection settings (docs/wire-contract.md §2.1) and the request headers (§2.2).
//!
//! The host passes the user's options plus an environment map (Node's
//! `NOVITA_*` variables; empty in browsers). Secrets never appear in `Debug`
//! output or error messages.

use crate::prelude::*;
use core::fmt;

use crate::http::is_secret_header;
use novita_template_json::quote;
use novita_template_json::shape::{Decode, Encode, JsSignal, Mismatch, Num, StrMap, Ts};
use novita_template_json::text::{find_str, parse_u64};

/// The SDK version the headers announce (the official SDK this crate mirrors).
pub const SDK_VERSION: &str = "2.1.1";
/// The default domain when neither the options nor the environment give one.
pub const DEFAULT_DOMAIN: &str = "us-phx-1.sandbox.novita.ai";
/// The default per-request timeout.
pub const DEFAULT_REQUEST_TIMEOUT_MS: u64 = 60_000;
/// The default per-request timeout on legacy domains.
pub const LEGACY_REQUEST_TIMEOUT_MS: u64 = 1_800_000;

/// Domains the template API refuses to serve (§2.1).
pub const LEGACY_DOMAINS: [&str; 8] = [
    "sandbox.novita.ai",
    "us-01.sandbox.novita.ai",
    "us-ga-01.sandbox.novita.ai",
    "us-ga-1.sandbox.novita.ai",
    "sandbox-dev.novita.ai",
    "us-01.sandbox-dev.novita.ai",
    "us-ga-01.sandbox-dev.novita.ai",
    "us-ca-1.sandbox-dev.novita.ai",
];

/// Where the code runs; decides the runtime headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostKind {
    /// Node.js: `version` like `20.20.2`, `os` like `Linux`, `OS X`, `Windows`.
    Node { version: String, os: String },
    /// A browser. `name`/`version`/`os` may be `unknown`. No `User-Agent` is
    /// set, since browsers refuse or drop it.
    Browser {
        name: String,
        version: String,
        os: String,
    },
}

/// A credential from the options: used as is, shown as `<redacted>` in `Debug` output.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Decode for Secret {
    const EXPECTED: &'static str = "a string";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        String::decode(v).map(Secret)
    }
}

impl Encode for Secret {
    fn encode(&self) -> Option<Json> {
        Some(Json::str(self.0.as_str()))
    }
}

impl Ts for Secret {
    fn ts() -> String {
        "string".into()
    }
}

/// The `headers` option: user headers in their order, values of secret-looking
/// headers (`Authorization`, `*key*`, `*token*`) shown as `<redacted>` in `Debug` output.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(redacted_headers(&self.0)).finish()
    }
}

impl Decode for Headers {
    const EXPECTED: &'static str = "an object of strings";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        StrMap::decode(v).map(|m| Headers(m.0))
    }
}

impl Encode for Headers {
    fn encode(&self) -> Option<Json> {
        StrMap(self.0.clone()).encode()
    }
}

impl Ts for Headers {
    fn ts() -> String {
        "Record<string, string>".into()
    }
}

novita_template_json::shape! {
    /// How to reach the template API. Defaults as in novita-sandbox (and its NOVITA_*
    /// variables in Node).
    input struct ConnectionOptions as "ConnectionOpts" {
        pub api_key: Option<Secret> = "apiKey",
        pub access_token: Option<Secret> = "accessToken",
        /// Default `us-phx-1.sandbox.novita.ai`; the API is then `https://api.<domain>`.
        pub domain: Option<String> = "domain",
        /// Overrides `domain`, e.g. the local emulator's `http://127.0.0.1:3000`.
        pub api_url: Option<String> = "apiUrl",
        /// Uses `http://localhost:3000` when no `apiUrl` is given.
        pub debug: Option<bool> = "debug",
        /// Extra request headers.
        pub headers: Option<Headers> = "headers",
        /// Per-request timeout in milliseconds (default 60000; 0 for none).
        pub request_timeout_ms: Option<Num> = "requestTimeoutMs",
        /// Allow `http://` to a host other than loopback (credentials would travel in clear).
        pub allow_insecure_http: Option<bool> = "allowInsecureHttp",
        /// Cancels the operation: it rejects with an `AbortError`.
        pub signal: Option<JsSignal> = "signal",
    }
}

/// Settings after resolution, ready to build requests with.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectionConfig {
    pub api_key: Option<String>,
    pub access_token: Option<String>,
    pub domain: String,
    pub debug: bool,
    /// No trailing `/`.
    pub api_url: String,
    /// `None`: no timeout.
    pub request_timeout_ms: Option<u64>,
    /// User headers followed by the SDK identification headers (§2.1 `headers`).
    pub headers: Vec<(String, String)>,
    pub host: HostKind,
}

fn redact(value: &Option<String>) -> &'static str {
    if value.is_some() {
        "Some(<redacted>)"
    } else {
        "None"
    }
}

fn redacted_headers(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str(),
                if is_secret_header(k) {
                    "<redacted>"
                } else {
                    v.as_str()
                },
            )
        })
        .collect()
}

impl fmt::Debug for ConnectionConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionConfig")
            .field("api_key", &format_args!("{}", redact(&self.api_key)))
            .field(
                "access_token",
                &format_args!("{}", redact(&self.access_token)),
            )
            .field("domain", &self.domain)
            .field("debug", &self.debug)
            .field("api_url", &self.api_url)
            .field("request_timeout_ms", &self.request_timeout_ms)
            .field("headers", &redacted_headers(&self.headers))
            .field("host", &self.host)
            .finish()
    }
}

/// JavaScript `a || b` for optional strings: an empty string counts as absent.
fn or_env(value: &Option<String>, env: &[(String, String)], key: &str) -> Option<String> {
    value
        .clone()
        .filter(|v| !v.is_empty())
        .or_else(|| env_get(env, key))
}

fn env_get(env: &[(String, String)], key: &str) -> Option<String> {
    env.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

/// True when `host` (without port) is a loopback name or address.
fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    if host == "::1" {
        return true;
    }
    host.split('.').count() == 4
        && host.starts_with("127.")
        && host.split('.').all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && parse_u64(p).is_some_and(|n| n <= 255)
        })
}

/// Hides a `user:password@` part so that a URL can go into an error message.
fn redact_userinfo(url: &str) -> String {
    // A query string may carry a token too: it is not echoed either.
    let url = match url.find('?') {
        Some(q) => novita_template_json::cat!(&url[..q], "?<redacted>"),
        None => url.to_string(),
    };
    if let Some(scheme_end) = find_str(&url, "://") {
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            return novita_template_json::cat!(
                &url[..scheme_end],
                "://<redacted>@",
                &rest[at + 1..]
            );
        }
    }
    url
}

/// A header name must be an HTTP token, and a value may hold no line breaks,
/// NUL or characters beyond Latin-1 (what `fetch` accepts), so a bad key or
/// header fails here, at once and typed, not as a network error after retries.
fn validate_header(name: &str, value: &str, option: &str) -> Result<(), SdkError> {
    let token = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '!' | '#'
                    | '$'
                    | '%'
                    | '&'
                    | '\''
                    | '*'
                    | '+'
                    | '-'
                    | '.'
                    | '^'
                    | '_'
                    | '`'
                    | '|'
                    | '~'
            )
    };
    if name.is_empty() || !name.chars().all(token) {
        return Err(SdkError::new(
            ErrorClass::InvalidArgumentError,
            novita_template_json::cat!(
                option,
                ": header name ",
                &quote(name),
                " is not a valid HTTP header name",
            ),
        ));
    }
    if value
        .chars()
        .any(|c| c == '\r' || c == '\n' || c == '\0' || (c as u32) > 0xFF)
    {
        return Err(SdkError::new(
            ErrorClass::InvalidArgumentError,
            novita_template_json::cat!(
                option,
                ": the value contains a line break, NUL or a character an HTTP header cannot carry",
            ),
        ));
    }
    Ok(())
}

/// Checks that `url` is an absolute http(s) URL with a host, and that plain
/// http goes only to loopback unless `allow_insecure_http`.
fn validate_api_url(url: &str, allow_insecure_http: bool) -> Result<(), SdkError> {
    let bad = |why: &str| {
        SdkError::new(
            ErrorClass::InvalidArgumentError,
            novita_template_json::cat!("apiUrl \"", &redact_userinfo(url), "\" ", why),
        )
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("must not contain whitespace or control characters"));
    }
    // WHATWG URL parsers read `\` as `/` in http(s) URLs: `http://a.com\@127.0.0.1`
    // goes to a.com. Refused rather than second-guessed.
    if url.as_bytes().contains(&b'\\') {
        return Err(bad("must not contain a backslash"));
    }
    let Some(scheme_end) = find_str(url, "://") else {
        return Err(bad("is not an absolute http(s) URL"));
    };
    let scheme = url[..scheme_end].to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(bad("is not an absolute http(s) URL"));
    }
    let rest = &url[scheme_end + 3..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.as_bytes().contains(&b'@') {
        return Err(bad(
            "must not contain credentials (user:password@); pass apiKey or accessToken instead",
        ));
    }
    let host_port = authority;
    let host = if let Some(stripped) = host_port.strip_prefix('[') {
        match stripped.find(']') {
            Some(end) => &host_port[..end + 2],
            None => return Err(bad("has an unterminated IPv6 address")),
        }
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if host.is_empty() || host == "[]" {
        return Err(bad("has no host"));
    }
    let port = &host_port[host.len()..];
    if let Some(port) = port.strip_prefix(':') {
        if !port.is_empty()
            && (port.len() > 5
                || !port.bytes().all(|b| b.is_ascii_digit())
                || parse_u64(port).is_none_or(|p| p > 65_535))
        {
            return Err(bad("has an invalid port"));
        }
    } else if !port.is_empty() {
        return Err(bad("has an invalid host"));
    }
    if scheme == "http" && !allow_insecure_http && !is_loopback_host(host) {
        return Err(bad(
            "uses plain http to a non-loopback host; use https, or set allowInsecureHttp to send credentials unencrypted",
        ));
    }
    Ok(())
}

impl ConnectionConfig {
    /// Resolves the options against the environment (§2.1). `env` holds
    /// `NOVITA_API_KEY`, `NOVITA_ACCESS_TOKEN`, `NOVITA_DOMAIN`, `NOVITA_DEBUG`,
    /// `NOVITA_API_URL` when the host has them.
    pub fn resolve(
        options: &ConnectionOptions,
        env: &[(String, String)],
        host: HostKind,
    ) -> Result<ConnectionConfig, SdkError> {
        // JavaScript's `||` would read an explicit '' as absent and send the key to
        // the default service; an empty apiUrl is a mistake worth saying.
        if options
            .api_url
            .as_deref()
            .is_some_and(|u| u.trim().is_empty())
        {
            return Err(SdkError::new(
                ErrorClass::InvalidArgumentError,
                "API URL cannot be empty",
            ));
        }
        let secret = |s: &Option<Secret>| s.as_ref().map(|s| s.0.clone());
        let api_key = or_env(&secret(&options.api_key), env, "NOVITA_API_KEY");
        let access_token = or_env(&secret(&options.access_token), env, "NOVITA_ACCESS_TOKEN");
        if let Some(k) = &api_key {
            validate_header("X-API-KEY", k, "apiKey")?;
        }
        if let Some(t) = &access_token {
            validate_header("Authorization", t, "accessToken")?;
        }
        let user_headers: &[(String, String)] = options.headers.as_ref().map_or(&[], |h| &h.0);
        for (k, v) in user_headers {
            validate_header(k, v, "headers")?;
        }
        let domain = or_env(&options.domain, env, "NOVITA_DOMAIN")
            .unwrap_or_else(|| DEFAULT_DOMAIN.to_string());
        let debug = options.debug == Some(true)
            || env_get(env, "NOVITA_DEBUG").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let raw_url = or_env(&options.api_url, env, "NOVITA_API_URL").unwrap_or_else(|| {
            if debug {
                "http://localhost:3000".to_string()
            } else {
                novita_template_json::cat!("https://api.", &domain)
            }
        });
        let trimmed = raw_url.trim();
        if trimmed.is_empty() {
            return Err(SdkError::new(
                ErrorClass::InvalidArgumentError,
                "API URL cannot be empty",
            ));
        }
        let has_scheme = find_str(trimmed, "://").is_some_and(|i| {
            i > 0
                && trimmed[..i]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        });
        let mut api_url = if has_scheme {
            trimmed.to_string()
        } else {
            novita_template_json::cat!("https://", trimmed)
        };
        while api_url.ends_with('/') {
            api_url.pop();
        }
        validate_api_url(&api_url, options.allow_insecure_http == Some(true))?;
        let is_legacy = LEGACY_DOMAINS.contains(&domain.as_str());
        let request_timeout_ms = match &options.request_timeout_ms {
            Some(n) => match n.integer() {
                Some(0) => None,
                Some(ms) if ms > 0 => Some(ms as u64),
                _ => {
                    return Err(SdkError::invalid(
                        "option `requestTimeoutMs` must be a whole number of milliseconds >= 0",
                    ))
                }
            },
            None if is_legacy => Some(LEGACY_REQUEST_TIMEOUT_MS),
            None => Some(DEFAULT_REQUEST_TIMEOUT_MS),
        };
        let mut headers: Vec<(String, String)> = Vec::new();
        for (k, v) in user_headers {
            set_header(&mut headers, k, v);
        }
        if !matches!(host, HostKind::Browser { .. }) {
            set_header(
                &mut headers,
                "User-Agent",
                &novita_template_json::cat!("novita-sandbox-sdk-js/", SDK_VERSION),
            );
        } else {
            remove_header(&mut headers, "User-Agent");
        }
        set_header(&mut headers, "X-Novita-SDK-Name", "sdk_js");
        set_header(&mut headers, "X-Novita-SDK-Version", SDK_VERSION);
        Ok(ConnectionConfig {
            api_key,
            access_token,
            domain,
            debug,
            api_url,
            request_timeout_ms,
            headers,
            host,
        })
    }

    /// The resolved connection as JSON, for the on-demand module (which has no
    /// resolver of its own: the core resolved and checked it).
    pub fn to_json(&self) -> Json {
        let text = |s: &Option<String>| s.as_deref().map_or(Json::Null, Json::str);
        let host = match &self.host {
            HostKind::Node { version, os } => Json::Arr(vec![
                Json::str("node"),
                Json::str(version.as_str()),
                Json::str(os.as_str()),
            ]),
            HostKind::Browser { name, version, os } => Json::Arr(vec![
                Json::str("browser"),
                Json::str(name.as_str()),
                Json::str(version.as_str()),
                Json::str(os.as_str()),
            ]),
        };
        Json::Arr(vec![
            text(&self.api_key),
            text(&self.access_token),
            Json::str(self.domain.as_str()),
            Json::Bool(self.debug),
            Json::str(self.api_url.as_str()),
            self.request_timeout_ms
                .map_or(Json::Null, |ms| Json::int(ms as i64)),
            Json::Arr(
                self.headers
                    .iter()
                    .map(|(k, v)| Json::strs(&[k.as_str(), v.as_str()]))
                    .collect(),
            ),
            host,
        ])
    }

    /// Reads what [`ConnectionConfig::to_json`] wrote.
    pub fn from_json(v: &Json) -> Option<ConnectionConfig> {
        let a = v.as_array()?;
        let text = |i: usize| a.get(i).and_then(Json::as_str).map(String::from);
        let words = |v: &Json| -> Vec<String> {
            v.as_array()
                .unwrap_or(&[])
                .iter()
                .map(|s| s.as_str().unwrap_or("").into())
                .collect()
        };
        let host = words(a.get(7)?);
        let host_text = |i: usize| host.get(i).cloned().unwrap_or_default();
        Some(ConnectionConfig {
            api_key: text(0),
            access_token: text(1),
            domain: text(2)?,
            debug: a.get(3)?.as_bool()?,
            api_url: text(4)?,
            request_timeout_ms: a.get(5)?.as_integer().map(|ms| ms.max(0) as u64),
            headers: a
                .get(6)?
                .as_array()?
                .iter()
                .map(|h| {
                    let h = words(h);
                    (
                        h.first().cloned().unwrap_or_default(),
                        h.get(1).cloned().unwrap_or_default(),
                    )
                })
                .collect(),
            host: if host_text(0) == "node" {
                HostKind::Node {
                    version: host_text(1),
                    os: host_text(2),
                }
            } else {
                HostKind::Browser {
                    name: host_text(1),
                    version: host_text(2),
                    os: host_text(3),
                }
            },
        })
    }

    /// Whether the domain is one the template API refuses (§2.1).
    pub fn is_legacy_domain(&self) -> bool {
        LEGACY_DOMAINS.contains(&self.domain.as_str())
    }

    /// `BuildError("<feature> is not supported on legacy domains")` on a legacy domain.
    pub fn reject_legacy(&self, feature: &str) -> Result<(), SdkError> {
        if self.is_legacy_domain() {
            return Err(SdkError::new(
                ErrorClass::BuildError,
                novita_template_json::cat!(feature, " is not supported on legacy domains"),
            ));
        }
        Ok(())
    }

    /// Headers of the typed API client (§2.2), in sending order.
    /// `Content-Type: application/json` leads when the request has a body.
    pub fn api_headers(&self, has_body: bool) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = Vec::new();
        if has_body {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        let (browser, lang_version, runtime, os) = match &self.host {
            HostKind::Node { version, os } => ("unknown", version.as_str(), "node", os.as_str()),
            HostKind::Browser { name, version, os } => {
                (name.as_str(), version.as_str(), "browser", os.as_str())
            }
        };
        for (k, v) in [
            ("browser", browser),
            ("lang", "js"),
            ("lang_version", lang_version),
            ("package_version", SDK_VERSION),
            ("publisher", "Novita"),
            ("sdk_runtime", runtime),
            ("system", os),
        ] {
            set_header(&mut headers, k, v);
        }
        self.push_auth_and_config_headers(&mut headers);
        headers
    }

    /// Headers of the raw list call (§2.2): auth and config headers only.
    pub fn raw_headers(&self) -> Vec<(String, String)> {
        let mut headers = Vec::new();
        self.push_auth_and_config_headers(&mut headers);
        headers
    }

    fn push_auth_and_config_headers(&self, headers: &mut Vec<(String, String)>) {
        if let Some(key) = &self.api_key {
            set_header(headers, "X-API-KEY", key);
        }
        if let Some(token) = &self.access_token {
            set_header(
                headers,
                "Authorization",
                &novita_template_json::cat!("Bearer ", token),
            );
        }
        for (k, v) in &self.headers {
            set_header(headers, k, v);
        }
    }
}

/// Sets `name` like `Headers.set`: replaces the value in place when a header of
/// that name (case-insensitive) exists, appends otherwise.
pub fn set_header(headers: &mut Vec<(String, String)>, name: &str, value: &str) {
    if let Some(slot) = headers
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
    {
        slot.1 = value.to_string();
    } else {
        headers.push((name.to_string(), value.to_string()));
    }
}

fn remove_header(headers: &mut Vec<(String, String)>, name: &str) {
    headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node() -> HostKind {
        HostKind::Node {
            version: "20.20.2".into(),
            os: "Linux".into(),
        }
    }

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn refused(options: ConnectionOptions) -> String {
        let e = ConnectionConfig::resolve(&options, &[], node()).unwrap_err();
        assert_eq!(e.class, ErrorClass::InvalidArgumentError);
        e.message.clone()
    }

    #[test]
    fn a_resolved_connection_survives_its_json_form() {
        let o = ConnectionOptions {
            api_key: Some(Secret("sk_1".into())),
            api_url: Some("http://127.0.0.1:3000/".into()),
            request_timeout_ms: Some(Num("0".into())),
            ..Default::default()
        };
        let browser = HostKind::Browser {
            name: "unknown".into(),
            version: "unknown".into(),
            os: "unknown".into(),
        };
        for host in [node(), browser] {
            let c =
                ConnectionConfig::resolve(&o, &env(&[("NOVITA_DOMAIN", "x.dev")]), host).unwrap();
            let text = c.to_json().to_compact();
            let back = ConnectionConfig::from_json(&novita_template_json::parse(&text).unwrap());
            assert_eq!(back.as_ref(), Some(&c), "{text}");
        }
        assert!(ConnectionConfig::from_json(&Json::Null).is_none());
    }

    #[test]
    fn urls_that_would_mislead_or_leak_are_refused() {
        let url = |u: &str| ConnectionOptions {
            api_url: Some(u.into()),
            ..Default::default()
        };
        assert!(refused(url("http://example.com\\@127.0.0.1:3000")).contains("backslash"));
        let m = refused(url("http://user:pw@127.0.0.1:3000"));
        assert!(m.contains("credentials") && !m.contains("pw"), "{m}");
        let m = refused(url("ftp://h/?token=s3cret"));
        assert!(!m.contains("s3cret"), "{m}");
    }

    #[test]
    fn header_values_fetch_would_reject_are_refused_up_front() {
        let key = |k: &str| ConnectionOptions {
            api_key: Some(Secret(k.into())),
            ..Default::default()
        };
        assert!(refused(key("abc\ndef")).starts_with("apiKey:"));
        assert!(refused(key("clé→")).starts_with("apiKey:"));
        let headers = |k: &str, v: &str| ConnectionOptions {
            headers: Some(Headers(vec![(k.into(), v.into())])),
            ..Default::default()
        };
        assert!(refused(headers("X Bad", "v")).contains("header name"));
        assert!(refused(headers("X-Ok", "a\r\nb")).starts_with("headers:"));
        assert!(ConnectionConfig::resolve(&key("nvk_é_latin1"), &[], node()).is_ok());
    }

    #[test]
    fn resolves_defaults_and_env() {
        let c = ConnectionConfig::resolve(&ConnectionOptions::default(), &[], node()).unwrap();
        assert_eq!(c.api_url, "https://api.us-phx-1.sandbox.novita.ai");
        assert_eq!(c.request_timeout_ms, Some(60_000));
        assert_eq!(c.api_key, None);
        let e = env(&[
            ("NOVITA_API_KEY", "k"),
            ("NOVITA_DOMAIN", "sandbox.novita.ai"),
            ("NOVITA_DEBUG", "TRUE"),
        ]);
        let c = ConnectionConfig::resolve(&ConnectionOptions::default(), &e, node()).unwrap();
        assert_eq!(c.api_key.as_deref(), Some("k"));
        assert!(c.debug && c.is_legacy_domain());
        assert_eq!(c.api_url, "http://localhost:3000");
        assert_eq!(c.request_timeout_ms, Some(1_800_000));
        let err = c.reject_legacy("Template.build").unwrap_err();
        assert_eq!(
            (err.class, err.message.as_str()),
            (
                ErrorClass::BuildError,
                "Template.build is not supported on legacy domains"
            )
        );
        // Options win over the environment; empty strings fall through (JS `||`).
        let o = ConnectionOptions {
            api_key: Some(Secret(String::new())),
            domain: Some("eu.example".into()),
            ..Default::default()
        };
        let c = ConnectionConfig::resolve(&o, &e, node()).unwrap();
        assert_eq!(c.api_key.as_deref(), Some("k"));
        assert_eq!(c.domain, "eu.example");
    }

    #[test]
    fn api_url_normalisation_and_refusals() {
        let url = |s: &str, insecure: bool| {
            let o = ConnectionOptions {
                api_url: Some(s.into()),
                allow_insecure_http: Some(insecure),
                ..Default::default()
            };
            ConnectionConfig::resolve(&o, &[], node()).map(|c| c.api_url)
        };
        assert_eq!(
            url("  api.example.com/ ", false).unwrap(),
            "https://api.example.com"
        );
        assert_eq!(
            url("http://127.0.0.1:3000//", false).unwrap(),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            url("http://[::1]:8080", false).unwrap(),
            "http://[::1]:8080"
        );
        let e = url("   ", false).unwrap_err();
        assert_eq!(
            (e.class, e.message.as_str()),
            (ErrorClass::InvalidArgumentError, "API URL cannot be empty")
        );
        let e = url("ftp://x.y", false).unwrap_err();
        assert_eq!(e.class, ErrorClass::InvalidArgumentError);
        assert!(e.message.contains("apiUrl"), "{}", e.message);
        assert!(url("http://api.example.com", false)
            .unwrap_err()
            .message
            .contains("allowInsecureHttp"));
        assert_eq!(
            url("http://api.example.com", true).unwrap(),
            "http://api.example.com"
        );
        assert!(url("https://", false).is_err());
        assert!(url("https://host:99999", false).is_err());
        assert!(url("https://a b", false).is_err());
        let e = url("ftp://user:hunter2@x.y", false).unwrap_err();
        assert!(!e.message.contains("hunter2"), "{}", e.message);
    }

    #[test]
    fn header_order_for_node_and_browser() {
        let o = ConnectionOptions {
            api_key: Some(Secret("nvk".into())),
            access_token: Some(Secret("tok".into())),
            headers: Some(Headers(vec![
                ("X-Custom".into(), "1".into()),
                ("user-agent".into(), "mine".into()),
            ])),
            ..Default::default()
        };
        let c = ConnectionConfig::resolve(&o, &[], node()).unwrap();
        let headers = c.api_headers(true);
        let names: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "Content-Type",
                "browser",
                "lang",
                "lang_version",
                "package_version",
                "publisher",
                "sdk_runtime",
                "system",
                "X-API-KEY",
                "Authorization",
                "X-Custom",
                "user-agent",
                "X-Novita-SDK-Name",
                "X-Novita-SDK-Version"
            ]
        );
        let h = c.api_headers(false);
        assert_eq!(
            h.iter().find(|(k, _)| k == "user-agent").unwrap().1,
            "novita-sandbox-sdk-js/2.1.1"
        );
        assert_eq!(
            h.iter().find(|(k, _)| k == "Authorization").unwrap().1,
            "Bearer tok"
        );
        let b = HostKind::Browser {
            name: "chrome".into(),
            version: "130".into(),
            os: "Linux".into(),
        };
        let c = ConnectionConfig::resolve(&o, &[], b).unwrap();
        let h = c.api_headers(false);
        assert!(h.iter().all(|(k, _)| !k.eq_ignore_ascii_case("user-agent")));
        assert_eq!(h[0], ("browser".to_string(), "chrome".to_string()));
        assert!(h.iter().any(|(k, v)| k == "sdk_runtime" && v == "browser"));
        let raw: Vec<String> = c.raw_headers().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            raw,
            [
                "X-API-KEY",
                "Authorization",
                "X-Custom",
                "X-Novita-SDK-Name",
                "X-Novita-SDK-Version"
            ]
        );
    }

    #[test]
    fn debug_output_hides_secrets() {
        let o = ConnectionOptions {
            api_key: Some(Secret("nvk_live_secret".into())),
            access_token: Some(Secret("tok_secret".into())),
            headers: Some(Headers(vec![(
                "Authorization".into(),
                "Bearer hdr_secret".into(),
            )])),
            ..Default::default()
        };
        let c = ConnectionConfig::resolve(&o, &[], node()).unwrap();
        for text in [format!("{o:?}"), format!("{c:?}")] {
            assert!(!text.contains("secret"), "{text}");
        }
    }
}
