//! The template builder state (docs/wire-contract.md §1.1) and one method per official builder
//! method (§1.2, §1.3), recording exactly the official instructions.
//!
//! Every method validates all of its arguments before it changes anything, so a
//! rejected call leaves the template as it was.

use crate::arg_error::arg_error;
use crate::call_description::{call_lit, CallText};
use crate::instruction::{Instruction, InstructionKind};
use crate::js_object::JsObject;
use crate::numbers::{file_mode, integer_in, octal, pad_octal};
use crate::prelude::*;
use crate::ready_cmd;
use crate::registry::RegistryConfig;
use crate::shell_quote::quote_word;
use crate::source_path::validate_source;
use novita_template_json::shape::Num;
use novita_template_json::text::parse_u64;

/// The image every template starts from.
pub const DEFAULT_BASE_IMAGE: &str = "novita/base";

/// Options of `Template(options)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateOptions {
    /// `fileContextPath`; the caller resolves the official default (the calling
    /// module's directory in Node, `"."` in the browser). `None` means `"."`.
    pub file_context_path: Option<String>,
    /// `fileIgnorePatterns`, kept as plain data for the file crate.
    pub file_ignore_patterns: Vec<String>,
}

/// `{username, password}` of `fromImage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryCredentials {
    pub username: String,
    pub password: String,
}

/// `{accessKeyId, secretAccessKey, region}` of `fromAWSRegistry` / `fromHuaweiCloudRegistry`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKeyCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub region: String,
}

/// `{tenancyOcid, userOcid, fingerprint, privateKey, region}` of `fromOCIRegistry`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OciCredentials {
    pub tenancy_ocid: String,
    pub user_ocid: String,
    pub fingerprint: String,
    pub private_key: String,
    pub region: String,
}

/// Options of `copy()` (and one item of `copyItems()`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CopyOptions {
    pub force_upload: Option<bool>,
    pub user: Option<String>,
    /// File mode as JavaScript passes it (an integer `0..=0o7777`; 0 means "unset").
    pub mode: Option<Num>,
    pub resolve_symlinks: Option<bool>,
}

/// One item of `copyItems()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CopyItem {
    pub src: Vec<String>,
    pub dest: String,
    pub options: CopyOptions,
}

/// Options of `remove()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoveOptions {
    pub force: bool,
    pub recursive: bool,
    pub user: Option<String>,
}

/// Options of `rename()` and `makeSymlink()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForceUserOptions {
    pub force: bool,
    pub user: Option<String>,
}

/// Options of `makeDir()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MakeDirOptions {
    pub mode: Option<Num>,
    pub user: Option<String>,
}

/// Options of `npmInstall()` / `bunInstall()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageOptions {
    /// Global install (runs as root).
    pub g: bool,
    /// Dev dependency.
    pub dev: bool,
}

/// Options of `aptInstall()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AptOptions {
    pub no_install_recommends: bool,
    pub fix_missing: bool,
}

/// Options of `gitClone()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GitCloneOptions {
    pub branch: Option<String>,
    /// Clone depth, an integer >= 1.
    pub depth: Option<Num>,
    pub user: Option<String>,
}

/// What the registry reader needs to fetch the base image's config (docs/wire-contract.md §4.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageConfigRequest {
    pub image: String,
    /// The `fromImage` credentials, if any (used for Basic auth).
    pub credentials: Option<RegistryCredentials>,
}

/// Why the image config could not be applied (`TemplateBase.imageConfigFailure`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageConfigFailure {
    pub error: String,
    pub unusable: Option<bool>,
}

/// The template builder state.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub(crate) base_image: Option<String>,
    pub(crate) base_template: Option<String>,
    pub(crate) registry_config: Option<RegistryConfig>,
    pub(crate) image_credentials: Option<RegistryCredentials>,
    pub(crate) start_cmd: Option<String>,
    pub(crate) ready_cmd: Option<String>,
    pub(crate) patch_cmd: Option<String>,
    pub(crate) force: bool,
    pub(crate) force_next_layer: bool,
    pub(crate) instructions: Vec<Instruction>,
    pub(crate) envs: JsObject,
    pub(crate) inherit_image_config: bool,
    pub(crate) file_context_path: String,
    pub(crate) file_ignore_patterns: Vec<String>,
    pub(crate) base_origin: String,
    pub(crate) finalize_origin: Option<String>,
    /// The builder call being recorded (see [`Template::begin_call`]).
    pub(crate) current_call: u32,
    pub(crate) base_call: Option<u32>,
    pub(crate) finalize_call: Option<u32>,
    pub(crate) image_config_failure: Option<ImageConfigFailure>,
}

impl Default for Template {
    fn default() -> Self {
        Self::new(TemplateOptions::default())
    }
}

pub(crate) fn require_non_empty(value: &str, what: &str) -> Result<(), SdkError> {
    if value.is_empty() {
        Err(arg_error(what, " must be a non-empty string"))
    } else {
        Ok(())
    }
}

/// `<method>: <arg> must be a non-empty string` unless `value` has text (the message
/// is only built when it is needed).
fn require_arg(value: &str, method: &str, arg: &str) -> Result<(), SdkError> {
    if value.is_empty() {
        Err(arg_error(
            &novita_template_json::cat!(method, ": ", arg),
            " must be a non-empty string",
        ))
    } else {
        Ok(())
    }
}

fn require_user(user: &Option<String>, method: &str) -> Result<(), SdkError> {
    match user {
        Some(u) => require_arg(u, method, "user"),
        None => Ok(()),
    }
}

fn require_list<S: AsRef<str>>(items: &[S], what: &str) -> Result<(), SdkError> {
    if items.is_empty() {
        return Err(arg_error(
            what,
            " must contain at least one non-empty string",
        ));
    }
    for item in items {
        require_non_empty(item.as_ref(), what)?;
    }
    Ok(())
}

/// Appends each word after a space, as it is.
fn push_words<S: AsRef<str>>(cmd: &mut String, words: &[S]) {
    for w in words {
        cmd.push(' ');
        cmd.push_str(w.as_ref());
    }
}

/// Appends each word after a space, quoted for the shell when it needs it.
fn push_quoted_words<S: AsRef<str>>(cmd: &mut String, words: &[S]) {
    for w in words {
        cmd.push(' ');
        cmd.push_str(&quote_word(w.as_ref()));
    }
}

/// A mode as the call was written, `0o755` (an invalid one never gets this far).
fn mode_lit(mode: &Option<Num>) -> Option<String> {
    let m = mode.as_ref()?;
    Some(match m.integer() {
        Some(n) if (0..=0o7777).contains(&n) => novita_template_json::cat!("0o", &octal(n as u32)),
        _ => m.text().to_string(),
    })
}

impl Template {
    /// `Template(options)`: the initial state of §1.1.
    pub fn new(options: TemplateOptions) -> Self {
        Self {
            base_image: Some(DEFAULT_BASE_IMAGE.to_string()),
            base_template: None,
            registry_config: None,
            image_credentials: None,
            start_cmd: None,
            ready_cmd: None,
            patch_cmd: None,
            force: false,
            force_next_layer: false,
            instructions: Vec::new(),
            envs: JsObject::new(),
            inherit_image_config: false,
            file_context_path: options.file_context_path.unwrap_or_else(|| ".".to_string()),
            file_ignore_patterns: options.file_ignore_patterns,
            base_origin: "Template()".to_string(),
            finalize_origin: None,
            current_call: 0,
            base_call: None,
            finalize_call: None,
            image_config_failure: None,
        }
    }

    // ----------------------------------------------------------------- reading

    /// `baseImage` (`fromImage` on the wire), `None` after `fromTemplate`.
    pub fn base_image(&self) -> Option<&str> {
        self.base_image.as_deref()
    }
    /// `baseTemplate` (`fromTemplate` on the wire).
    pub fn base_template(&self) -> Option<&str> {
        self.base_template.as_deref()
    }
    /// `fromImageRegistry`; never cleared once set.
    pub fn registry_config(&self) -> Option<&RegistryConfig> {
        self.registry_config.as_ref()
    }

    /// A copy whose registry secrets read `<redacted>` (for display and logs).
    pub fn redacted(&self) -> Template {
        let mut t = self.clone();
        t.registry_config = t.registry_config.as_ref().map(RegistryConfig::redacted);
        t
    }
    /// `startCmd`.
    pub fn start_cmd(&self) -> Option<&str> {
        self.start_cmd.as_deref()
    }
    /// `readyCmd`.
    pub fn ready_cmd(&self) -> Option<&str> {
        self.ready_cmd.as_deref()
    }
    /// `patchCmd` (`preBootScript` on the wire).
    pub fn patch_cmd(&self) -> Option<&str> {
        self.patch_cmd.as_deref()
    }
    /// Template-level `force`.
    pub fn force(&self) -> bool {
        self.force
    }
    /// The build option `skipCache: true` sets the template-level force, persistently.
    pub fn set_force(&mut self, force: bool) {
        self.force = force;
    }
    /// The sticky `skipCache()` flag.
    pub fn force_next_layer(&self) -> bool {
        self.force_next_layer
    }
    /// The recorded instructions (without the serialization-time runtime-env step).
    pub fn instructions(&self) -> &[Instruction] {
        &self.instructions
    }
    /// Number of COPY instructions: the length of the `files_hashes` list serialization takes.
    pub fn copy_count(&self) -> usize {
        self.instructions
            .iter()
            .filter(|i| i.kind == InstructionKind::Copy)
            .count()
    }
    /// The accumulated environment, in JavaScript object order.
    pub fn envs(&self) -> Vec<(&str, &str)> {
        self.envs.entries()
    }
    /// Whether the base image's config will be read at build/`toJSON` time.
    pub fn inherit_image_config(&self) -> bool {
        self.inherit_image_config
    }
    /// `fileContextPath`.
    pub fn file_context_path(&self) -> &str {
        &self.file_context_path
    }
    /// `fileIgnorePatterns`.
    pub fn file_ignore_patterns(&self) -> &[String] {
        &self.file_ignore_patterns
    }
    /// `TemplateBase.imageConfigFailure(t)`.
    pub fn image_config_failure(&self) -> Option<&ImageConfigFailure> {
        self.image_config_failure.as_ref()
    }

    /// Starts the image-config read as `resolveInheritedConfig` does: returns what to
    /// read (or `None` when nothing should be read) and clears the flag, so the read
    /// happens at most once per template.
    pub fn take_image_config_request(&mut self) -> Option<ImageConfigRequest> {
        if !self.inherit_image_config {
            return None;
        }
        let image = self.base_image.clone()?;
        self.inherit_image_config = false;
        Some(ImageConfigRequest {
            image,
            credentials: self.image_credentials.clone(),
        })
    }

    /// Records a failed image-config read; the template is otherwise unchanged.
    pub fn record_image_config_failure(&mut self, error: &str, unusable: Option<bool>) {
        self.image_config_failure = Some(ImageConfigFailure {
            error: error.to_string(),
            unusable,
        });
    }

    // ----------------------------------------------------------------- internals

    fn after_base(&mut self, origin: String) {
        if self.force_next_layer {
            self.force = true;
        }
        self.base_origin = origin;
        self.base_call = Some(self.current_call);
    }

    /// Says which builder call the next recordings belong to (a counter kept by the
    /// caller, e.g. the index of the call's stack trace), so that
    /// [`Template::step_call`] can name the call of a failing step.
    pub fn begin_call(&mut self, call: u32) {
        self.current_call = call;
    }

    fn push(&mut self, kind: InstructionKind, args: Vec<String>, origin: String) {
        self.instructions.push(Instruction {
            kind,
            args,
            force: self.force_next_layer,
            force_upload: None,
            resolve_symlinks: None,
            origin,
            call: self.current_call,
        });
    }

    fn push_run(&mut self, command: String, user: Option<&str>, origin: String) {
        let mut args = vec![command];
        if let Some(u) = user {
            args.push(u.to_string());
        }
        self.push(InstructionKind::Run, args, origin);
    }

    // ----------------------------------------------------------------- bases

    /// `fromImage(image, credentials?, {inheritConfig?})`.
    pub fn from_image(
        &mut self,
        image: &str,
        credentials: Option<RegistryCredentials>,
        inherit_config: Option<bool>,
    ) -> Result<&mut Self, SdkError> {
        require_non_empty(image, "fromImage: image")?;
        let mut c = CallText::new("fromImage");
        c.lit(image);
        if let Some(creds) = &credentials {
            c.opt_lit("username", Some(&creds.username))
                .opt_raw("password", Some("\"***\""));
        }
        let origin = c
            .end_options()
            .opt_bool("inheritConfig", inherit_config)
            .end_options()
            .finish();
        self.set_image_base(image, credentials, inherit_config, origin);
        Ok(self)
    }

    fn set_image_base(
        &mut self,
        image: &str,
        credentials: Option<RegistryCredentials>,
        inherit_config: Option<bool>,
        origin: String,
    ) {
        self.base_image = Some(image.to_string());
        self.base_template = None;
        self.inherit_image_config = inherit_config.unwrap_or(true);
        if let Some(c) = &credentials {
            self.registry_config = Some(RegistryConfig::Registry {
                username: c.username.clone(),
                password: c.password.clone(),
            });
        }
        self.image_credentials = credentials;
        self.after_base(origin);
    }

    fn from_image_helper(
        &mut self,
        method: &str,
        prefix: &str,
        variant: Option<&str>,
        default: &str,
    ) -> Result<&mut Self, SdkError> {
        if let Some(v) = variant {
            require_arg(v, method, "variant")?;
        }
        let image = novita_template_json::cat!(prefix, variant.unwrap_or(default));
        let origin = CallText::new(method).lit_opt(variant).finish();
        self.set_image_base(&image, None, None, origin);
        Ok(self)
    }

    /// `fromDebianImage(variant = "stable")`.
    pub fn from_debian_image(&mut self, variant: Option<&str>) -> Result<&mut Self, SdkError> {
        self.from_image_helper("fromDebianImage", "debian:", variant, "stable")
    }
    /// `fromUbuntuImage(variant = "latest")`.
    pub fn from_ubuntu_image(&mut self, variant: Option<&str>) -> Result<&mut Self, SdkError> {
        self.from_image_helper("fromUbuntuImage", "ubuntu:", variant, "latest")
    }
    /// `fromPythonImage(version = "3")`.
    pub fn from_python_image(&mut self, version: Option<&str>) -> Result<&mut Self, SdkError> {
        self.from_image_helper("fromPythonImage", "python:", version, "3")
    }
    /// `fromNodeImage(variant = "lts")`.
    pub fn from_node_image(&mut self, variant: Option<&str>) -> Result<&mut Self, SdkError> {
        self.from_image_helper("fromNodeImage", "node:", variant, "lts")
    }
    /// `fromBunImage(variant = "latest")`.
    pub fn from_bun_image(&mut self, variant: Option<&str>) -> Result<&mut Self, SdkError> {
        self.from_image_helper("fromBunImage", "oven/bun:", variant, "latest")
    }
    /// `fromBaseImage()`: `fromImage("novita/base")`.
    pub fn from_base_image(&mut self) -> Result<&mut Self, SdkError> {
        self.set_image_base(
            DEFAULT_BASE_IMAGE,
            None,
            None,
            "fromBaseImage()".to_string(),
        );
        Ok(self)
    }

    /// `fromTemplate(id)`.
    pub fn from_template(&mut self, template: &str) -> Result<&mut Self, SdkError> {
        require_non_empty(template, "fromTemplate: template")?;
        self.base_template = Some(template.to_string());
        self.base_image = None;
        self.after_base(call_lit("fromTemplate", template));
        Ok(self)
    }

    fn set_registry_base(&mut self, image: &str, config: RegistryConfig, origin: String) {
        self.base_image = Some(image.to_string());
        self.base_template = None;
        self.registry_config = Some(config);
        self.after_base(origin);
    }

    /// The two registries that take `{accessKeyId, secretAccessKey, region}`.
    fn access_key_base(
        &mut self,
        method: &'static str,
        image: &str,
        credentials: AccessKeyCredentials,
        config: fn(String, String, String) -> RegistryConfig,
    ) -> Result<&mut Self, SdkError> {
        require_arg(image, method, "image")?;
        let origin = CallText::new(method).lit(image).raw("{ ... }").finish();
        let AccessKeyCredentials {
            access_key_id,
            secret_access_key,
            region,
        } = credentials;
        self.set_registry_base(
            image,
            config(access_key_id, secret_access_key, region),
            origin,
        );
        Ok(self)
    }

    /// `fromAWSRegistry(image, {accessKeyId, secretAccessKey, region})`.
    pub fn from_aws_registry(
        &mut self,
        image: &str,
        credentials: AccessKeyCredentials,
    ) -> Result<&mut Self, SdkError> {
        self.access_key_base(
            "fromAWSRegistry",
            image,
            credentials,
            |access_key_id, secret_access_key, region| RegistryConfig::Aws {
                access_key_id,
                secret_access_key,
                region,
            },
        )
    }

    /// `fromGCPRegistry(image, {serviceAccountJSON})`, given the service-account JSON text
    /// (reading a file or stringifying an object is the caller's job).
    pub fn from_gcp_registry(
        &mut self,
        image: &str,
        service_account_json: &str,
    ) -> Result<&mut Self, SdkError> {
        require_non_empty(image, "fromGCPRegistry: image")?;
        let origin = CallText::new("fromGCPRegistry")
            .lit(image)
            .raw("{ ... }")
            .finish();
        self.set_registry_base(
            image,
            RegistryConfig::Gcp {
                service_account_json: service_account_json.to_string(),
            },
            origin,
        );
        Ok(self)
    }

    /// `fromOCIRegistry(image, {tenancyOcid, userOcid, fingerprint, privateKey, region})`.
    pub fn from_oci_registry(
        &mut self,
        image: &str,
        credentials: OciCredentials,
    ) -> Result<&mut Self, SdkError> {
        require_non_empty(image, "fromOCIRegistry: image")?;
        let origin = CallText::new("fromOCIRegistry")
            .lit(image)
            .raw("{ ... }")
            .finish();
        let OciCredentials {
            tenancy_ocid,
            user_ocid,
            fingerprint,
            private_key,
            region,
        } = credentials;
        self.set_registry_base(
            image,
            RegistryConfig::Oci {
                tenancy_ocid,
                user_ocid,
                fingerprint,
                private_key,
                region,
            },
            origin,
        );
        Ok(self)
    }

    /// `fromHuaweiCloudRegistry(image, {accessKeyId, secretAccessKey, region})`.
    pub fn from_huawei_cloud_registry(
        &mut self,
        image: &str,
        credentials: AccessKeyCredentials,
    ) -> Result<&mut Self, SdkError> {
        self.access_key_base(
            "fromHuaweiCloudRegistry",
            image,
            credentials,
            |access_key_id, secret_access_key, region| RegistryConfig::Huawei {
                access_key_id,
                secret_access_key,
                region,
            },
        )
    }

    /// Applies a parsed Dockerfile's base (the tail of official `fromDockerfile`).
    pub(crate) fn finish_dockerfile_base(&mut self, image: &str, origin: String) {
        self.base_image = Some(image.to_string());
        self.base_template = None;
        self.inherit_image_config = true;
        self.after_base(origin);
    }

    /// `skipCache()`: every later instruction (and a later `from*`) is forced.
    pub fn skip_cache(&mut self) -> &mut Self {
        self.force_next_layer = true;
        self
    }

    // ----------------------------------------------------------------- instructions

    /// `runCmd(command | commands[], {user?})`: one RUN of the commands joined by ` && `.
    pub fn run_cmd<S: AsRef<str>>(
        &mut self,
        commands: &[S],
        user: Option<&str>,
    ) -> Result<&mut Self, SdkError> {
        if commands.is_empty() || commands.iter().any(|c| c.as_ref().is_empty()) {
            return Err(arg_error("runCmd: command", " must be a non-empty string"));
        }
        if let Some(u) = user {
            require_non_empty(u, "runCmd: user")?;
        }
        let origin = CallText::new("runCmd")
            .list(commands)
            .opt_lit("user", user)
            .end_options()
            .finish();
        self.push_run(
            novita_template_json::text::join(commands, " && "),
            user,
            origin,
        );
        Ok(self)
    }

    /// `setWorkdir(path)`.
    pub fn set_workdir(&mut self, workdir: &str) -> Result<&mut Self, SdkError> {
        require_non_empty(workdir, "setWorkdir: workdir")?;
        let origin = call_lit("setWorkdir", workdir);
        self.push(InstructionKind::Workdir, vec![workdir.to_string()], origin);
        Ok(self)
    }

    /// `setUser(user)`.
    pub fn set_user(&mut self, user: &str) -> Result<&mut Self, SdkError> {
        require_non_empty(user, "setUser: user")?;
        let origin = call_lit("setUser", user);
        self.push(InstructionKind::User, vec![user.to_string()], origin);
        Ok(self)
    }

    /// `setEnvs({...})` with the object's entries in order. An empty list records
    /// nothing. A key given twice keeps its first position and its last value, as in
    /// a JavaScript object literal.
    pub fn set_envs<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        envs: &[(K, V)],
    ) -> Result<&mut Self, SdkError> {
        for (k, _) in envs {
            if k.as_ref().is_empty() {
                return Err(SdkError::invalid(
                    "setEnvs: variable names must be non-empty strings",
                ));
            }
        }
        let mut obj = JsObject::new();
        for (k, v) in envs {
            obj.insert(k.as_ref(), v.as_ref());
        }
        let mut origin = CallText::new("setEnvs");
        for (k, v) in obj.entries() {
            origin.entry(k, v);
        }
        let origin = origin.end_options().finish();
        self.set_envs_object(&obj, origin);
        Ok(self)
    }

    pub(crate) fn set_envs_object(&mut self, obj: &JsObject, origin: String) {
        if obj.is_empty() {
            return;
        }
        let mut args = Vec::with_capacity(obj.len() * 2);
        for (k, v) in obj.entries() {
            args.push(k.to_string());
            args.push(v.to_string());
            self.envs.insert(k, v);
        }
        self.push(InstructionKind::Env, args, origin);
    }

    fn validate_copy(
        src: &[String],
        dest: &str,
        options: &CopyOptions,
        method: &str,
    ) -> Result<String, SdkError> {
        if src.is_empty() {
            return Err(arg_error(
                &novita_template_json::cat!(method, ": src"),
                " must contain at least one path",
            ));
        }
        for s in src {
            require_arg(s, method, "src")?;
            // The official message, with the argument named for a form.
            validate_source(s).map_err(|e| e.with_field("argument", Json::str("src")))?;
        }
        require_arg(dest, method, "dest")?;
        require_user(&options.user, method)?;
        let mode = match &options.mode {
            Some(m) => file_mode(m, &novita_template_json::cat!(method, ": mode"))?,
            None => 0,
        };
        Ok(if mode == 0 {
            String::new()
        } else {
            pad_octal(mode)
        })
    }

    fn push_copies(
        &mut self,
        src: &[String],
        dest: &str,
        options: &CopyOptions,
        mode: String,
        origin: &str,
    ) {
        for s in src {
            self.instructions.push(Instruction {
                kind: InstructionKind::Copy,
                args: vec![
                    s.clone(),
                    dest.to_string(),
                    options.user.clone().unwrap_or_default(),
                    mode.clone(),
                ],
                force: options.force_upload.unwrap_or(false) || self.force_next_layer,
                force_upload: options.force_upload,
                resolve_symlinks: options.resolve_symlinks,
                origin: origin.to_string(),
                call: self.current_call,
            });
        }
    }

    fn copy_origin(src: &[String], dest: &str, o: &CopyOptions) -> String {
        CallText::new("copy")
            .list(src)
            .lit(dest)
            .opt_bool("forceUpload", o.force_upload)
            .opt_lit("user", o.user.as_deref())
            .opt_raw("mode", mode_lit(&o.mode).as_deref())
            .opt_bool("resolveSymlinks", o.resolve_symlinks)
            .end_options()
            .finish()
    }

    /// `copy(src | src[], dest, options)`: one COPY per source. Sources are checked as
    /// §6.2 (absolute or escaping sources raise the official `TemplateError`).
    pub fn copy<S: AsRef<str>>(
        &mut self,
        src: &[S],
        dest: &str,
        options: &CopyOptions,
    ) -> Result<&mut Self, SdkError> {
        let src: Vec<String> = src.iter().map(|s| s.as_ref().to_string()).collect();
        let mode = Self::validate_copy(&src, dest, options, "copy")?;
        let origin = Self::copy_origin(&src, dest, options);
        self.push_copies(&src, dest, options, mode, &origin);
        Ok(self)
    }

    /// `copyItems([{src, dest, ...options}])`: all items are validated before any is recorded.
    pub fn copy_items(&mut self, items: &[CopyItem]) -> Result<&mut Self, SdkError> {
        let mut modes = Vec::with_capacity(items.len());
        for item in items {
            modes.push(Self::validate_copy(
                &item.src,
                &item.dest,
                &item.options,
                "copyItems",
            )?);
        }
        for (item, mode) in items.iter().zip(modes) {
            let origin = novita_template_json::cat!(
                "copyItems(... ",
                &Self::copy_origin(&item.src, &item.dest, &item.options),
                ")",
            );
            self.push_copies(&item.src, &item.dest, &item.options, mode, &origin);
        }
        Ok(self)
    }

    /// `remove(path | paths[], {force?, recursive?, user?})`: `rm [-r] [-f] PATHS`.
    pub fn remove<S: AsRef<str>>(
        &mut self,
        paths: &[S],
        options: &RemoveOptions,
    ) -> Result<&mut Self, SdkError> {
        require_list(paths, "remove: path")?;
        require_user(&options.user, "remove")?;
        let mut cmd = String::from("rm");
        if options.recursive {
            cmd.push_str(" -r");
        }
        if options.force {
            cmd.push_str(" -f");
        }
        push_quoted_words(&mut cmd, paths);
        let origin = CallText::new("remove")
            .list(paths)
            .opt_flag("force", options.force)
            .opt_flag("recursive", options.recursive)
            .opt_lit("user", options.user.as_deref())
            .end_options()
            .finish();
        self.push_run(cmd, options.user.as_deref(), origin);
        Ok(self)
    }

    /// `rename(src, dest, {force?, user?})`: `mv SRC DEST [-f]`.
    pub fn rename(
        &mut self,
        src: &str,
        dest: &str,
        options: &ForceUserOptions,
    ) -> Result<&mut Self, SdkError> {
        require_non_empty(src, "rename: src")?;
        require_non_empty(dest, "rename: dest")?;
        require_user(&options.user, "rename")?;
        let mut cmd = novita_template_json::cat!("mv ", &quote_word(src), " ", &quote_word(dest));
        if options.force {
            cmd.push_str(" -f");
        }
        let origin = CallText::new("rename")
            .lit(src)
            .lit(dest)
            .opt_flag("force", options.force)
            .opt_lit("user", options.user.as_deref())
            .end_options()
            .finish();
        self.push_run(cmd, options.user.as_deref(), origin);
        Ok(self)
    }

    /// `makeDir(path | paths[], {mode?, user?})`: `mkdir -p [-m MODE] PATHS`.
    pub fn make_dir<S: AsRef<str>>(
        &mut self,
        paths: &[S],
        options: &MakeDirOptions,
    ) -> Result<&mut Self, SdkError> {
        require_list(paths, "makeDir: path")?;
        require_user(&options.user, "makeDir")?;
        let mode = match &options.mode {
            Some(m) => file_mode(m, "makeDir: mode")?,
            None => 0,
        };
        let mut cmd = String::from("mkdir -p");
        if mode != 0 {
            cmd.push_str(" -m ");
            cmd.push_str(&pad_octal(mode));
        }
        push_quoted_words(&mut cmd, paths);
        let origin = CallText::new("makeDir")
            .list(paths)
            .opt_raw("mode", mode_lit(&options.mode).as_deref())
            .opt_lit("user", options.user.as_deref())
            .end_options()
            .finish();
        self.push_run(cmd, options.user.as_deref(), origin);
        Ok(self)
    }

    /// `makeSymlink(src, dest, {force?, user?})`: `ln -s [-f] SRC DEST`.
    pub fn make_symlink(
        &mut self,
        src: &str,
        dest: &str,
        options: &ForceUserOptions,
    ) -> Result<&mut Self, SdkError> {
        require_non_empty(src, "makeSymlink: src")?;
        require_non_empty(dest, "makeSymlink: dest")?;
        require_user(&options.user, "makeSymlink")?;
        let mut cmd = String::from("ln -s");
        if options.force {
            cmd.push_str(" -f");
        }
        push_quoted_words(&mut cmd, &[src, dest]);
        let origin = CallText::new("makeSymlink")
            .lit(src)
            .lit(dest)
            .opt_flag("force", options.force)
            .opt_lit("user", options.user.as_deref())
            .end_options()
            .finish();
        self.push_run(cmd, options.user.as_deref(), origin);
        Ok(self)
    }

    /// `pipInstall(packages?, {g? = true})`: `pip install [--user] PKGS|.`; as root when `g`.
    pub fn pip_install<S: AsRef<str>>(
        &mut self,
        packages: Option<&[S]>,
        g: Option<bool>,
    ) -> Result<&mut Self, SdkError> {
        if let Some(p) = packages {
            require_list(p, "pipInstall: packages")?;
        }
        let global = g.unwrap_or(true);
        let mut cmd = String::from("pip install");
        if !global {
            cmd.push_str(" --user");
        }
        match packages {
            Some(p) => push_words(&mut cmd, p),
            None => cmd.push_str(" ."),
        }
        let origin = CallText::new("pipInstall")
            .list_opt(packages)
            .opt_bool("g", g)
            .end_options()
            .finish();
        self.push_run(cmd, global.then_some("root"), origin);
        Ok(self)
    }

    fn js_package_install<S: AsRef<str>>(
        &mut self,
        method: &str,
        tool: &str,
        dev_flag: &str,
        packages: Option<&[S]>,
        options: &PackageOptions,
    ) -> Result<&mut Self, SdkError> {
        if let Some(p) = packages {
            require_list(p, &novita_template_json::cat!(method, ": packages"))?;
        }
        let mut cmd = novita_template_json::cat!(tool, " install");
        if options.g {
            cmd.push_str(" -g");
        }
        if options.dev {
            cmd.push(' ');
            cmd.push_str(dev_flag);
        }
        if let Some(p) = packages {
            push_words(&mut cmd, p);
        }
        let origin = CallText::new(method)
            .list_opt(packages)
            .opt_flag("g", options.g)
            .opt_flag("dev", options.dev)
            .end_options()
            .finish();
        self.push_run(cmd, options.g.then_some("root"), origin);
        Ok(self)
    }

    /// `npmInstall(packages?, {g?, dev?})`: `npm install [-g] [--save-dev] [PKGS]`.
    pub fn npm_install<S: AsRef<str>>(
        &mut self,
        packages: Option<&[S]>,
        options: &PackageOptions,
    ) -> Result<&mut Self, SdkError> {
        self.js_package_install("npmInstall", "npm", "--save-dev", packages, options)
    }

    /// `bunInstall(packages?, {g?, dev?})`: `bun install [-g] [--dev] [PKGS]`.
    pub fn bun_install<S: AsRef<str>>(
        &mut self,
        packages: Option<&[S]>,
        options: &PackageOptions,
    ) -> Result<&mut Self, SdkError> {
        self.js_package_install("bunInstall", "bun", "--dev", packages, options)
    }

    /// `aptInstall(packages, {noInstallRecommends?, fixMissing?})`, as root.
    pub fn apt_install<S: AsRef<str>>(
        &mut self,
        packages: &[S],
        options: &AptOptions,
    ) -> Result<&mut Self, SdkError> {
        require_list(packages, "aptInstall: packages")?;
        let cmd = novita_template_json::cat!(
            "apt-get update && DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y ",
            if options.no_install_recommends {
                "--no-install-recommends "
            } else {
                ""
            },
            if options.fix_missing {
                "--fix-missing "
            } else {
                ""
            },
            &novita_template_json::text::join(packages, " "),
        );
        let origin = CallText::new("aptInstall")
            .list(packages)
            .opt_flag("noInstallRecommends", options.no_install_recommends)
            .opt_flag("fixMissing", options.fix_missing)
            .end_options()
            .finish();
        self.push_run(cmd, Some("root"), origin);
        Ok(self)
    }

    /// `addMcpServer(name | names[])`: only on the `mcp-gateway` template.
    pub fn add_mcp_server<S: AsRef<str>>(&mut self, servers: &[S]) -> Result<&mut Self, SdkError> {
        if self.base_template.as_deref() != Some("mcp-gateway") {
            return Err(SdkError::new(
                ErrorClass::BuildError,
                "MCP servers can only be added to mcp-gateway template",
            ));
        }
        require_list(servers, "addMcpServer: servers")?;
        let origin = CallText::new("addMcpServer").list(servers).finish();
        self.push_run(
            novita_template_json::cat!(
                "mcp-gateway pull ",
                &novita_template_json::text::join(servers, " ")
            ),
            Some("root"),
            origin,
        );
        Ok(self)
    }

    /// `gitClone(url, path?, {branch?, depth?, user?})`.
    pub fn git_clone(
        &mut self,
        url: &str,
        path: Option<&str>,
        options: &GitCloneOptions,
    ) -> Result<&mut Self, SdkError> {
        require_non_empty(url, "gitClone: url")?;
        if let Some(p) = path {
            require_non_empty(p, "gitClone: path")?;
        }
        if let Some(b) = &options.branch {
            require_non_empty(b, "gitClone: branch")?;
        }
        let depth = match &options.depth {
            Some(d) => Some(integer_in(d, 1, i64::from(u32::MAX), "gitClone: depth")?),
            None => None,
        };
        require_user(&options.user, "gitClone")?;
        let mut cmd = String::from("git clone");
        push_quoted_words(&mut cmd, &[url]);
        if let Some(b) = &options.branch {
            cmd.push_str(" --branch");
            push_quoted_words(&mut cmd, &[b]);
            cmd.push_str(" --single-branch");
        }
        if let Some(d) = depth {
            cmd.push_str(" --depth ");
            cmd.push_str(&crate::numbers::i64_text(d));
        }
        if let Some(p) = path {
            push_quoted_words(&mut cmd, &[p]);
        }
        let origin = CallText::new("gitClone")
            .lit(url)
            .lit_opt(path)
            .opt_lit("branch", options.branch.as_deref())
            .opt_raw("depth", options.depth.as_ref().map(Num::text))
            .opt_lit("user", options.user.as_deref())
            .end_options()
            .finish();
        self.push_run(cmd, options.user.as_deref(), origin);
        Ok(self)
    }

    /// `setStartCmd(cmd, ready)`: `ready` is a ready-command string (a `ReadyCmd`'s
    /// `getCmd()`); `None` leaves `readyCmd` unset, as passing `undefined` does.
    pub fn set_start_cmd(
        &mut self,
        start_cmd: &str,
        ready_cmd: Option<&str>,
    ) -> Result<&mut Self, SdkError> {
        require_non_empty(start_cmd, "setStartCmd: startCommand")?;
        if let Some(r) = ready_cmd {
            require_non_empty(r, "setStartCmd: readyCommand")?;
        }
        let origin = CallText::new("setStartCmd")
            .lit(start_cmd)
            .lit_opt(ready_cmd)
            .finish();
        self.start_cmd = Some(start_cmd.to_string());
        self.ready_cmd = ready_cmd.map(str::to_string);
        self.finalize_origin = Some(origin);
        self.finalize_call = Some(self.current_call);
        Ok(self)
    }

    /// `setReadyCmd(ready)`.
    pub fn set_ready_cmd(&mut self, ready_cmd: &str) -> Result<&mut Self, SdkError> {
        require_non_empty(ready_cmd, "setReadyCmd: readyCommand")?;
        self.ready_cmd = Some(ready_cmd.to_string());
        self.finalize_origin = Some(call_lit("setReadyCmd", ready_cmd));
        self.finalize_call = Some(self.current_call);
        Ok(self)
    }

    /// `setPatchCmd(cmd)`: sent as `preBootScript`.
    pub fn set_patch_cmd(&mut self, cmd: &str) -> Result<&mut Self, SdkError> {
        require_non_empty(cmd, "setPatchCmd: cmd")?;
        self.patch_cmd = Some(cmd.to_string());
        Ok(self)
    }

    fn require_devcontainer(&self, dir: &str, method: &str) -> Result<(), SdkError> {
        if self.base_template.as_deref() != Some("devcontainer") {
            return Err(SdkError::new(
                ErrorClass::BuildError,
                "Devcontainers can only used in the devcontainer template",
            ));
        }
        require_arg(dir, method, "devcontainerDirectory")
    }

    /// `betaDevContainerPrebuild(dir)`: only on the `devcontainer` template.
    pub fn beta_dev_container_prebuild(
        &mut self,
        devcontainer_directory: &str,
    ) -> Result<&mut Self, SdkError> {
        self.require_devcontainer(devcontainer_directory, "betaDevContainerPrebuild")?;
        let origin = call_lit("betaDevContainerPrebuild", devcontainer_directory);
        self.push_run(
            novita_template_json::cat!(
                "devcontainer build --workspace-folder ",
                &quote_word(devcontainer_directory),
            ),
            Some("root"),
            origin,
        );
        Ok(self)
    }

    /// `betaSetDevContainerStart(dir)`: start command bringing the devcontainer up,
    /// ready when `/devcontainer.up` exists.
    pub fn beta_set_dev_container_start(
        &mut self,
        devcontainer_directory: &str,
    ) -> Result<&mut Self, SdkError> {
        self.require_devcontainer(devcontainer_directory, "betaSetDevContainerStart")?;
        let dir = quote_word(devcontainer_directory);
        let start = novita_template_json::cat!(
            "sudo devcontainer up --workspace-folder ",
            &dir,
            " && sudo /prepare-exec.sh ",
            &dir,
            " | sudo tee /devcontainer.sh > /dev/null && sudo chmod +x /devcontainer.sh && sudo touch /devcontainer.up",
        );
        let ready = ready_cmd::wait_for_file("/devcontainer.up")?;
        self.start_cmd = Some(start);
        self.ready_cmd = Some(ready);
        self.finalize_call = Some(self.current_call);
        self.finalize_origin = Some(call_lit("betaSetDevContainerStart", devcontainer_directory));
        Ok(self)
    }

    // ----------------------------------------------------------------- step origins

    /// The builder call that produced the server's build step `step` (the
    /// `reason.step` of a failed build): `"base"` (or `"0"`) is the `from*` call,
    /// `"finalize"` the start/ready command call, and `"N"` (N >= 1) the N-th step of
    /// the serialized `steps` list (so the inherited WORKDIR and the runtime-env step
    /// are counted, and multi-source copies are not misaligned as in the official SDK).
    pub fn step_origin(&self, step: &str) -> Option<String> {
        match step {
            "base" => return Some(self.base_origin.clone()),
            "finalize" => {
                return Some(
                    self.finalize_origin.clone().unwrap_or_else(|| {
                        "the start/ready command (inherited or unset)".to_string()
                    }),
                )
            }
            _ => {}
        }
        let n = usize::try_from(parse_u64(step.trim())?).ok()?;
        if n == 0 {
            return Some(self.base_origin.clone());
        }
        if let Some(i) = self.instructions.get(n - 1) {
            return Some(i.origin.clone());
        }
        if n == self.instructions.len() + 1
            && crate::runtime_env::runtime_env_command(&self.envs).is_some()
        {
            return Some("setEnvs (runtime environment step, added at serialization)".to_string());
        }
        None
    }

    /// The builder call (as counted by [`Template::begin_call`]) that produced build
    /// step `step`, when one did.
    pub fn step_call(&self, step: &str) -> Option<u32> {
        match step {
            "base" | "0" => return self.base_call,
            "finalize" => return self.finalize_call,
            _ => {}
        }
        let n = usize::try_from(parse_u64(step.trim())?).ok()?;
        self.instructions.get(n.checked_sub(1)?).map(|i| i.call)
    }

    /// The steps as the server numbers them, described for progress reports: the
    /// base, the numbered steps (with the serialization-time runtime-env step), and
    /// the finalize step.
    pub fn step_descriptions(&self) -> (String, Vec<String>, String) {
        let mut steps: Vec<String> = self.instructions.iter().map(|i| i.origin.clone()).collect();
        if let Some(extra) = self.step_origin(&u64_text(steps.len() as u64 + 1)) {
            steps.push(extra);
        }
        let finalize = self.step_origin("finalize").unwrap_or_default();
        (self.base_origin.clone(), steps, finalize)
    }

    /// Describes the call of a base-inherited step (used by `image_config::apply`).
    pub(crate) fn base_origin(&self) -> &str {
        &self.base_origin
    }
}
