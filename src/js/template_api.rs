//! The static API of `Template`: build, background build and status, existence,
//! tags, get and list. Each returns a Promise; bad arguments reject before any
//! request is made.

use std::rc::Rc;

use js_sys::{Function, Promise};
use novita_template_flow::status_poller::{PollerAction, StatusPoller};
use novita_template_flow::{
    wire, BuildConfig, BuildInfo, BuildRequest, BuildSession, Endpoint, RetryPolicy,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;

use super::api_driver::{random_seed, send};
use super::build_driver::{self, BuildInputs};
use super::connection::{call_context, CallContext};
use super::error_classes::flow_error;
use super::file_context::FileContext;
use super::js_args::{self, invalid, JsResult, Options};
use super::js_values::{date, object, opt_string, string, strings};
use super::log_entries;
use super::template_builder::TemplateBase;
use super::transport::{self, now_ms};

/// Runs `f` as a Promise; an `Err` rejects it.
pub(crate) fn promise<F>(f: F) -> Promise
where
    F: std::future::Future<Output = JsResult<JsValue>> + 'static,
{
    future_to_promise(f)
}

fn build_info(info: &BuildInfo) -> JsValue {
    object(&[
        ("alias", string(&info.alias)),
        ("name", string(&info.name)),
        (
            "tags",
            info.tags.as_deref().map_or(JsValue::UNDEFINED, strings),
        ),
        ("templateId", string(&info.template_id)),
        ("buildId", string(&info.build_id)),
    ])
}

/// `(name, options)` or the deprecated `({alias, …options})`.
fn name_and_options(
    name: &JsValue,
    options: &JsValue,
    method: &str,
) -> JsResult<(String, JsValue)> {
    if let Some(n) = name.as_string() {
        return Ok((n, options.clone()));
    }
    if name.is_object() && options.is_undefined() {
        let o = Options::new(name, method)?;
        let alias = o.string("alias")?.unwrap_or_default();
        return Ok((alias, name.clone()));
    }
    if name.is_undefined() || name.is_null() {
        return Ok((String::new(), options.clone()));
    }
    Err(invalid(
        method,
        &format!("`name` must be a string, got {}", js_args::type_name(name)),
    ))
}

struct BuildArgs {
    ctx: CallContext,
    on_upload_progress: Option<Function>,
    registry_url: Option<String>,
    request: BuildRequest,
    on_build_logs: Option<Function>,
    skip_cache: bool,
}

fn build_args(options: &JsValue, name: String, method: &str) -> JsResult<BuildArgs> {
    let o = Options::new(options, method)?;
    let cb = o.raw("onBuildLogs");
    let on_build_logs = if cb.is_undefined() || cb.is_null() {
        None
    } else {
        Some(cb.dyn_into::<Function>().map_err(|v| {
            invalid(
                method,
                &format!(
                    "option `onBuildLogs` must be a function, got {}",
                    js_args::type_name(&v)
                ),
            )
        })?)
    };
    let request = BuildRequest {
        name,
        tags: o.string_list("tags")?,
        cpu_count: o.number("cpuCount")?,
        memory_mb: o.number("memoryMB")?,
    };
    let skip_cache = o.bool("skipCache")?.unwrap_or(false);
    let progress = o.raw("onUploadProgress");
    let on_upload_progress = if progress.is_undefined() || progress.is_null() {
        None
    } else {
        Some(progress.dyn_into::<Function>().map_err(|v| {
            invalid(
                method,
                &format!(
                    "option `onUploadProgress` must be a function, got {}",
                    js_args::type_name(&v)
                ),
            )
        })?)
    };
    Ok(BuildArgs {
        ctx: call_context(&o)?,
        on_upload_progress,
        registry_url: o.string("registryUrl")?,
        request,
        on_build_logs,
        skip_cache,
    })
}

async fn run_build(
    template: Rc<std::cell::RefCell<novita_template_model::Template>>,
    context: Rc<FileContext>,
    args: BuildArgs,
    background: bool,
) -> JsResult<JsValue> {
    if args.skip_cache && !args.request.name.is_empty() {
        // As in the official SDK, the option marks the template itself (and stays set).
        if let Ok(mut t) = template.try_borrow_mut() {
            t.set_force(true);
        }
    }
    let session = BuildSession::new(
        BuildConfig::new(args.ctx.config.clone()),
        args.request,
        background,
        now_ms(),
        random_seed(),
    );
    let inputs = BuildInputs {
        template: Rc::clone(&template),
        context,
        registry_url: args.registry_url,
        on_upload_progress: args.on_upload_progress,
        on_build_logs: args.on_build_logs,
        signal: args.ctx.signal.clone(),
    };
    match build_driver::run(session, &inputs).await {
        Ok(info) => Ok(build_info(&info)),
        Err(e) => {
            let origin = e
                .step
                .as_deref()
                .and_then(|s| template.try_borrow().ok()?.step_origin(s));
            let err = flow_error(e);
            if let Some(origin) = origin {
                let _ = js_sys::Reflect::set(
                    &err,
                    &"stepDescription".into(),
                    &JsValue::from_str(&origin),
                );
            }
            Err(err)
        }
    }
}

/// `Template.build` and `Template.buildInBackground`: the same until the trigger.
fn build_promise(
    template: &TemplateBase,
    name: JsValue,
    options: JsValue,
    background: bool,
) -> Promise {
    let (model, context) = (template.model(), template.context());
    let method = if background {
        "Template.buildInBackground"
    } else {
        "Template.build"
    };
    promise(async move {
        let (name, options) = name_and_options(&name, &options, method)?;
        let args = build_args(&options, name, method)?;
        run_build(model, context, args, background).await
    })
}

fn ids(v: &JsValue, method: &str) -> JsResult<(String, String)> {
    let o = Options::new(v, method)?;
    let t = o.string("templateId")?.filter(|s| !s.is_empty());
    let b = o.string("buildId")?.filter(|s| !s.is_empty());
    match (t, b) {
        (Some(t), Some(b)) => Ok((t, b)),
        _ => Err(invalid(
            method,
            "`templateId` and `buildId` are required (as returned by buildInBackground)",
        )),
    }
}

fn non_empty(v: &JsValue, method: &str, name: &str) -> JsResult<String> {
    let s = js_args::string(v, method, name)?;
    if s.trim().is_empty() {
        return Err(invalid(
            method,
            &format!("`{name}` must be a non-empty string"),
        ));
    }
    Ok(s)
}

fn legacy_guard(ctx: &CallContext, feature: &str) -> JsResult<()> {
    ctx.config.reject_legacy(feature).map_err(flow_error)
}

fn log_entries_js(entries: &[novita_template_flow::LogEntry]) -> JsValue {
    entries
        .iter()
        .map(log_entries::to_js)
        .collect::<js_sys::Array>()
        .into()
}

#[wasm_bindgen(js_class = TemplateBase)]
impl TemplateBase {
    /// Builds the template under `name` (`"name"` or `"name:tag"`) and waits until
    /// it is ready, delivering every log entry to `onBuildLogs` once, in order.
    /// Rejects with `BuildError` (with `step`) when the build fails, and with an
    /// `AbortError` when `signal` aborts.
    #[wasm_bindgen(unchecked_return_type = "Promise<BuildInfo>")]
    pub fn build(
        template: &TemplateBase,
        #[wasm_bindgen(unchecked_param_type = "string | (BuildOptions & { alias: string })")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "BuildOptions | undefined")] options: JsValue,
    ) -> Promise {
        build_promise(template, name, options, false)
    }

    /// Starts the build and returns as soon as the server has it; follow it with
    /// `Template.getBuildStatus`.
    #[wasm_bindgen(js_name = buildInBackground, unchecked_return_type = "Promise<BuildInfo>")]
    pub fn build_in_background(
        template: &TemplateBase,
        #[wasm_bindgen(unchecked_param_type = "string | (BuildOptions & { alias: string })")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "BuildOptions | undefined")] options: JsValue,
    ) -> Promise {
        build_promise(template, name, options, true)
    }

    /// One status request: `{ buildID, templateID, status, logEntries, logs, reason? }`,
    /// with the log entries from `logsOffset` on.
    #[wasm_bindgen(js_name = getBuildStatus, unchecked_return_type = "Promise<BuildStatus>")]
    pub fn get_build_status(
        #[wasm_bindgen(unchecked_param_type = "{ templateId: string; buildId: string }")]
        build: JsValue,
        #[wasm_bindgen(unchecked_param_type = "GetBuildStatusOptions | undefined")]
        options: JsValue,
    ) -> Promise {
        promise(async move {
            let method = "Template.getBuildStatus";
            let (template_id, build_id) = ids(&build, method)?;
            let o = Options::new(&options, method)?;
            let offset = match o.number("logsOffset")? {
                Some(n) if n < 0.0 || n.fract() != 0.0 => {
                    return Err(invalid(
                        method,
                        "option `logsOffset` must be a whole number >= 0",
                    ))
                }
                Some(n) => Some(n as u64),
                None => None,
            };
            let ctx = call_context(&o)?;
            let mut poller = StatusPoller::new(
                &ctx.config,
                &template_id,
                &build_id,
                offset,
                RetryPolicy::default(),
                random_seed(),
            )
            .map_err(flow_error)?;
            loop {
                if transport::is_aborted(&ctx.signal) {
                    poller.abort();
                }
                match poller.next_action(now_ms()) {
                    PollerAction::Send(req) => {
                        let reply = transport::fetch(&req, &ctx.signal).await;
                        poller.on_response(reply, now_ms());
                    }
                    PollerAction::Sleep { ms } => transport::sleep(ms, &ctx.signal).await,
                    PollerAction::Failed(e) => return Err(flow_error(e)),
                    PollerAction::Done(s) => {
                        let reason = s.reason.as_ref().map_or(
                            JsValue::UNDEFINED,
                            |(message, step, entries)| {
                                object(&[
                                    ("message", opt_string(message.as_deref())),
                                    ("step", opt_string(step.as_deref())),
                                    ("logEntries", log_entries_js(entries)),
                                ])
                            },
                        );
                        return Ok(object(&[
                            ("buildID", string(&s.build_id)),
                            ("templateID", string(&s.template_id)),
                            ("status", string(&s.status)),
                            ("logEntries", log_entries_js(&s.log_entries)),
                            ("logs", strings(&s.logs)),
                            ("reason", reason),
                        ]));
                    }
                }
            }
        })
    }

    /// Whether a template with this name (or `name:tag`) exists and is visible.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn exists(
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConnectionOptions | undefined")] options: JsValue,
    ) -> Promise {
        alias_exists_promise(name, options, "Template.exists")
    }

    /// Same as `exists` (kept for the official SDK's older name).
    #[wasm_bindgen(js_name = aliasExists, unchecked_return_type = "Promise<boolean>")]
    pub fn alias_exists(
        #[wasm_bindgen(unchecked_param_type = "string")] alias: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConnectionOptions | undefined")] options: JsValue,
    ) -> Promise {
        alias_exists_promise(alias, options, "Template.aliasExists")
    }

    /// Adds tags to the build that `target` (`"name:tag"`) points at.
    #[wasm_bindgen(js_name = assignTags, unchecked_return_type = "Promise<{ buildId: string; tags: string[] }>")]
    pub fn assign_tags(
        #[wasm_bindgen(unchecked_param_type = "string")] target: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | string[]")] tags: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConnectionOptions | undefined")] options: JsValue,
    ) -> Promise {
        promise(async move {
            let method = "Template.assignTags";
            let target = non_empty(&target, method, "target")?;
            let tags = tag_list(&tags, method)?;
            let ctx = call_context(&Options::new(&options, method)?)?;
            legacy_guard(&ctx, method)?;
            let reply = send(
                &ctx,
                wire::assign_tags(&ctx.config, &target, &tags),
                Endpoint::AssignTags,
            )
            .await
            .map_err(flow_error)?;
            let r = wire::parse_assign_tags(&reply).map_err(flow_error)?;
            Ok(object(&[
                ("buildId", string(&r.build_id)),
                ("tags", strings(&r.tags)),
            ]))
        })
    }

    /// Removes tags from the template `name`.
    #[wasm_bindgen(js_name = removeTags, unchecked_return_type = "Promise<void>")]
    pub fn remove_tags(
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | string[]")] tags: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConnectionOptions | undefined")] options: JsValue,
    ) -> Promise {
        promise(async move {
            let method = "Template.removeTags";
            let name = non_empty(&name, method, "name")?;
            let tags = tag_list(&tags, method)?;
            let ctx = call_context(&Options::new(&options, method)?)?;
            legacy_guard(&ctx, method)?;
            let reply = send(
                &ctx,
                wire::remove_tags(&ctx.config, &name, &tags),
                Endpoint::RemoveTags,
            )
            .await
            .map_err(flow_error)?;
            wire::parse_remove_tags(&reply).map_err(flow_error)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The tags of a template: `[{ tag, buildId, createdAt }]`.
    #[wasm_bindgen(js_name = getTags, unchecked_return_type = "Promise<TemplateTag[]>")]
    pub fn get_tags(
        #[wasm_bindgen(unchecked_param_type = "string")] template_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConnectionOptions | undefined")] options: JsValue,
    ) -> Promise {
        promise(async move {
            let method = "Template.getTags";
            let id = non_empty(&template_id, method, "templateId")?;
            let ctx = call_context(&Options::new(&options, method)?)?;
            legacy_guard(&ctx, method)?;
            let reply = send(&ctx, wire::get_tags(&ctx.config, &id), Endpoint::GetTags)
                .await
                .map_err(flow_error)?;
            let tags = wire::parse_get_tags(&reply).map_err(flow_error)?;
            Ok(tags
                .iter()
                .map(|t| {
                    object(&[
                        ("tag", string(&t.tag)),
                        ("buildId", string(&t.build_id)),
                        ("createdAt", date(t.created_at_ms)),
                    ])
                })
                .collect::<js_sys::Array>()
                .into())
        })
    }

    /// One template's details (`TemplateInfo`).
    #[wasm_bindgen(unchecked_return_type = "Promise<TemplateInfo>")]
    pub fn get(
        #[wasm_bindgen(unchecked_param_type = "string")] template_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConnectionOptions | undefined")] options: JsValue,
    ) -> Promise {
        promise(async move {
            let method = "Template.get";
            let id = non_empty(&template_id, method, "templateId")?;
            let ctx = call_context(&Options::new(&options, method)?)?;
            legacy_guard(&ctx, method)?;
            let reply = send(
                &ctx,
                wire::get_template(&ctx.config, &id),
                Endpoint::GetTemplate,
            )
            .await
            .map_err(flow_error)?;
            let info = wire::parse_get_template(&reply).map_err(flow_error)?;
            Ok(super::template_info::to_js(&info))
        })
    }

    /// Deletes a template; resolves `false` when there was no such template.
    #[wasm_bindgen(js_name = delete, unchecked_return_type = "Promise<boolean>")]
    pub fn delete_template(
        #[wasm_bindgen(unchecked_param_type = "string")] template_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConnectionOptions | undefined")] options: JsValue,
    ) -> Promise {
        promise(async move {
            let method = "Template.delete";
            let id = js_args::string(&template_id, method, "templateId")?;
            let ctx = call_context(&Options::new(&options, method)?)?;
            let req = wire::delete_template(&ctx.config, &id).map_err(flow_error)?;
            let reply = send(&ctx, req, Endpoint::DeleteTemplate)
                .await
                .map_err(flow_error)?;
            Ok(JsValue::from_bool(
                wire::parse_delete_template(&reply).map_err(flow_error)?,
            ))
        })
    }
}

fn tag_list(v: &JsValue, method: &str) -> JsResult<Vec<String>> {
    let tags = js_args::string_list(v, method, "tags")?;
    if tags.is_empty() || tags.iter().any(|t| t.trim().is_empty()) {
        return Err(invalid(
            method,
            "`tags` must be one or more non-empty strings",
        ));
    }
    Ok(tags)
}

fn alias_exists_promise(name: JsValue, options: JsValue, method: &'static str) -> Promise {
    promise(async move {
        let name = non_empty(&name, method, "name")?;
        let ctx = call_context(&Options::new(&options, method)?)?;
        legacy_guard(&ctx, method)?;
        let reply = send(
            &ctx,
            wire::alias_exists(&ctx.config, &name),
            Endpoint::AliasExists,
        )
        .await
        .map_err(flow_error)?;
        Ok(JsValue::from_bool(
            wire::parse_alias_exists(&reply).map_err(flow_error)?,
        ))
    })
}
