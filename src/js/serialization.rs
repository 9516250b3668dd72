//! `Template.toJSON` and `Template.toDockerfile`.

use novita_template_model as model;
use wasm_bindgen::prelude::*;

use super::error_classes::model_error;
use super::js_args::JsResult;
use super::template_builder::TemplateBase;

#[wasm_bindgen(js_class = TemplateBase)]
impl TemplateBase {
    /// The body the build trigger sends, pretty-printed (2-space indent), as a
    /// Promise like the official SDK's. With `computeHashes` (default true) COPY
    /// steps carry their `filesHash`. Note: the text contains registry credentials
    /// when the template has them (see `Template.toJSON(t, {redact: true})` for display).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "Promise<string>")]
    pub fn to_json(template: &TemplateBase, compute_hashes: Option<bool>) -> js_sys::Promise {
        let result = (|| -> JsResult<String> {
            let t = template.model();
            let t = t.borrow();
            let with_hashes = compute_hashes.unwrap_or(true) && t.copy_count() > 0;
            if with_hashes {
                return Err(super::error_classes::make_error(
                    "TemplateError",
                    "toJSON: computing COPY files hashes is not available yet; call Template.toJSON(template, false)",
                ));
            }
            model::wire::to_json_pretty(&t, None).map_err(model_error)
        })();
        match result {
            Ok(s) => js_sys::Promise::resolve(&JsValue::from_str(&s)),
            Err(e) => js_sys::Promise::reject(&e),
        }
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
