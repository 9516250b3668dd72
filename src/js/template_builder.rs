//! `TemplateBase`: the builder class. Each method decodes its JavaScript arguments,
//! calls the model, and returns a handle on the same template, so calls chain
//! (`Template().fromPythonImage('3.12').pipInstall([...])`).
//!
//! Handles share one model (`Rc<RefCell<…>>`): every handle of a chain is the same
//! template, as `this` is in the official SDK (mutations by `toJSON` or the
//! `skipCache` build option stay visible through every handle).

use std::cell::RefCell;
use std::rc::Rc;

use novita_template_model as model;
use novita_template_model::{ModelError, Template};
use wasm_bindgen::prelude::*;

use super::copy_files::check_source;
use super::error_classes::{flow_error, model_error};
use super::file_context::FileContext;
use super::host;
use super::js_args::{self, invalid, JsResult, Options};
use super::ready_cmd::ready_cmd_text;

/// A sandbox template definition. Create one with `Template()`.
#[wasm_bindgen]
pub struct TemplateBase {
    inner: Rc<RefCell<Template>>,
    context: Rc<FileContext>,
}

impl TemplateBase {
    /// The shared model, for the static methods (serialization, build).
    pub(crate) fn model(&self) -> Rc<RefCell<Template>> {
        Rc::clone(&self.inner)
    }

    /// Where the template's `copy()` sources are read from.
    pub(crate) fn context(&self) -> Rc<FileContext> {
        Rc::clone(&self.context)
    }

    fn handle(&self) -> TemplateBase {
        TemplateBase {
            inner: Rc::clone(&self.inner),
            context: Rc::clone(&self.context),
        }
    }

    /// Checks that every source exists before the COPY step is recorded, as the
    /// official SDK reports a missing source at `copy()` time.
    fn check_sources(&self, method: &str, sources: &[String]) -> JsResult<()> {
        if matches!(*self.context, FileContext::Unavailable) {
            return Err(super::error_classes::make_error(
                "Error",
                &format!("Browser runtime is not supported for {method} without a file source: pass Template({{ fileContext }}) with the files (a FileList, File[] or {{ path: content }} object)"),
            ));
        }
        let t = self.inner.borrow();
        for src in sources {
            check_source(&t, &self.context, src).map_err(flow_error)?;
        }
        Ok(())
    }

    /// Runs one model mutation and returns the chain handle, or the JS error.
    fn apply(
        &self,
        f: impl FnOnce(&mut Template) -> Result<(), ModelError>,
    ) -> JsResult<TemplateBase> {
        // A template is never borrowed across a call into user JavaScript, so this
        // borrow cannot fail; should it ever, report it instead of trapping.
        let mut t = self
            .inner
            .try_borrow_mut()
            .map_err(|_| invalid("Template", "the template is in use by a running operation"))?;
        f(&mut t).map_err(model_error)?;
        Ok(self.handle())
    }
}

fn ok<T>(r: Result<T, ModelError>) -> Result<(), ModelError> {
    r.map(|_| ())
}

fn registry_credentials(v: &JsValue, method: &str) -> JsResult<Option<model::RegistryCredentials>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    let o = Options::new(v, method)?;
    let username = o.string("username")?.unwrap_or_default();
    let password = o.string("password")?.unwrap_or_default();
    Ok(Some(model::RegistryCredentials { username, password }))
}

fn required(o: &Options, key: &str) -> JsResult<String> {
    o.string(key)?
        .ok_or_else(|| invalid(o.method(), &format!("option `{key}` is required")))
}

fn access_key_credentials(v: &JsValue, method: &str) -> JsResult<model::AccessKeyCredentials> {
    let o = Options::new(v, method)?;
    Ok(model::AccessKeyCredentials {
        access_key_id: required(&o, "accessKeyId")?,
        secret_access_key: required(&o, "secretAccessKey")?,
        region: required(&o, "region")?,
    })
}

fn copy_options(o: &Options) -> JsResult<model::CopyOptions> {
    Ok(model::CopyOptions {
        force_upload: o.bool("forceUpload")?,
        user: o.string("user")?,
        mode: o.number("mode")?,
        resolve_symlinks: o.bool("resolveSymlinks")?,
    })
}

fn force_user(o: &Options) -> JsResult<model::ForceUserOptions> {
    Ok(model::ForceUserOptions {
        force: o.truthy("force"),
        user: o.string("user")?,
    })
}

fn package_options(o: &Options) -> JsResult<model::PackageOptions> {
    Ok(model::PackageOptions {
        g: o.truthy("g"),
        dev: o.truthy("dev"),
    })
}

#[wasm_bindgen]
impl TemplateBase {
    /// `new TemplateBase(options?)`; `Template(options?)` is the usual spelling.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TemplateOptions | undefined")] options: JsValue,
    ) -> JsResult<TemplateBase> {
        let o = Options::new(&options, "Template")?;
        let file_context_path = match o.string("fileContextPath")? {
            Some(p) => Some(p),
            None => host::default_file_context_path(),
        };
        if o.raw("fileIgnorePatterns").is_string() {
            return Err(invalid(
                "Template",
                "option `fileIgnorePatterns` must be an array of strings",
            ));
        }
        let file_ignore_patterns = o.string_list("fileIgnorePatterns")?.unwrap_or_default();
        let t = Template::new(model::TemplateOptions {
            file_context_path,
            file_ignore_patterns,
        });
        let context = FileContext::from_options(t.file_context_path(), &o.raw("fileContext"))?;
        Ok(TemplateBase {
            inner: Rc::new(RefCell::new(t)),
            context: Rc::new(context),
        })
    }

    // ------------------------------------------------------------------ bases

    /// Base image by name, e.g. `fromImage('python:3.12')`, with optional registry
    /// credentials and `{ inheritConfig }` (default true: the image's ENV, WORKDIR
    /// and CMD are read from its registry at build time).
    #[wasm_bindgen(js_name = fromImage)]
    pub fn from_image(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] image: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RegistryCredentials | undefined")]
        credentials: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FromImageOptions | undefined")] options: JsValue,
    ) -> JsResult<TemplateBase> {
        let image = js_args::string(&image, "fromImage", "image")?;
        let creds = registry_credentials(&credentials, "fromImage")?;
        let o = Options::new(&options, "fromImage")?;
        let inherit = o.bool("inheritConfig")?;
        self.apply(|t| ok(t.from_image(&image, creds, inherit)))
    }

    /// `debian:<variant>` (default `stable`).
    #[wasm_bindgen(js_name = fromDebianImage)]
    pub fn from_debian_image(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] variant: JsValue,
    ) -> JsResult<TemplateBase> {
        let v = js_args::opt_string(&variant, "fromDebianImage", "variant")?;
        self.apply(|t| ok(t.from_debian_image(v.as_deref())))
    }

    /// `ubuntu:<variant>` (default `latest`).
    #[wasm_bindgen(js_name = fromUbuntuImage)]
    pub fn from_ubuntu_image(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] variant: JsValue,
    ) -> JsResult<TemplateBase> {
        let v = js_args::opt_string(&variant, "fromUbuntuImage", "variant")?;
        self.apply(|t| ok(t.from_ubuntu_image(v.as_deref())))
    }

    /// `python:<version>` (default `3`).
    #[wasm_bindgen(js_name = fromPythonImage)]
    pub fn from_python_image(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] version: JsValue,
    ) -> JsResult<TemplateBase> {
        let v = js_args::opt_string(&version, "fromPythonImage", "version")?;
        self.apply(|t| ok(t.from_python_image(v.as_deref())))
    }

    /// `node:<variant>` (default `lts`).
    #[wasm_bindgen(js_name = fromNodeImage)]
    pub fn from_node_image(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] variant: JsValue,
    ) -> JsResult<TemplateBase> {
        let v = js_args::opt_string(&variant, "fromNodeImage", "variant")?;
        self.apply(|t| ok(t.from_node_image(v.as_deref())))
    }

    /// `oven/bun:<variant>` (default `latest`).
    #[wasm_bindgen(js_name = fromBunImage)]
    pub fn from_bun_image(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] variant: JsValue,
    ) -> JsResult<TemplateBase> {
        let v = js_args::opt_string(&variant, "fromBunImage", "variant")?;
        self.apply(|t| ok(t.from_bun_image(v.as_deref())))
    }

    /// `novita/base`, the default base.
    #[wasm_bindgen(js_name = fromBaseImage)]
    pub fn from_base_image(&self) -> JsResult<TemplateBase> {
        self.apply(|t| ok(t.from_base_image()))
    }

    /// Builds on an existing template (by id or name).
    #[wasm_bindgen(js_name = fromTemplate)]
    pub fn from_template(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] template: JsValue,
    ) -> JsResult<TemplateBase> {
        let id = js_args::string(&template, "fromTemplate", "template")?;
        self.apply(|t| ok(t.from_template(&id)))
    }

    /// Converts a Dockerfile (its content, or in Node a path to it) into steps.
    #[wasm_bindgen(js_name = fromDockerfile)]
    pub fn from_dockerfile(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] dockerfile_content_or_path: JsValue,
    ) -> JsResult<TemplateBase> {
        let arg = js_args::string(
            &dockerfile_content_or_path,
            "fromDockerfile",
            "dockerfileContentOrPath",
        )?;
        let content = host::read_dockerfile(&arg)?;
        let warnings = {
            let mut t = self
                .inner
                .try_borrow_mut()
                .map_err(|_| invalid("fromDockerfile", "template busy"))?;
            model::dockerfile::from_dockerfile(&mut t, &content).map_err(model_error)?
        };
        for w in warnings.warnings {
            web_sys::console::warn_1(&JsValue::from_str(&w));
        }
        Ok(self.handle())
    }

    /// An image in AWS ECR.
    #[wasm_bindgen(js_name = fromAWSRegistry)]
    pub fn from_aws_registry(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] image: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AWSRegistryCredentials")] credentials: JsValue,
    ) -> JsResult<TemplateBase> {
        let image = js_args::string(&image, "fromAWSRegistry", "image")?;
        let c = access_key_credentials(&credentials, "fromAWSRegistry")?;
        self.apply(|t| ok(t.from_aws_registry(&image, c)))
    }

    /// An image in Google Artifact/Container Registry. `serviceAccountJSON` is the
    /// key object, or (in Node) a path relative to `fileContextPath`.
    #[wasm_bindgen(js_name = fromGCPRegistry)]
    pub fn from_gcp_registry(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] image: JsValue,
        #[wasm_bindgen(unchecked_param_type = "GCPRegistryCredentials")] credentials: JsValue,
    ) -> JsResult<TemplateBase> {
        let method = "fromGCPRegistry";
        let image = js_args::string(&image, method, "image")?;
        let o = Options::new(&credentials, method)?;
        let sa = o.raw("serviceAccountJSON");
        let json = if let Some(path) = sa.as_string() {
            let base = self.inner.borrow().file_context_path().to_string();
            host::read_text_in_context(&base, &path, method)?
        } else if sa.is_object() {
            js_sys::JSON::stringify(&sa)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| {
                    invalid(method, "`serviceAccountJSON` could not be turned into JSON")
                })?
        } else {
            return Err(invalid(
                method,
                "`serviceAccountJSON` must be an object or a file path",
            ));
        };
        self.apply(|t| ok(t.from_gcp_registry(&image, &json)))
    }

    /// An image in Oracle Cloud Infrastructure Registry.
    #[wasm_bindgen(js_name = fromOCIRegistry)]
    pub fn from_oci_registry(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] image: JsValue,
        #[wasm_bindgen(unchecked_param_type = "OCIRegistryCredentials")] credentials: JsValue,
    ) -> JsResult<TemplateBase> {
        let method = "fromOCIRegistry";
        let image = js_args::string(&image, method, "image")?;
        let o = Options::new(&credentials, method)?;
        let c = model::OciCredentials {
            tenancy_ocid: required(&o, "tenancyOcid")?,
            user_ocid: required(&o, "userOcid")?,
            fingerprint: required(&o, "fingerprint")?,
            private_key: required(&o, "privateKey")?,
            region: required(&o, "region")?,
        };
        self.apply(|t| ok(t.from_oci_registry(&image, c)))
    }

    /// An image in Huawei Cloud SWR.
    #[wasm_bindgen(js_name = fromHuaweiCloudRegistry)]
    pub fn from_huawei_cloud_registry(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] image: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AccessKeyRegistryCredentials")] credentials: JsValue,
    ) -> JsResult<TemplateBase> {
        let image = js_args::string(&image, "fromHuaweiCloudRegistry", "image")?;
        let c = access_key_credentials(&credentials, "fromHuaweiCloudRegistry")?;
        self.apply(|t| ok(t.from_huawei_cloud_registry(&image, c)))
    }

    /// Rebuilds every later layer (sticky, as in the official SDK); before a
    /// `from*` call it forces the whole template.
    #[wasm_bindgen(js_name = skipCache)]
    pub fn skip_cache(&self) -> JsResult<TemplateBase> {
        self.apply(|t| {
            t.skip_cache();
            Ok(())
        })
    }

    // ------------------------------------------------------------------ steps

    /// `COPY` one or several sources (files, directories or globs relative to the
    /// file context) to `dest`.
    pub fn copy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | string[]")] src: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] dest: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CopyOptions | undefined")] options: JsValue,
    ) -> JsResult<TemplateBase> {
        let src = js_args::string_list(&src, "copy", "src")?;
        let dest = js_args::string(&dest, "copy", "dest")?;
        let opts = copy_options(&Options::new(&options, "copy")?)?;
        self.check_sources("copy", &src)?;
        self.apply(|t| ok(t.copy(&src, &dest, &opts)))
    }

    /// Several `copy()` calls at once: `[{ src, dest, forceUpload?, user?, mode?, resolveSymlinks? }]`.
    #[wasm_bindgen(js_name = copyItems)]
    pub fn copy_items(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CopyItem[]")] items: JsValue,
    ) -> JsResult<TemplateBase> {
        let arr = items.dyn_ref::<js_sys::Array>().ok_or_else(|| {
            invalid(
                "copyItems",
                &format!(
                    "`items` must be an array, got {}",
                    js_args::type_name(&items)
                ),
            )
        })?;
        let mut out = Vec::with_capacity(arr.length() as usize);
        for (i, item) in arr.iter().enumerate() {
            let label = format!("copyItems[{i}]");
            let o = Options::new(&item, &label)?;
            let src = o
                .string_list("src")?
                .ok_or_else(|| invalid(&label, "`src` is required"))?;
            let dest = o
                .string("dest")?
                .ok_or_else(|| invalid(&label, "`dest` is required"))?;
            self.check_sources("copyItems", &src)?;
            out.push(model::CopyItem {
                src,
                dest,
                options: copy_options(&o)?,
            });
        }
        self.apply(|t| ok(t.copy_items(&out)))
    }

    /// `rm` the paths (`{ recursive, force, user }`).
    pub fn remove(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | string[]")] path: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RemoveOptions | undefined")] options: JsValue,
    ) -> JsResult<TemplateBase> {
        let paths = js_args::string_list(&path, "remove", "path")?;
        let o = Options::new(&options, "remove")?;
        let opts = model::RemoveOptions {
            force: o.truthy("force"),
            recursive: o.truthy("recursive"),
            user: o.string("user")?,
        };
        self.apply(|t| ok(t.remove(&paths, &opts)))
    }

    /// `mv src dest` (`{ force, user }`).
    pub fn rename(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] src: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] dest: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ForceUserOptions | undefined")] options: JsValue,
    ) -> JsResult<TemplateBase> {
        let src = js_args::string(&src, "rename", "src")?;
        let dest = js_args::string(&dest, "rename", "dest")?;
        let opts = force_user(&Options::new(&options, "rename")?)?;
        self.apply(|t| ok(t.rename(&src, &dest, &opts)))
    }

    /// `mkdir -p` the paths (`{ mode, user }`).
    #[wasm_bindgen(js_name = makeDir)]
    pub fn make_dir(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | string[]")] path: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MakeDirOptions | undefined")] options: JsValue,
    ) -> JsResult<TemplateBase> {
        let paths = js_args::string_list(&path, "makeDir", "path")?;
        let o = Options::new(&options, "makeDir")?;
        let opts = model::MakeDirOptions {
            mode: o.number("mode")?,
            user: o.string("user")?,
        };
        self.apply(|t| ok(t.make_dir(&paths, &opts)))
    }

    /// `ln -s src dest` (`{ force, user }`).
    #[wasm_bindgen(js_name = makeSymlink)]
    pub fn make_symlink(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] src: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] dest: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ForceUserOptions | undefined")] options: JsValue,
    ) -> JsResult<TemplateBase> {
        let src = js_args::string(&src, "makeSymlink", "src")?;
        let dest = js_args::string(&dest, "makeSymlink", "dest")?;
        let opts = force_user(&Options::new(&options, "makeSymlink")?)?;
        self.apply(|t| ok(t.make_symlink(&src, &dest, &opts)))
    }

    /// `RUN` a command, or several joined with `&&` (`{ user }`).
    #[wasm_bindgen(js_name = runCmd)]
    pub fn run_cmd(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | string[]")] command: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ user?: string } | undefined")] options: JsValue,
    ) -> JsResult<TemplateBase> {
        let cmds = js_args::string_list(&command, "runCmd", "command")?;
        let user = Options::new(&options, "runCmd")?.string("user")?;
        // The official SDK drops an empty user (`{user: ''}` is falsy).
        let user = user.filter(|u| !u.is_empty());
        self.apply(|t| ok(t.run_cmd(&cmds, user.as_deref())))
    }

    /// `WORKDIR`.
    #[wasm_bindgen(js_name = setWorkdir)]
    pub fn set_workdir(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] workdir: JsValue,
    ) -> JsResult<TemplateBase> {
        let w = js_args::string(&workdir, "setWorkdir", "workdir")?;
        self.apply(|t| ok(t.set_workdir(&w)))
    }

    /// `USER`.
    #[wasm_bindgen(js_name = setUser)]
    pub fn set_user(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] user: JsValue,
    ) -> JsResult<TemplateBase> {
        let u = js_args::string(&user, "setUser", "user")?;
        self.apply(|t| ok(t.set_user(&u)))
    }

    /// `pip install` (`{ g: false }` installs for the user instead of system-wide).
    #[wasm_bindgen(js_name = pipInstall)]
    pub fn pip_install(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | string[] | undefined")] packages: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ g?: boolean } | undefined")] options: JsValue,
    ) -> JsResult<TemplateBase> {
        let pkgs = js_args::opt_string_list(&packages, "pipInstall", "packages")?;
        let o = Options::new(&options, "pipInstall")?;
        let g = if o.has("g") {
            Some(o.raw("g").is_truthy())
        } else {
            None
        };
        self.apply(|t| ok(t.pip_install(pkgs.as_deref(), g)))
    }

    /// `npm install` (`{ g, dev }`).
    #[wasm_bindgen(js_name = npmInstall)]
    pub fn npm_install(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | string[] | undefined")] packages: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PackageInstallOptions | undefined")]
        options: JsValue,
    ) -> JsResult<TemplateBase> {
        let pkgs = js_args::opt_string_list(&packages, "npmInstall", "packages")?;
        let opts = package_options(&Options::new(&options, "npmInstall")?)?;
        self.apply(|t| ok(t.npm_install(pkgs.as_deref(), &opts)))
    }

    /// `bun install` (`{ g, dev }`).
    #[wasm_bindgen(js_name = bunInstall)]
    pub fn bun_install(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | string[] | undefined")] packages: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PackageInstallOptions | undefined")]
        options: JsValue,
    ) -> JsResult<TemplateBase> {
        let pkgs = js_args::opt_string_list(&packages, "bunInstall", "packages")?;
        let opts = package_options(&Options::new(&options, "bunInstall")?)?;
        self.apply(|t| ok(t.bun_install(pkgs.as_deref(), &opts)))
    }

    /// `apt-get update && apt-get install -y …` as root (`{ noInstallRecommends, fixMissing }`).
    #[wasm_bindgen(js_name = aptInstall)]
    pub fn apt_install(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | string[]")] packages: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AptInstallOptions | undefined")] options: JsValue,
    ) -> JsResult<TemplateBase> {
        let pkgs = js_args::string_list(&packages, "aptInstall", "packages")?;
        let o = Options::new(&options, "aptInstall")?;
        let opts = model::AptOptions {
            no_install_recommends: o.truthy("noInstallRecommends"),
            fix_missing: o.truthy("fixMissing"),
        };
        self.apply(|t| ok(t.apt_install(&pkgs, &opts)))
    }

    /// MCP servers for the `mcp-gateway` template.
    #[wasm_bindgen(js_name = addMcpServer)]
    pub fn add_mcp_server(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | string[]")] servers: JsValue,
    ) -> JsResult<TemplateBase> {
        let s = js_args::string_list(&servers, "addMcpServer", "servers")?;
        self.apply(|t| ok(t.add_mcp_server(&s)))
    }

    /// `git clone url [path]` (`{ branch, depth, user }`).
    #[wasm_bindgen(js_name = gitClone)]
    pub fn git_clone(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] path: JsValue,
        #[wasm_bindgen(unchecked_param_type = "GitCloneOptions | undefined")] options: JsValue,
    ) -> JsResult<TemplateBase> {
        let url = js_args::string(&url, "gitClone", "url")?;
        let path = js_args::opt_string(&path, "gitClone", "path")?;
        let o = Options::new(&options, "gitClone")?;
        let opts = model::GitCloneOptions {
            branch: o.string("branch")?,
            depth: o.number("depth")?,
            user: o.string("user")?,
        };
        self.apply(|t| ok(t.git_clone(&url, path.as_deref(), &opts)))
    }

    /// `ENV` (values must be strings); also exported in the sandbox's login shells.
    #[wasm_bindgen(js_name = setEnvs)]
    pub fn set_envs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] envs: JsValue,
    ) -> JsResult<TemplateBase> {
        let o = Options::new(&envs, "setEnvs")?;
        if envs.is_undefined() || envs.is_null() {
            return Err(invalid(
                "setEnvs",
                "`envs` must be an object of string values",
            ));
        }
        let mut pairs = Vec::new();
        for (k, v) in o.entries() {
            let v = v.as_string().ok_or_else(|| {
                invalid(
                    "setEnvs",
                    &format!(
                        "the value of `{k}` must be a string, got {}",
                        js_args::type_name(&v)
                    ),
                )
            })?;
            pairs.push((k, v));
        }
        self.apply(|t| ok(t.set_envs(&pairs)))
    }

    /// A script run before the sandbox boots (sent as `preBootScript`).
    #[wasm_bindgen(js_name = setPatchCmd)]
    pub fn set_patch_cmd(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] cmd: JsValue,
    ) -> JsResult<TemplateBase> {
        let c = js_args::string(&cmd, "setPatchCmd", "cmd")?;
        self.apply(|t| ok(t.set_patch_cmd(&c)))
    }

    /// The start command and the ready check (`waitForPort(8000)` or a shell command).
    #[wasm_bindgen(js_name = setStartCmd)]
    pub fn set_start_cmd(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] start_cmd: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | ReadyCmd")] ready_cmd: JsValue,
    ) -> JsResult<TemplateBase> {
        let start = js_args::string(&start_cmd, "setStartCmd", "startCmd")?;
        let ready = if ready_cmd.is_undefined() {
            None
        } else {
            Some(ready_cmd_text(&ready_cmd, "setStartCmd", "readyCmd")?)
        };
        self.apply(|t| ok(t.set_start_cmd(&start, ready.as_deref())))
    }

    /// The ready check alone.
    #[wasm_bindgen(js_name = setReadyCmd)]
    pub fn set_ready_cmd(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | ReadyCmd")] ready_cmd: JsValue,
    ) -> JsResult<TemplateBase> {
        let ready = ready_cmd_text(&ready_cmd, "setReadyCmd", "readyCmd")?;
        self.apply(|t| ok(t.set_ready_cmd(&ready)))
    }

    /// `devcontainer build` (only on the `devcontainer` template).
    #[wasm_bindgen(js_name = betaDevContainerPrebuild)]
    pub fn beta_dev_container_prebuild(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] devcontainer_directory: JsValue,
    ) -> JsResult<TemplateBase> {
        let d = js_args::string(
            &devcontainer_directory,
            "betaDevContainerPrebuild",
            "devcontainerDirectory",
        )?;
        self.apply(|t| ok(t.beta_dev_container_prebuild(&d)))
    }

    /// Starts the dev container when the sandbox starts (only on the `devcontainer` template).
    #[wasm_bindgen(js_name = betaSetDevContainerStart)]
    pub fn beta_set_dev_container_start(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] devcontainer_directory: JsValue,
    ) -> JsResult<TemplateBase> {
        let d = js_args::string(
            &devcontainer_directory,
            "betaSetDevContainerStart",
            "devcontainerDirectory",
        )?;
        self.apply(|t| ok(t.beta_set_dev_container_start(&d)))
    }
}
