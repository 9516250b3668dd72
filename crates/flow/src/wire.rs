//! Requests and replies of every endpoint the template subsystem uses (§2.5, §9).
//!
//! Builders produce [`HttpRequest`]s whose bodies are byte-identical to the
//! official SDK's (`JSON.stringify` key order and escaping, keys omitted when
//! undefined); path parameters are encoded like `encodeURIComponent`.
//! Parsers turn an [`HttpResponse`] into typed values or a [`SdkError`],
//! never panicking on any bytes.

use crate::prelude::*;

use crate::connection::ConnectionConfig;
use crate::endpoint::Endpoint;
use crate::errors::{error_from_status, truncate_detail};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::iso_time::parse_rfc3339_ms;
use crate::log_entry::LogEntry;
use crate::sandbox::SandboxOptions;
use crate::uri_component::encode_uri_component as enc;
use novita_template_json::shape::{put, Date, Encode, Num, OrNull};
use novita_template_json::{parse_bytes, push_quoted, push_u64};

/// Default `cpuCount` of a build request.
pub const DEFAULT_CPU_COUNT: u32 = 2;
/// Default `memoryMB` of a build request.
pub const DEFAULT_MEMORY_MB: u32 = 1024;

fn api_request(
    config: &ConnectionConfig,
    endpoint: Endpoint,
    method: Method,
    path_and_query: &[&str],
    body: Option<String>,
) -> HttpRequest {
    let mut url = config.api_url.clone();
    for part in path_and_query {
        url.push_str(part);
    }
    HttpRequest {
        method,
        url,
        headers: config.api_headers(body.is_some()),
        body,
        timeout_ms: config.request_timeout_ms,
        idempotent: endpoint.is_idempotent(),
    }
}

/// `{"<key>":<value>,"tags":[…]}`, the body of the tag calls.
fn tags_body(key: &str, value: &str, tags: &[String]) -> String {
    let mut body = String::from("{");
    push_quoted(&mut body, key);
    body.push(':');
    push_quoted(&mut body, value);
    body.push_str(",\"tags\":");
    Json::strs(tags).write_compact(&mut body);
    body.push('}');
    body
}

/// `POST /v3/templates` with `{"name","tags"?,"cpuCount","memoryMB"}`.
pub fn request_build(
    config: &ConnectionConfig,
    name: &str,
    tags: Option<&[String]>,
    cpu_count: u32,
    memory_mb: u32,
) -> HttpRequest {
    let mut body = String::from("{\"name\":");
    push_quoted(&mut body, name);
    if let Some(t) = tags {
        body.push_str(",\"tags\":");
        Json::strs(t).write_compact(&mut body);
    }
    body.push_str(",\"cpuCount\":");
    push_u64(&mut body, cpu_count.into());
    body.push_str(",\"memoryMB\":");
    push_u64(&mut body, memory_mb.into());
    body.push('}');
    api_request(
        config,
        Endpoint::RequestBuild,
        Method::Post,
        &["/v3/templates"],
        Some(body),
    )
}

/// `GET /templates/{templateID}/files/{filesHash}`.
pub fn file_upload_link(
    config: &ConnectionConfig,
    template_id: &str,
    files_hash: &str,
) -> HttpRequest {
    let path = [
        "/templates/",
        &enc(template_id),
        "/files/",
        &enc(files_hash),
    ];
    api_request(config, Endpoint::FileUploadLink, Method::Get, &path, None)
}

/// `POST /v2/templates/{templateID}/builds/{buildID}` with the serialized template.
pub fn trigger_build(
    config: &ConnectionConfig,
    template_id: &str,
    build_id: &str,
    body: String,
) -> HttpRequest {
    let path = [
        "/v2/templates/",
        &enc(template_id),
        "/builds/",
        &enc(build_id),
    ];
    api_request(
        config,
        Endpoint::TriggerBuild,
        Method::Post,
        &path,
        Some(body),
    )
}

/// `GET /templates/{templateID}/builds/{buildID}/status[?logsOffset=n]`.
pub fn build_status(
    config: &ConnectionConfig,
    template_id: &str,
    build_id: &str,
    logs_offset: Option<u64>,
) -> HttpRequest {
    let offset = logs_offset.map(u64_text);
    let path = [
        "/templates/",
        &enc(template_id),
        "/builds/",
        &enc(build_id),
        "/status",
        if offset.is_some() { "?logsOffset=" } else { "" },
        offset.as_deref().unwrap_or_default(),
    ];
    api_request(config, Endpoint::BuildStatus, Method::Get, &path, None)
}

/// `GET /templates/aliases/{alias}`.
pub fn alias_exists(config: &ConnectionConfig, alias: &str) -> HttpRequest {
    api_request(
        config,
        Endpoint::AliasExists,
        Method::Get,
        &["/templates/aliases/", &enc(alias)],
        None,
    )
}

/// `POST /templates/tags` with `{"target","tags"}`.
pub fn assign_tags(config: &ConnectionConfig, target: &str, tags: &[String]) -> HttpRequest {
    api_request(
        config,
        Endpoint::AssignTags,
        Method::Post,
        &["/templates/tags"],
        Some(tags_body("target", target, tags)),
    )
}

/// `DELETE /templates/tags` with `{"name","tags"}`.
pub fn remove_tags(config: &ConnectionConfig, name: &str, tags: &[String]) -> HttpRequest {
    api_request(
        config,
        Endpoint::RemoveTags,
        Method::Delete,
        &["/templates/tags"],
        Some(tags_body("name", name, tags)),
    )
}

/// `GET /templates/{templateID}/tags`.
pub fn get_tags(config: &ConnectionConfig, template_id: &str) -> HttpRequest {
    api_request(
        config,
        Endpoint::GetTags,
        Method::Get,
        &["/templates/", &enc(template_id), "/tags"],
        None,
    )
}

/// `GET /templates/{templateID}`.
pub fn get_template(config: &ConnectionConfig, template_id: &str) -> HttpRequest {
    api_request(
        config,
        Endpoint::GetTemplate,
        Method::Get,
        &["/templates/", &enc(template_id)],
        None,
    )
}

/// `GET /v2/templates?template_type=..&page=..&limit=..` with the raw-fetch headers.
/// Validate the options first with [`crate::paginator::ListOptions::validate`].
pub fn list_templates(
    config: &ConnectionConfig,
    template_type: &str,
    page: u64,
    limit: u64,
) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url: novita_template_json::cat!(
            &config.api_url,
            "/v2/templates?template_type=",
            &enc(template_type),
            "&page=",
            &u64_text(page),
            "&limit=",
            &u64_text(limit),
        ),
        headers: config.raw_headers(),
        body: None,
        timeout_ms: config.request_timeout_ms,
        idempotent: true,
    }
}

/// `DELETE /templates/{templateID}`; an empty id is refused like the official SDK.
pub fn delete_template(
    config: &ConnectionConfig,
    template_id: &str,
) -> Result<HttpRequest, SdkError> {
    if template_id.is_empty() {
        return Err(SdkError::new(
            ErrorClass::Error,
            "templateId cannot be empty",
        ));
    }
    Ok(api_request(
        config,
        Endpoint::DeleteTemplate,
        Method::Delete,
        &["/templates/", &enc(template_id)],
        None,
    ))
}

/// `POST /sandboxes` with the body keys in the official order (§9).
pub fn create_sandbox(
    config: &ConnectionConfig,
    template_id: &str,
    o: &SandboxOptions,
) -> Result<HttpRequest, SdkError> {
    let timeout_s = o.timeout_seconds()?;
    let mut body = Vec::with_capacity(13);
    let mut opt = |key: &str, v: Option<Json>| put(&mut body, key, v);
    opt("templateID", Some(Json::str(template_id)));
    opt("metadata", o.metadata.as_ref().and_then(Encode::encode));
    opt("mcp", o.mcp.clone());
    opt("envVars", o.envs.as_ref().and_then(Encode::encode));
    opt("timeout", Some(Json::int(timeout_s as i64)));
    opt("secure", Some(Json::Bool(o.secure.unwrap_or(true))));
    opt(
        "allow_internet_access",
        Some(Json::Bool(o.allow_internet_access.unwrap_or(true))),
    );
    opt("network", o.network.clone());
    opt("nodeID", o.node_id.as_deref().map(Json::str));
    let auto_pause = o.lifecycle.as_ref().and_then(|l| l.on_timeout.as_deref()) == Some("pause");
    opt("autoPause", Some(Json::Bool(auto_pause)));
    opt(
        "autoResume",
        o.auto_resume
            .as_ref()
            .map(|a| Json::Obj(vec![("enabled".into(), Json::Bool(a.enabled.0))])),
    );
    opt("volumeMounts", o.volume_mounts.clone());
    opt("secrets", o.secrets.clone());
    Ok(api_request(
        config,
        Endpoint::CreateSandbox,
        Method::Post,
        &["/sandboxes"],
        Some(Json::Obj(body).to_compact()),
    ))
}

/// `DELETE /sandboxes/{sandboxID}`.
pub fn kill_sandbox(config: &ConnectionConfig, sandbox_id: &str) -> HttpRequest {
    api_request(
        config,
        Endpoint::KillSandbox,
        Method::Delete,
        &["/sandboxes/", &enc(sandbox_id)],
        None,
    )
}

// ---------------------------------------------------------------- replies

/// The JSON of a 2xx reply: `Ok(None)` when bodiless, an error for non-2xx or
/// unreadable JSON.
pub fn json_body(endpoint: Endpoint, response: &HttpResponse) -> Result<Option<Json>, SdkError> {
    if !response.is_success() {
        return Err(error_from_status(endpoint, response));
    }
    if response.is_bodiless() {
        return Ok(None);
    }
    parse_bytes(&response.body).map(Some).map_err(|_| {
        SdkError::new(
            endpoint.error_class(),
            novita_template_json::cat!(
                &u64_text(response.status.into()),
                ": invalid JSON in response: ",
                &truncate_detail(&novita_template_json::text::utf8_lossy(&response.body)),
            ),
        )
        .with_status(response.status)
    })
}

fn required_body(endpoint: Endpoint, response: &HttpResponse) -> Result<Json, SdkError> {
    json_body(endpoint, response)?.ok_or_else(|| {
        SdkError::new(endpoint.error_class(), endpoint.missing_body_message())
            .with_status(response.status)
    })
}

fn malformed(endpoint: Endpoint, what: &str) -> SdkError {
    SdkError::new(
        endpoint.error_class(),
        novita_template_json::cat!("Invalid response from the server: ", what),
    )
}

fn as_object(endpoint: Endpoint, value: &Json) -> Result<&Json, SdkError> {
    match value {
        Json::Obj(_) => Ok(value),
        _ => Err(malformed(endpoint, "expected a JSON object")),
    }
}

/// A string field; numbers are accepted as their text (servers send ids either way).
fn str_field(v: &Json, key: &str) -> Option<String> {
    v.get(key)?.as_text().map(str::to_string)
}

fn required_str(endpoint: Endpoint, v: &Json, key: &str) -> Result<String, SdkError> {
    str_field(v, key)
        .ok_or_else(|| malformed(endpoint, &novita_template_json::cat!("missing ", key)))
}

/// A number field as its text, `0` when absent or not a number (`?? 0` in the official SDK).
fn num_field(v: &Json, key: &str) -> Num {
    match v.get(key) {
        Some(Json::Num(t)) => Num(t.clone()),
        _ => Num("0".into()),
    }
}

fn bool_field(v: &Json, key: &str) -> Option<bool> {
    v.get(key)?.as_bool()
}

fn str_list(v: &Json, key: &str) -> Option<Vec<String>> {
    let items = v.get(key)?.as_array()?;
    Some(
        items
            .iter()
            .map(|i| match i {
                Json::Str(s) => s.clone(),
                other => other.to_compact(),
            })
            .collect(),
    )
}

/// `POST /v3/templates` reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestBuildReply {
    pub template_id: String,
    pub build_id: String,
    /// `None` when the server sent no `tags` (then `BuildInfo.tags` is undefined).
    pub tags: Option<Vec<String>>,
}

pub fn parse_request_build(response: &HttpResponse) -> Result<RequestBuildReply, SdkError> {
    let e = Endpoint::RequestBuild;
    let value = required_body(e, response)?;
    let v = as_object(e, &value)?;
    Ok(RequestBuildReply {
        template_id: required_str(e, v, "templateID")?,
        build_id: required_str(e, v, "buildID")?,
        tags: str_list(v, "tags"),
    })
}

/// `GET …/files/{hash}` reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileUploadLink {
    /// `Some(false)` means the server lacks the files; `None` when not sent.
    pub present: Option<bool>,
    pub url: Option<String>,
}

impl FileUploadLink {
    /// The official rule: upload when `(present === false && url) || (forceUpload && url)`.
    pub fn upload_url(&self, force_upload: bool) -> Option<&str> {
        let url = self.url.as_deref().filter(|u| !u.is_empty())?;
        (self.present == Some(false) || force_upload).then_some(url)
    }
}

pub fn parse_file_upload_link(response: &HttpResponse) -> Result<FileUploadLink, SdkError> {
    let e = Endpoint::FileUploadLink;
    let value = required_body(e, response)?;
    let v = as_object(e, &value)?;
    Ok(FileUploadLink {
        present: bool_field(v, "present"),
        url: v.get("url").and_then(Json::as_str).map(str::to_string),
    })
}

/// `POST /v2/…/builds/{id}` reply: any 2xx, body ignored.
pub fn parse_trigger_build(response: &HttpResponse) -> Result<(), SdkError> {
    if response.is_success() {
        Ok(())
    } else {
        Err(error_from_status(Endpoint::TriggerBuild, response))
    }
}

/// A log entry as the status endpoint sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerLogEntry {
    pub timestamp: String,
    pub level: String,
    pub message: String,
    pub step: Option<String>,
}

impl ServerLogEntry {
    /// As the build loop delivers it to `onBuildLogs` (ANSI stripped).
    pub fn to_log_entry(&self, received_ms: f64) -> LogEntry {
        LogEntry::from_server(&self.timestamp, &self.level, &self.message, received_ms)
    }

    /// As `getBuildStatus` returns it (message kept as sent).
    pub fn to_raw_log_entry(&self, received_ms: f64) -> LogEntry {
        LogEntry::new(
            parse_rfc3339_ms(&self.timestamp).unwrap_or(received_ms),
            self.level.clone(),
            self.message.clone(),
        )
    }
}

/// The `reason` of a failed build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildReason {
    pub message: Option<String>,
    pub step: Option<String>,
    pub log_entries: Vec<ServerLogEntry>,
}

/// `GET …/status` reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildStatusReply {
    pub build_id: String,
    pub template_id: String,
    pub status: String,
    pub log_entries: Vec<ServerLogEntry>,
    pub logs: Vec<String>,
    pub reason: Option<BuildReason>,
}

fn parse_log_entries(e: Endpoint, value: &Json) -> Result<Vec<ServerLogEntry>, SdkError> {
    let items = value
        .as_array()
        .ok_or_else(|| malformed(e, "logEntries is not an array"))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if item.as_object().is_none() {
            return Err(malformed(e, "a log entry is not an object"));
        }
        out.push(ServerLogEntry {
            timestamp: str_field(item, "timestamp").unwrap_or_default(),
            level: str_field(item, "level").unwrap_or_else(|| "info".into()),
            message: str_field(item, "message").unwrap_or_default(),
            step: str_field(item, "step"),
        });
    }
    Ok(out)
}

pub fn parse_build_status(response: &HttpResponse) -> Result<BuildStatusReply, SdkError> {
    let e = Endpoint::BuildStatus;
    let value = required_body(e, response)?;
    let v = as_object(e, &value)?;
    let entries = v
        .get("logEntries")
        .ok_or_else(|| malformed(e, "missing logEntries"))?;
    let reason = match v.get("reason") {
        Some(r @ Json::Obj(_)) => Some(BuildReason {
            message: r.get("message").and_then(Json::as_str).map(str::to_string),
            step: str_field(r, "step"),
            log_entries: match r.get("logEntries") {
                Some(l @ Json::Arr(_)) => parse_log_entries(e, l)?,
                _ => Vec::new(),
            },
        }),
        _ => None,
    };
    Ok(BuildStatusReply {
        build_id: str_field(v, "buildID").unwrap_or_default(),
        template_id: str_field(v, "templateID").unwrap_or_default(),
        status: str_field(v, "status").unwrap_or_default(),
        log_entries: parse_log_entries(e, entries)?,
        logs: str_list(v, "logs").unwrap_or_default(),
        reason,
    })
}

novita_template_json::shape! {
    /// Why a build failed, as `getBuildStatus` reports it.
    output struct BuildStatusReason {
        pub message: Option<String> = "message",
        /// The failing step: `base`, `1`, `2`, … or `finalize`.
        pub step: Option<String> = "step",
        pub log_entries: Vec<LogEntry> = "logEntries",
    }
}

novita_template_json::shape! {
    /// One `getBuildStatus` reply: the status and the log entries from `logsOffset` on
    /// (messages as the server sent them, ANSI codes included).
    output struct TemplateBuildStatusResponse {
        pub build_id: String = "buildID",
        pub template_id: String = "templateID",
        #[ts = "TemplateBuildStatus"]
        pub status: String = "status",
        pub log_entries: Vec<LogEntry> = "logEntries",
        pub logs: Vec<String> = "logs",
        pub reason: Option<BuildStatusReason> = "reason",
    }
}

impl BuildStatusReply {
    /// The reply as `getBuildStatus` returns it, entries timed at `now_ms` when the
    /// server's timestamp is unreadable.
    pub fn to_response(&self, now_ms: f64) -> TemplateBuildStatusResponse {
        let raw = |entries: &[ServerLogEntry]| -> Vec<LogEntry> {
            entries.iter().map(|e| e.to_raw_log_entry(now_ms)).collect()
        };
        TemplateBuildStatusResponse {
            build_id: self.build_id.clone(),
            template_id: self.template_id.clone(),
            status: self.status.clone(),
            log_entries: raw(&self.log_entries),
            logs: self.logs.clone(),
            reason: self.reason.as_ref().map(|r| BuildStatusReason {
                message: r.message.clone(),
                step: r.step.clone(),
                log_entries: raw(&r.log_entries),
            }),
        }
    }
}

/// `GET /templates/aliases/{alias}`: 404 false, 403 true, 2xx with a body true,
/// bodiless 2xx false.
pub fn parse_alias_exists(response: &HttpResponse) -> Result<bool, SdkError> {
    match response.status {
        404 => Ok(false),
        403 => Ok(true),
        _ => Ok(json_body(Endpoint::AliasExists, response)?.is_some()),
    }
}

/// `GET /templates/aliases/{alias}` when the template exists: its id.
pub fn parse_alias_template_id(response: &HttpResponse) -> Result<Option<String>, SdkError> {
    if response.status == 404 {
        return Ok(None);
    }
    let value = json_body(Endpoint::AliasExists, response)?;
    Ok(value.as_ref().and_then(|v| str_field(v, "templateID")))
}

novita_template_json::shape! {
    /// What `assignTags` resolves to.
    output struct AssignedTags as "TemplateTagInfo" {
        pub build_id: String = "buildId",
        pub tags: Vec<String> = "tags",
    }
}

pub fn parse_assign_tags(response: &HttpResponse) -> Result<AssignedTags, SdkError> {
    let e = Endpoint::AssignTags;
    let value = required_body(e, response)?;
    let v = as_object(e, &value)?;
    Ok(AssignedTags {
        build_id: required_str(e, v, "buildID")?,
        tags: str_list(v, "tags").unwrap_or_default(),
    })
}

/// `DELETE /templates/tags` reply: any 2xx.
pub fn parse_remove_tags(response: &HttpResponse) -> Result<(), SdkError> {
    json_body(Endpoint::RemoveTags, response).map(|_| ())
}

novita_template_json::shape! {
    /// One tag of a template (`getTags`).
    output struct TemplateTagInfo as "TemplateTag" {
        pub tag: String = "tag",
        pub build_id: String = "buildId",
        pub created_at: Date = "createdAt",
    }
}

/// Epoch ms of a server timestamp; `NaN` (an invalid `Date`) when unreadable.
fn date_of(text: &str) -> f64 {
    parse_rfc3339_ms(text).unwrap_or(f64::NAN)
}

pub fn parse_get_tags(response: &HttpResponse) -> Result<Vec<TemplateTagInfo>, SdkError> {
    let e = Endpoint::GetTags;
    let value = required_body(e, response)?;
    let items = value
        .as_array()
        .ok_or_else(|| malformed(e, "expected a JSON array"))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        as_object(e, item)?;
        out.push(TemplateTagInfo {
            tag: str_field(item, "tag").unwrap_or_default(),
            build_id: str_field(item, "buildID").unwrap_or_default(),
            created_at: Date(date_of(&str_field(item, "createdAt").unwrap_or_default())),
        });
    }
    Ok(out)
}

novita_template_json::shape! {
    /// A template as `get` and `list` return it (the official `toTemplateInfo` mapping
    /// and defaults).
    output struct TemplateInfo {
        pub template_id: String = "templateId",
        pub build_id: String = "buildId",
        #[ts = "TemplateBuildStatus"]
        pub build_status: Option<String> = "buildStatus",
        pub aliases: Vec<String> = "aliases",
        pub names: Vec<String> = "names",
        #[ts = "TemplateType"]
        pub template_type: Option<String> = "templateType",
        pub build_count: Num = "buildCount",
        pub cpu_count: Num = "cpuCount",
        pub memory_mb: Num = "memoryMB",
        pub disk_size_mb: Num = "diskSizeMB",
        pub spawn_count: Num = "spawnCount",
        pub envd_version: String = "envdVersion",
        pub public: bool = "public",
        #[ts = "Record<string, string>"]
        pub metadata: Option<Json> = "metadata",
        pub created_at: Date = "createdAt",
        pub updated_at: Date = "updatedAt",
        pub last_spawned_at: OrNull<Date> = "lastSpawnedAt",
        #[ts = "{ id: string; email?: string } | null"]
        pub created_by: Option<Json> = "createdBy",
    }
}

/// A date field: `None` when absent, empty or 0 (`new Date(0)` in the official SDK is
/// the caller's default), `NaN` when unreadable.
fn date_field(v: &Json, key: &str) -> Option<Date> {
    match v.get(key)? {
        Json::Str(s) if !s.is_empty() => Some(Date(date_of(s))),
        n @ Json::Num(_) => match n.as_integer() {
            Some(0) => None,
            Some(ms) => Some(Date(ms as f64)),
            None => Some(Date(f64::NAN)),
        },
        _ => None,
    }
}

fn to_template_info(v: &Json, requested_type: Option<&str>) -> TemplateInfo {
    TemplateInfo {
        template_id: str_field(v, "templateID").unwrap_or_default(),
        build_id: str_field(v, "buildID").unwrap_or_default(),
        build_status: str_field(v, "buildStatus"),
        aliases: str_list(v, "aliases").unwrap_or_default(),
        names: str_list(v, "names").unwrap_or_default(),
        template_type: str_field(v, "templateType").or(requested_type.map(str::to_string)),
        build_count: num_field(v, "buildCount"),
        cpu_count: num_field(v, "cpuCount"),
        memory_mb: num_field(v, "memoryMB"),
        disk_size_mb: num_field(v, "diskSizeMB"),
        spawn_count: num_field(v, "spawnCount"),
        envd_version: str_field(v, "envdVersion").unwrap_or_default(),
        public: bool_field(v, "public").unwrap_or(false),
        metadata: v.get("metadata").cloned(),
        created_at: date_field(v, "createdAt").unwrap_or(Date(0.0)),
        updated_at: date_field(v, "updatedAt").unwrap_or(Date(0.0)),
        last_spawned_at: OrNull(date_field(v, "lastSpawnedAt")),
        created_by: v.get("createdBy").cloned(),
    }
}

/// `GET /templates/{id}`: `buildId`/`buildStatus` come from `builds[0]`.
pub fn parse_get_template(response: &HttpResponse) -> Result<TemplateInfo, SdkError> {
    let e = Endpoint::GetTemplate;
    let value = required_body(e, response)?;
    let v = as_object(e, &value)?;
    let first_build = v
        .get("builds")
        .and_then(Json::as_array)
        .and_then(|b| b.first())
        .filter(|b| b.as_object().is_some());
    let mut info = to_template_info(v, None);
    info.build_id = first_build
        .and_then(|b| str_field(b, "buildID"))
        .unwrap_or_default();
    info.build_status = first_build.and_then(|b| str_field(b, "status"));
    Ok(info)
}

/// The builds of a template (`GET /templates/{id}`), newest first: `(buildID, status)`.
pub fn parse_template_builds(response: &HttpResponse) -> Result<Vec<(String, String)>, SdkError> {
    let e = Endpoint::GetTemplate;
    let value = required_body(e, response)?;
    let v = as_object(e, &value)?;
    Ok(v.get("builds")
        .and_then(Json::as_array)
        .unwrap_or(&[])
        .iter()
        .map(|b| {
            (
                str_field(b, "buildID").unwrap_or_default(),
                str_field(b, "status").unwrap_or_default(),
            )
        })
        .collect())
}

/// One page of `GET /v2/templates`.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateListPage {
    pub templates: Vec<TemplateInfo>,
    /// The page the server says it sent, and how many there are (whole numbers; the
    /// request's page and 0 when the server sent none or something else).
    pub page: u64,
    pub total_pages: u64,
    /// The members as the server sent them (`null` and absent are `None`), which the
    /// official SDK passes on unchanged.
    pub total: Option<Json>,
    pub page_value: Option<Json>,
    pub limit: Option<Json>,
    pub total_pages_value: Option<Json>,
}

/// Parses a list page; missing numbers default like the official SDK.
pub fn parse_list_templates(
    response: &HttpResponse,
    template_type: &str,
    page: u64,
) -> Result<TemplateListPage, SdkError> {
    let e = Endpoint::ListTemplates;
    let value = required_body(e, response)?;
    let v = as_object(e, &value)?;
    let templates = match v.get("templates") {
        Some(Json::Arr(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for t in items {
                out.push(to_template_info(as_object(e, t)?, Some(template_type)));
            }
            out
        }
        // Absent or null: an empty page, as the official SDK reads it.
        None | Some(Json::Null) => Vec::new(),
        Some(_) => return Err(malformed(e, "templates is not an array")),
    };
    let whole = |key: &str| {
        v.get(key)
            .and_then(Json::as_integer)
            .filter(|n| *n >= 0)
            .map(|n| n as u64)
    };
    let sent = |key: &str| v.get(key).filter(|x| !x.is_null()).cloned();
    Ok(TemplateListPage {
        templates,
        page: whole("page").unwrap_or(page),
        total_pages: whole("totalPages").unwrap_or(0),
        total: sent("total"),
        page_value: sent("page"),
        limit: sent("limit"),
        total_pages_value: sent("totalPages"),
    })
}

/// Whether an error body carries `"code": 404`.
fn body_code_is_404(response: &HttpResponse) -> bool {
    parse_bytes(&response.body)
        .ok()
        .and_then(|v| v.get("code").and_then(Json::as_integer))
        == Some(404)
}

/// `DELETE /templates/{id}`: true when deleted, false when not found.
pub fn parse_delete_template(response: &HttpResponse) -> Result<bool, SdkError> {
    if response.status == 404 || (!response.is_success() && body_code_is_404(response)) {
        return Ok(false);
    }
    json_body(Endpoint::DeleteTemplate, response).map(|_| true)
}

/// `POST /sandboxes` reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxCreated {
    pub sandbox_id: String,
    pub client_id: Option<String>,
    pub template_id: String,
    pub envd_version: String,
    pub envd_access_token: Option<String>,
    pub domain: Option<String>,
    pub traffic_access_token: Option<String>,
}

/// The message when a template's envd is too old for this SDK.
pub const ENVD_TOO_OLD_MESSAGE: &str = "You need to update the template to use the new SDK. You can do this by running `novita-sandbox-cli template build` in the directory with the template.";

/// `a < b` for dotted numeric versions with an optional `-prerelease`
/// (a prerelease sorts before its release). `None` if either is unreadable.
pub fn version_less_than(a: &str, b: &str) -> Option<bool> {
    fn parse(v: &str) -> Option<(Vec<u64>, bool)> {
        let v = v.trim().trim_start_matches(['v', 'V']);
        let v = v.split('+').next()?;
        let (core, pre) = match v.split_once('-') {
            Some((c, _)) => (c, true),
            None => (v, false),
        };
        let parts: Option<Vec<u64>> = core
            .split('.')
            .map(novita_template_json::text::parse_u64)
            .collect();
        let parts = parts.filter(|p| !p.is_empty() && p.len() <= 4)?;
        Some((parts, pre))
    }
    let (pa, pre_a) = parse(a)?;
    let (pb, pre_b) = parse(b)?;
    for i in 0..pa.len().max(pb.len()) {
        let (x, y) = (
            pa.get(i).copied().unwrap_or(0),
            pb.get(i).copied().unwrap_or(0),
        );
        if x != y {
            return Some(x < y);
        }
    }
    Some(pre_a && !pre_b)
}

impl SandboxCreated {
    /// `sandboxID`, or `sandboxID-clientID` on legacy domains.
    pub fn sandbox_id_for(&self, legacy_domain: bool) -> String {
        match (&self.client_id, legacy_domain) {
            (Some(client), true) => novita_template_json::cat!(&self.sandbox_id, "-", client),
            _ => self.sandbox_id.clone(),
        }
    }

    /// The official envd check: envd older than 0.1.0 (or unreadable) must be
    /// refused; the host then kills the sandbox and throws this error.
    pub fn check_envd_version(&self) -> Result<(), SdkError> {
        match version_less_than(&self.envd_version, "0.1.0") {
            Some(false) => Ok(()),
            _ => Err(SdkError::new(
                ErrorClass::TemplateError,
                ENVD_TOO_OLD_MESSAGE,
            )),
        }
    }
}

pub fn parse_create_sandbox(response: &HttpResponse) -> Result<SandboxCreated, SdkError> {
    let e = Endpoint::CreateSandbox;
    let value = required_body(e, response)?;
    let v = as_object(e, &value)?;
    Ok(SandboxCreated {
        sandbox_id: required_str(e, v, "sandboxID")?,
        client_id: str_field(v, "clientID"),
        template_id: str_field(v, "templateID").unwrap_or_default(),
        envd_version: str_field(v, "envdVersion").unwrap_or_default(),
        envd_access_token: str_field(v, "envdAccessToken"),
        domain: str_field(v, "domain"),
        traffic_access_token: str_field(v, "trafficAccessToken"),
    })
}

/// `DELETE /sandboxes/{id}`: true when killed, false when it was not found.
pub fn parse_kill_sandbox(response: &HttpResponse) -> Result<bool, SdkError> {
    if response.status == 404 || (!response.is_success() && body_code_is_404(response)) {
        return Ok(false);
    }
    json_body(Endpoint::KillSandbox, response).map(|_| true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare() {
        assert_eq!(version_less_than("0.2.0", "0.1.0"), Some(false));
        assert_eq!(version_less_than("0.0.9", "0.1.0"), Some(true));
        assert_eq!(version_less_than("0.1.0-rc1", "0.1.0"), Some(true));
        assert_eq!(version_less_than("0.1", "0.1.0"), Some(false));
        assert_eq!(version_less_than("garbage", "0.1.0"), None);
    }

    #[test]
    fn upload_rule() {
        let link = |present, url: Option<&str>| FileUploadLink {
            present,
            url: url.map(str::to_string),
        };
        assert_eq!(link(Some(false), Some("u")).upload_url(false), Some("u"));
        assert_eq!(link(Some(true), Some("u")).upload_url(false), None);
        assert_eq!(link(Some(true), Some("u")).upload_url(true), Some("u"));
        assert_eq!(link(Some(false), None).upload_url(true), None);
        assert_eq!(link(None, Some("u")).upload_url(false), None);
    }
}
