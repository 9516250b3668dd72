#!/usr/bin/env bash
# Builds pkg/, the installable npm package, from two wasm modules:
#   core    the root crate: the template model, builds, logs, tags (every page loads it)
#   extras  crates/wasm-extras: COPY planning and hashing, the registry reader, the rarely
#           used calls (exists, get, list, delete, sandboxes, plan); loaded on first use
# each linked as a cdylib alone (an rlib beside it stops LTO from inlining), no_std with
# its own allocator (--features wasm-runtime), then wasm-bindgen (web and nodejs glue)
# and wasm-opt -Oz. Around them: the JS face and hosts, the entries, the type
# declarations, and a size report.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${PKG_OUT:-pkg}   # PKG_OUT lets a second build go elsewhere
release=target/wasm32-unknown-unknown/release

module() { # <cargo package> <crate file name> <module name>
  cargo rustc -q --lib --release --target wasm32-unknown-unknown -p "$1" \
    --features wasm-runtime --crate-type cdylib
  for target in web nodejs; do
    dir=$out/$([ $target = web ] && echo web || echo node)
    wasm-bindgen --target $target --out-dir "$dir" --out-name "$3" "$release/$2.wasm"
    node_modules/.bin/wasm-opt -Oz --converge "$dir/$3_bg.wasm" -o "$dir/$3_bg.wasm"
  done
}

rm -rf "$out"
mkdir -p "$out/web" "$out/node"
module novita-template-wasm novita_template_wasm core
module novita-template-wasm-extras novita_template_wasm_extras extras
rm -f "$out"/*/.gitignore "$out"/*/*.d.ts

# The face: its parts in order, inside `createFace(core, host)`.
face() {
  echo "function createFace(core, host) {"
  echo "'use strict'"
  cat pkg-template/face/{errors,driver,misc,template,copy,exports}.js
  echo "}"
}

# ---- Node: CommonJS, both modules instantiated synchronously by the nodejs glue ----
echo '{ "type": "commonjs" }' > "$out/node/package.json"
node_entry() { # <the export statements>
  echo "'use strict'"
  cat pkg-template/host-node.js
  face
  cat pkg-template/copy-tools.js
  echo "let extras"
  echo "const loadExtras = () => (extras ??= { ...require('./extras.js'), createCopyTools })"
  echo "const api = createFace(require('./core.js'), createHost(loadExtras))"
  echo "$1"
}
# First without export lines, to read the export names from the face itself.
node_entry "module.exports = api" > "$out/node/index.cjs"
names=$(node -e "console.log(Object.keys(require(require('path').resolve('$out/node/index.cjs'))).join(', '))")
# Then with one `exports.X =` per name (what TypeScript, attw and Node's CJS lexer read),
# and `default` as the official SDK's (Sandbox), marked as an ES module's.
node_entry "Object.defineProperty(exports, '__esModule', { value: true })
$(for n in ${names//,/}; do echo "exports.$n = api.$n"; done)
exports.default = api.Sandbox" > "$out/node/index.cjs"

# Node ESM: re-exports the CommonJS entry (one module instance per process).
{
  echo "import api from './index.cjs'"
  echo "export const { $names } = api"
  echo "export default api.Sandbox"
} > "$out/node/index.mjs"

# The lazy subpath in Node: the same module, already instantiated; `init()` does nothing.
{
  echo "export * from './index.mjs'"
  echo "export { default } from './index.mjs'"
  echo "/** Nothing to wait for in Node: the module is instantiated at import. */"
  echo "export async function init() {}"
} > "$out/node/lazy.mjs"
{
  echo "'use strict'"
  echo "const api = require('./index.cjs')"
  echo "Object.defineProperty(exports, '__esModule', { value: true })"
  for n in ${names//,/} default; do echo "exports.$n = api.$n"; done
  echo "/** Nothing to wait for in Node: the module is instantiated at import. */"
  echo "exports.init = async () => {}"
} > "$out/node/lazy.cjs"

# ---- browsers and bundlers: ES modules ----
{
  echo "// The browser host and the face, shared by the entries."
  cat pkg-template/host-web.js
  face
  echo "export { createFace, createHost }"
} > "$out/web/face.js"

# `export const {…} = createFace(…)` with the names above, then the default export.
exports() { echo "export const { $names } = $1"; echo "export default $1.Sandbox"; }

# Default entry: instantiates the core at import (its .wasm next to the glue, found by
# `new URL(…, import.meta.url)`, which Vite and webpack 5 bundle as an asset); the
# on-demand module is a dynamic import, its own chunk.
{
  echo "import init, * as extras from './extras.js'"
  cat pkg-template/copy-tools.js
  echo "await init()"
  echo "export default { ...extras, createCopyTools }"
} > "$out/web/extras-load.js"
{
  echo "import init, * as core from './core.js'"
  echo "import { createFace, createHost } from './face.js'"
  echo "await init()"
  echo "const api = createFace(core, createHost(() => import('./extras-load.js').then((m) => m.default)))"
  exports api
} > "$out/web/index.js"

# Lazy entry: nothing is instantiated until `await init(source?)`; the source may be a
# URL, a Response, bytes or a WebAssembly.Module (the .wasm next to the glue by default).
{
  echo "import initCore, * as core from './core.js'"
  echo "import { createFace, createHost } from './face.js'"
  echo "const host = createHost(() => import('./extras-load.js').then((m) => m.default))"
  echo "host.notReady = () => \"novita-template-wasm/lazy: call 'await init()' before using the package\""
  echo "let ready"
  echo "/** Instantiates the core module (once); resolves when the package can be used. */"
  echo "export function init(source) {"
  echo "  ready ??= initCore(source === undefined ? undefined : { module_or_path: source }).then(() => { delete host.notReady })"
  echo "  return ready"
  echo "}"
  echo "const api = createFace(core, host)"
  exports api
} > "$out/web/lazy.js"

# Inline entry: both modules' bytes inside the JavaScript (base64), for bundlers that
# do not copy assets (esbuild, Rollup) and pages without a server for .wasm files.
inline() { # <wasm> → a module whose default export is its bytes
  printf 'export default Uint8Array.from(atob("%s"), (c) => c.charCodeAt(0))\n' "$(base64 -w0 "$1")"
}
inline "$out/web/core_bg.wasm" > "$out/web/core-bytes.js"
inline "$out/web/extras_bg.wasm" > "$out/web/extras-bytes.js"
{
  echo "import init, * as extras from './extras.js'"
  echo "import bytes from './extras-bytes.js'"
  cat pkg-template/copy-tools.js
  echo "await init({ module_or_path: bytes })"
  echo "export default { ...extras, createCopyTools }"
} > "$out/web/extras-inline.js"
{
  echo "import init, * as core from './core.js'"
  echo "import { createFace, createHost } from './face.js'"
  echo "import bytes from './core-bytes.js'"
  echo "await init({ module_or_path: bytes })"
  echo "const api = createFace(core, createHost(() => import('./extras-inline.js').then((m) => m.default)))"
  exports api
} > "$out/web/inline.js"

# ---- types: the hand-written API and the shapes generated from the Rust declarations,
# as ES declarations (.d.ts) and CommonJS ones (.d.cts) for `require` under node16 ----
cargo run -q -p novita-template-dts > "$out/shapes.d.ts"
cp pkg-template/index.d.ts "$out/index.d.ts"
sed -e "s#'./shapes.js'#'./shapes.cjs'#g" pkg-template/index.d.ts > "$out/index.d.cts"
sed -e "s#'./index.js'#'./index.cjs'#g" "$out/shapes.d.ts" > "$out/shapes.d.cts"
for sub in lazy inline; do
  cp "pkg-template/$sub.d.ts" "$out/"
  sed -e "s#'./index.js'#'./index.cjs'#g" "pkg-template/$sub.d.ts" > "$out/$sub.d.cts"
  # Resolvers without `exports` (TypeScript's node10, old bundlers) find the subpath here.
  mkdir -p "$out/$sub"
  main=$([ $sub = lazy ] && echo lazy || echo index)
  printf '{ "main": "../node/%s.cjs", "types": "../%s.d.cts" }\n' "$main" "$sub" > "$out/$sub/package.json"
done
cp pkg-template/package.json pkg-template/README.md "$out/"

node scripts/size-report.mjs "$out"
