// Public types of novita-template-wasm. The option and result shapes are generated
// from their Rust declarations (shapes.d.ts, by crates/dts); the classes and
// functions the JavaScript face defines are declared here. Names follow the
// `novita-sandbox` 2.1.1 typings, so code written against those compiles unchanged.
import type {
  BuildInfo,
  BuildOptions,
  BuildPlan,
  ConnectionOpts,
  CopyItem,
  CreatedSandbox,
  DefaultBuildLoggerOptions,
  GetBuildStatusOptions,
  SandboxOpts,
  TemplateBuildStatusResponse,
  TemplateInfo,
  TemplateListOpts,
  TemplateListResponse,
  TemplateOptions,
  TemplateTag,
  TemplateTagInfo,
  WaitForBuildOptions,
  WaitForBuildResult,
} from './shapes.js'

export * from './shapes.js'

// ---- errors ----

/** Base class of the sandbox API errors. */
export declare class SandboxError extends Error {
  constructor(message?: string, stackTrace?: string)
}
/** Alias, tag and template errors; a COPY source that matches no file. */
export declare class TemplateError extends SandboxError {
  /** For a `copy()` source refused at once (absolute, or outside the context): `src`. */
  argument?: string
}
/** A build that failed: request, trigger, status, or a step on the server. */
export declare class BuildError extends Error {
  constructor(message?: string, stackTrace?: string)
  /** The failing step (`"base"`, `"1"` … `"finalize"`), when known. */
  step?: string
  /** The builder call that made the failing step, e.g. `runCmd("make")`. */
  stepDescription?: string
  /** HTTP status of the reply that caused the error, when there was one. */
  status?: number
  /** The failing step's last log lines, as the server sent them. */
  logTail?: string[]
  /** A known cause: `out-of-memory`, `disk-full`, `step-timeout`, `rate-limited`, `image-not-found`, `registry-access-denied`. */
  reason?: string
  /** What to do about `reason`. */
  hint?: string
  /** The build, once the server named it (for a console to link it). */
  templateId?: string
  buildId?: string
}
/** Getting an upload link or uploading a COPY archive failed. */
export declare class FileUploadError extends BuildError {}
/** The API refused the credentials (401). */
export declare class AuthenticationError extends Error {
  constructor(message?: string, stackTrace?: string)
}
/** The API kept answering 429 after the retries. */
export declare class RateLimitError extends SandboxError {
  /** `rate-limited`, with a `hint`, when the service says why. */
  reason?: string
  hint?: string
}
export declare class NotFoundError extends SandboxError {}
/** A request took longer than `requestTimeoutMs`. */
export declare class TimeoutError extends SandboxError {}
/** An argument or option is invalid; thrown before any request. */
export declare class InvalidArgumentError extends SandboxError {
  /** The method called, e.g. `Template.build`. */
  method?: string
  /** The argument or option at fault, e.g. `tags` (for a form to point at). */
  argument?: string
}
/** The operation was cancelled through its `signal`. */
export declare class AbortError extends SandboxError {
  /** For a build: `not-started`, `continues` (the API has no cancel) or `deleted` (`deleteOnAbort`). */
  serverBuild?: 'not-started' | 'continues' | 'deleted'
  templateId?: string
  buildId?: string
}
/** No reply could be had (connection refused or dropped, DNS, TLS), after the retries. */
export declare class NetworkError extends SandboxError {}
/** `timeoutMs` of `build` or `waitForBuild` passed; the build goes on on the server. */
export declare class TemplateBuildTimeoutError extends BuildError {}
/** Declared for code that names them (as in novita-sandbox); not thrown by this package. */
export declare class InvalidImageReferenceError extends BuildError {}
export declare class RegistryAuthenticationError extends BuildError {}
export declare class ImageConfigError extends BuildError {}
export declare class SandboxCreateError extends BuildError {}

// ---- log entries ----

export type LogEntryLevel = 'debug' | 'info' | 'warn' | 'error'

/** One build log line, as `onBuildLogs` receives it. */
export declare class LogEntry {
  constructor(timestamp: Date, level: LogEntryLevel, message: string)
  readonly timestamp: Date
  readonly level: LogEntryLevel
  readonly message: string
  /** `[<ISO time>] [<level>] <message without ANSI codes>` */
  toString(): string
  toJSON(): { timestamp: string; level: LogEntryLevel; message: string }
}
/** The first entry of a build (level `debug`). */
export declare class LogEntryStart extends LogEntry {
  constructor(timestamp: Date, message: string)
}
/** The last entry of a build, also after a failure (level `debug`). */
export declare class LogEntryEnd extends LogEntry {
  constructor(timestamp: Date, message: string)
}
/** A log message without its terminal colour codes (what `LogEntry.toString` prints). */
export declare function stripAnsi(text: string): string
/** An `onBuildLogs` callback printing `<elapsed> | <time> <LEVEL> <message>` lines. */
export declare function defaultBuildLogger(options?: DefaultBuildLoggerOptions): (logEntry: LogEntry) => void

// ---- ready commands ----

/** A check that the sandbox is ready, for `setStartCmd` / `setReadyCmd`. */
export declare class ReadyCmd {
  constructor(cmd: string)
  getCmd(): string
}
export declare function waitForPort(port: number): ReadyCmd
export declare function waitForURL(url: string, statusCode?: number): ReadyCmd
export declare function waitForProcess(processName: string): ReadyCmd
export declare function waitForFile(filename: string): ReadyCmd
export declare function waitForTimeout(timeout: number): ReadyCmd

// ---- the template builder ----

/** The MCP servers `addMcpServer` knows, by name. */
export type McpServerName = string

/** The base-image methods of a template that has no base yet. */
export interface TemplateFromImage {
  fromDebianImage(variant?: string): TemplateBuilder
  fromUbuntuImage(variant?: string): TemplateBuilder
  fromPythonImage(version?: string): TemplateBuilder
  fromNodeImage(variant?: string): TemplateBuilder
  fromBunImage(variant?: string): TemplateBuilder
  fromBaseImage(): TemplateBuilder
  fromImage(baseImage: string, credentials?: { username: string; password: string }, options?: { inheritConfig?: boolean }): TemplateBuilder
  fromTemplate(template: string): TemplateBuilder
  /** A Dockerfile's text or, in Node, a path to it. */
  fromDockerfile(dockerfileContentOrPath: string): TemplateBuilder
  fromAWSRegistry(image: string, credentials: { accessKeyId: string; secretAccessKey: string; region: string }): TemplateBuilder
  /** `serviceAccountJSON`: the key object or, in Node, a path relative to `fileContextPath`. */
  fromGCPRegistry(image: string, credentials: { serviceAccountJSON: object | string }): TemplateBuilder
  fromOCIRegistry(image: string, credentials: { tenancyOcid: string; userOcid: string; fingerprint: string; privateKey: string; region: string }): TemplateBuilder
  fromHuaweiCloudRegistry(image: string, credentials: { accessKeyId: string; secretAccessKey: string; region: string }): TemplateBuilder
  skipCache(): this
}

/** The steps of a template. */
export interface TemplateBuilder {
  /** Files from the context (`fileContextPath` in Node, `fileContext` in a browser); checked when they are needed. */
  copy(src: string | string[], dest: string, options?: { forceUpload?: boolean; user?: string; mode?: number; resolveSymlinks?: boolean }): TemplateBuilder
  copyItems(items: CopyItem[]): TemplateBuilder
  remove(path: string | string[], options?: { force?: boolean; recursive?: boolean; user?: string }): TemplateBuilder
  rename(src: string, dest: string, options?: { force?: boolean; user?: string }): TemplateBuilder
  makeDir(path: string | string[], options?: { mode?: number; user?: string }): TemplateBuilder
  makeSymlink(src: string, dest: string, options?: { user?: string; force?: boolean }): TemplateBuilder
  runCmd(command: string, options?: { user?: string }): TemplateBuilder
  runCmd(commands: string[], options?: { user?: string }): TemplateBuilder
  runCmd(commandOrCommands: string | string[], options?: { user?: string }): TemplateBuilder
  setWorkdir(workdir: string): TemplateBuilder
  setUser(user: string): TemplateBuilder
  pipInstall(packages?: string | string[], options?: { g?: boolean }): TemplateBuilder
  npmInstall(packages?: string | string[], options?: { g?: boolean; dev?: boolean }): TemplateBuilder
  bunInstall(packages?: string | string[], options?: { g?: boolean; dev?: boolean }): TemplateBuilder
  aptInstall(packages: string | string[], options?: { noInstallRecommends?: boolean; fixMissing?: boolean }): TemplateBuilder
  addMcpServer(servers: McpServerName | McpServerName[]): TemplateBuilder
  gitClone(url: string, path?: string, options?: { branch?: string; depth?: number; user?: string }): TemplateBuilder
  setEnvs(envs: Record<string, string>): TemplateBuilder
  skipCache(): this
  setPatchCmd(cmd: string): TemplateBuilder
  setStartCmd(startCommand: string, readyCommand: string | ReadyCmd): TemplateFinal
  setReadyCmd(readyCommand: string | ReadyCmd): TemplateFinal
  betaDevContainerPrebuild(devcontainerDirectory: string): TemplateBuilder
  betaSetDevContainerStart(devcontainerDirectory: string): TemplateFinal
}

/** A template with its start command: ready to build. */
export interface TemplateFinal {}
export type TemplateClass = TemplateBuilder | TemplateFinal

/** Options of `Template.toJSON`. */
export interface ToJSONOptions {
  /** As `BuildOptions.registryUrl`. */
  registryUrl?: string
  /** Replace registry secrets (passwords, secret keys, private keys, service accounts) by `<redacted>`. */
  redact?: boolean
  signal?: AbortSignal
}

/** Options of `Template.plan`: those of `build` (only the connection and `registryUrl` are used). */
export type PlanOptions = BuildOptions

/** A template being described, and the static API (`Template.build`, …). */
export declare class TemplateBase {
  constructor(options?: TemplateOptions)

  /** What went wrong reading the base image's config, if it did. */
  static imageConfigFailure(template: TemplateClass): { error: string; unusable?: boolean } | undefined
  /** The trigger body the build sends (two-space JSON); with the COPY hashes unless `computeHashes` is false. */
  static toJSON(template: TemplateClass, computeHashes?: boolean, options?: ToJSONOptions): Promise<string>
  static toDockerfile(template: TemplateClass): string
  /** Builds and waits for the end, delivering every log entry once, in order. */
  static build(template: TemplateClass, name: string, options?: Omit<BuildOptions, 'alias'>): Promise<BuildInfo>
  /** @deprecated Pass the name as the second argument (here `options.alias`). */
  static build(template: TemplateClass, options: BuildOptions): Promise<BuildInfo>
  /** Starts a build and resolves once the server runs it. */
  static buildInBackground(template: TemplateClass, name: string, options?: Omit<BuildOptions, 'alias'>): Promise<BuildInfo>
  /** @deprecated Pass the name as the second argument (here `options.alias`). */
  static buildInBackground(template: TemplateClass, options: BuildOptions): Promise<BuildInfo>
  static getBuildStatus(build: Pick<BuildInfo, 'templateId' | 'buildId'>, options?: GetBuildStatusOptions): Promise<TemplateBuildStatusResponse>
  /** Follows a background build to its end, with its logs, progress and deadline. */
  static waitForBuild(build: Pick<BuildInfo, 'templateId' | 'buildId'>, options?: WaitForBuildOptions): Promise<WaitForBuildResult>
  /** What building `template` as `name` would do, without building. */
  static plan(template: TemplateClass, name: string, options?: PlanOptions): Promise<BuildPlan>
  static exists(name: string, options?: ConnectionOpts): Promise<boolean>
  /** @deprecated Use `exists`. */
  static aliasExists(alias: string, options?: ConnectionOpts): Promise<boolean>
  static assignTags(target: string, tags: string | string[], options?: ConnectionOpts): Promise<TemplateTagInfo>
  static removeTags(name: string, tags: string | string[], options?: ConnectionOpts): Promise<void>
  static getTags(templateId: string, options?: ConnectionOpts): Promise<TemplateTag[]>
  static get(templateId: string, options?: ConnectionOpts): Promise<TemplateInfo>
  static delete(templateId: string, options?: ConnectionOpts): Promise<boolean>
  static list(options?: TemplateListOpts): TemplatePaginator
}

/** A template's instance methods: the base calls, then the steps (declaration merging). */
export interface TemplateBase extends TemplateFromImage, TemplateBuilder, TemplateFinal {}

/**
 * Starts a template definition: `Template().fromPythonImage('3.12').pipInstall([...])`.
 * Callable with or without `new`; carries the static API of `TemplateBase`.
 */
export declare const Template: typeof TemplateBase & ((options?: TemplateOptions) => TemplateFromImage)
export type Template = TemplateBase

/** Pages through the account's templates (`Template.list`). */
export declare class TemplatePaginator {
  constructor(options?: TemplateListOpts)
  get hasNext(): boolean
  /** The page `nextPage()` fetches. */
  get currentPage(): number
  /** Fetches a page; options are checked here (the official plain `Error`s). */
  nextPage(): Promise<TemplateListResponse>
  /** Back to the first page. */
  reset(): void
}

/** The template calls novita-sandbox also groups under this name. */
export declare class TemplateApi {
  static get(templateId: string, options?: ConnectionOpts): Promise<TemplateInfo>
  static listTemplates(options?: TemplateListOpts): Promise<TemplateListResponse>
  static deleteTemplate(templateId: string, options?: TemplateDeleteOpts): Promise<boolean>
}

/** A base image's config as novita-sandbox describes it (the environment, working
 *  directory and start command a template inherits). */
export type ImageConfig = {
  env: Record<string, string>
  workdir: string | null
  entrypoint: string[]
  cmd: string[]
  error?: string
  unsupportedBase?: string
  unusable?: string
}

/** Options of the calls outside a build (as novita-sandbox names them). */
export type TemplateApiOpts = Pick<ConnectionOpts, 'apiKey' | 'headers' | 'debug' | 'domain' | 'requestTimeoutMs'>
export type TemplateDeleteOpts = ConnectionOpts
export type PaginatedTemplatesResponse = TemplateListResponse

// ---- sandboxes ----

/** A running sandbox (`Sandbox.create`), enough to start one from a template and kill it. */
export declare class Sandbox implements CreatedSandbox {
  sandboxId: string
  templateId: string
  clientId?: string
  envdVersion: string
  envdAccessToken?: string
  domain?: string
  trafficAccessToken?: string
  /** Starts a sandbox from a template: its id, `name` or `name:tag`. */
  static create(template: string, options?: SandboxOpts): Promise<Sandbox>
  /** Kills a sandbox; resolves `false` when it was already gone. */
  static kill(sandboxId: string, options?: ConnectionOpts): Promise<boolean>
  /** Kills this sandbox; resolves `false` when it was already gone. */
  kill(options?: ConnectionOpts): Promise<boolean>
}
export default Sandbox

