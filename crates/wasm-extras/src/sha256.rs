//! SHA-256 for a host without a native one (browsers: `crypto.subtle` cannot hash a
//! stream), fed chunk by chunk so memory stays at one chunk.

use alloc::string::String;
use sha2::Digest;
use wasm_bindgen::prelude::*;

/// A running SHA-256.
#[wasm_bindgen]
pub struct Sha256(sha2::Sha256);

#[wasm_bindgen]
impl Sha256 {
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Sha256 {
        Sha256(sha2::Sha256::new())
    }

    /// Adds bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Adds a text's UTF-8 bytes.
    #[wasm_bindgen(js_name = updateText)]
    pub fn update_text(&mut self, text: &str) {
        self.0.update(text.as_bytes());
    }

    /// The digest as lowercase hex (the hasher starts over).
    pub fn hex(&mut self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let digest = self.0.finalize_reset();
        let mut s = String::with_capacity(64);
        for b in digest.iter() {
            s.push(char::from(DIGITS[usize::from(b >> 4)]));
            s.push(char::from(DIGITS[usize::from(b & 15)]));
        }
        s
    }
}
