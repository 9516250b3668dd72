//! COPY support for Novita sandbox templates, pure Rust and sans-IO.
//!
//! A `copy()` step carries a `filesHash` that must equal what the official
//! SDK (novita-sandbox 2.1.1) computes, and may need its files uploaded as a
//! `.tar.gz`. This crate re-implements both without touching a filesystem:
//!
//! - the host describes the context directory through [`FileTree`]
//!   (Node `fs`, or a [`MemoryTree`] filled from browser `File`s);
//! - [`plan_copy`] discovers the source's entries with glob 11's rules
//!   (minimatch patterns, `dot: true`, ignore patterns, descending-name
//!   breadth-first order) and says, per entry, what is hashed and archived;
//! - the host streams file bytes into a [`FilesHasher`] (or runs the plan's
//!   [`CopyPlan::hash_parts`] on its own SHA-256), and, for uploads, writes the
//!   [`TarWriter`]'s headers and the files' bytes into its own gzip stream.
//!
//! The order choice and the defaults for browser sources are documented in
//! this crate's README.
//!
//! ```
//! use novita_template_files::*;
//!
//! # fn main() -> Result<(), SdkError> {
//! let mut tree = MemoryTree::new(); // browser defaults: 0644 files, 0755 dirs
//! tree.add_file("app/main.py", 6)?;
//! tree.add_file("app/scratch.tmp", 1)?;
//! let ignore = IgnoreSet::for_template(&["**/*.tmp"], Some("# .dockerignore\nsecret.txt\n"))?;
//!
//! validate_source("app")?; // at copy() time; errors are TemplateErrors
//! let ctx = CopyContext { context_display: "/ctx", ignore: &ignore };
//! let plan = plan_copy(&tree, "app", "/home/user/app", ctx, false)?;
//! let paths: Vec<&str> = plan.entries.iter().map(|e| e.path.as_str()).collect();
//! assert_eq!(paths, ["app", "app/main.py"]);
//!
//! // Hash and archive, streaming each file's bytes in chunks.
//! let mut hasher = FilesHasher::new(&plan.src, &plan.dest);
//! let mut tar = TarWriter::new(Vec::new());
//! for e in &plan.entries {
//!     e.hash_header(&mut hasher);
//!     if let Some(t) = &e.tar {
//!         tar.begin(&t.header(0, 0, 1_700_000_000))?;
//!     }
//!     if e.needs_bytes() {
//!         for chunk in [&b"print"[..], &b"\n"[..]] {
//!             hasher.content(chunk);
//!             tar.data(chunk)?;
//!         }
//!     }
//! }
//! assert_eq!(hasher.finish().len(), 64);
//! let tar: Vec<u8> = tar.finish()?;
//! assert_eq!(tar.len() % 512, 0);
//!
//! let missing = plan_copy(&tree, "nope", "/x", ctx, false).unwrap_err();
//! assert_eq!(missing.message, "No files found in /ctx/nope");
//! assert_eq!(missing.class, ErrorClass::Error);
//! # Ok(())
//! # }
//! ```

#![cfg_attr(not(any(test, feature = "std-fs")), no_std)]

extern crate alloc;

/// What every module uses: `alloc`'s types (the crate has no `std`) and the error model.
mod prelude {
    pub(crate) use alloc::string::{String, ToString};
    pub(crate) use alloc::vec;
    pub(crate) use alloc::vec::Vec;
    pub(crate) use novita_template_error::{ErrorClass, SdkError};
    pub(crate) use novita_template_json::{push_u64, u64_text};
}

mod brace_expansion;
mod byte_sink;
mod copy_plan;
mod discovery;
pub mod error;
mod files_hash;
mod glob_pattern;
mod ignore;
mod memory_tree;
mod path_map;
mod posix_path;
#[cfg(all(unix, any(test, feature = "std-fs")))]
mod std_fs_tree;
mod tar_writer;
mod tree;

pub use byte_sink::ByteSink;
pub use copy_plan::{
    plan_copy, CopyContext, CopyPlan, HashBody, HashPart, PlanEntry, TarEntryPlan,
};
pub use discovery::{discover, validate_source, Discovered};
pub use files_hash::{sha256_hex, FilesHasher};
pub use glob_pattern::{has_magic, GlobPattern};
pub use ignore::{dockerignore_patterns, IgnoreSet};
pub use memory_tree::{
    MemoryTree, DEFAULT_DIR_MODE, DEFAULT_DIR_SIZE, DEFAULT_FILE_MODE, DEFAULT_SYMLINK_MODE,
};
pub use novita_template_error::{ErrorClass, SdkError};
pub use posix_path::{join as posix_join, normalize as posix_normalize};
#[cfg(all(unix, any(test, feature = "std-fs")))]
pub use std_fs_tree::StdFsTree;
pub use tar_writer::{TarHeader, TarKind, TarWriter};
pub use tree::{EntryKind, FileTree, Meta, TreeError, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG};
