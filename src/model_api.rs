//! `Model`: a template being described. The face's `TemplateBase` holds one and
//! forwards each builder call; serialization, the Dockerfile, the COPY list for
//! hashing and the image-config read are read from it.

use alloc::string::String;
use alloc::vec::Vec;

use novita_template_error::SdkError;
use novita_template_json::{cat, parse, Json};
use novita_template_model::image_config::{self, env_from_config_entries, ImageConfig};
use novita_template_model::{dockerfile, wire, InstructionKind, Template};
use wasm_bindgen::prelude::*;

use crate::builder_calls;
use crate::builder_options::TemplateOptions;
use crate::interop::{decode_options, thrown, Args, Exported};

/// A template being described (the face's `TemplateBase` wraps it).
#[wasm_bindgen]
pub struct Model {
    pub(crate) template: Template,
}

#[wasm_bindgen]
impl Model {
    /// `Template(options)`: `options_json` is the options object's JSON (the face
    /// resolves `fileContextPath`'s default and keeps `fileContext` itself).
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Exported<Model> {
        let o: TemplateOptions = match parse(options_json) {
            Ok(Json::Null) | Err(_) => TemplateOptions::default(),
            Ok(v) => decode_options("Template", &v).map_err(thrown)?,
        };
        Ok(Model {
            template: Template::new(novita_template_model::TemplateOptions {
                file_context_path: o.file_context_path,
                file_ignore_patterns: o.file_ignore_patterns.unwrap_or_default(),
            }),
        })
    }

    /// Builder call `method` with `args_json` (its argument array), recorded as call
    /// number `call` (the face's index of the call's stack trace). Resolves to the JSON
    /// array of warnings to print (a Dockerfile's unsupported instructions).
    pub fn call(&mut self, method: &str, args_json: &str, call: u32) -> Exported<String> {
        let args = Args::parse(method, args_json).map_err(thrown)?;
        // Validation happens before any change, so a refused call leaves no trace.
        self.template.begin_call(call);
        let warnings = builder_calls::apply(&mut self.template, &args).map_err(thrown)?;
        Ok(Json::strs(&warnings).to_compact())
    }

    /// `Template.toJSON`: the trigger body, with the COPY steps' hashes when
    /// `hashes_json` (a JSON array, one per COPY step) is given; two-space indented when
    /// `pretty`; registry secrets shown as `<redacted>` when `redact`.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(
        &self,
        hashes_json: Option<String>,
        pretty: bool,
        redact: bool,
    ) -> Exported<String> {
        let hashes: Option<Vec<String>> = hashes_json.map(|h| {
            parse(&h)
                .ok()
                .and_then(|v| {
                    v.as_array().map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(String::from))
                            .collect()
                    })
                })
                .unwrap_or_default()
        });
        let mut body = wire::trigger_body(&self.template, hashes.as_deref()).map_err(thrown)?;
        if let (true, Some(registry), Json::Obj(members)) =
            (redact, self.template.registry_config(), &mut body)
        {
            for (k, v) in members.iter_mut() {
                if k == "fromImageRegistry" {
                    *v = registry.redacted().to_json();
                }
            }
        }
        Ok(if pretty {
            body.to_pretty()
        } else {
            body.to_compact()
        })
    }

    /// `Template.toDockerfile`.
    #[wasm_bindgen(js_name = toDockerfile)]
    pub fn to_dockerfile(&self) -> Exported<String> {
        dockerfile::to_dockerfile(&self.template).map_err(thrown)
    }

    /// What hashing needs: `{contextPath, ignore, copies: [{src, dest, resolveSymlinks,
    /// forceUpload, call, step}]}`, one entry per COPY step in step order (`step` is its
    /// number in the build, `call` the builder call that made it).
    pub fn copies(&self) -> String {
        let t = &self.template;
        let copies = t
            .instructions()
            .iter()
            .enumerate()
            .filter(|(_, i)| i.kind == InstructionKind::Copy)
            .map(|(n, i)| {
                let arg = |n: usize| Json::str(i.args.get(n).map_or("", String::as_str));
                Json::Obj(alloc::vec![
                    ("src".into(), arg(0)),
                    ("dest".into(), arg(1)),
                    (
                        "resolveSymlinks".into(),
                        Json::Bool(i.resolve_symlinks.unwrap_or(false))
                    ),
                    (
                        "forceUpload".into(),
                        Json::Bool(i.force_upload.unwrap_or(false))
                    ),
                    ("call".into(), Json::int(i64::from(i.call))),
                    ("step".into(), Json::int(n as i64 + 1)),
                ])
            })
            .collect();
        Json::Obj(alloc::vec![
            ("contextPath".into(), Json::str(t.file_context_path())),
            ("ignore".into(), Json::strs(t.file_ignore_patterns())),
            ("copies".into(), Json::Arr(copies)),
        ])
        .to_compact()
    }

    /// Starts the image-config read, at most once per template: `null` (nothing to
    /// read), `{"image", "username"?, "password"?, "registryUrl"?}`, or, in a browser
    /// without `registry_url` (public registries refuse browsers), `{"skip": why}`.
    #[wasm_bindgen(js_name = imageRequest)]
    pub fn image_request(&mut self, browser: bool, registry_url: Option<String>) -> String {
        let Some(request) = self.template.take_image_config_request() else {
            return "null".into();
        };
        if browser && registry_url.is_none() {
            let why = cat!(
                "Not reading ",
                &request.image,
                "'s config: browsers cannot read public registries (CORS). Pass registryUrl (a proxy, or the emulator's <apiUrl>/registry) to inherit the image's ENV, WORKDIR and start command.",
            );
            self.template.record_image_config_failure(&why, None);
            return Json::Obj(alloc::vec![("skip".into(), Json::str(why))]).to_compact();
        }
        let mut members = alloc::vec![("image".into(), Json::str(request.image))];
        if let Some(c) = request.credentials {
            members.push(("username".into(), Json::str(c.username)));
            members.push(("password".into(), Json::str(c.password)));
        }
        if let Some(url) = registry_url {
            members.push(("registryUrl".into(), Json::str(url)));
        }
        Json::Obj(members).to_compact()
    }

    /// Applies what the registry read found (`{config: {env, workdir, entrypoint, cmd}}`
    /// or `{error, unusable}`); returns the build's warning text for a failure, or "".
    #[wasm_bindgen(js_name = applyImageConfig)]
    pub fn apply_image_config(&mut self, result_json: &str) -> String {
        let v = parse(result_json).unwrap_or(Json::Null);
        let strings = |c: &Json, key: &str| -> Vec<String> {
            c.get(key)
                .and_then(Json::as_array)
                .unwrap_or(&[])
                .iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        };
        if let Some(c) = v.get("config").filter(|c| c.as_object().is_some()) {
            let config = ImageConfig {
                env: env_from_config_entries(&strings(c, "env")),
                workdir: c.get("workdir").and_then(Json::as_str).map(String::from),
                entrypoint: strings(c, "entrypoint"),
                cmd: strings(c, "cmd"),
            };
            image_config::apply(&mut self.template, &config);
            return String::new();
        }
        let error = v
            .get("error")
            .and_then(Json::as_str)
            .unwrap_or("the registry read failed");
        let unusable = v.get("unusable").and_then(Json::as_bool);
        self.template.record_image_config_failure(error, unusable);
        let image = self.template.base_image().unwrap_or("the base image");
        cat!(
            "Could not read ",
            image,
            ": ",
            error,
            ". The template will build without the environment, working directory and start command the image declares.",
        )
    }

    /// `TemplateBase.imageConfigFailure(t)`: `{error, unusable?}` or `null`.
    #[wasm_bindgen(js_name = imageConfigFailure)]
    pub fn image_config_failure(&self) -> String {
        match self.template.image_config_failure() {
            None => "null".into(),
            Some(f) => {
                let mut m = alloc::vec![("error".into(), Json::str(f.error.as_str()))];
                if let Some(u) = f.unusable {
                    m.push(("unusable".into(), Json::Bool(u)));
                }
                Json::Obj(m).to_compact()
            }
        }
    }

    /// The builder call (its stack index) that made build step `step`, or -1.
    #[wasm_bindgen(js_name = stepCall)]
    pub fn step_call(&self, step: &str) -> i32 {
        self.template.step_call(step).map_or(-1, |c| c as i32)
    }

    /// The steps' descriptions as `{base, steps: [...], finalize}`, for following a
    /// background build with progress (`Template.waitForBuild`'s `template` option).
    #[wasm_bindgen(js_name = stepsJson)]
    pub fn steps_json(&self) -> String {
        let (base, steps, finalize) = self.template.step_descriptions();
        Json::Obj(alloc::vec![
            ("base".into(), Json::Str(base)),
            (
                "steps".into(),
                Json::Arr(steps.into_iter().map(Json::Str).collect())
            ),
            ("finalize".into(), Json::Str(finalize)),
        ])
        .to_compact()
    }

    /// The builder call that made build step `step`, described (`runCmd("make")`).
    #[wasm_bindgen(js_name = stepDescription)]
    pub fn step_description(&self, step: &str) -> Option<String> {
        self.template.step_origin(step)
    }
}

impl Model {
    /// The trigger body as sent, with `hashes` (one per COPY step).
    pub(crate) fn trigger_body(&self, hashes: &[String]) -> Result<String, SdkError> {
        wire::to_json_compact(&self.template, Some(hashes))
    }
}
