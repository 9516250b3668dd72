//! The directory-tree abstraction the host fills in.
//!
//! Discovery only needs names, `lstat` and `stat`; file contents never pass
//! through this trait, so the host can stream them in chunks (Node
//! `fs.readSync`, browser `Blob.slice`) straight into the hasher or the tar
//! writer.

use crate::prelude::*;
/// File type bits of `st_mode` (POSIX `S_IFMT` and friends).
pub const S_IFMT: u32 = 0o170000;
/// Regular file type bits.
pub const S_IFREG: u32 = 0o100000;
/// Directory type bits.
pub const S_IFDIR: u32 = 0o040000;
/// Symbolic link type bits.
pub const S_IFLNK: u32 = 0o120000;

/// What kind of entry a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// FIFOs, sockets, devices: hashed by mode and size, never archived.
    Other,
}

/// The part of `stat(2)` that the files hash and the tar headers use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub kind: EntryKind,
    /// Full `st_mode`, file-type bits included (`0o100644` = 33188).
    pub mode: u32,
    /// `st_size`: bytes for files, link-text length for symlinks,
    /// filesystem-dependent for directories (4096 on ext4).
    pub size: u64,
    /// The link text (`readlink`), for symlinks from `lstat`.
    pub link_target: Option<String>,
}

impl Meta {
    /// A regular file with the given permission bits and size.
    pub fn file(perm: u32, size: u64) -> Meta {
        Meta {
            kind: EntryKind::File,
            mode: S_IFREG | (perm & 0o7777),
            size,
            link_target: None,
        }
    }

    /// A directory with the given permission bits and `st_size`.
    pub fn dir(perm: u32, size: u64) -> Meta {
        Meta {
            kind: EntryKind::Dir,
            mode: S_IFDIR | (perm & 0o7777),
            size,
            link_target: None,
        }
    }

    /// A symbolic link; `st_size` is the byte length of the link text, as on Linux.
    pub fn symlink(perm: u32, target: &str) -> Meta {
        Meta {
            kind: EntryKind::Symlink,
            mode: S_IFLNK | (perm & 0o7777),
            size: target.len() as u64,
            link_target: Some(target.to_string()),
        }
    }

    /// The permission bits (`mode & 0o7777`), as stored in a tar header.
    pub fn permissions(&self) -> u32 {
        self.mode & 0o7777
    }
}

/// A failure reported by the host while reading the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeError(pub String);

/// A read-only view of the build context directory.
///
/// Every path this crate passes is relative to the context, uses `/`
/// separators and has no empty, `.` or `..` segment; the context directory
/// itself is `""`. Paths may lead through symlinked directories (glob does
/// that for plain pattern segments), so implementations resolve links in
/// the middle of a path as the OS does.
pub trait FileTree {
    /// Names (not paths) of the entries of directory `rel_dir`, in any order.
    fn list_dir(&self, rel_dir: &str) -> Result<Vec<String>, TreeError>;
    /// `lstat`: does not follow a final symlink. `Ok(None)` when absent.
    fn lstat(&self, rel_path: &str) -> Result<Option<Meta>, TreeError>;
    /// `stat`: follows symlinks. `Ok(None)` when absent or dangling.
    fn stat(&self, rel_path: &str) -> Result<Option<Meta>, TreeError>;
}
