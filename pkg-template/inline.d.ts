// `novita-template-wasm/inline`: the package with its WebAssembly inside the
// JavaScript, for bundlers that do not copy `.wasm` assets (esbuild, Rollup).
export * from './index.js'
export { default } from './index.js'
