//! Static files: `--serve DIR` at `/` and `--serve-pkg DIR` at `/pkg/`. Paths with
//! `..`, backslashes or NUL bytes are refused; directories serve their `index.html`.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" | "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Maps a URL path (already stripped of its mount prefix) to a file under `root`.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(url_path)
        .decode_utf8()
        .ok()?;
    let mut path = root.to_path_buf();
    for part in decoded.split('/') {
        if part.is_empty() || part == "." {
            continue;
        }
        if part == ".." || part.contains('\\') || part.contains('\0') {
            return None;
        }
        path.push(part);
    }
    if path.is_dir() {
        path.push("index.html");
    }
    // A symlink inside the served directory must not lead out of it.
    let real = path.canonicalize().ok()?;
    let real_root = root.canonicalize().ok()?;
    (real.starts_with(&real_root) && real.is_file()).then_some(real)
}

/// Serves the file for `url_path`, or `None` when there is none.
pub async fn serve(root: &Path, url_path: &str, head_only: bool) -> Option<Response<Body>> {
    let file = resolve(root, url_path)?;
    let bytes = tokio::fs::read(&file).await.ok()?;
    let len = bytes.len();
    let mut r = Response::new(if head_only {
        Body::empty()
    } else {
        Body::from(bytes)
    });
    *r.status_mut() = StatusCode::OK;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&file)),
    );
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_inside_the_root() {
        let root = std::env::temp_dir().join(format!("emu-static-{}", std::process::id()));
        let outside = std::env::temp_dir().join(format!("emu-outside-{}", std::process::id()));
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(root.join("sub/index.html"), "x").unwrap();
        std::fs::write(outside.join("secret"), "s").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.join("secret"), root.join("link")).unwrap();
        assert!(resolve(&root, "/sub/").unwrap().ends_with("sub/index.html"));
        assert!(resolve(&root, "/sub/%2e%2e/sub/index.html").is_none());
        assert!(resolve(&root, "/../etc/passwd").is_none());
        assert!(resolve(&root, "/link").is_none());
        assert!(resolve(&root, "/missing").is_none());
        let _ = std::fs::remove_dir_all(&root);
        let _ = std::fs::remove_dir_all(&outside);
    }
}
