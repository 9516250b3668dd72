//! `Sandbox.create(templateId, options)` and `sandbox.kill()` / `Sandbox.kill(id)`:
//! the pair the documentation's example needs, no more.

use std::rc::Rc;

use js_sys::Promise;
use novita_template_flow::wire::{self, SandboxCreateOptions};
use novita_template_flow::Endpoint;
use wasm_bindgen::prelude::*;

use super::api_driver::send;
use super::connection::{call_context, CallContext};
use super::error_classes::flow_error;
use super::js_args::{self, invalid, JsResult, Options};
use super::template_api::promise;

/// The id the official SDK uses in debug mode, where no request is made.
const DEBUG_SANDBOX_ID: &str = "debug_sandbox_id";

/// A running sandbox.
#[wasm_bindgen]
pub struct Sandbox {
    sandbox_id: String,
    template_id: String,
    ctx: Rc<CallContext>,
}

fn json_text(o: &Options, key: &str) -> JsResult<Option<String>> {
    let v = o.raw(key);
    if v.is_undefined() {
        return Ok(None);
    }
    js_sys::JSON::stringify(&v)
        .ok()
        .and_then(|s| s.as_string())
        .map(Some)
        .ok_or_else(|| {
            invalid(
                o.method(),
                &format!("option `{key}` must be JSON-serializable"),
            )
        })
}

fn create_options(o: &Options, template_id: String) -> JsResult<SandboxCreateOptions> {
    let timeout_ms = match o.number("timeoutMs")? {
        Some(ms) if ms < 0.0 => return Err(invalid(o.method(), "option `timeoutMs` must be >= 0")),
        Some(ms) => Some(ms.ceil() as u64),
        None => None,
    };
    let lifecycle = Options::new(&o.raw("lifecycle"), o.method())?;
    let auto_resume = Options::new(&o.raw("autoResume"), o.method())?;
    Ok(SandboxCreateOptions {
        template_id,
        metadata_json: json_text(o, "metadata")?,
        mcp_json: json_text(o, "mcp")?,
        env_vars_json: json_text(o, "envs")?,
        timeout_ms,
        secure: o.bool("secure")?,
        allow_internet_access: o.bool("allowInternetAccess")?,
        network_json: json_text(o, "network")?,
        node_id: o.string("nodeId")?,
        auto_pause: lifecycle.string("onTimeout")?.as_deref() == Some("pause"),
        auto_resume: auto_resume.bool("enabled")?,
        volume_mounts_json: json_text(o, "volumeMounts")?,
        secrets_json: json_text(o, "secrets")?,
    })
}

async fn kill_by_id(ctx: &CallContext, id: &str) -> JsResult<bool> {
    if ctx.config.debug {
        return Ok(true);
    }
    let reply = send(
        ctx,
        wire::kill_sandbox(&ctx.config, id),
        Endpoint::KillSandbox,
    )
    .await
    .map_err(flow_error)?;
    wire::parse_kill_sandbox(&reply).map_err(flow_error)
}

#[wasm_bindgen]
impl Sandbox {
    /// Starts a sandbox from a template id or `name[:tag]`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Sandbox>")]
    pub fn create(
        #[wasm_bindgen(unchecked_param_type = "string")] template: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SandboxOptions | undefined")] options: JsValue,
    ) -> Promise {
        promise(async move {
            let method = "Sandbox.create";
            let template_id = js_args::string(&template, method, "template")?;
            if template_id.trim().is_empty() {
                return Err(invalid(
                    method,
                    "`template` must be a non-empty template id or name",
                ));
            }
            let o = Options::new(&options, method)?;
            let body = create_options(&o, template_id.clone())?;
            let ctx = Rc::new(call_context(&o)?);
            if ctx.config.debug {
                return Ok(Sandbox {
                    sandbox_id: DEBUG_SANDBOX_ID.into(),
                    template_id,
                    ctx,
                }
                .into());
            }
            let req = wire::create_sandbox(&ctx.config, &body).map_err(flow_error)?;
            let reply = send(&ctx, req, Endpoint::CreateSandbox)
                .await
                .map_err(flow_error)?;
            let created = wire::parse_create_sandbox(&reply).map_err(flow_error)?;
            let sandbox_id = created.sandbox_id_for(ctx.config.is_legacy_domain());
            if let Err(e) = created.check_envd_version() {
                let _ = kill_by_id(&ctx, &sandbox_id).await;
                return Err(flow_error(e));
            }
            let template_id = if created.template_id.is_empty() {
                template_id
            } else {
                created.template_id
            };
            Ok(Sandbox {
                sandbox_id,
                template_id,
                ctx,
            }
            .into())
        })
    }

    /// The sandbox's id.
    #[wasm_bindgen(getter, js_name = sandboxId)]
    pub fn sandbox_id(&self) -> String {
        self.sandbox_id.clone()
    }

    /// The template it was created from.
    #[wasm_bindgen(getter, js_name = templateId)]
    pub fn template_id(&self) -> String {
        self.template_id.clone()
    }

    /// Kills this sandbox.
    #[wasm_bindgen(js_name = kill, unchecked_return_type = "Promise<void>")]
    pub fn kill(&self) -> Promise {
        let ctx = Rc::clone(&self.ctx);
        let id = self.sandbox_id.clone();
        promise(async move {
            kill_by_id(&ctx, &id).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// `Sandbox.kill(sandboxId, options)`: attached to the class as a static by the JS
/// face (wasm-bindgen cannot export a static and a method of the same name).
#[wasm_bindgen(js_name = "__killSandbox", skip_typescript)]
pub fn kill_sandbox_by_id(
    #[wasm_bindgen(unchecked_param_type = "string")] sandbox_id: JsValue,
    options: JsValue,
) -> Promise {
    promise(async move {
        let id = js_args::string(&sandbox_id, "Sandbox.kill", "sandboxId")?;
        let ctx = call_context(&Options::new(&options, "Sandbox.kill")?)?;
        Ok(JsValue::from_bool(kill_by_id(&ctx, &id).await?))
    })
}

#[wasm_bindgen(typescript_custom_section)]
const SANDBOX_STATICS: &'static str = r#"
export namespace Sandbox {
  /** Kills a sandbox by id; resolves `false` when it did not exist. */
  function kill(sandboxId: string, options?: ConnectionOptions): Promise<boolean>
}
"#;
