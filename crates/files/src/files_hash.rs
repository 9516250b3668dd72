//! The COPY step's `filesHash` (docs/wire-contract.md §5.4): one SHA-256 over plain
//! concatenated segments, fed as a stream so file bytes can arrive in chunks. A host
//! with a faster SHA-256 (Node's) runs [`crate::CopyPlan::hash_parts`] on its own.

use crate::prelude::*;
use sha2::{Digest, Sha256};

/// Streaming `filesHash` computation. Feed, in order: the constructor's
/// `COPY <src> <dest>`, then per entry [`FilesHasher::entry`] followed by
/// either [`FilesHasher::link_text`] or the file bytes via
/// [`FilesHasher::content`] (any chunking), or nothing (directories).
pub struct FilesHasher {
    sha: Sha256,
}

impl FilesHasher {
    /// Starts a hash for `COPY <src> <dest>`; `src` and `dest` exactly as
    /// given to `copy()` (e.g. `./app/`), not normalised.
    pub fn new(src: &str, dest: &str) -> FilesHasher {
        let mut sha = Sha256::new();
        sha.update(b"COPY ");
        sha.update(src.as_bytes());
        sha.update(b" ");
        sha.update(dest.as_bytes());
        FilesHasher { sha }
    }

    /// The per-entry header: relative posix path (`""` for the context),
    /// decimal `st_mode` (type bits included), decimal `st_size`.
    pub fn entry(&mut self, rel_path: &str, mode: u32, size: u64) {
        self.sha.update(rel_path.as_bytes());
        self.sha.update(u64_text(u64::from(mode)).as_bytes());
        self.sha.update(u64_text(size).as_bytes());
    }

    /// The text of a symlink that is not followed.
    pub fn link_text(&mut self, target: &str) {
        self.sha.update(target.as_bytes());
    }

    /// A chunk of a regular file's bytes.
    pub fn content(&mut self, chunk: &[u8]) {
        self.sha.update(chunk);
    }

    /// Lowercase hex of the digest.
    pub fn finish(self) -> String {
        to_hex(&self.sha.finalize())
    }
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_concatenated_without_separators() {
        // 04-copy.json, step `copy('link-to-req.txt', '/data/')`.
        let mut h = FilesHasher::new("link-to-req.txt", "/data/");
        h.entry("link-to-req.txt", 41471, 16);
        h.link_text("requirements.txt");
        assert_eq!(
            h.finish(),
            "13f2d14b51c30adb21d1c6b525603008b36b4a81d1336ef7147130ba5f74c297"
        );
    }

    #[test]
    fn chunking_does_not_matter() {
        let mut a = FilesHasher::new("x", "/y");
        a.entry("x", 33188, 6);
        a.content(b"hello\n");
        let mut b = FilesHasher::new("x", "/y");
        b.entry("x", 33188, 6);
        for c in b"hello\n".chunks(1) {
            b.content(c);
        }
        assert_eq!(a.finish(), b.finish());
    }
}
