//! Image-config inheritance (protocol §4.6): for `fromImage`-family bases, read
//! the image's ENV, WORKDIR and ENTRYPOINT/CMD from its registry once per
//! template, and apply them to the template as the official SDK does. Reads are
//! cached per page/process. When the registry cannot be read (offline, or a
//! browser blocked by CORS without a `registryUrl` proxy), nothing is inherited
//! and the build logs a `warn` entry.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use novita_template_flow::registry_read::{
    RegistryAction, RegistryFailure, RegistryImageConfig, RegistryRead, RegistryTarget,
};
use novita_template_model::image_config::{self, ImageConfig};
use novita_template_model::{base64, image_ref, Template};
use wasm_bindgen::prelude::*;

use super::api_driver::random_seed;
use super::transport::{self, now_ms};

type ReadResult = Result<RegistryImageConfig, RegistryFailure>;

thread_local! {
    static CACHE: RefCell<HashMap<String, ReadResult>> = RefCell::new(HashMap::new());
}

async fn read(target: RegistryTarget, signal: &JsValue) -> ReadResult {
    let key = format!(
        "{}\u{0}{}\u{0}{}",
        target.image,
        target.basic_auth.as_deref().unwrap_or(""),
        target.base_url.as_deref().unwrap_or("")
    );
    if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return hit;
    }
    let mut r = RegistryRead::new(target, random_seed());
    let result = loop {
        match r.next_action() {
            RegistryAction::Send(req) => {
                let reply = transport::fetch(&req, signal).await;
                r.on_response(reply, now_ms());
            }
            RegistryAction::Sleep { ms } => transport::sleep(ms, signal).await,
            RegistryAction::Done(result) => break result,
        }
    };
    // Only successes are kept: a failed read may succeed on the next build.
    if result.is_ok() {
        CACHE.with(|c| c.borrow_mut().insert(key, result.clone()));
    }
    result
}

/// Reads and applies the image config if the template asks for it (at most once
/// per template). Returns the `warn` message to log when it could not be read.
pub(crate) async fn resolve_inherited_config(
    template: &Rc<RefCell<Template>>,
    registry_url: Option<&str>,
    signal: &JsValue,
) -> Option<String> {
    let request = template
        .try_borrow_mut()
        .ok()?
        .take_image_config_request()?;
    let parsed = match image_ref::parse(&request.image) {
        Ok(p) => p,
        Err(e) => return Some(record_failure(template, &request.image, &e.message, false)),
    };
    let basic_auth = request.credentials.as_ref().map(|c| {
        format!(
            "Basic {}",
            base64::encode(format!("{}:{}", c.username, c.password).as_bytes())
        )
    });
    let target = RegistryTarget {
        image: request.image.clone(),
        host: parsed.host,
        repository: parsed.repository,
        reference: parsed.reference,
        basic_auth,
        base_url: registry_url.map(str::to_string),
    };
    match read(target, signal).await {
        Ok(c) => {
            let config = ImageConfig {
                env: image_config::env_from_config_entries(&c.env),
                workdir: c.workdir,
                entrypoint: c.entrypoint,
                cmd: c.cmd,
            };
            if let Ok(mut t) = template.try_borrow_mut() {
                image_config::apply(&mut t, &config);
            }
            None
        }
        Err(f) => Some(record_failure(
            template,
            &request.image,
            &f.error,
            f.unusable,
        )),
    }
}

fn record_failure(
    template: &Rc<RefCell<Template>>,
    image: &str,
    error: &str,
    unusable: bool,
) -> String {
    if let Ok(mut t) = template.try_borrow_mut() {
        t.record_image_config_failure(error, unusable.then_some(true));
    }
    format!("Could not read {image}: {error}. The template will build without the environment, working directory and start command the image declares.")
}
