//! `Template.toJSON` and `Template.toDockerfile`.

use novita_template_model as model;
use wasm_bindgen::prelude::*;

use super::copy_files::hash_copies;
use super::error_classes::{flow_error, make_error, model_error};
use super::image_config::resolve_inherited_config;
use super::js_args::JsResult;
use super::js_args::Options;
use super::template_api::promise;
use super::template_builder::TemplateBase;

#[wasm_bindgen(js_class = TemplateBase)]
impl TemplateBase {
    /// The body the build trigger sends, pretty-printed (2-space indent), as a
    /// Promise like the official SDK's. With `computeHashes` (default true) COPY
    /// steps carry their `filesHash`. Like the wire format, the text contains the
    /// registry credentials of the template; pass `{ redact: true }` as the third
    /// argument for a copy safe to display.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "Promise<string>")]
    pub fn to_json(
        template: &TemplateBase,
        compute_hashes: Option<bool>,
        #[wasm_bindgen(unchecked_param_type = "ToJSONOptions | undefined")] options: JsValue,
    ) -> js_sys::Promise {
        let model = template.model();
        let context = template.context();
        promise(async move {
            let o = Options::new(&options, "Template.toJSON")?;
            let registry_url = o.string("registryUrl")?;
            let redact = o.bool("redact")?.unwrap_or(false);
            // The official toJSON reads the registry too (and logs nothing on failure).
            let _ =
                resolve_inherited_config(&model, registry_url.as_deref(), &o.raw("signal")).await;
            // A snapshot: no borrow of the shared model is held across an await.
            let snapshot = model.borrow().clone();
            let hashes = if compute_hashes.unwrap_or(true) && snapshot.copy_count() > 0 {
                let context = context
                    .resolved()
                    .await
                    .map_err(|e| make_error("FileUploadError", &e.0))?;
                let jobs = hash_copies(&snapshot, &context, None)
                    .await
                    .map_err(flow_error)?;
                Some(jobs.into_iter().map(|j| j.files_hash).collect::<Vec<_>>())
            } else {
                None
            };
            let shown = if redact {
                snapshot.redacted()
            } else {
                snapshot
            };
            let text =
                model::wire::to_json_pretty(&shown, hashes.as_deref()).map_err(model_error)?;
            Ok(JsValue::from_str(&text))
        })
    }

    /// The template as a Dockerfile (`FROM`, `RUN`, `COPY`, `ENV`, `WORKDIR`,
    /// `USER`, `ENTRYPOINT`). Registry credentials, the ready command and cache
    /// flags have no Dockerfile form and are left out.
    #[wasm_bindgen(js_name = toDockerfile)]
    pub fn to_dockerfile(template: &TemplateBase) -> JsResult<String> {
        let t = template.model();
        let t = t.borrow();
        model::dockerfile::to_dockerfile(&t).map_err(model_error)
    }
}
