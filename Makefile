# Two commands do everything on a fresh machine (each installs what it needs):
#   make demo   the emulator + the demo page, building a real template end to end
#   make test   every test: Rust core, wasm in Node and Chromium, the npm package (Node,
#               Chromium, four bundlers), its types (tsc in four resolutions, attw, publint)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export CARGO_TERM_COLOR ?= never
export CHROMEDRIVER ?= /usr/bin/chromedriver
EMULATOR_BIN := target/debug/novita-emulator
export NOVITA_EMULATOR_BIN := $(abspath $(EMULATOR_BIN))

.PHONY: setup build emulator demo test test-rust test-wasm test-js test-types lint fmt bench clean

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build-pkg.sh

emulator: setup
	cargo build -p novita-emulator

demo: build emulator
	@node scripts/demo.mjs

test: setup lint test-rust build emulator test-wasm test-js test-types
	@echo "make test: all suites passed"

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p novita-template-wasm --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy -p novita-template-wasm --target wasm32-unknown-unknown --lib --features wasm-runtime -- -D warnings
	cargo clippy -p novita-template-wasm-extras --target wasm32-unknown-unknown --lib --features wasm-runtime -- -D warnings

test-rust:
	cargo test --workspace -- --show-output 2>&1 | grep -Ev "^(---- .* stdout ----|successes:|    [a-z0-9_:]+)$$"

# wasm-bindgen-test suites: in Node, then in headless Chromium.
test-wasm:
	cargo test --target wasm32-unknown-unknown -p novita-template-wasm --test wasm_node
	cargo test --target wasm32-unknown-unknown -p novita-template-wasm --test wasm_browser

test-js:
	node --test --test-concurrency=1 --test-timeout=300000 tests/js/ tests/emulator/ tests/e2e/ tests/reliability/

# The packed tarball's types: tsc under NodeNext, Node16 (CJS), Bundler and node10,
# the official type names, @arethetypeswrong/cli and publint.
test-types:
	node --test --test-timeout=300000 tests/types/

bench: build emulator
	node bench/run.mjs

fmt:
	cargo fmt --all

clean:
	rm -rf pkg target/wasm32-unknown-unknown tests/artifacts
