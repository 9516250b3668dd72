//! `Sandbox.create(templateId, options)` options (§9): the pair the documentation's
//! example needs, with every option the official body carries.

use crate::api_call::{plain, ApiCall, CallAction};
use crate::connection::{ConnectionConfig, ConnectionOptions};
use crate::endpoint::Endpoint;
use crate::http::{HttpResponse, TransportError};
use crate::machine::{Machine, Step};
use crate::prelude::*;
use crate::wire::{self, SandboxCreated};
use novita_template_json::shape::{Encode, Num, StrMap, Truthy};

novita_template_json::shape! {
    /// What to do when a sandbox's lifetime ends.
    input struct SandboxLifecycle {
        #[ts = "'kill' | 'pause'"]
        pub on_timeout: Option<String> = "onTimeout",
    }
}

novita_template_json::shape! {
    /// Resume a paused sandbox on the next request.
    input struct SandboxAutoResume {
        pub enabled: Truthy = "enabled",
    }
}

novita_template_json::shape! {
    /// Options of `Sandbox.create`.
    input struct SandboxOptions as "SandboxOpts" extends ConnectionOptions as connection {
        /// Sandbox lifetime in ms, sent as whole seconds rounded up (default 300000).
        pub timeout_ms: Option<Num> = "timeoutMs",
        pub metadata: Option<StrMap> = "metadata",
        /// Environment variables of the sandbox.
        pub envs: Option<StrMap> = "envs",
        /// MCP servers to start, as the service expects them.
        pub mcp: Option<Json> = "mcp",
        pub secure: Option<bool> = "secure",
        pub allow_internet_access: Option<bool> = "allowInternetAccess",
        /// Network settings, as the service expects them.
        pub network: Option<Json> = "network",
        pub node_id: Option<String> = "nodeId",
        pub lifecycle: Option<SandboxLifecycle> = "lifecycle",
        pub auto_resume: Option<SandboxAutoResume> = "autoResume",
        /// Volumes to mount, as the service expects them.
        pub volume_mounts: Option<Json> = "volumeMounts",
        /// Secrets to expose, as the service expects them.
        pub secrets: Option<Json> = "secrets",
    }
}

impl SandboxOptions {
    /// The body's `timeout`: whole seconds, rounded up (300 by default).
    pub fn timeout_seconds(&self) -> Result<u64, SdkError> {
        match &self.timeout_ms {
            None => Ok(300),
            Some(n) => n
                .ceil_non_negative()
                .map(|ms| ms.div_ceil(1000))
                .ok_or_else(|| {
                    SdkError::invalid(
                        "Sandbox.create: option `timeoutMs` must be a number of milliseconds >= 0",
                    )
                }),
        }
    }
}

novita_template_json::shape! {
    /// A sandbox `Sandbox.create` started (the face's `Sandbox` holds it).
    output struct CreatedSandbox {
        pub sandbox_id: String = "sandboxId",
        pub template_id: String = "templateId",
        pub client_id: Option<String> = "clientId",
        pub envd_version: String = "envdVersion",
        pub envd_access_token: Option<String> = "envdAccessToken",
        pub domain: Option<String> = "domain",
        pub traffic_access_token: Option<String> = "trafficAccessToken",
    }
}

/// The id the official SDK uses in debug mode, where no request is made.
pub const DEBUG_SANDBOX_ID: &str = "debug_sandbox_id";

/// Ids of the clean-up kill's requests, apart from the create's.
const KILL_IDS: u32 = 1000;

/// `Sandbox.create`: `POST /sandboxes`, then the official envd check (a template
/// whose envd is too old gets its new sandbox killed and a `TemplateError`).
pub struct SandboxCreate {
    config: ConnectionConfig,
    create: ApiCall<SandboxCreated>,
    kill: Option<ApiCall<bool>>,
    seed: u64,
    outcome: Option<Result<CreatedSandbox, SdkError>>,
}

/// Starts `Sandbox.create(template, options)`; option errors come first.
pub fn create_sandbox(
    config: &ConnectionConfig,
    template: &str,
    options: &SandboxOptions,
    seed: u64,
) -> Result<SandboxCreate, SdkError> {
    crate::calls::non_empty("Sandbox.create", "template", template)?;
    let request = wire::create_sandbox(config, template, options)?;
    let outcome = config.debug.then(|| {
        Ok(CreatedSandbox {
            sandbox_id: DEBUG_SANDBOX_ID.into(),
            template_id: template.into(),
            ..CreatedSandbox::default()
        })
    });
    Ok(SandboxCreate {
        config: config.clone(),
        create: ApiCall::new(
            request,
            Endpoint::CreateSandbox,
            plain(wire::parse_create_sandbox),
            seed,
        ),
        kill: None,
        seed,
        outcome,
    })
}

impl Machine for SandboxCreate {
    fn next(&mut self, now_ms: f64) -> Step {
        if let Some(outcome) = &self.outcome {
            return match outcome {
                Ok(s) => Step::Done(s.encode().unwrap_or(Json::Null)),
                Err(e) => Step::Failed(e.clone()),
            };
        }
        if let Some(kill) = &mut self.kill {
            if kill.in_flight() {
                return Step::Wait;
            }
            return match kill.next_action(now_ms) {
                CallAction::Send(request) => Step::Send {
                    id: KILL_IDS + kill.attempts(),
                    request,
                    abortable: false,
                },
                CallAction::Sleep { ms } => Step::Sleep { ms },
                // Killed or not, the sandbox cannot be used: the envd error stands.
                CallAction::Done(_) | CallAction::Failed(_) => {
                    self.outcome = Some(Err(SdkError::new(
                        ErrorClass::TemplateError,
                        wire::ENVD_TOO_OLD_MESSAGE,
                    )));
                    self.next(now_ms)
                }
            };
        }
        if self.create.in_flight() {
            return Step::Wait;
        }
        match self.create.next_action(now_ms) {
            CallAction::Send(request) => Step::Send {
                id: self.create.attempts(),
                request,
                abortable: true,
            },
            CallAction::Sleep { ms } => Step::Sleep { ms },
            CallAction::Failed(e) => {
                self.outcome = Some(Err(e));
                self.next(now_ms)
            }
            CallAction::Done(created) => {
                let legacy = self.config.is_legacy_domain();
                if created.check_envd_version().is_err() {
                    let id = created.sandbox_id_for(legacy);
                    let request = wire::kill_sandbox(&self.config, &id);
                    self.kill = Some(ApiCall::new(
                        request,
                        Endpoint::KillSandbox,
                        plain(wire::parse_kill_sandbox),
                        self.seed,
                    ));
                } else {
                    self.outcome = Some(Ok(CreatedSandbox {
                        sandbox_id: created.sandbox_id_for(legacy),
                        template_id: created.template_id,
                        client_id: created.client_id,
                        envd_version: created.envd_version,
                        envd_access_token: created.envd_access_token,
                        domain: created.domain,
                        traffic_access_token: created.traffic_access_token,
                    }));
                }
                self.next(now_ms)
            }
        }
    }

    fn on_reply(&mut self, id: u32, reply: Result<HttpResponse, TransportError>, now_ms: f64) {
        match &mut self.kill {
            Some(kill) if id >= KILL_IDS => kill.on_response(reply, now_ms),
            None => self.create.on_response(reply, now_ms),
            Some(_) => {}
        }
    }

    fn abort(&mut self, _now_ms: f64) {
        if self.kill.is_none() {
            self.create.abort();
        }
    }
}
