#!/usr/bin/env bash
# Builds pkg/, the installable npm package: the wasm module compiled for size,
# wasm-bindgen glue for the browser (ES module, fetches its .wasm) and for Node
# (CommonJS, reads its .wasm synchronously), wasm-opt -Oz, the thin JS face, and
# the type declarations. Prints a size report.
set -euo pipefail
cd "$(dirname "$0")/.."
name=novita_template_wasm
out=${PKG_OUT:-pkg}   # PKG_OUT lets a second build go elsewhere

cargo build --lib --release --target wasm32-unknown-unknown -p novita-template-wasm
wasm=target/wasm32-unknown-unknown/release/$name.wasm

rm -rf "$out"
mkdir -p "$out/web" "$out/node"
wasm-bindgen --target web --weak-refs --out-dir "$out/web" --out-name "$name" "$wasm"
wasm-bindgen --target nodejs --weak-refs --out-dir "$out/node" --out-name "$name" "$wasm"
for dir in web node; do
  node_modules/.bin/wasm-opt -Oz "$out/$dir/${name}_bg.wasm" -o "$out/$dir/${name}_bg.wasm"
done

# The package is "type": "module"; the nodejs glue and the Node entry are CommonJS.
echo '{ "type": "commonjs" }' > "$out/node/package.json"

# Node entry: CommonJS, synchronous instantiation by the nodejs glue.
{
  echo "'use strict'"
  cat pkg-template/host-node.js pkg-template/face.js
  echo "module.exports = createFace(require('./${name}.js'), createHost())"
} > "$out/node/index.cjs"

# Export names, read from the built Node entry so the ES module lists match it.
names=$(node -e "console.log(Object.keys(require(require('path').resolve('$out/node/index.cjs'))).join(', '))")

# Node ESM entry: re-exports the CommonJS one (one module instance per process).
{
  echo "import api from './index.cjs'"
  echo "export const { $names } = api"
  echo "export default api"
} > "$out/node/index.mjs"

# Browser / bundler entry: an ES module that fetches the .wasm next to the glue.
{
  echo "import init, * as wasm from './${name}.js'"
  cat pkg-template/host-web.js pkg-template/face.js
  echo "await init({ module_or_path: new URL('./${name}_bg.wasm', import.meta.url) })"
  echo "const api = createFace(wasm, createHost())"
  echo "export const { $names } = api"
  echo "export default api"
} > "$out/web/index.js"

# Types: the declarations wasm-bindgen generates from the Rust side (the Node glue's
# copy has no init functions), plus those of the JS face.
mkdir -p "$out/types"
# wasm-bindgen cannot mark a JsValue parameter optional: the Rust side declares
# those as `X | undefined`, written here as TypeScript's optional `name?: X`.
node -e '
  const fs = require("fs"); const [from, to] = process.argv.slice(1)
  fs.writeFileSync(to, fs.readFileSync(from, "utf8").replace(/(\w+): ([^,()]+?) \| undefined(?=[,)])/g, "$1?: $2"))
' "$out/node/$name.d.ts" "$out/types/wasm.d.ts"
cp pkg-template/face.d.ts "$out/types/face.d.ts"
cp pkg-template/package.json pkg-template/README.md pkg-template/index.d.ts "$out/"
rm -f "$out/web/.gitignore" "$out/node/.gitignore"

node scripts/size-report.mjs "$out"
