//! COPY steps at build time: discover and hash each source (first pass), then,
//! for the sources the server lacks, write the tar in Rust, gzip it with the
//! platform (Node's zlib into a temporary file, or the browser's
//! CompressionStream into a Blob) and upload it (second pass). Memory stays
//! bounded by one chunk plus the gzip window, whatever the context's size.

use std::rc::Rc;

use js_sys::{Promise, Reflect, Uint8Array};
use novita_template_files::{
    plan_copy, CopyContext, CopyPlan, FilesHasher, IgnoreSet, Sha256Engine, TarKind, TarWriter,
};
use novita_template_flow::{CopyUpload, ErrorClass, FlowError};
use novita_template_model::{InstructionKind, Template};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::file_context::{FileContext, ReadError};
use super::host;

/// One COPY step, discovered and hashed.
pub(crate) struct CopyJob {
    pub(crate) plan: CopyPlan,
    pub(crate) files_hash: String,
    pub(crate) force_upload: bool,
    pub(crate) resolve_symlinks: bool,
}

impl CopyJob {
    pub(crate) fn upload(&self, index: usize) -> CopyUpload {
        CopyUpload {
            index,
            files_hash: self.files_hash.clone(),
            force_upload: self.force_upload,
            src: self.plan.src.clone(),
        }
    }
}

fn upload_error(message: impl Into<String>) -> FlowError {
    FlowError::new(ErrorClass::FileUploadError, message)
}

fn files_error(e: novita_template_files::FilesError) -> FlowError {
    let class = match e.js_class().name() {
        "TemplateError" => ErrorClass::TemplateError,
        "FileUploadError" => ErrorClass::FileUploadError,
        _ => ErrorClass::Error,
    };
    FlowError::new(class, e.to_string())
}

fn read_error(e: ReadError) -> FlowError {
    upload_error(e.0)
}

/// The ignore rules: `fileIgnorePatterns`, then the context's `.dockerignore`.
async fn ignore_set(t: &Template, ctx: &FileContext) -> Result<IgnoreSet, FlowError> {
    let dockerignore = ctx.dockerignore().await.map_err(read_error)?;
    IgnoreSet::for_template(t.file_ignore_patterns(), dockerignore.as_deref()).map_err(files_error)
}

/// Discovers (no hashing) one source, for the `copy()`-time check that it exists.
pub(crate) fn check_source(t: &Template, ctx: &FileContext, src: &str) -> Result<(), FlowError> {
    let Some(tree) = ctx.tree() else {
        return Ok(());
    };
    // `.dockerignore` is applied at build time; here only the existence matters.
    let ignore = IgnoreSet::for_template(t.file_ignore_patterns(), None).map_err(files_error)?;
    plan_copy(
        tree,
        src,
        "",
        CopyContext {
            context_display: t.file_context_path(),
            ignore: &ignore,
        },
        false,
    )
    .map(|_| ())
    .map_err(files_error)
}

/// Reports `{ src, phase, bytesDone, bytesTotal }` to `onUploadProgress`, at most
/// every 100 ms and once at the end of each phase, so a console can draw a bar.
pub(crate) struct Progress {
    callback: Option<js_sys::Function>,
    src: String,
    phase: &'static str,
    done: u64,
    total: u64,
    last_ms: f64,
}

impl Progress {
    pub(crate) fn new(
        callback: Option<js_sys::Function>,
        src: &str,
        phase: &'static str,
        plan: &CopyPlan,
    ) -> Progress {
        let total = plan
            .entries
            .iter()
            .filter(|e| e.needs_bytes())
            .map(|e| e.size)
            .sum();
        Progress {
            callback,
            src: src.to_string(),
            phase,
            done: 0,
            total,
            last_ms: f64::NEG_INFINITY,
        }
    }

    pub(crate) fn advance(&mut self, bytes: u64) {
        self.done += bytes;
        let now = js_sys::Date::now();
        if now - self.last_ms >= 100.0 {
            self.report(now);
        }
    }

    pub(crate) fn finish(&mut self) {
        self.report(js_sys::Date::now());
    }

    fn report(&mut self, now: f64) {
        let Some(cb) = &self.callback else { return };
        self.last_ms = now;
        let event = super::js_values::object(&[
            ("src", JsValue::from_str(&self.src)),
            ("phase", JsValue::from_str(self.phase)),
            ("bytesDone", JsValue::from(self.done as f64)),
            ("bytesTotal", JsValue::from(self.total as f64)),
        ]);
        // A throwing progress callback must not break the build.
        let _ = cb.call1(&JsValue::UNDEFINED, &event);
    }
}

/// The host's native SHA-256 (Node's crypto), when it has one.
struct HostSha256(JsValue);

impl Sha256Engine for HostSha256 {
    fn update(&mut self, bytes: &[u8]) {
        if let Ok(f) = method(&self.0, "update") {
            let _ = f.call1(&self.0, &Uint8Array::from(bytes).into());
        }
    }

    fn finish(self: Box<Self>) -> Vec<u8> {
        method(&self.0, "digest")
            .ok()
            .and_then(|f| f.call0(&self.0).ok())
            .and_then(|d| d.dyn_into::<Uint8Array>().ok())
            .map(|d| d.to_vec())
            .unwrap_or_default()
    }
}

/// A files hasher on the host's SHA-256 if there is one, else the Rust one.
fn files_hasher(src: &str, dest: &str) -> FilesHasher {
    match host::call("createSha256", &[]) {
        Some(Ok(h)) => FilesHasher::with_engine(Box::new(HostSha256(h)), src, dest),
        _ => FilesHasher::new(src, dest),
    }
}

/// Plans and hashes every COPY step of `t`, in order.
pub(crate) async fn hash_copies(
    t: &Template,
    ctx: &FileContext,
    on_progress: Option<&js_sys::Function>,
) -> Result<Vec<CopyJob>, FlowError> {
    let copies: Vec<_> = t
        .instructions()
        .iter()
        .filter(|i| i.kind == InstructionKind::Copy)
        .collect();
    if copies.is_empty() {
        return Ok(Vec::new());
    }
    let Some(tree) = ctx.tree() else {
        return Err(FlowError::new(
            ErrorClass::Error,
            "Browser runtime is not supported for copy without a file source: pass Template({ fileContext }) with the files",
        ));
    };
    let ignore = ignore_set(t, ctx).await?;
    let mut jobs = Vec::with_capacity(copies.len());
    for ins in copies {
        let src = ins.args.first().cloned().unwrap_or_default();
        let dest = ins.args.get(1).cloned().unwrap_or_default();
        let resolve_symlinks = ins.resolve_symlinks.unwrap_or(false);
        let cc = CopyContext {
            context_display: t.file_context_path(),
            ignore: &ignore,
        };
        let plan = plan_copy(tree, &src, &dest, cc, resolve_symlinks).map_err(files_error)?;
        let mut hasher = files_hasher(&src, &dest);
        let mut progress = Progress::new(on_progress.cloned(), &src, "hash", &plan);
        for e in &plan.entries {
            e.hash_header(&mut hasher);
            if e.needs_bytes() {
                let mut reader = ctx.open(e.read_path()).map_err(read_error)?;
                reader
                    .for_each(e.size, &mut |c| {
                        hasher.content(c);
                        progress.advance(c.len() as u64);
                        Ok(())
                    })
                    .await
                    .map_err(read_error)?;
            }
        }
        progress.finish();
        jobs.push(CopyJob {
            files_hash: hasher.finish(),
            plan,
            force_upload: ins.force_upload.unwrap_or(false),
            resolve_symlinks,
        });
    }
    Ok(jobs)
}

/// `{ ok: false, kind: 'local', message }`: an archive failure, not a network one.
fn local_failure(message: &str) -> JsValue {
    let o = js_sys::Object::new();
    let _ = Reflect::set(&o, &"ok".into(), &JsValue::FALSE);
    let _ = Reflect::set(&o, &"kind".into(), &"local".into());
    let _ = Reflect::set(&o, &"message".into(), &JsValue::from_str(message));
    o.into()
}

async fn await_maybe_promise(v: JsValue) -> Result<JsValue, JsValue> {
    match v.dyn_into::<Promise>() {
        Ok(p) => JsFuture::from(p).await,
        Err(v) => Ok(v),
    }
}

fn method(obj: &JsValue, name: &str) -> Result<js_sys::Function, String> {
    Reflect::get(obj, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("the host has no {name}()"))
}

async fn spool_write(spool: &JsValue, bytes: Vec<u8>) -> Result<(), String> {
    if bytes.is_empty() {
        return Ok(());
    }
    let chunk: JsValue = Uint8Array::from(&bytes[..]).into();
    let r = method(spool, "write")?
        .call1(spool, &chunk)
        .map_err(|e| format!("{e:?}"))?;
    await_maybe_promise(r)
        .await
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}

/// Writes the archive into the host's spool; returns the spooled result.
async fn write_archive(
    job: &CopyJob,
    ctx: &FileContext,
    spool: &JsValue,
    progress: &mut Progress,
) -> Result<JsValue, String> {
    let mut tar = TarWriter::new(Vec::new());
    for e in &job.plan.entries {
        let Some(tp) = &e.tar else { continue };
        let (uid, gid, mtime) = ctx.owner(&e.path, job.resolve_symlinks);
        tar.begin(&tp.header(uid, gid, mtime))
            .map_err(|e| e.to_string())?;
        spool_write(spool, std::mem::take(tar.sink_mut())).await?;
        if let TarKind::File { size } = tp.kind {
            let mut reader = ctx.open(e.read_path()).map_err(|e| e.0)?;
            while let Some(c) = reader.next_chunk().await.map_err(|e| e.0)? {
                tar.data(&c).map_err(|e| e.to_string())?;
                progress.advance(c.len() as u64);
                spool_write(spool, std::mem::take(tar.sink_mut())).await?;
            }
            reader.check_size(size).map_err(|e| e.0)?;
        }
    }
    let rest = tar.finish().map_err(|e| e.to_string())?;
    spool_write(spool, rest).await?;
    progress.finish();
    let finished = method(spool, "finish")?
        .call0(spool)
        .map_err(|e| format!("{e:?}"))?;
    await_maybe_promise(finished)
        .await
        .map_err(|e| format!("{e:?}"))
}

/// Archives `job` and PUTs it to `url`. The promise resolves to a transport
/// result (`{ ok, status, … }`), or `{ ok: false, kind: 'local' }` when the
/// archive itself could not be made (a file vanished or changed).
pub(crate) fn start_upload(
    job: Rc<CopyJob>,
    ctx: Rc<FileContext>,
    url: String,
    timeout_ms: Option<u64>,
    signal: JsValue,
    on_progress: Option<js_sys::Function>,
) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let spool = match host::call("createSpool", &[]) {
            Some(Ok(s)) => s,
            _ => return Ok(local_failure("this host cannot build archives")),
        };
        let mut progress = Progress::new(on_progress, &job.plan.src, "archive", &job.plan);
        let spooled = match write_archive(&job, &ctx, &spool, &mut progress).await {
            Ok(s) => s,
            Err(message) => {
                if let Ok(discard) = method(&spool, "discard") {
                    let _ = discard.call0(&spool);
                }
                return Ok(local_failure(&format!(
                    "Failed to archive '{}': {message}",
                    job.plan.src
                )));
            }
        };
        let timeout = JsValue::from(timeout_ms.unwrap_or(0) as f64);
        match host::call(
            "uploadSpool",
            &[JsValue::from_str(&url), spooled, timeout, signal],
        ) {
            Some(Ok(p)) => await_maybe_promise(p)
                .await
                .or_else(|e| Ok(local_failure(&format!("{e:?}")))),
            _ => Ok(local_failure("this host cannot upload archives")),
        }
    })
}
