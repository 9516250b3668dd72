/// <reference lib="esnext.disposable" />
// Public types of novita-template-wasm: the Rust side's generated declarations
// (types/wasm.d.ts, from wasm-bindgen and the typescript sections next to the Rust
// types) and those of the thin JavaScript face (types/face.d.ts).
export * from './types/wasm'
export * from './types/face'
