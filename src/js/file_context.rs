//! Where `copy()` sources come from: a directory on disk (Node), or a browser
//! source held in memory (`Template({ fileContext })`: a FileList, an array of
//! Files, or an object mapping relative paths to strings, Uint8Arrays or Blobs).
//! Both are a [`FileTree`] for discovery, plus a chunked reader for contents.

use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Reflect, Uint8Array};
use novita_template_files::{EntryKind, FileTree, MemoryTree, Meta, TreeError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::error_classes::class_registry_get;
use super::host;
use super::js_args::{invalid, type_name, JsResult};

/// Bytes read per chunk when hashing and archiving (memory stays at this size).
pub(crate) const CHUNK_BYTES: usize = 4 * 1024 * 1024;

pub(crate) enum FileContext {
    /// A directory on disk, read through the Node host.
    Disk { root: String },
    /// A browser `FileSystemDirectoryHandle`: listed (asynchronously) at each
    /// build or `toJSON`, into a `Memory` context.
    Handle(JsValue),
    /// Files given in memory (browsers), with their contents.
    Memory {
        tree: MemoryTree,
        contents: HashMap<String, JsValue>,
    },
    /// A browser without a `fileContext` source: `copy()` is refused.
    Unavailable,
}

/// Why reading a file failed.
pub(crate) struct ReadError(pub String);

impl FileContext {
    /// The context for `Template(options)`.
    pub(crate) fn from_options(path: &str, source: &JsValue) -> JsResult<FileContext> {
        if !source.is_undefined() && !source.is_null() {
            if is_directory_handle(source) {
                return Ok(FileContext::Handle(source.clone()));
            }
            return memory_source(source);
        }
        if host::is_node() {
            let root = host::call("resolvePath", &[JsValue::from_str(path)])
                .and_then(|r| r.ok())
                .and_then(|v| v.as_string())
                .unwrap_or_else(|| path.to_string());
            return Ok(FileContext::Disk { root });
        }
        Ok(FileContext::Unavailable)
    }

    pub(crate) fn tree(&self) -> Option<&dyn FileTree> {
        match self {
            FileContext::Disk { .. } => Some(self),
            FileContext::Memory { tree, .. } => Some(tree),
            FileContext::Handle(_) | FileContext::Unavailable => None,
        }
    }

    /// The context to read now: a directory handle is listed into memory (its
    /// files as they are at this moment); every other context is itself.
    pub(crate) async fn resolved(self: &Rc<Self>) -> Result<Rc<FileContext>, ReadError> {
        let FileContext::Handle(handle) = &**self else {
            return Ok(Rc::clone(self));
        };
        let transport =
            class_registry_get("transport").ok_or_else(|| ReadError("no transport".into()))?;
        let list: js_sys::Function = Reflect::get(&transport, &"listDirectoryHandle".into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| ReadError("no directory lister".into()))?;
        let p = list
            .call1(&transport, handle)
            .map_err(|e| ReadError(host_error(e)))?;
        let files = JsFuture::from(js_sys::Promise::from(p))
            .await
            .map_err(|e| ReadError(host_error(e)))?;
        // `[[path, File], …]` → `{ path: File }`, then the ordinary memory source.
        let obj = js_sys::Object::from_entries(&files).map_err(|e| ReadError(host_error(e)))?;
        memory_source(&obj)
            .map(Rc::new)
            .map_err(|e| ReadError(host_error(e)))
    }

    /// The text of the context's `.dockerignore`, if there is one.
    pub(crate) async fn dockerignore(&self) -> Result<Option<String>, ReadError> {
        match self {
            FileContext::Disk { root } => {
                let p = disk_path(root, ".dockerignore");
                let is_file = host::call("isFile", &[JsValue::from_str(&p)])
                    .and_then(|r| r.ok())
                    .is_some_and(|v| v.is_truthy());
                if !is_file {
                    return Ok(None);
                }
                match host::call("readText", &[JsValue::from_str(&p)]) {
                    Some(Ok(v)) => Ok(v.as_string()),
                    _ => Err(ReadError(format!("cannot read {p}"))),
                }
            }
            FileContext::Memory { contents, .. } => match contents.get(".dockerignore") {
                None => Ok(None),
                Some(_) => {
                    let mut bytes = Vec::new();
                    let mut reader = self.open(".dockerignore")?;
                    while let Some(c) = reader.next_chunk().await? {
                        bytes.extend_from_slice(&c);
                    }
                    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
                }
            },
            FileContext::Handle(_) | FileContext::Unavailable => Ok(None),
        }
    }

    /// A chunked reader of `path` (relative; symlinks followed).
    pub(crate) fn open(&self, path: &str) -> Result<ContentReader, ReadError> {
        let source = match self {
            FileContext::Disk { root } => {
                let full = disk_path(root, path);
                match host::call("openRead", &[JsValue::from_str(&full)]) {
                    Some(Ok(fd)) => Source::Disk {
                        fd,
                        buf: read_buffer(),
                    },
                    Some(Err(e)) => {
                        return Err(ReadError(format!("cannot read {full}: {}", host_error(e))))
                    }
                    None => return Err(ReadError("reading files needs Node".into())),
                }
            }
            FileContext::Memory { contents, .. } => match contents.get(path) {
                Some(v) => Source::Memory(v.clone()),
                None => return Err(ReadError(format!("{path}: no content given for this file"))),
            },
            FileContext::Handle(_) | FileContext::Unavailable => {
                return Err(ReadError("no file source".into()))
            }
        };
        Ok(ContentReader {
            path: path.to_string(),
            source,
            at: 0,
            done: false,
        })
    }

    /// Owner and modification time for a tar header (`(uid, gid, mtime)`).
    pub(crate) fn owner(&self, path: &str, follow: bool) -> (u64, u64, u64) {
        let FileContext::Disk { root } = self else {
            return (0, 0, 0);
        };
        let Some(Ok(s)) = host::call(
            "statPath",
            &[
                JsValue::from_str(&disk_path(root, path)),
                JsValue::from_bool(follow),
            ],
        ) else {
            return (0, 0, 0);
        };
        let num = |k: &str| {
            Reflect::get(&s, &JsValue::from_str(k))
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0)
                .max(0.0) as u64
        };
        (num("uid"), num("gid"), num("mtime"))
    }
}

fn disk_path(root: &str, rel: &str) -> String {
    if rel.is_empty() {
        root.to_string()
    } else {
        format!("{}/{}", root.trim_end_matches('/'), rel)
    }
}

fn host_error(e: JsValue) -> String {
    Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

thread_local! {
    static READ_BUFFER: Uint8Array = Uint8Array::new_with_length(CHUNK_BYTES as u32);
}

/// The one JS buffer disk reads go through. Sharing it is safe even with several
/// readers alive (parallel uploads): each read copies its bytes out before
/// anything can await, and JavaScript runs one thing at a time. A buffer per
/// file cost a 4 MiB allocation per file on contexts of many small files.
fn read_buffer() -> Uint8Array {
    READ_BUFFER.with(|b| b.clone())
}

enum Source {
    Disk { fd: JsValue, buf: Uint8Array },
    Memory(JsValue),
}

/// Reads one file in chunks of at most [`CHUNK_BYTES`]; closes it when dropped.
pub(crate) struct ContentReader {
    path: String,
    source: Source,
    at: u64,
    done: bool,
}

impl ContentReader {
    /// The next chunk, or `None` at the end.
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, ReadError> {
        if self.done {
            return Ok(None);
        }
        let chunk = match &self.source {
            Source::Disk { fd, buf } => {
                match host::call("readInto", &[fd.clone(), buf.clone().into()]) {
                    Some(Ok(n)) => {
                        let n = (n.as_f64().unwrap_or(0.0) as u32).min(buf.length());
                        buf.subarray(0, n).to_vec()
                    }
                    Some(Err(e)) => {
                        return Err(ReadError(format!(
                            "cannot read {}: {}",
                            self.path,
                            host_error(e)
                        )))
                    }
                    None => return Err(ReadError("reading files needs Node".into())),
                }
            }
            Source::Memory(v) => memory_chunk(v, self.at).await?,
        };
        if chunk.is_empty() {
            self.done = true;
            return Ok(None);
        }
        self.at += chunk.len() as u64;
        Ok(Some(chunk))
    }

    /// Reads to the end, handing each chunk to `f`; the total must be `expected`
    /// (a file that changes size between hashing and archiving is an error, not
    /// a corrupt archive).
    pub(crate) async fn for_each(
        &mut self,
        expected: u64,
        f: &mut dyn FnMut(&[u8]) -> Result<(), String>,
    ) -> Result<(), ReadError> {
        while let Some(c) = self.next_chunk().await? {
            f(&c).map_err(ReadError)?;
        }
        self.check_size(expected)
    }

    /// Whether exactly `expected` bytes were read.
    pub(crate) fn check_size(&self, expected: u64) -> Result<(), ReadError> {
        if self.at == expected {
            Ok(())
        } else {
            Err(ReadError(format!(
                "{} changed while it was read: expected {expected} bytes, read {}",
                self.path, self.at
            )))
        }
    }
}

impl Drop for ContentReader {
    fn drop(&mut self) {
        if let Source::Disk { fd, .. } = &self.source {
            let _ = host::call("closeFile", std::slice::from_ref(fd));
        }
    }
}

/// The chunk of an in-memory value (string, Uint8Array, Blob/File) at `at`.
async fn memory_chunk(v: &JsValue, at: u64) -> Result<Vec<u8>, ReadError> {
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        let len = bytes.length();
        let start = (at.min(len as u64)) as u32;
        return Ok(bytes
            .subarray(start, (start + CHUNK_BYTES as u32).min(len))
            .to_vec());
    }
    // A Blob or File: sliced reads through the face's transport.readBlob.
    let transport =
        class_registry_get("transport").ok_or_else(|| ReadError("no transport".into()))?;
    let read_blob: js_sys::Function = Reflect::get(&transport, &"readBlob".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| ReadError("no blob reader".into()))?;
    let p = read_blob
        .call3(
            &transport,
            v,
            &JsValue::from(at as f64),
            &JsValue::from(CHUNK_BYTES as f64),
        )
        .map_err(|e| ReadError(host_error(e)))?;
    let chunk = JsFuture::from(js_sys::Promise::from(p))
        .await
        .map_err(|e| ReadError(host_error(e)))?;
    let chunk: Uint8Array = chunk
        .dyn_into()
        .map_err(|_| ReadError("blob read returned no bytes".into()))?;
    Ok(chunk.to_vec())
}

/// A `FileSystemDirectoryHandle` (or anything shaped like one).
fn is_directory_handle(v: &JsValue) -> bool {
    v.is_object()
        && Reflect::get(v, &"kind".into())
            .ok()
            .and_then(|k| k.as_string())
            .as_deref()
            == Some("directory")
        && Reflect::get(v, &"entries".into())
            .ok()
            .is_some_and(|f| f.is_function())
}

/// Normalizes a relative path from a browser source (`./a/b`, `a\b`, `/a`).
fn clean_path(p: &str) -> Option<String> {
    let parts: Vec<&str> = p
        .split(['/', '\\'])
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if parts.is_empty() || parts.contains(&"..") {
        return None;
    }
    Some(parts.join("/"))
}

fn content_size(v: &JsValue) -> Option<u64> {
    if let Some(s) = v.as_string() {
        return Some(s.len() as u64);
    }
    if let Some(b) = v.dyn_ref::<Uint8Array>() {
        return Some(b.length() as u64);
    }
    let size = Reflect::get(v, &"size".into()).ok()?.as_f64()?;
    let is_blob = Reflect::get(v, &"slice".into())
        .ok()
        .is_some_and(|f| f.is_function());
    (is_blob && size >= 0.0).then_some(size as u64)
}

/// A memory tree from a browser source (see the module doc for the forms).
fn memory_source(source: &JsValue) -> JsResult<FileContext> {
    const METHOD: &str = "Template";
    let mut entries: Vec<(String, JsValue)> = Vec::new();
    let is_list = Array::is_array(source)
        || Reflect::get(source, &"item".into())
            .ok()
            .is_some_and(|f| f.is_function())
            && Reflect::get(source, &"length".into())
                .ok()
                .and_then(|l| l.as_f64())
                .is_some();
    if is_list {
        // File[] or FileList: the path is webkitRelativePath (directory pickers) or the name.
        let len = Reflect::get(source, &"length".into())
            .ok()
            .and_then(|l| l.as_f64())
            .unwrap_or(0.0) as u32;
        for i in 0..len {
            let f = Reflect::get(source, &JsValue::from(i)).unwrap_or(JsValue::UNDEFINED);
            let rel = Reflect::get(&f, &"webkitRelativePath".into())
                .ok()
                .and_then(|v| v.as_string())
                .filter(|s| !s.is_empty());
            let name = rel.or_else(|| {
                Reflect::get(&f, &"name".into())
                    .ok()
                    .and_then(|v| v.as_string())
            });
            let Some(name) = name else {
                return Err(invalid(
                    METHOD,
                    &format!("`fileContext[{i}]` must be a File, got {}", type_name(&f)),
                ));
            };
            entries.push((name, f));
        }
    } else if source.is_object() && !source.is_function() {
        let obj: &js_sys::Object = source.unchecked_ref();
        for pair in js_sys::Object::entries(obj).iter() {
            let pair: Array = pair.unchecked_into();
            if let Some(k) = pair.get(0).as_string() {
                entries.push((k, pair.get(1)));
            }
        }
    } else {
        return Err(invalid(
            METHOD,
            &format!("`fileContext` must be a FileList, an array of Files or an object of path → content, got {}", type_name(source)),
        ));
    }
    let mut tree = MemoryTree::new();
    let mut contents = HashMap::new();
    for (raw, value) in entries {
        let path = clean_path(&raw).ok_or_else(|| {
            invalid(
                METHOD,
                &format!("`fileContext`: invalid relative path {raw:?}"),
            )
        })?;
        let size = content_size(&value).ok_or_else(|| {
            invalid(
                METHOD,
                &format!(
                    "`fileContext[{raw:?}]` must be a string, Uint8Array, Blob or File, got {}",
                    type_name(&value)
                ),
            )
        })?;
        tree.add_file(&path, size)
            .map_err(|e| invalid(METHOD, &format!("`fileContext`: {e}")))?;
        // Strings are kept as their UTF-8 bytes, encoded once.
        let value = match value.as_string() {
            Some(text) => Uint8Array::from(text.as_bytes()).into(),
            None => value,
        };
        contents.insert(path, value);
    }
    Ok(FileContext::Memory { tree, contents })
}

fn meta_from_js(v: &JsValue) -> Result<Option<Meta>, TreeError> {
    if v.is_null() || v.is_undefined() {
        return Ok(None);
    }
    let get = |k: &str| Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let kind = match get("kind").as_string().as_deref() {
        Some("file") => EntryKind::File,
        Some("dir") => EntryKind::Dir,
        Some("symlink") => EntryKind::Symlink,
        _ => EntryKind::Other,
    };
    Ok(Some(Meta {
        kind,
        mode: get("mode").as_f64().unwrap_or(0.0) as u32,
        size: get("size").as_f64().unwrap_or(0.0).max(0.0) as u64,
        link_target: get("linkTarget").as_string(),
    }))
}

impl FileTree for FileContext {
    fn list_dir(&self, rel: &str) -> Result<Vec<String>, TreeError> {
        let FileContext::Disk { root } = self else {
            return Err(TreeError("not a disk context".into()));
        };
        match host::call("listDir", &[JsValue::from_str(&disk_path(root, rel))]) {
            Some(Ok(v)) => Ok(v
                .dyn_into::<Array>()
                .map(|a| a.iter().filter_map(|n| n.as_string()).collect())
                .unwrap_or_default()),
            Some(Err(e)) => Err(TreeError(host_error(e))),
            None => Err(TreeError("listing directories needs Node".into())),
        }
    }

    fn lstat(&self, rel: &str) -> Result<Option<Meta>, TreeError> {
        self.stat_with(rel, false)
    }

    fn stat(&self, rel: &str) -> Result<Option<Meta>, TreeError> {
        self.stat_with(rel, true)
    }
}

impl FileContext {
    fn stat_with(&self, rel: &str, follow: bool) -> Result<Option<Meta>, TreeError> {
        let FileContext::Disk { root } = self else {
            return Err(TreeError("not a disk context".into()));
        };
        match host::call(
            "statPath",
            &[
                JsValue::from_str(&disk_path(root, rel)),
                JsValue::from_bool(follow),
            ],
        ) {
            Some(Ok(v)) => meta_from_js(&v),
            Some(Err(e)) => Err(TreeError(host_error(e))),
            None => Err(TreeError("reading files needs Node".into())),
        }
    }
}
