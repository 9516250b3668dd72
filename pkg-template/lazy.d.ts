// `novita-template-wasm/lazy`: the package without instantiating its WebAssembly at
// import. Call `await init()` once before using anything else.
export * from './index.js'
export { default } from './index.js'

/**
 * Instantiates the core module (once; later calls return the same promise). The
 * source may be a URL, a `Response`, the module's bytes or a compiled
 * `WebAssembly.Module`; by default the `.wasm` file next to the package's glue.
 */
export declare function init(source?: URL | string | Response | BufferSource | WebAssembly.Module): Promise<void>
