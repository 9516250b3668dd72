//! Files uploads for COPY steps: `GET /templates/{templateID}/files/{hash}` hands out
//! an upload URL on this server (built from the Host the client used), and `PUT` on
//! that URL stores the archive content-addressed under the data directory.
//!
//! The upload URL carries a token (SHA-256 of a per-data-dir secret and the hash)
//! because the official client sends no API key on the PUT, like a presigned URL.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::{empty_reply, json_reply, query_pairs, ApiError, ApiResult, PathParams, Shared};
use crate::{ids, tarball, validation};

/// Where upload URLs point; the files hash follows.
pub const UPLOAD_PATH_PREFIX: &str = "/uploads/";

fn token(secret: &str, hash: &str) -> String {
    let digest = Sha256::digest(format!("{secret}:{hash}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `host:port` the client addressed, if the Host header is a plausible one.
fn request_host(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plausible = !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    plausible.then(|| host.to_string())
}

/// `GET /templates/{templateID}/files/{hash}` → 201 `{present, url}`. The URL is
/// given even when the files are present, so that `forceUpload` can replace them.
pub async fn upload_link(
    State(state): State<Shared>,
    PathParams((template_id, hash)): PathParams<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    validation::path_id("template id", &template_id).map_err(ApiError::bad_request)?;
    validation::files_hash(&hash).map_err(ApiError::bad_request)?;
    state
        .store
        .find_template(&template_id)?
        .filter(|t| t.id == template_id)
        .ok_or_else(|| ApiError::not_found(format!("template '{template_id}' not found")))?;
    let present = state.store.upload_present(&hash)?;
    let host = request_host(&headers).unwrap_or_else(|| state.fallback_host.clone());
    let url = format!(
        "http://{host}{UPLOAD_PATH_PREFIX}{hash}?token={}",
        token(&state.upload_secret, &hash)
    );
    Ok(json_reply(
        StatusCode::CREATED,
        &json!({"present": present, "url": url}),
    ))
}

/// `PUT /uploads/{hash}?token=…`: the gzip tar of a COPY step's files.
pub async fn upload(
    State(state): State<Shared>,
    PathParams(hash): PathParams<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    validation::files_hash(&hash).map_err(ApiError::bad_request)?;
    let given = query_pairs(query.as_deref())
        .into_iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v);
    if given.as_deref() != Some(token(&state.upload_secret, &hash).as_str()) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "missing or wrong upload token: use the URL from GET /templates/{templateID}/files/{hash}",
        ));
    }
    if headers.contains_key(header::TRANSFER_ENCODING) {
        return Err(ApiError::new(
            StatusCode::LENGTH_REQUIRED,
            "chunked uploads are refused: send the archive with a Content-Length",
        ));
    }
    let length: u64 = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::LENGTH_REQUIRED,
                "the upload needs a Content-Length",
            )
        })?;
    if length > state.config.max_upload_bytes {
        let refusal = ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the upload of {length} bytes is larger than the limit of {} bytes",
                state.config.max_upload_bytes
            ),
        );
        return Err(super::drain_then(body, refusal).await);
    }
    let temp = IncomingFile(
        state
            .uploads_dir
            .join(format!("incoming-{}", ids::short_id(16))),
    );
    receive(&state, &temp.0, &hash, length, body).await
}

/// A partly received upload. Removed on drop, which also covers a client that
/// hangs up mid-body (hyper then drops the handler's future); after a successful
/// rename there is nothing left to remove.
struct IncomingFile(std::path::PathBuf);

impl Drop for IncomingFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

async fn receive(
    state: &Shared,
    temp: &std::path::Path,
    hash: &str,
    length: u64,
    mut body: Body,
) -> ApiResult {
    let io = |e: std::io::Error| ApiError::internal(format!("cannot store the upload: {e}"));
    let mut file = tokio::fs::File::create(temp).await.map_err(io)?;
    let mut sha = Sha256::new();
    let mut received: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            ApiError::bad_request(format!("the upload body could not be read: {e}"))
        })?;
        if let Ok(data) = frame.into_data() {
            received += data.len() as u64;
            if received > length {
                return Err(ApiError::bad_request(
                    "the upload is longer than its Content-Length",
                ));
            }
            sha.update(&data);
            file.write_all(&data).await.map_err(io)?;
        }
    }
    file.flush().await.map_err(io)?;
    drop(file);
    if received != length {
        return Err(ApiError::bad_request(format!(
            "the upload has {received} bytes but its Content-Length says {length}"
        )));
    }
    let path = temp.to_path_buf();
    let checked = tokio::task::spawn_blocking(move || {
        let f = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        tarball::validate(std::io::BufReader::new(f))
    })
    .await
    .map_err(|e| ApiError::internal(format!("archive check failed: {e}")))?;
    checked.map_err(|e| {
        ApiError::bad_request(format!(
            "the upload is not a gzip-compressed tar archive: {e}"
        ))
    })?;
    let target = state.uploads_dir.join(format!("{hash}.tar.gz"));
    tokio::fs::rename(temp, &target).await.map_err(io)?;
    let digest: String = sha.finalize().iter().map(|b| format!("{b:02x}")).collect();
    state.store.record_upload(hash, length as i64, &digest)?;
    Ok(empty_reply(StatusCode::OK))
}
