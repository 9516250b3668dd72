// Declarations of what pkg-template/face.js defines in JavaScript (error classes,
// log entries, the `Template` factory). Everything else is generated from Rust.
import type { TemplateBase, TemplateOptions } from './wasm'

/** Base class of the sandbox API errors (`name` is `SandboxError`). */
export declare class SandboxError extends Error {
  constructor(message?: string, stackTrace?: string)
}
/** Alias, tag and template errors, invalid COPY sources. */
export declare class TemplateError extends SandboxError {}
/** Build request, trigger, status and build failures. Extends `Error`, as in novita-sandbox. */
export declare class BuildError extends Error {
  constructor(message?: string, stackTrace?: string)
  /** The server's failing step (`"base"`, `"1"`, … `"finalize"`), when known. */
  readonly step?: string
  /** The builder call that produced the failing step, e.g. `runCmd("pip install x")`. */
  readonly stepDescription?: string
  /** HTTP status of the reply that caused the error, when there was one. */
  readonly status?: number
}
/** File-link and upload failures. */
export declare class FileUploadError extends BuildError {}
/** 401 from the API. Extends `Error`, as in novita-sandbox. */
export declare class AuthenticationError extends Error {
  constructor(message?: string, stackTrace?: string)
}
/** 429 from the API (after our retries). */
export declare class RateLimitError extends SandboxError {}
export declare class NotFoundError extends SandboxError {}
/** A request exceeded `requestTimeoutMs`. */
export declare class TimeoutError extends SandboxError {}
/** An argument or option is invalid; thrown before any request. */
export declare class InvalidArgumentError extends SandboxError {}
/** The operation was cancelled through its `signal`. */
export declare class AbortError extends SandboxError {}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** One build log line, as delivered to `onBuildLogs`. */
export declare class LogEntry {
  constructor(timestamp: Date, level: LogLevel | string, message: string)
  readonly timestamp: Date
  readonly level: LogLevel | string
  readonly message: string
  /** `[<ISO time>] [<level>] <message without ANSI codes>` */
  toString(): string
  toJSON(): { timestamp: string; level: string; message: string }
}
/** Delivered first, when a build starts (level `debug`). */
export declare class LogEntryStart extends LogEntry {
  constructor(timestamp: Date, message: string)
}
/** Delivered last, when a build ends, also after a failure (level `debug`). */
export declare class LogEntryEnd extends LogEntry {
  constructor(timestamp: Date, message: string)
}

/**
 * Starts a template definition: `Template().fromPythonImage('3.12').pipInstall([...])`.
 * Callable with or without `new`; carries the static methods of `TemplateBase`
 * (`Template.build`, `Template.toJSON`, …).
 */
export declare const Template: typeof TemplateBase & ((options?: TemplateOptions) => TemplateBase)
