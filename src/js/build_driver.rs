//! Drives a [`BuildSession`] (the sans-IO build flow) with the fetch transport:
//! sends its requests (several may be in flight: the COPY file checks), sleeps
//! when it says so, delivers its log entries to `onBuildLogs`, prepares the
//! trigger body from the template, and stops on the user's AbortSignal.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use novita_template_flow::{Action, BuildInfo, BuildSession, ErrorClass, FlowError, LogEntry};
use novita_template_model::{wire, Template};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::copy_files::{hash_copies, start_upload, CopyJob};
use super::error_classes::class_registry_get;
use super::file_context::FileContext;
use super::image_config::resolve_inherited_config;
use super::log_entries;
use super::transport::{self, now_ms};

/// What a build needs besides the session.
pub(crate) struct BuildInputs {
    pub(crate) template: Rc<RefCell<Template>>,
    pub(crate) context: Rc<FileContext>,
    /// Replaces the image registries' origin for the image-config read.
    pub(crate) registry_url: Option<String>,
    /// `onUploadProgress`: hashing and archiving progress of each COPY source.
    pub(crate) on_upload_progress: Option<Function>,
    pub(crate) on_build_logs: Option<Function>,
    pub(crate) signal: JsValue,
}

enum InFlight {
    Response(u64),
    Upload(usize),
}

/// Runs the session to its end.
pub(crate) async fn run(
    mut session: BuildSession,
    inputs: &BuildInputs,
) -> Result<BuildInfo, FlowError> {
    let mut in_flight: Vec<(InFlight, Promise)> = Vec::new();
    let mut callback_failed = false;
    let mut jobs: Vec<Rc<CopyJob>> = Vec::new();
    // The file context as read for this build (a directory handle is listed once).
    let mut context = Rc::clone(&inputs.context);
    loop {
        if transport::is_aborted(&inputs.signal) {
            session.abort();
        }
        match session.next_action(now_ms()) {
            Action::Send { id, request } => {
                in_flight.push((
                    InFlight::Response(id),
                    transport::start_fetch(&request, &inputs.signal),
                ));
            }
            Action::Upload {
                copy_index,
                url,
                timeout_ms,
            } => match jobs.get(copy_index) {
                Some(job) => {
                    let p = start_upload(
                        Rc::clone(job),
                        Rc::clone(&context),
                        url,
                        timeout_ms,
                        inputs.signal.clone(),
                        inputs.on_upload_progress.clone(),
                    );
                    in_flight.push((InFlight::Upload(copy_index), p));
                }
                None => session.fail(
                    FlowError::new(
                        ErrorClass::FileUploadError,
                        "upload of an unknown COPY step",
                    ),
                    now_ms(),
                ),
            },
            Action::PrepareSteps { .. } => {
                if let Some(warning) = resolve_inherited_config(
                    &inputs.template,
                    inputs.registry_url.as_deref(),
                    &inputs.signal,
                )
                .await
                {
                    session.push_log(LogEntry::new(now_ms(), "warn", warning));
                }
                match prepare_steps(inputs).await {
                    Ok((body, prepared, resolved)) => {
                        context = resolved;
                        let copies = prepared
                            .iter()
                            .enumerate()
                            .map(|(i, j)| j.upload(i))
                            .collect();
                        jobs = prepared.into_iter().map(Rc::new).collect();
                        session.steps_ready(body, copies, now_ms())
                    }
                    Err(e) => session.fail(e, now_ms()),
                }
            }
            Action::Sleep { ms } => {
                wait_any(&mut session, &mut in_flight, Some(ms), &inputs.signal).await
            }
            Action::Wait => wait_any(&mut session, &mut in_flight, None, &inputs.signal).await,
            Action::Log(entry) => deliver(inputs, &entry, &mut callback_failed),
            Action::Done(info) => return Ok(info),
            Action::Failed(e) => return Err(e),
        }
    }
}

/// Waits for the first in-flight reply (fed to the session), the end of `sleep_ms`,
/// or the abort.
async fn wait_any(
    session: &mut BuildSession,
    in_flight: &mut Vec<(InFlight, Promise)>,
    sleep_ms: Option<u64>,
    signal: &JsValue,
) {
    if in_flight.is_empty() {
        // Nothing can wake us but time: wait briefly rather than spin.
        transport::sleep(sleep_ms.unwrap_or(50), signal).await;
        return;
    }
    let promises: Array = in_flight.iter().map(|(_, p)| JsValue::from(p)).collect();
    let Some(race) = race_fn() else {
        return;
    };
    let ms = sleep_ms.map_or(JsValue::UNDEFINED, |ms| JsValue::from(ms as f64));
    let Ok(winner) = race.call3(&JsValue::UNDEFINED, &promises, &ms, signal) else {
        return;
    };
    let Ok(winner) = JsFuture::from(Promise::from(winner)).await else {
        return;
    };
    let index = Reflect::get(&winner, &"index".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(-1.0);
    if index < 0.0 {
        return;
    }
    let (what, _) = in_flight.remove(index as usize);
    let value = Reflect::get(&winner, &"value".into()).unwrap_or(JsValue::UNDEFINED);
    // An archive that could not be made is our failure, not the network's: no retry.
    if Reflect::get(&value, &"kind".into())
        .ok()
        .and_then(|k| k.as_string())
        .as_deref()
        == Some("local")
    {
        let message = Reflect::get(&value, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_default();
        session.fail(
            FlowError::new(ErrorClass::FileUploadError, message),
            now_ms(),
        );
        return;
    }
    let reply = transport::decode_reply(&value);
    match what {
        InFlight::Response(id) => session.on_response(id, reply, now_ms()),
        InFlight::Upload(copy_index) => session.upload_done(copy_index, reply, now_ms()),
    }
}

fn race_fn() -> Option<Function> {
    let t = class_registry_get("transport")?;
    Reflect::get(&t, &"race".into()).ok()?.dyn_into().ok()
}

/// Hands one entry to the user's callback. A callback that throws does not stop
/// or corrupt the build: the exception is reported on the console (once per
/// build) and the next entries are still delivered.
fn deliver(inputs: &BuildInputs, entry: &LogEntry, callback_failed: &mut bool) {
    let Some(cb) = &inputs.on_build_logs else {
        return;
    };
    if let Err(e) = cb.call1(&JsValue::UNDEFINED, &log_entries::to_js(entry)) {
        if !*callback_failed {
            *callback_failed = true;
            web_sys::console::error_2(
                &"novita-template-wasm: onBuildLogs threw; the build goes on:".into(),
                &e,
            );
        }
    }
}

/// The trigger body (after the image-config read), each COPY's hash, and the file
/// context they were read from. Works on a snapshot of the template: no borrow is
/// held across an await.
async fn prepare_steps(
    inputs: &BuildInputs,
) -> Result<(String, Vec<CopyJob>, Rc<FileContext>), FlowError> {
    let snapshot = inputs.template.borrow().clone();
    let context = if snapshot.copy_count() > 0 {
        inputs
            .context
            .resolved()
            .await
            .map_err(|e| FlowError::new(ErrorClass::FileUploadError, e.0))?
    } else {
        Rc::clone(&inputs.context)
    };
    let jobs = hash_copies(&snapshot, &context, inputs.on_upload_progress.as_ref()).await?;
    let hashes: Vec<String> = jobs.iter().map(|j| j.files_hash.clone()).collect();
    let body = wire::to_json_compact(&snapshot, Some(&hashes))
        .map_err(|e| FlowError::new(ErrorClass::TemplateError, e.message))?;
    Ok((body, jobs, context))
}
