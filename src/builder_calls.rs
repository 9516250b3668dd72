//! Every builder method, by name: decodes its arguments (messages naming the method
//! and the argument), then records it on the model. A refused call changes nothing.

use alloc::string::String;
use alloc::vec::Vec;

use novita_template_error::SdkError;
use novita_template_json::shape::{Num, OneOrMany};
use novita_template_json::{cat, u64_text, Json};
use novita_template_model::{dockerfile, Template};

use crate::builder_options::*;
use crate::interop::{invalid, Args};

/// A list argument (`string | string[]`).
fn list(args: &Args, i: usize, name: &str) -> Result<Vec<String>, SdkError> {
    args.required::<OneOrMany>(i, name).map(|l| l.0)
}

/// An optional list argument.
fn opt_list(args: &Args, i: usize, name: &str) -> Result<Option<Vec<String>>, SdkError> {
    Ok(args.optional::<OneOrMany>(i, name)?.map(|l| l.0))
}

/// `fromGCPRegistry`'s key: an object (sent as its JSON text), or a file path whose
/// text the face read and passed as the third argument.
fn service_account_json(args: &Args) -> Result<String, SdkError> {
    let method = args.method();
    let creds: GCPRegistryCredentials = args.required_options(1)?;
    match &creds.service_account_json {
        Json::Str(_) => args
            .raw(2)
            .and_then(Json::as_str)
            .map(String::from)
            .ok_or_else(|| {
                invalid(
                    method,
                    "serviceAccountJSON",
                    "the key file could not be read",
                )
            }),
        v @ Json::Obj(_) => Ok(v.to_compact()),
        _ => Err(invalid(
            method,
            "serviceAccountJSON",
            "`serviceAccountJSON` must be an object or a file path",
        )),
    }
}

/// Records builder call `method` with `args` on `t`. Warnings (a Dockerfile's
/// unsupported instructions) are returned for the face to print.
pub(crate) fn apply(t: &mut Template, args: &Args) -> Result<Vec<String>, SdkError> {
    let a = args;
    match a.method() {
        "fromImage" => {
            let image: String = a.required(0, "image")?;
            let creds = a.optional::<RegistryCredentials>(1, "credentials")?;
            let o: FromImageOptions = a.options(2)?;
            t.from_image(&image, creds.map(Into::into), o.inherit_config)?;
        }
        "fromDebianImage" => {
            t.from_debian_image(a.optional::<String>(0, "variant")?.as_deref())?;
        }
        "fromUbuntuImage" => {
            t.from_ubuntu_image(a.optional::<String>(0, "variant")?.as_deref())?;
        }
        "fromPythonImage" => {
            t.from_python_image(a.optional::<String>(0, "version")?.as_deref())?;
        }
        "fromNodeImage" => {
            t.from_node_image(a.optional::<String>(0, "variant")?.as_deref())?;
        }
        "fromBunImage" => {
            t.from_bun_image(a.optional::<String>(0, "variant")?.as_deref())?;
        }
        "fromBaseImage" => {
            t.from_base_image()?;
        }
        "fromTemplate" => {
            t.from_template(&a.required::<String>(0, "template")?)?;
        }
        "fromDockerfile" => {
            let content: String = a.required(0, "dockerfileContentOrPath")?;
            return Ok(dockerfile::from_dockerfile(t, &content)?.warnings);
        }
        "fromAWSRegistry" => {
            let image: String = a.required(0, "image")?;
            let c: AccessKeyRegistryCredentials = a.required_options(1)?;
            t.from_aws_registry(&image, c.into())?;
        }
        "fromGCPRegistry" => {
            let image: String = a.required(0, "image")?;
            let json = service_account_json(a)?;
            t.from_gcp_registry(&image, &json)?;
        }
        "fromOCIRegistry" => {
            let image: String = a.required(0, "image")?;
            let c: OCIRegistryCredentials = a.required_options(1)?;
            t.from_oci_registry(&image, c.into())?;
        }
        "fromHuaweiCloudRegistry" => {
            let image: String = a.required(0, "image")?;
            let c: AccessKeyRegistryCredentials = a.required_options(1)?;
            t.from_huawei_cloud_registry(&image, c.into())?;
        }
        "skipCache" => {
            t.skip_cache();
        }
        "copy" => {
            let src = list(a, 0, "src")?;
            let dest: String = a.required(1, "dest")?;
            let o: CopyOptions = a.options(2)?;
            t.copy(&src, &dest, &o.into())?;
        }
        "copyItems" => {
            let items: Vec<Json> = a.required(0, "items")?;
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let label = cat!("copyItems[", &u64_text(i as u64), "]");
                let item: CopyItem = crate::interop::decode_options(&label, item)?;
                out.push(item.into());
            }
            t.copy_items(&out)?;
        }
        "remove" => {
            let paths = list(a, 0, "path")?;
            let o: RemoveOptions = a.options(1)?;
            t.remove(&paths, &o.into())?;
        }
        "rename" => {
            let src: String = a.required(0, "src")?;
            let dest: String = a.required(1, "dest")?;
            let o: ForceUserOptions = a.options(2)?;
            t.rename(&src, &dest, &o.into())?;
        }
        "makeDir" => {
            let paths = list(a, 0, "path")?;
            let o: MakeDirOptions = a.options(1)?;
            t.make_dir(&paths, &o.into())?;
        }
        "makeSymlink" => {
            let src: String = a.required(0, "src")?;
            let dest: String = a.required(1, "dest")?;
            let o: ForceUserOptions = a.options(2)?;
            t.make_symlink(&src, &dest, &o.into())?;
        }
        "runCmd" => {
            let commands = list(a, 0, "command")?;
            let o: RunCmdOptions = a.options(1)?;
            // The official SDK drops an empty user (`{user: ''}` is falsy).
            let user = o.user.filter(|u| !u.is_empty());
            t.run_cmd(&commands, user.as_deref())?;
        }
        "setWorkdir" => {
            t.set_workdir(&a.required::<String>(0, "workdir")?)?;
        }
        "setUser" => {
            t.set_user(&a.required::<String>(0, "user")?)?;
        }
        "pipInstall" => {
            let packages = opt_list(a, 0, "packages")?;
            let o: PipInstallOptions = a.options(1)?;
            t.pip_install(packages.as_deref(), o.g.map(|g| g.0))?;
        }
        "npmInstall" => {
            let packages = opt_list(a, 0, "packages")?;
            let o: PackageInstallOptions = a.options(1)?;
            t.npm_install(packages.as_deref(), &o.into())?;
        }
        "bunInstall" => {
            let packages = opt_list(a, 0, "packages")?;
            let o: PackageInstallOptions = a.options(1)?;
            t.bun_install(packages.as_deref(), &o.into())?;
        }
        "aptInstall" => {
            let packages = list(a, 0, "packages")?;
            let o: AptInstallOptions = a.options(1)?;
            t.apt_install(&packages, &o.into())?;
        }
        "addMcpServer" => {
            t.add_mcp_server(&list(a, 0, "servers")?)?;
        }
        "gitClone" => {
            let url: String = a.required(0, "url")?;
            let path = a.optional::<String>(1, "path")?;
            let o: GitCloneOptions = a.options(2)?;
            t.git_clone(&url, path.as_deref(), &o.into())?;
        }
        "setEnvs" => {
            let envs = a.raw(0).and_then(Json::as_object).filter(|_| {
                novita_template_json::shape::js_tag(a.raw(0).unwrap_or(&Json::Null)).is_none()
            });
            let Some(envs) = envs else {
                return Err(invalid(
                    a.method(),
                    "envs",
                    "`envs` must be an object of string values",
                ));
            };
            let mut pairs = Vec::with_capacity(envs.len());
            for (k, v) in envs {
                let Some(v) = v.as_str() else {
                    let got = novita_template_json::shape::describe(Some(v));
                    let what = cat!("the value of `", k, "` must be a string, got ", &got);
                    return Err(invalid(a.method(), "envs", &what));
                };
                pairs.push((k.as_str(), v));
            }
            t.set_envs(&pairs)?;
        }
        "setPatchCmd" => {
            t.set_patch_cmd(&a.required::<String>(0, "cmd")?)?;
        }
        "setStartCmd" => {
            let start: String = a.required(0, "startCmd")?;
            let ready = a.optional::<String>(1, "readyCmd")?;
            t.set_start_cmd(&start, ready.as_deref())?;
        }
        "setReadyCmd" => {
            t.set_ready_cmd(&a.required::<String>(0, "readyCmd")?)?;
        }
        "betaDevContainerPrebuild" => {
            t.beta_dev_container_prebuild(&a.required::<String>(0, "devcontainerDirectory")?)?;
        }
        "betaSetDevContainerStart" => {
            t.beta_set_dev_container_start(&a.required::<String>(0, "devcontainerDirectory")?)?;
        }
        other => return Err(invalid(other, "", "not a builder method")),
    }
    Ok(Vec::new())
}

/// `waitForPort(8000)` and the other ready-command helpers: the command text.
pub(crate) fn ready_cmd(args: &Args) -> Result<String, SdkError> {
    use novita_template_model::ready_cmd as r;
    let a = args;
    match a.method() {
        "waitForPort" => r::wait_for_port(&a.required::<Num>(0, "port")?),
        "waitForURL" => {
            let url: String = a.required(0, "url")?;
            let code = a.optional::<Num>(1, "statusCode")?;
            r::wait_for_url(&url, code.as_ref())
        }
        "waitForProcess" => r::wait_for_process(&a.required::<String>(0, "processName")?),
        "waitForFile" => r::wait_for_file(&a.required::<String>(0, "filename")?),
        "waitForTimeout" => r::wait_for_timeout(&a.required::<Num>(0, "timeout")?),
        other => Err(invalid(other, "", "not a ready-command helper")),
    }
}
