//! TypeScript declarations of the option objects the builder methods take. They sit
//! next to the decoders in `template_builder.rs`, which read exactly these keys;
//! wasm-bindgen copies them into the generated `.d.ts`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const BUILDER_OPTION_TYPES: &'static str = r#"
/** Options of `Template(options)`. */
export interface TemplateOptions {
  /** Directory that `copy()` sources are relative to. Node default: the directory of the file calling `Template()`. */
  fileContextPath?: string
  /** Glob patterns (minimatch, relative to the context) excluded from `copy()`, before `.dockerignore`'s. */
  fileIgnorePatterns?: string[]
}
/** Credentials of a private registry (sent to the build service; see README "Secrets"). */
export interface RegistryCredentials { username: string; password: string }
export interface FromImageOptions {
  /** Read the image's ENV, WORKDIR and ENTRYPOINT/CMD from its registry (default true). */
  inheritConfig?: boolean
}
export interface AWSRegistryCredentials { accessKeyId: string; secretAccessKey: string; region: string }
export interface AccessKeyRegistryCredentials { accessKeyId: string; secretAccessKey: string; region: string }
export interface GCPRegistryCredentials {
  /** The service-account key object, or (Node) a path relative to `fileContextPath`. */
  serviceAccountJSON: object | string
}
export interface OCIRegistryCredentials {
  tenancyOcid: string; userOcid: string; fingerprint: string; privateKey: string; region: string
}
export interface CopyOptions {
  /** Upload even when the server already has these files. */
  forceUpload?: true
  /** Owner of the copied files in the sandbox. */
  user?: string
  /** Permission bits, e.g. `0o755`. */
  mode?: number
  /** Copy what symlinks point to instead of the links. */
  resolveSymlinks?: boolean
}
export interface CopyItem extends CopyOptions { src: string | string[]; dest: string }
export interface RemoveOptions { force?: boolean; recursive?: boolean; user?: string }
export interface ForceUserOptions { force?: boolean; user?: string }
export interface MakeDirOptions { mode?: number; user?: string }
export interface PackageInstallOptions { g?: boolean; dev?: boolean }
export interface AptInstallOptions { noInstallRecommends?: boolean; fixMissing?: boolean }
export interface GitCloneOptions { branch?: string; depth?: number; user?: string }
"#;
