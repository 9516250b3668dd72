//! `novita-template-wasm-extras`: the module a page loads only when it needs it
//! (browsers fetch it on first use; Node loads it on first use too).
//!
//! It holds what a template rarely needs at first load: the COPY steps' file planning
//! (discovery, ignore rules, the files hash preimage, tar headers), SHA-256 for hosts
//! without a native one, and the registry reader that fetches a base image's config.
//! Like the core module it is driven synchronously by the face, with JSON in and out;
//! the only JavaScript it calls is the Node host's file-system view ([`fs_host`]),
//! through typed bindings.

// The shipped module is `no_std` with its own allocator and panic handler
// (`--features wasm-runtime`); other builds (tests, native tools) use std's.
#![cfg_attr(feature = "wasm-runtime", no_std)]

extern crate alloc;

mod calls;
mod copies;
mod fs_host;
mod registry;
mod sha256;

#[cfg(any(test, feature = "wasm-runtime"))]
mod runtime;

pub use calls::Call;
pub use copies::Copies;
pub use registry::RegistryRead;
pub use sha256::Sha256;

/// An error as the face reads it (thrown as its JSON text).
fn thrown(e: novita_template_error::SdkError) -> alloc::string::String {
    e.to_json().to_compact()
}
