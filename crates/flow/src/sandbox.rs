//! `Sandbox.create(templateId, options)` options (§9): the pair the documentation's
//! example needs, with every option the official body carries.

use crate::connection::ConnectionOptions;
use crate::prelude::*;
use novita_template_json::shape::{Num, StrMap, Truthy};

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
