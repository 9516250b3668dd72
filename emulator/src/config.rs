//! Server configuration and its command-line form (`--help` text included).

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Faults {
    /// Probability that an API request gets a 500 JSON reply.
    pub error_rate: f64,
    /// Probability that an API request gets a 429 with `Retry-After: 1`.
    pub rate_limit_rate: f64,
    /// Delay added before every API request is handled.
    pub latency_ms: u64,
    /// Probability that an API request's connection is closed without a reply.
    pub drop_rate: f64,
    /// Share of the injected 500s and drops that strike after the request was
    /// handled (its effect is kept), as when a reply is lost on the way back.
    pub late_share: f64,
    /// Seed of the fault dice; random when not given.
    pub seed: Option<u64>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            error_rate: 0.0,
            rate_limit_rate: 0.0,
            latency_ms: 0,
            drop_rate: 0.0,
            late_share: 0.5,
            seed: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// Accepted API keys; one is generated when empty.
    pub api_keys: Vec<String>,
    /// Where state lives; a fresh temporary directory when `None`.
    pub data_dir: Option<PathBuf>,
    /// Simulated duration of one uncached build step.
    pub step_ms: u64,
    /// How long a `__timeout__` step runs before it fails; 10 steps when `None`.
    pub step_timeout_ms: Option<u64>,
    /// Most builds `building` at once; `None` is no limit.
    pub max_concurrent_builds: Option<usize>,
    /// Directory served at `/`.
    pub serve: Option<PathBuf>,
    /// Directory served at `/pkg/` (the built npm package).
    pub serve_pkg: Option<PathBuf>,
    /// Largest JSON request body.
    pub max_json_bytes: usize,
    /// Largest upload (`PUT` of a files archive).
    pub max_upload_bytes: u64,
    pub faults: Faults,
    /// Print one line per request to stderr.
    pub log_requests: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            api_keys: Vec::new(),
            data_dir: None,
            step_ms: 300,
            step_timeout_ms: None,
            max_concurrent_builds: None,
            serve: None,
            serve_pkg: None,
            max_json_bytes: 1024 * 1024,
            max_upload_bytes: 512 * 1024 * 1024,
            faults: Faults::default(),
            log_requests: false,
        }
    }
}

pub const HELP: &str = "\
novita-emulator: a local emulator of the Novita sandbox template REST API.

It answers the template endpoints (build request, file upload, trigger, status and
logs, tags, aliases, list, get, delete) and POST/DELETE /sandboxes with the same JSON
shapes as the real service, so the official novita-sandbox SDK and ours run against it
unchanged. Builds are simulated: IT DOES NOT PULL IMAGES AND DOES NOT RUN COMMANDS.
Each step takes --step-ms, logs like a real build, and is cached like a Docker layer.

USAGE:
    novita-emulator [OPTIONS]

OPTIONS:
    --listen ADDR            address to listen on [default: 127.0.0.1:3000];
                             127.0.0.1:0 picks a free port
    --api-key KEY            accepted API key (repeatable); one is generated if none
                             is given. Sent as X-API-KEY or Authorization: Bearer KEY
    --data-dir DIR           state directory (SQLite + uploads); it survives restarts.
                             Default: a fresh temporary directory, removed on Ctrl-C
                             or SIGTERM
    --step-ms N              simulated time of one uncached build step [default: 300]
    --step-timeout-ms N      how long a __timeout__ step runs before it fails
                             [default: 10 x --step-ms]
    --max-concurrent-builds N
                             at most N builds `building` at once; beyond that a
                             build request or trigger is refused with 429 and
                             Retry-After [default: 0 = no limit]
    --serve DIR              serve static files from DIR at /
    --serve-pkg DIR          serve the built npm package from DIR at /pkg/
    --max-json-kb N          largest JSON request body [default: 1024]
    --max-upload-mb N        largest files upload [default: 512]
    --fault-error-rate P     answer this share of API requests with 500 JSON
    --fault-429-rate P       answer this share with 429 and Retry-After: 1
    --fault-latency-ms N     delay every API request by N ms
    --fault-drop-rate P      close this share of API connections without a reply
    --fault-late-share S     share of the injected 500s and drops that strike
                             after the request was handled, so that it took
                             effect but its reply is lost [default: 0.5]
    --seed N                 seed of the fault dice (deterministic fault sequences)
    --log-requests           print `METHOD PATH -> STATUS (MS ms)` per request to stderr
    -h, --help               print this help
    -V, --version            print the version

OUTPUT:
    The first stdout line is `listening on http://HOST:PORT`, the second
    `api key: KEY`.

FAILURE TRIGGERS (deterministic):
    RUN command containing __fail__      the build fails at that step (exit code 1)
    RUN command containing __oom__       killed at that step: out of memory (137)
    RUN command containing __disk__      fails at that step: no space left on device
    RUN command containing __timeout__   runs --step-timeout-ms, then times out
    start or ready command with __fail__ never succeeds; fails at step `finalize`
                                         after 5 attempts
    image name containing __missing__    the pull fails: no such image (step `base`)
    image name containing __denied__     the pull fails: access denied (step `base`)
    COPY whose files were never uploaded fails at that step
    fromTemplate of an unknown template  fails at step `base` (built-in public
                                         templates: base, code-interpreter-v1,
                                         desktop, mcp-gateway, devcontainer)

LIMITS AND RULES:
    cpuCount 1-8; memoryMB 128-8192 and even; JSON bodies 1 MiB; 500 steps.
    Template names: 1-128 of A-Z a-z 0-9 - _ . (starting with a letter or digit),
    case-insensitive: stored and compared in lowercase.
    Tags: 1-128 of A-Z a-z 0-9 - _ . (starting with a letter, digit or _).
    `name` without a tag means `name:default`. A build's tags move to it when it
    becomes ready. A new build of a template supersedes its unfinished builds.
    A repeated build request creates another build; triggering a build that is
    no longer `waiting` is 409 and changes nothing.

BUILD LOGS:
    Every entry has a `step`: base, 1 .. N, finalize. A step's first entry names
    it (`[base] FROM …`, `[builder 2/5] RUN …`, `[finalize] …`, `CACHED ` in front
    when cached); the entries after it are its output.

FAULTS:
    Faults apply to every API route (including both build POSTs and uploads),
    never to static files, the registry or CORS preflight. A 429 strikes before
    the request is handled; a 500 or a drop strikes before it or, for
    --fault-late-share of them, after it (the request took effect).

REGISTRY:
    /registry serves a tiny read-only container registry (token, manifests, config
    blobs) for library/python:3.12, library/ubuntu:22.04 and library/node:lts, so
    image-config inheritance can be tested offline.
";

fn value<'a>(flag: &str, it: &mut impl Iterator<Item = &'a String>) -> Result<&'a String, String> {
    it.next().ok_or_else(|| format!("{flag} needs a value"))
}

fn number<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag}: '{v}' is not a valid number"))
}

fn rate(flag: &str, v: &str) -> Result<f64, String> {
    let p: f64 = number(flag, v)?;
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!("{flag}: {p} is not a probability between 0 and 1"))
    }
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Run(Box<Config>),
    Help,
    Version,
}

/// Parses the arguments after the program name. Accepts `--flag value` and
/// `--flag=value`.
pub fn parse_args(args: &[String]) -> Result<Command, String> {
    let mut cfg = Config::default();
    let expanded: Vec<String> = args
        .iter()
        .flat_map(|a| match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => vec![f.to_string(), v.to_string()],
            _ => vec![a.clone()],
        })
        .collect();
    let mut it = expanded.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--listen" => {
                let v = value(flag, &mut it)?;
                cfg.listen = v.parse().map_err(|_| {
                    format!("--listen: '{v}' is not an address like 127.0.0.1:3000")
                })?;
            }
            "--api-key" => {
                let v = value(flag, &mut it)?;
                if v.is_empty() || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
                    return Err("--api-key: the key must be non-empty, without spaces".into());
                }
                cfg.api_keys.push(v.clone());
            }
            "--data-dir" => cfg.data_dir = Some(PathBuf::from(value(flag, &mut it)?)),
            "--step-ms" => cfg.step_ms = number(flag, value(flag, &mut it)?)?,
            "--step-timeout-ms" => cfg.step_timeout_ms = Some(number(flag, value(flag, &mut it)?)?),
            "--max-concurrent-builds" => {
                let n: usize = number(flag, value(flag, &mut it)?)?;
                cfg.max_concurrent_builds = (n > 0).then_some(n);
            }
            "--serve" => cfg.serve = Some(PathBuf::from(value(flag, &mut it)?)),
            "--serve-pkg" => cfg.serve_pkg = Some(PathBuf::from(value(flag, &mut it)?)),
            "--max-json-kb" => {
                cfg.max_json_bytes =
                    number::<usize>(flag, value(flag, &mut it)?)?.saturating_mul(1024)
            }
            "--max-upload-mb" => {
                cfg.max_upload_bytes =
                    number::<u64>(flag, value(flag, &mut it)?)?.saturating_mul(1024 * 1024)
            }
            "--fault-error-rate" => cfg.faults.error_rate = rate(flag, value(flag, &mut it)?)?,
            "--fault-429-rate" => cfg.faults.rate_limit_rate = rate(flag, value(flag, &mut it)?)?,
            "--fault-latency-ms" => cfg.faults.latency_ms = number(flag, value(flag, &mut it)?)?,
            "--fault-drop-rate" => cfg.faults.drop_rate = rate(flag, value(flag, &mut it)?)?,
            "--fault-late-share" => cfg.faults.late_share = rate(flag, value(flag, &mut it)?)?,
            "--seed" => cfg.faults.seed = Some(number(flag, value(flag, &mut it)?)?),
            "--log-requests" => cfg.log_requests = true,
            other => return Err(format!("unknown option '{other}' (see --help)")),
        }
    }
    Ok(Command::Run(Box::new(cfg)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_flags() {
        let Command::Run(c) = parse_args(&args(
            "--listen 127.0.0.1:0 --api-key a --api-key=b --step-ms 20 --fault-429-rate 1 --seed 7",
        ))
        .unwrap() else {
            panic!("expected run")
        };
        assert_eq!(c.listen.port(), 0);
        assert_eq!(c.api_keys, vec!["a", "b"]);
        assert_eq!(c.step_ms, 20);
        assert_eq!(c.faults.rate_limit_rate, 1.0);
        assert_eq!(c.faults.seed, Some(7));
        assert!(parse_args(&args("--fault-drop-rate 2"))
            .unwrap_err()
            .contains("probability"));
        assert!(parse_args(&args("--bogus"))
            .unwrap_err()
            .contains("unknown option"));
        assert!(parse_args(&args("--listen"))
            .unwrap_err()
            .contains("needs a value"));
        assert!(matches!(
            parse_args(&args("--help")).unwrap(),
            Command::Help
        ));
    }
}
