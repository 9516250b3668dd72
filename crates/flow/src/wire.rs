//! Requests and replies of every endpoint the template subsystem uses (§2.5, §9).
//!
//! Builders produce [`HttpRequest`]s whose bodies are byte-identical to the
//! official SDK's (`JSON.stringify` key order and escaping, keys omitted when
//! undefined); path parameters are encoded like `encodeURIComponent`.
//! Parsers turn an [`HttpResponse`] into typed values or a [`FlowError`],
//! never panicking on any bytes.

use serde_json::{Map, Value};

use crate::connection::ConnectionConfig;
use crate::endpoint::Endpoint;
use crate::errors::{error_from_status, truncate_detail, ErrorClass, FlowError};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::iso_time::parse_rfc3339_ms;
use crate::json_text::{compact, quote, string_array};
use crate::log_entry::LogEntry;
use crate::uri_component::encode_uri_component as enc;

/// Default `cpuCount` of a build request.
pub const DEFAULT_CPU_COUNT: u32 = 2;
/// Default `memoryMB` of a build request.
pub const DEFAULT_MEMORY_MB: u32 = 1024;

fn api_request(
    config: &ConnectionConfig,
    endpoint: Endpoint,
    method: Method,
    path_and_query: String,
    body: Option<String>,
) -> HttpRequest {
    HttpRequest {
        method,
        url: format!("{}{}", config.api_url, path_and_query),
        headers: config.api_headers(body.is_some()),
        body,
        timeout_ms: config.request_timeout_ms,
        idempotent: endpoint.is_idempotent(),
    }
}

/// `POST /v3/templates` with `{"name","tags"?,"cpuCount","memoryMB"}`.
pub fn request_build(
    config: &ConnectionConfig,
    name: &str,
    tags: Option<&[String]>,
    cpu_count: u32,
    memory_mb: u32,
) -> HttpRequest {
    let tags = tags
        .map(|t| format!(",\"tags\":{}", string_array(t)))
        .unwrap_or_default();
    let body = format!(
        "{{\"name\":{}{tags},\"cpuCount\":{cpu_count},\"memoryMB\":{memory_mb}}}",
        quote(name)
    );
    api_request(
        config,
        Endpoint::RequestBuild,
        Method::Post,
        "/v3/templates".into(),
        Some(body),
    )
}

/// `GET /templates/{templateID}/files/{filesHash}`.
pub fn file_upload_link(
    config: &ConnectionConfig,
    template_id: &str,
    files_hash: &str,
) -> HttpRequest {
    let path = format!("/templates/{}/files/{}", enc(template_id), enc(files_hash));
    api_request(config, Endpoint::FileUploadLink, Method::Get, path, None)
}

/// `POST /v2/templates/{templateID}/builds/{buildID}` with the serialized template.
pub fn trigger_build(
    config: &ConnectionConfig,
    template_id: &str,
    build_id: &str,
    body: String,
) -> HttpRequest {
    let path = format!(
        "/v2/templates/{}/builds/{}",
        enc(template_id),
        enc(build_id)
    );
    api_request(
        config,
        Endpoint::TriggerBuild,
        Method::Post,
        path,
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
    let query = logs_offset
        .map(|n| format!("?logsOffset={n}"))
        .unwrap_or_default();
    let path = format!(
        "/templates/{}/builds/{}/status{query}",
        enc(template_id),
        enc(build_id)
    );
    api_request(config, Endpoint::BuildStatus, Method::Get, path, None)
}

/// `GET /templates/aliases/{alias}`.
pub fn alias_exists(config: &ConnectionConfig, alias: &str) -> HttpRequest {
    api_request(
        config,
        Endpoint::AliasExists,
        Method::Get,
        format!("/templates/aliases/{}", enc(alias)),
        None,
    )
}

/// `POST /templates/tags` with `{"target","tags"}`.
pub fn assign_tags(config: &ConnectionConfig, target: &str, tags: &[String]) -> HttpRequest {
    let body = format!(
        "{{\"target\":{},\"tags\":{}}}",
        quote(target),
        string_array(tags)
    );
    api_request(
        config,
        Endpoint::AssignTags,
        Method::Post,
        "/templates/tags".into(),
        Some(body),
    )
}

/// `DELETE /templates/tags` with `{"name","tags"}`.
pub fn remove_tags(config: &ConnectionConfig, name: &str, tags: &[String]) -> HttpRequest {
    let body = format!(
        "{{\"name\":{},\"tags\":{}}}",
        quote(name),
        string_array(tags)
    );
    api_request(
        config,
        Endpoint::RemoveTags,
        Method::Delete,
        "/templates/tags".into(),
        Some(body),
    )
}

/// `GET /templates/{templateID}/tags`.
pub fn get_tags(config: &ConnectionConfig, template_id: &str) -> HttpRequest {
    api_request(
        config,
        Endpoint::GetTags,
        Method::Get,
        format!("/templates/{}/tags", enc(template_id)),
        None,
    )
}

/// `GET /templates/{templateID}`.
pub fn get_template(config: &ConnectionConfig, template_id: &str) -> HttpRequest {
    api_request(
        config,
        Endpoint::GetTemplate,
        Method::Get,
        format!("/templates/{}", enc(template_id)),
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
        url: format!(
            "{}/v2/templates?template_type={}&page={page}&limit={limit}",
            config.api_url,
            enc(template_type)
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
) -> Result<HttpRequest, FlowError> {
    if template_id.is_empty() {
        return Err(FlowError::new(
            ErrorClass::Error,
            "templateId cannot be empty",
        ));
    }
    Ok(api_request(
        config,
        Endpoint::DeleteTemplate,
        Method::Delete,
        format!("/templates/{}", enc(template_id)),
        None,
    ))
}

/// Options of `Sandbox.create` that reach the body (§9). The `*_json` fields
/// are JSON texts (the host's `JSON.stringify` of the option objects).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SandboxCreateOptions {
    pub template_id: String,
    pub metadata_json: Option<String>,
    pub mcp_json: Option<String>,
    pub env_vars_json: Option<String>,
    /// Sandbox lifetime; sent as whole seconds rounded up (default 300 s).
    pub timeout_ms: Option<u64>,
    pub secure: Option<bool>,
    pub allow_internet_access: Option<bool>,
    pub network_json: Option<String>,
    pub node_id: Option<String>,
    pub auto_pause: bool,
    pub auto_resume: Option<bool>,
    pub volume_mounts_json: Option<String>,
    pub secrets_json: Option<String>,
}

fn json_option(name: &str, value: &Option<String>) -> Result<String, FlowError> {
    match value {
        None => Ok(String::new()),
        Some(text) => compact(text)
            .map(|c| format!(",{}:{c}", quote(name)))
            .ok_or_else(|| {
                FlowError::new(
                    ErrorClass::InvalidArgumentError,
                    format!("{name} must be valid JSON"),
                )
            }),
    }
}

/// `POST /sandboxes` with the body keys in the official order.
pub fn create_sandbox(
    config: &ConnectionConfig,
    o: &SandboxCreateOptions,
) -> Result<HttpRequest, FlowError> {
    let timeout_s = o.timeout_ms.map_or(300, |ms| ms.div_ceil(1000));
    let mut body = format!("{{\"templateID\":{}", quote(&o.template_id));
    body += &json_option("metadata", &o.metadata_json)?;
    body += &json_option("mcp", &o.mcp_json)?;
    body += &json_option("envVars", &o.env_vars_json)?;
    body += &format!(
        ",\"timeout\":{timeout_s},\"secure\":{},\"allow_internet_access\":{}",
        o.secure.unwrap_or(true),
        o.allow_internet_access.unwrap_or(true)
    );
    body += &json_option("network", &o.network_json)?;
    if let Some(node) = &o.node_id {
        body += &format!(",\"nodeID\":{}", quote(node));
    }
    body += &format!(",\"autoPause\":{}", o.auto_pause);
    if let Some(enabled) = o.auto_resume {
        body += &format!(",\"autoResume\":{{\"enabled\":{enabled}}}");
    }
    body += &json_option("volumeMounts", &o.volume_mounts_json)?;
    body += &json_option("secrets", &o.secrets_json)?;
    body.push('}');
    Ok(api_request(
        config,
        Endpoint::CreateSandbox,
        Method::Post,
        "/sandboxes".into(),
        Some(body),
    ))
}

/// `DELETE /sandboxes/{sandboxID}`.
pub fn kill_sandbox(config: &ConnectionConfig, sandbox_id: &str) -> HttpRequest {
    api_request(
        config,
        Endpoint::KillSandbox,
        Method::Delete,
        format!("/sandboxes/{}", enc(sandbox_id)),
        None,
    )
}

// ---------------------------------------------------------------- replies

/// The JSON of a 2xx reply: `Ok(None)` when bodiless, an error for non-2xx or
/// unreadable JSON.
pub fn json_body(endpoint: Endpoint, response: &HttpResponse) -> Result<Option<Value>, FlowError> {
    if !response.is_success() {
        return Err(error_from_status(endpoint, response));
    }
    if response.is_bodiless() {
        return Ok(None);
    }
    serde_json::from_slice::<Value>(&response.body)
        .map(Some)
        .map_err(|_| {
            FlowError::new(
                endpoint.error_class(),
                format!(
                    "{}: invalid JSON in response: {}",
                    response.status,
                    truncate_detail(&String::from_utf8_lossy(&response.body))
                ),
            )
            .with_status(response.status)
        })
}

fn required_body(endpoint: Endpoint, response: &HttpResponse) -> Result<Value, FlowError> {
    json_body(endpoint, response)?.ok_or_else(|| {
        FlowError::new(endpoint.error_class(), endpoint.missing_body_message())
            .with_status(response.status)
    })
}

fn malformed(endpoint: Endpoint, what: &str) -> FlowError {
    FlowError::new(
        endpoint.error_class(),
        format!("Invalid response from the server: {what}"),
    )
}

fn as_object(endpoint: Endpoint, value: &Value) -> Result<&Map<String, Value>, FlowError> {
    value
        .as_object()
        .ok_or_else(|| malformed(endpoint, "expected a JSON object"))
}

/// A string field; numbers are accepted and printed.
fn str_field(map: &Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn required_str(
    endpoint: Endpoint,
    map: &Map<String, Value>,
    key: &str,
) -> Result<String, FlowError> {
    str_field(map, key).ok_or_else(|| malformed(endpoint, &format!("missing {key}")))
}

fn num_field(map: &Map<String, Value>, key: &str) -> Option<f64> {
    map.get(key)?.as_f64()
}

fn bool_field(map: &Map<String, Value>, key: &str) -> Option<bool> {
    map.get(key)?.as_bool()
}

fn str_list(map: &Map<String, Value>, key: &str) -> Option<Vec<String>> {
    let items = map.get(key)?.as_array()?;
    Some(
        items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
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
    pub names: Vec<String>,
    pub aliases: Vec<String>,
    pub public: bool,
}

pub fn parse_request_build(response: &HttpResponse) -> Result<RequestBuildReply, FlowError> {
    let e = Endpoint::RequestBuild;
    let value = required_body(e, response)?;
    let map = as_object(e, &value)?;
    Ok(RequestBuildReply {
        template_id: required_str(e, map, "templateID")?,
        build_id: required_str(e, map, "buildID")?,
        tags: str_list(map, "tags"),
        names: str_list(map, "names").unwrap_or_default(),
        aliases: str_list(map, "aliases").unwrap_or_default(),
        public: bool_field(map, "public").unwrap_or(false),
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

pub fn parse_file_upload_link(response: &HttpResponse) -> Result<FileUploadLink, FlowError> {
    let e = Endpoint::FileUploadLink;
    let value = required_body(e, response)?;
    let map = as_object(e, &value)?;
    Ok(FileUploadLink {
        present: bool_field(map, "present"),
        url: map.get("url").and_then(Value::as_str).map(str::to_string),
    })
}

/// `POST /v2/…/builds/{id}` reply: any 2xx, body ignored.
pub fn parse_trigger_build(response: &HttpResponse) -> Result<(), FlowError> {
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

fn parse_log_entries(e: Endpoint, value: &Value) -> Result<Vec<ServerLogEntry>, FlowError> {
    let items = value
        .as_array()
        .ok_or_else(|| malformed(e, "logEntries is not an array"))?;
    items
        .iter()
        .map(|item| {
            let map = item
                .as_object()
                .ok_or_else(|| malformed(e, "a log entry is not an object"))?;
            Ok(ServerLogEntry {
                timestamp: str_field(map, "timestamp").unwrap_or_default(),
                level: str_field(map, "level").unwrap_or_else(|| "info".into()),
                message: str_field(map, "message").unwrap_or_default(),
                step: str_field(map, "step"),
            })
        })
        .collect()
}

pub fn parse_build_status(response: &HttpResponse) -> Result<BuildStatusReply, FlowError> {
    let e = Endpoint::BuildStatus;
    let value = required_body(e, response)?;
    let map = as_object(e, &value)?;
    let entries = map
        .get("logEntries")
        .ok_or_else(|| malformed(e, "missing logEntries"))?;
    let reason = match map.get("reason") {
        Some(Value::Object(r)) => Some(BuildReason {
            message: r.get("message").and_then(Value::as_str).map(str::to_string),
            step: str_field(r, "step"),
            log_entries: match r.get("logEntries") {
                Some(v @ Value::Array(_)) => parse_log_entries(e, v)?,
                _ => Vec::new(),
            },
        }),
        _ => None,
    };
    Ok(BuildStatusReply {
        build_id: str_field(map, "buildID").unwrap_or_default(),
        template_id: str_field(map, "templateID").unwrap_or_default(),
        status: str_field(map, "status").unwrap_or_default(),
        log_entries: parse_log_entries(e, entries)?,
        logs: str_list(map, "logs").unwrap_or_default(),
        reason,
    })
}

/// `GET /templates/aliases/{alias}`: 404 false, 403 true, 2xx with a body true,
/// bodiless 2xx false.
pub fn parse_alias_exists(response: &HttpResponse) -> Result<bool, FlowError> {
    match response.status {
        404 => Ok(false),
        403 => Ok(true),
        _ => Ok(json_body(Endpoint::AliasExists, response)?.is_some()),
    }
}

/// `POST /templates/tags` reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignedTags {
    pub build_id: String,
    pub tags: Vec<String>,
}

pub fn parse_assign_tags(response: &HttpResponse) -> Result<AssignedTags, FlowError> {
    let e = Endpoint::AssignTags;
    let value = required_body(e, response)?;
    let map = as_object(e, &value)?;
    Ok(AssignedTags {
        build_id: required_str(e, map, "buildID")?,
        tags: str_list(map, "tags").unwrap_or_default(),
    })
}

/// `DELETE /templates/tags` reply: any 2xx.
pub fn parse_remove_tags(response: &HttpResponse) -> Result<(), FlowError> {
    json_body(Endpoint::RemoveTags, response).map(|_| ())
}

/// One entry of `GET /templates/{id}/tags`.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateTag {
    pub tag: String,
    pub build_id: String,
    /// As the server sent it.
    pub created_at: String,
    /// Epoch ms (`NaN` when unparsable, like an invalid JS `Date`).
    pub created_at_ms: f64,
}

pub fn parse_get_tags(response: &HttpResponse) -> Result<Vec<TemplateTag>, FlowError> {
    let e = Endpoint::GetTags;
    let value = required_body(e, response)?;
    let items = value
        .as_array()
        .ok_or_else(|| malformed(e, "expected a JSON array"))?;
    items
        .iter()
        .map(|item| {
            let map = as_object(e, item)?;
            let created_at = str_field(map, "createdAt").unwrap_or_default();
            Ok(TemplateTag {
                tag: str_field(map, "tag").unwrap_or_default(),
                build_id: str_field(map, "buildID").unwrap_or_default(),
                created_at_ms: parse_rfc3339_ms(&created_at).unwrap_or(f64::NAN),
                created_at,
            })
        })
        .collect()
}

/// `TemplateInfo` after the official `toTemplateInfo` mapping and defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateInfo {
    pub template_id: String,
    pub build_id: String,
    pub build_status: Option<String>,
    pub aliases: Vec<String>,
    pub names: Vec<String>,
    /// `None` for `get` (the official result has no `templateType` there unless sent).
    pub template_type: Option<String>,
    pub build_count: f64,
    pub cpu_count: f64,
    pub memory_mb: f64,
    pub disk_size_mb: f64,
    pub spawn_count: f64,
    pub envd_version: String,
    pub public: bool,
    pub metadata: Option<Value>,
    /// Epoch ms; 0 when absent (`new Date(0)`), `NaN` when unparsable.
    pub created_at_ms: f64,
    pub updated_at_ms: f64,
    /// `None` for null/absent.
    pub last_spawned_at_ms: Option<f64>,
    /// `Some(Value::Null)` when the server sent `null`, `None` when absent.
    pub created_by: Option<Value>,
}

fn date_field(map: &Map<String, Value>, key: &str) -> Option<f64> {
    match map.get(key)? {
        Value::String(s) if !s.is_empty() => Some(parse_rfc3339_ms(s).unwrap_or(f64::NAN)),
        Value::Number(n) => n.as_f64().filter(|v| *v != 0.0),
        _ => None,
    }
}

fn to_template_info(map: &Map<String, Value>, requested_type: Option<&str>) -> TemplateInfo {
    TemplateInfo {
        template_id: str_field(map, "templateID").unwrap_or_default(),
        build_id: str_field(map, "buildID").unwrap_or_default(),
        build_status: str_field(map, "buildStatus"),
        aliases: str_list(map, "aliases").unwrap_or_default(),
        names: str_list(map, "names").unwrap_or_default(),
        template_type: str_field(map, "templateType").or(requested_type.map(str::to_string)),
        build_count: num_field(map, "buildCount").unwrap_or(0.0),
        cpu_count: num_field(map, "cpuCount").unwrap_or(0.0),
        memory_mb: num_field(map, "memoryMB").unwrap_or(0.0),
        disk_size_mb: num_field(map, "diskSizeMB").unwrap_or(0.0),
        spawn_count: num_field(map, "spawnCount").unwrap_or(0.0),
        envd_version: str_field(map, "envdVersion").unwrap_or_default(),
        public: bool_field(map, "public").unwrap_or(false),
        metadata: map.get("metadata").cloned(),
        created_at_ms: date_field(map, "createdAt").unwrap_or(0.0),
        updated_at_ms: date_field(map, "updatedAt").unwrap_or(0.0),
        last_spawned_at_ms: date_field(map, "lastSpawnedAt"),
        created_by: map.get("createdBy").cloned(),
    }
}

/// `GET /templates/{id}`: `buildId`/`buildStatus` come from `builds[0]`.
pub fn parse_get_template(response: &HttpResponse) -> Result<TemplateInfo, FlowError> {
    let e = Endpoint::GetTemplate;
    let value = required_body(e, response)?;
    let map = as_object(e, &value)?;
    let first_build = map
        .get("builds")
        .and_then(Value::as_array)
        .and_then(|b| b.first())
        .and_then(Value::as_object);
    let mut info = to_template_info(map, None);
    info.build_id = first_build
        .and_then(|b| str_field(b, "buildID"))
        .unwrap_or_default();
    info.build_status = first_build.and_then(|b| str_field(b, "status"));
    Ok(info)
}

/// One page of `GET /v2/templates`.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateListPage {
    pub templates: Vec<TemplateInfo>,
    pub total: f64,
    pub page: f64,
    pub limit: f64,
    pub total_pages: f64,
}

/// Parses a list page; missing numbers default like the official SDK.
pub fn parse_list_templates(
    response: &HttpResponse,
    template_type: &str,
    page: u64,
    limit: u64,
) -> Result<TemplateListPage, FlowError> {
    let e = Endpoint::ListTemplates;
    let value = required_body(e, response)?;
    let map = as_object(e, &value)?;
    let templates = match map.get("templates") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| as_object(e, t).map(|m| to_template_info(m, Some(template_type))))
            .collect::<Result<Vec<_>, _>>()?,
        // Absent or null: an empty page, as the official SDK reads it.
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return Err(malformed(e, "templates is not an array")),
    };
    Ok(TemplateListPage {
        templates,
        total: num_field(map, "total").unwrap_or(0.0),
        page: num_field(map, "page").unwrap_or(page as f64),
        limit: num_field(map, "limit").unwrap_or(limit as f64),
        total_pages: num_field(map, "totalPages").unwrap_or(0.0),
    })
}

/// Whether an error body carries `"code": 404`.
fn body_code_is_404(response: &HttpResponse) -> bool {
    serde_json::from_slice::<Value>(&response.body)
        .ok()
        .and_then(|v| v.get("code").and_then(Value::as_f64))
        == Some(404.0)
}

/// `DELETE /templates/{id}`: true when deleted, false when not found.
pub fn parse_delete_template(response: &HttpResponse) -> Result<bool, FlowError> {
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
        let parts: Option<Vec<u64>> = core.split('.').map(|p| p.parse().ok()).collect();
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
            (Some(client), true) => format!("{}-{client}", self.sandbox_id),
            _ => self.sandbox_id.clone(),
        }
    }

    /// The official envd check: envd older than 0.1.0 (or unreadable) must be
    /// refused; the host then kills the sandbox and throws this error.
    pub fn check_envd_version(&self) -> Result<(), FlowError> {
        match version_less_than(&self.envd_version, "0.1.0") {
            Some(false) => Ok(()),
            _ => Err(FlowError::new(
                ErrorClass::TemplateError,
                ENVD_TOO_OLD_MESSAGE,
            )),
        }
    }
}

pub fn parse_create_sandbox(response: &HttpResponse) -> Result<SandboxCreated, FlowError> {
    let e = Endpoint::CreateSandbox;
    let value = required_body(e, response)?;
    let map = as_object(e, &value)?;
    Ok(SandboxCreated {
        sandbox_id: required_str(e, map, "sandboxID")?,
        client_id: str_field(map, "clientID"),
        template_id: str_field(map, "templateID").unwrap_or_default(),
        envd_version: str_field(map, "envdVersion").unwrap_or_default(),
        envd_access_token: str_field(map, "envdAccessToken"),
        domain: str_field(map, "domain"),
        traffic_access_token: str_field(map, "trafficAccessToken"),
    })
}

/// `DELETE /sandboxes/{id}`: true when killed, false when it was not found.
pub fn parse_kill_sandbox(response: &HttpResponse) -> Result<bool, FlowError> {
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
