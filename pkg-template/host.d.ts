// The contract between the JavaScript face and its host: what only Node or only a
// browser can do. host-node.js and host-web.js both implement `Host`; `make test`
// type-checks them against this file (tests/types/host.test.mjs). Not shipped.

/** Where the code runs, as the core reads it (the request headers depend on it). */
export type HostInfo = { kind: 'node'; version: string; os: string } | { kind: 'browser' }

/** A reply as the face's transport gives it to a machine (`Machine.reply`). */
export interface Reply {
  /** 0 HTTP reply, 1 network failure, 2 timeout, 3 aborted, 4 local failure, 5 unreadable. */
  kind: 0 | 1 | 2 | 3 | 4 | 5
  status: number
  /** The status text, or for a failure what went wrong. */
  statusText: string
  /** `name\nvalue\n…`, names lower-case. */
  headers: string
  body: Uint8Array
}

/** What `FsHost.statPath` gives (the on-demand module reads it through typed bindings). */
export interface FileStat {
  kind: 'file' | 'dir' | 'symlink' | 'other'
  mode: number
  size: number
  uid: number
  gid: number
  /** Whole seconds. */
  mtime: number
  linkTarget?: string
}

/** Synchronous file metadata for COPY planning (Node). Failures are thrown as strings. */
export interface FsHost {
  /** The names in a directory, joined by `\0`. */
  listDir(path: string): string
  /** `lstat`, or `stat` when `follow`; `undefined` when the path does not exist. */
  statPath(path: string, follow: boolean): FileStat | undefined
}

/** The COPY sources of a template (a context directory in Node). */
export interface FileSource<T = unknown> {
  /** The on-demand module's view of the files, when they are on disk. */
  fs?: FsHost
  /** Fills the planning request (`root`, `.dockerignore`); resolves the handle `read` takes. */
  plan(spec: { root?: string; dockerignore?: string }): Promise<T>
  /** Calls `onChunk` with the `size` bytes of `path`, in order; a chunk is reused after it resolves. */
  read(source: T, path: string, size: number, onChunk: (chunk: Uint8Array) => unknown): Promise<void>
}

/** A running SHA-256 (Node's native one). */
export interface Hasher {
  update(bytes: Uint8Array): unknown
  updateText(text: string): unknown
  hex(): string
}

/** A finished archive: a temporary file (Node) or a Blob (browsers). */
export interface Spooled {
  size: number
  path?: string
  body?: Blob
}

/** Where an archive is gzipped while it is written. */
export interface Spool {
  write(chunk: Uint8Array): unknown
  finish(): Promise<Spooled>
  discard(): void
}

/** The on-demand module as the face uses it (its wasm exports and the COPY tooling). */
export type Extras = Record<string, any>

export interface Host {
  info: HostInfo
  /** The `NOVITA_*` variables the connection reads (Node), `{}` elsewhere. */
  env(): Record<string, string>
  /** The on-demand module, loaded on first use (once). */
  extras(): Promise<Extras>
  /** A native SHA-256, or `undefined` (the on-demand module has one). */
  sha256(): Hasher | undefined
  createSpool(): Spool
  /** Uploads a spooled archive itself (Node); without it the face sends `spooled.body` with fetch. */
  uploadSpool?(url: string, spooled: Spooled, timeoutMs: number, signal?: AbortSignal): Promise<Reply>
  /** The directory of the file that called `Template()`, read from a stack (Node). */
  callerDir?(stack: string | undefined): string | undefined
  /** The COPY sources of a context directory (Node). */
  fileContext?(contextPath: string): FileSource
  isFile?(path: string): boolean
  readText?(path: string): string
  resolve?(...parts: string[]): string
  stdoutIsTTY(): boolean
  writeStdout(text: string): unknown
  /** Set by the lazy entry until its module is instantiated: the message to throw. */
  notReady?: () => string
}
