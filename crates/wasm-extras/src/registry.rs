//! Reading a base image's config from its registry (wire contract §4.6), as a
//! machine the face's driver runs like any other call.

use alloc::boxed::Box;
use alloc::string::String;

use novita_template_flow::http::{host_reply, ReplyKind};
use novita_template_flow::machine::{Machine, Step};
use novita_template_flow::registry_read::{ImageConfigRead, RegistryRead as Read, RegistryTarget};
use novita_template_json::shape::Encode;
use novita_template_json::{parse, Json};
use novita_template_model::{base64, image_ref};
use wasm_bindgen::prelude::*;

/// One registry read (`Machine`-shaped: `next`, `reply`, `abort`).
#[wasm_bindgen]
pub struct RegistryRead {
    inner: Option<Box<Read>>,
    /// The result when the image reference itself is unreadable.
    decided: Option<String>,
}

#[wasm_bindgen]
impl RegistryRead {
    /// A read of `request_json` (the core model's `imageRequest`: `{image, username?,
    /// password?, registryUrl?}`); `random` seeds the retry jitter.
    #[wasm_bindgen(constructor)]
    pub fn new(request_json: &str, random: f64) -> RegistryRead {
        let v = parse(request_json).unwrap_or(Json::Null);
        let text = |k: &str| v.get(k).and_then(Json::as_str);
        let image = text("image").unwrap_or("");
        let parsed = match image_ref::parse(image) {
            Ok(p) => p,
            Err(e) => {
                let result = ImageConfigRead {
                    config: None,
                    error: Some(e.message.clone()),
                    unusable: Some(false),
                };
                return RegistryRead {
                    inner: None,
                    decided: Some(Step::Done(result.encode().unwrap_or(Json::Null)).to_json()),
                };
            }
        };
        let basic_auth = match (text("username"), text("password")) {
            (Some(u), Some(p)) => {
                Some(["Basic ", &base64::encode([u, ":", p].concat().as_bytes())].concat())
            }
            _ => None,
        };
        let target = RegistryTarget {
            image: image.into(),
            host: parsed.host,
            repository: parsed.repository,
            reference: parsed.reference,
            basic_auth,
            base_url: text("registryUrl").map(String::from),
        };
        let seed = (random * 9_007_199_254_740_992.0) as u64;
        RegistryRead {
            inner: Some(Box::new(Read::new(target, seed))),
            decided: None,
        }
    }

    /// The next step, as JSON (see the core module's `Machine.next`).
    pub fn next(&mut self, now: f64) -> String {
        match (&mut self.inner, &self.decided) {
            (Some(r), _) => Machine::next(r.as_mut(), now).to_json(),
            (None, Some(done)) => done.clone(),
            (None, None) => String::new(),
        }
    }

    /// The reply to step `id` (see the core module's `Machine.reply`).
    #[allow(clippy::too_many_arguments)]
    pub fn reply(
        &mut self,
        id: u32,
        kind: u8,
        status: u16,
        status_text: &str,
        headers: &str,
        body: &[u8],
        now: f64,
    ) {
        if let Some(r) = &mut self.inner {
            let reply = host_reply(
                ReplyKind::from_code(kind),
                status,
                status_text,
                headers,
                body,
            );
            r.on_reply(id, reply, now);
        }
    }

    /// The caller's signal aborted.
    pub fn abort(&mut self, now: f64) {
        if let Some(r) = &mut self.inner {
            Machine::abort(r.as_mut(), now);
        }
    }
}
