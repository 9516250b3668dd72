//! JSON text for the template core, with no dependency and no `std`.
//!
//! - [`Json`]: one value type, read by [`parse`] and written by [`Json::to_compact`] /
//!   [`Json::to_pretty`], whose bytes equal JavaScript's `JSON.stringify(v)` and
//!   `JSON.stringify(v, null, 2)` (the server's cache keys are made of such bytes).
//!   Numbers keep the text they were read with, so nothing here parses or prints floats.
//! - [`shape`]: option and result shapes declared once with [`shape!`](crate::shape),
//!   giving the Rust struct, its decoder, its encoder and its TypeScript declaration.
//!
//! The reader takes any bytes without panicking (malformed input is an error, nesting
//! is bounded), since it reads what servers send.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

mod parse;
pub mod shape;
pub mod text;
mod value;
mod write;

pub use parse::{parse, parse_bytes, ParseError, MAX_DEPTH};
pub use value::{js_number_string, Json};
pub use write::{push_i64, push_quoted, push_u64, quote, u64_text, ObjectText};

/// What [`shape!`] expands to needs, reachable from crates with or without `std`.
#[doc(hidden)]
pub mod __private {
    pub use alloc::string::String;
    pub use alloc::vec::Vec;
}
