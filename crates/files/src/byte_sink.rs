//! Where the tar and gzip writers put their output. Infallible and
//! synchronous on purpose: the wasm skin collects bytes into a `Vec` and
//! forwards them to an async JS stream (`CompressionStream`, fetch body)
//! between calls, so no Rust code ever needs to await.

use crate::prelude::*;
/// A consumer of output bytes.
pub trait ByteSink {
    /// Appends `bytes` to the output.
    fn put(&mut self, bytes: &[u8]);
}

impl ByteSink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl<S: ByteSink + ?Sized> ByteSink for &mut S {
    fn put(&mut self, bytes: &[u8]) {
        (**self).put(bytes);
    }
}
