//! The option objects of the builder methods, declared once: each shape gives the
//! decoder used here and the TypeScript declaration the package ships
//! (`crates/dts`). The model takes plain Rust values; these convert into them.

use alloc::string::String;
use alloc::vec::Vec;

use novita_template_json::shape;
use novita_template_json::shape::{Num, OneOrMany, Truthy};
use novita_template_json::Json;
use novita_template_model as model;

shape! {
    /// Options of `Template(options)`.
    input struct TemplateOptions {
        /// Directory that `copy()` sources are relative to. Node default: the directory
        /// of the file calling `Template()`.
        pub file_context_path: Option<String> = "fileContextPath",
        /// Glob patterns (minimatch, relative to the context) excluded from `copy()`,
        /// before `.dockerignore`'s.
        pub file_ignore_patterns: Option<Vec<String>> = "fileIgnorePatterns",
        /// Browser sources for `copy()`: a FileList (paths from `webkitRelativePath`),
        /// an array of Files (paths from their names), a FileSystemDirectoryHandle, or an
        /// object mapping relative paths to contents.
        #[ts = "FileList | File[] | FileSystemDirectoryHandle | Record<string, string | Uint8Array | Blob>"]
        pub file_context: Option<Json> = "fileContext",
    }
}

shape! {
    /// Credentials of a private registry (sent to the build service; see README "Secrets").
    input struct RegistryCredentials {
        pub username: String = "username",
        pub password: String = "password",
    }
}

shape! {
    /// Options of `fromImage`.
    input struct FromImageOptions {
        /// Read the image's ENV, WORKDIR and ENTRYPOINT/CMD from its registry (default true).
        pub inherit_config: Option<bool> = "inheritConfig",
    }
}

shape! {
    /// Credentials of `fromAWSRegistry` and `fromHuaweiCloudRegistry`.
    input struct AccessKeyRegistryCredentials {
        pub access_key_id: String = "accessKeyId",
        pub secret_access_key: String = "secretAccessKey",
        pub region: String = "region",
    }
}

shape! {
    /// Credentials of `fromGCPRegistry`.
    input struct GCPRegistryCredentials {
        /// The service-account key object, or (Node) a path relative to `fileContextPath`.
        #[ts = "object | string"]
        pub service_account_json: Json = "serviceAccountJSON",
    }
}

shape! {
    /// Credentials of `fromOCIRegistry`.
    input struct OCIRegistryCredentials {
        pub tenancy_ocid: String = "tenancyOcid",
        pub user_ocid: String = "userOcid",
        pub fingerprint: String = "fingerprint",
        pub private_key: String = "privateKey",
        pub region: String = "region",
    }
}

shape! {
    /// Options of `copy()` (and of each `copyItems()` item).
    input struct CopyOptions {
        /// Upload even when the server already has these files.
        pub force_upload: Option<bool> = "forceUpload",
        /// Owner of the copied files in the sandbox.
        pub user: Option<String> = "user",
        /// Permission bits, e.g. `0o755`.
        pub mode: Option<Num> = "mode",
        /// Copy what symlinks point to instead of the links.
        pub resolve_symlinks: Option<bool> = "resolveSymlinks",
    }
}

shape! {
    /// One item of `copyItems()`.
    input struct CopyItem extends CopyOptions as options {
        pub src: OneOrMany = "src",
        pub dest: String = "dest",
    }
}

shape! {
    /// Options of `remove()`.
    input struct RemoveOptions {
        pub force: Truthy = "force",
        pub recursive: Truthy = "recursive",
        pub user: Option<String> = "user",
    }
}

shape! {
    /// Options of `rename()` and `makeSymlink()`.
    input struct ForceUserOptions {
        pub force: Truthy = "force",
        pub user: Option<String> = "user",
    }
}

shape! {
    /// Options of `makeDir()`.
    input struct MakeDirOptions {
        /// Permission bits, e.g. `0o750`.
        pub mode: Option<Num> = "mode",
        pub user: Option<String> = "user",
    }
}

shape! {
    /// Options of `runCmd()`.
    input struct RunCmdOptions {
        /// Run as this user.
        pub user: Option<String> = "user",
    }
}

shape! {
    /// Options of `pipInstall()`.
    input struct PipInstallOptions {
        /// System-wide as root (default); `false` installs for the user (`--user`).
        pub g: Option<Truthy> = "g",
    }
}

shape! {
    /// Options of `npmInstall()` and `bunInstall()`.
    input struct PackageInstallOptions {
        /// Install globally (as root).
        pub g: Truthy = "g",
        /// Save as a development dependency.
        pub dev: Truthy = "dev",
    }
}

shape! {
    /// Options of `aptInstall()`.
    input struct AptInstallOptions {
        pub no_install_recommends: Truthy = "noInstallRecommends",
        pub fix_missing: Truthy = "fixMissing",
    }
}

shape! {
    /// Options of `gitClone()`.
    input struct GitCloneOptions {
        pub branch: Option<String> = "branch",
        /// Clone depth, a whole number >= 1.
        pub depth: Option<Num> = "depth",
        pub user: Option<String> = "user",
    }
}

shape! {
    /// Options of `defaultBuildLogger()`.
    input struct DefaultBuildLoggerOptions {
        /// Entries below this level are not printed (default `info`).
        #[ts = "LogEntryLevel"]
        pub min_level: Option<String> = "minLevel",
    }
}

shape! {
    /// Progress of hashing and archiving one COPY source (`onUploadProgress`).
    output struct UploadProgress {
        /// The COPY source as written.
        pub src: String = "src",
        #[ts = "'hash' | 'archive'"]
        pub phase: String = "phase",
        pub bytes_done: u64 = "bytesDone",
        pub bytes_total: u64 = "bytesTotal",
    }
}

/// The TypeScript declarations of the builder's shapes.
pub fn ts_declarations() -> Vec<String> {
    alloc::vec![
        TemplateOptions::ts_declaration(),
        RegistryCredentials::ts_declaration(),
        FromImageOptions::ts_declaration(),
        AccessKeyRegistryCredentials::ts_declaration(),
        GCPRegistryCredentials::ts_declaration(),
        OCIRegistryCredentials::ts_declaration(),
        CopyOptions::ts_declaration(),
        CopyItem::ts_declaration(),
        RemoveOptions::ts_declaration(),
        ForceUserOptions::ts_declaration(),
        MakeDirOptions::ts_declaration(),
        RunCmdOptions::ts_declaration(),
        PipInstallOptions::ts_declaration(),
        PackageInstallOptions::ts_declaration(),
        AptInstallOptions::ts_declaration(),
        GitCloneOptions::ts_declaration(),
        DefaultBuildLoggerOptions::ts_declaration(),
        UploadProgress::ts_declaration(),
    ]
}

impl From<RegistryCredentials> for model::RegistryCredentials {
    fn from(c: RegistryCredentials) -> Self {
        model::RegistryCredentials {
            username: c.username,
            password: c.password,
        }
    }
}

impl From<AccessKeyRegistryCredentials> for model::AccessKeyCredentials {
    fn from(c: AccessKeyRegistryCredentials) -> Self {
        model::AccessKeyCredentials {
            access_key_id: c.access_key_id,
            secret_access_key: c.secret_access_key,
            region: c.region,
        }
    }
}

impl From<OCIRegistryCredentials> for model::OciCredentials {
    fn from(c: OCIRegistryCredentials) -> Self {
        model::OciCredentials {
            tenancy_ocid: c.tenancy_ocid,
            user_ocid: c.user_ocid,
            fingerprint: c.fingerprint,
            private_key: c.private_key,
            region: c.region,
        }
    }
}

impl From<CopyOptions> for model::CopyOptions {
    fn from(o: CopyOptions) -> Self {
        model::CopyOptions {
            force_upload: o.force_upload,
            user: o.user,
            mode: o.mode,
            resolve_symlinks: o.resolve_symlinks,
        }
    }
}

impl From<CopyItem> for model::CopyItem {
    fn from(i: CopyItem) -> Self {
        model::CopyItem {
            src: i.src.0,
            dest: i.dest,
            options: i.options.into(),
        }
    }
}

impl From<RemoveOptions> for model::RemoveOptions {
    fn from(o: RemoveOptions) -> Self {
        model::RemoveOptions {
            force: o.force.0,
            recursive: o.recursive.0,
            user: o.user,
        }
    }
}

impl From<ForceUserOptions> for model::ForceUserOptions {
    fn from(o: ForceUserOptions) -> Self {
        model::ForceUserOptions {
            force: o.force.0,
            user: o.user,
        }
    }
}

impl From<MakeDirOptions> for model::MakeDirOptions {
    fn from(o: MakeDirOptions) -> Self {
        model::MakeDirOptions {
            mode: o.mode,
            user: o.user,
        }
    }
}

impl From<PackageInstallOptions> for model::PackageOptions {
    fn from(o: PackageInstallOptions) -> Self {
        model::PackageOptions {
            g: o.g.0,
            dev: o.dev.0,
        }
    }
}

impl From<AptInstallOptions> for model::AptOptions {
    fn from(o: AptInstallOptions) -> Self {
        model::AptOptions {
            no_install_recommends: o.no_install_recommends.0,
            fix_missing: o.fix_missing.0,
        }
    }
}

impl From<GitCloneOptions> for model::GitCloneOptions {
    fn from(o: GitCloneOptions) -> Self {
        model::GitCloneOptions {
            branch: o.branch,
            depth: o.depth,
            user: o.user,
        }
    }
}
