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
  /**
   * Browser sources for `copy()`: a FileList (paths from `webkitRelativePath`), an array
   * of Files (paths from their names), a FileSystemDirectoryHandle, or an object mapping
   * relative paths to contents.
   */
  fileContext?: FileList | File[] | FileSystemDirectoryHandle | Record<string, string | Uint8Array | Blob>
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

#[wasm_bindgen(typescript_custom_section)]
const API_TYPES: &'static str = r#"
import type { LogEntry, LogLevel } from './face'

/** How to reach the template API. Defaults as in novita-sandbox (and its NOVITA_* variables in Node). */
export interface ConnectionOptions {
  apiKey?: string
  accessToken?: string
  /** Default `us-phx-1.sandbox.novita.ai`; the API is then `https://api.<domain>`. */
  domain?: string
  /** Overrides `domain`, e.g. the local emulator's `http://127.0.0.1:3000`. */
  apiUrl?: string
  /** Uses `http://localhost:3000` when no `apiUrl` is given. */
  debug?: boolean
  /** Extra request headers. */
  headers?: Record<string, string>
  /** Per-request timeout in ms (default 60000; 0 for none). */
  requestTimeoutMs?: number
  /** Allow `http://` to a host other than loopback (credentials would travel in clear). */
  allowInsecureHttp?: boolean
  /** Cancels the operation: it rejects with an `AbortError`. */
  signal?: AbortSignal
}
export interface BuildOptions extends ConnectionOptions {
  tags?: string[]
  /** Default 2. */
  cpuCount?: number
  /** Default 1024. */
  memoryMB?: number
  /** Rebuild every layer (marks the template itself, as in novita-sandbox). */
  skipCache?: boolean
  /** Receives every log entry once, in order. */
  onBuildLogs?: (logEntry: LogEntry) => void
  /**
   * Origin that replaces the image registries (and Docker Hub's token service) when
   * the image's ENV/WORKDIR/CMD are read, e.g. a proxy of your web console, or the
   * emulator's `<apiUrl>/registry`. Browsers cannot read public registries directly (CORS).
   */
  registryUrl?: string
  /** Progress of hashing and archiving each COPY source, for a progress bar (at most every 100 ms). */
  onUploadProgress?: (progress: UploadProgress) => void
}
export interface UploadProgress {
  /** The COPY source as written. */
  src: string
  phase: 'hash' | 'archive'
  bytesDone: number
  bytesTotal: number
}
export interface ToJSONOptions {
  /** As `BuildOptions.registryUrl`. */
  registryUrl?: string
  /** Replace registry secrets (password, secret keys, private key, service account) by `<redacted>`. */
  redact?: boolean
  signal?: AbortSignal
}
export interface BuildInfo {
  /** Same as `name` (kept for the deprecated `build(t, {alias})` form). */
  alias: string
  name: string
  tags?: string[]
  templateId: string
  buildId: string
}
export type BuildStatusName = 'waiting' | 'building' | 'ready' | 'error'
export interface GetBuildStatusOptions extends ConnectionOptions {
  /** Number of log entries already seen; only later ones are returned. */
  logsOffset?: number
}
export interface BuildStatus {
  buildID: string
  templateID: string
  status: BuildStatusName | string
  logEntries: LogEntry[]
  logs: string[]
  reason?: { message?: string; step?: string; logEntries: LogEntry[] }
}
export interface TemplateTag { tag: string; buildId: string; createdAt: Date }
export interface TemplateInfo {
  templateId: string
  buildId: string
  buildStatus?: string
  aliases: string[]
  names: string[]
  templateType?: string
  buildCount: number
  cpuCount: number
  memoryMB: number
  diskSizeMB: number
  spawnCount: number
  envdVersion: string
  public: boolean
  metadata?: unknown
  createdAt: Date
  updatedAt: Date
  lastSpawnedAt: Date | null
  createdBy?: unknown
}
export interface ListOptions extends ConnectionOptions {
  templateType?: 'template_build' | 'snapshot_template'
  /** From 1 (default 1). */
  page?: number
  /** 1 to 100 (default 20). */
  limit?: number
}
export interface SandboxOptions extends ConnectionOptions {
  /** Sandbox lifetime in ms (default 300000). */
  timeoutMs?: number
  metadata?: Record<string, string>
  envs?: Record<string, string>
  secure?: boolean
  allowInternetAccess?: boolean
  lifecycle?: { onTimeout?: 'kill' | 'pause' }
  autoResume?: { enabled: boolean }
}
export type { LogEntry, LogLevel }
"#;
