//! An in-memory [`FileTree`]: filled by tests, and by the wasm skin for
//! browser sources (`File`/`Blob` lists), where no real `stat` exists.
//!
//! Browser sources have no file modes and no directory sizes, yet both are
//! hashed; the defaults below (those of a typical ext4 checkout with umask
//! 022) make such hashes stable and equal to a Linux checkout's in the
//! common case. They are documented in the crate README.

use crate::error::tree_error;
use crate::path_map::PathMap;
use crate::prelude::*;

use crate::posix_path;
use crate::tree::{EntryKind, FileTree, Meta, TreeError};

/// `st_mode` used for a file whose source has no mode: `-rw-r--r--`.
pub const DEFAULT_FILE_MODE: u32 = 0o100644;
/// `st_mode` used for a directory whose source has no mode: `drwxr-xr-x`.
pub const DEFAULT_DIR_MODE: u32 = 0o040755;
/// `st_size` used for a directory whose source has none (ext4's block size).
pub const DEFAULT_DIR_SIZE: u64 = 4096;
/// `st_mode` used for symlinks (Linux always reports `0777` for links).
pub const DEFAULT_SYMLINK_MODE: u32 = 0o120777;

/// Symlink hops allowed while resolving one path (Linux's `MAXSYMLINKS`).
const MAX_LINK_HOPS: usize = 40;

#[derive(Debug, Clone)]
struct Node {
    meta: Meta,
    children: Vec<String>,
}

/// A tree of entries kept in memory. The context directory `""` always exists.
#[derive(Debug, Clone)]
pub struct MemoryTree {
    /// The entries, the context directory first.
    nodes: Vec<Node>,
    /// Each entry's path to its index in `nodes`.
    paths: PathMap,
}

impl Default for MemoryTree {
    fn default() -> Self {
        MemoryTree::new()
    }
}

impl MemoryTree {
    /// An empty context directory with the default directory metadata.
    pub fn new() -> MemoryTree {
        let mut paths = PathMap::default();
        paths.insert("", 0);
        MemoryTree {
            nodes: vec![Node {
                meta: default_dir(),
                children: Vec::new(),
            }],
            paths,
        }
    }

    fn node(&self, path: &str) -> Option<&Node> {
        self.paths.get(path).map(|i| &self.nodes[i])
    }

    /// Replaces the metadata of the context directory itself (must be a dir).
    pub fn set_root_meta(&mut self, meta: Meta) -> Result<(), SdkError> {
        if meta.kind != EntryKind::Dir {
            return Err(tree_error("", "the context directory must be a directory"));
        }
        self.nodes[0].meta = meta;
        Ok(())
    }

    /// Adds (or replaces) the entry at `path`, creating missing parent
    /// directories with the default metadata.
    ///
    /// `path` is context-relative with `/` separators; `.`/`..`/empty
    /// segments and absolute paths are rejected. A symlink's `meta` must carry
    /// its `link_target`.
    pub fn insert(&mut self, path: &str, meta: Meta) -> Result<(), SdkError> {
        let segments = checked_segments(path)?;
        if meta.kind == EntryKind::Symlink && meta.link_target.is_none() {
            return Err(tree_error(path, "a symlink needs its link_target"));
        }
        let (mut parent, mut parent_path) = (0, String::new());
        for (i, seg) in segments.iter().enumerate() {
            let here = posix_path::child(&parent_path, seg);
            let last = i + 1 == segments.len();
            let at = match self.paths.get(&here) {
                Some(at) if !last => {
                    if self.nodes[at].meta.kind != EntryKind::Dir {
                        return Err(tree_error(
                            path,
                            &["parent \"", &here, "\" is not a directory"].concat(),
                        ));
                    }
                    at
                }
                Some(at) => {
                    let node = &mut self.nodes[at];
                    if meta.kind != EntryKind::Dir && !node.children.is_empty() {
                        return Err(tree_error(path, "cannot replace a non-empty directory"));
                    }
                    node.meta = meta.clone();
                    at
                }
                None => {
                    let at = self.nodes.len();
                    self.paths.insert(&here, at);
                    self.nodes.push(Node {
                        meta: if last { meta.clone() } else { default_dir() },
                        children: Vec::new(),
                    });
                    self.nodes[parent].children.push(seg.to_string());
                    at
                }
            };
            (parent, parent_path) = (at, here);
        }
        Ok(())
    }

    /// Adds a regular file with [`DEFAULT_FILE_MODE`].
    pub fn add_file(&mut self, path: &str, size: u64) -> Result<(), SdkError> {
        self.insert(path, Meta::file(DEFAULT_FILE_MODE, size))
    }

    /// Adds a directory with [`DEFAULT_DIR_MODE`] and [`DEFAULT_DIR_SIZE`].
    pub fn add_dir(&mut self, path: &str) -> Result<(), SdkError> {
        self.insert(path, default_dir())
    }

    /// Adds a symlink with [`DEFAULT_SYMLINK_MODE`] whose text is `target`.
    pub fn add_symlink(&mut self, path: &str, target: &str) -> Result<(), SdkError> {
        self.insert(path, Meta::symlink(DEFAULT_SYMLINK_MODE, target))
    }

    /// Number of entries, the context directory included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Always false: the context directory is an entry.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The key of the entry `path` designates, following symlinks in every
    /// component (and in the last one when `follow_last`). `None` if absent,
    /// dangling, looping, or pointing outside the tree.
    fn resolve(&self, path: &str, follow_last: bool, hops: &mut usize) -> Option<String> {
        let mut cur = String::new();
        let segments: Vec<&str> = path
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect();
        for (i, seg) in segments.iter().enumerate() {
            if *seg == ".." {
                cur = match cur.rfind('/') {
                    Some(at) => cur[..at].to_string(),
                    None if !cur.is_empty() => String::new(),
                    None => return None,
                };
                continue;
            }
            let candidate = posix_path::child(&cur, seg);
            let node = self.node(&candidate)?;
            let last = i + 1 == segments.len();
            if node.meta.kind == EntryKind::Symlink && (!last || follow_last) {
                *hops += 1;
                if *hops > MAX_LINK_HOPS {
                    return None;
                }
                let target = node.meta.link_target.as_deref()?;
                if target.starts_with('/') {
                    return None;
                }
                let joined = posix_path::normalize(&posix_path::child(&cur, target));
                if joined == ".." || joined.starts_with("../") {
                    return None;
                }
                let joined = if joined == "." { String::new() } else { joined };
                cur = self.resolve(joined.trim_end_matches('/'), true, hops)?;
            } else {
                cur = candidate;
            }
        }
        Some(cur)
    }
}

fn default_dir() -> Meta {
    Meta {
        kind: EntryKind::Dir,
        mode: DEFAULT_DIR_MODE,
        size: DEFAULT_DIR_SIZE,
        link_target: None,
    }
}

fn checked_segments(path: &str) -> Result<Vec<&str>, SdkError> {
    if path.is_empty() {
        return Err(tree_error(
            path,
            "use set_root_meta for the context directory",
        ));
    }
    let segments: Vec<&str> = path.split('/').collect();
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return Err(tree_error(
            path,
            "paths must be relative, without empty, '.' or '..' segments",
        ));
    }
    if path.contains('\0') {
        return Err(tree_error(path, "paths cannot contain NUL"));
    }
    Ok(segments)
}

impl FileTree for MemoryTree {
    fn list_dir(&self, rel_dir: &str) -> Result<Vec<String>, TreeError> {
        let key = self
            .resolve(rel_dir, true, &mut 0)
            .ok_or_else(|| TreeError(["no such directory: \"", rel_dir, "\""].concat()))?;
        match self.node(&key) {
            Some(node) if node.meta.kind == EntryKind::Dir => Ok(node.children.clone()),
            _ => Err(TreeError(["not a directory: \"", rel_dir, "\""].concat())),
        }
    }

    fn lstat(&self, rel_path: &str) -> Result<Option<Meta>, TreeError> {
        Ok(self
            .resolve(rel_path, false, &mut 0)
            .and_then(|k| self.node(&k))
            .map(|n| n.meta.clone()))
    }

    fn stat(&self, rel_path: &str) -> Result<Option<Meta>, TreeError> {
        Ok(self
            .resolve(rel_path, true, &mut 0)
            .and_then(|k| self.node(&k))
            .map(|n| n.meta.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_are_created_with_defaults() {
        let mut t = MemoryTree::new();
        t.add_file("a/b/c.txt", 3).expect("insert");
        let a = t.lstat("a").expect("lstat").expect("exists");
        assert_eq!((a.kind, a.mode, a.size), (EntryKind::Dir, 0o40755, 4096));
        assert_eq!(t.list_dir("a").expect("list"), ["b"]);
        assert_eq!(t.list_dir("").expect("list"), ["a"]);
        assert_eq!(
            t.stat("a/b/c.txt").expect("stat").expect("exists").mode,
            33188
        );
    }

    #[test]
    fn symlinks_resolve_relative_to_their_directory() {
        let mut t = MemoryTree::new();
        t.add_file("d/real.txt", 5).expect("insert");
        t.add_symlink("d/link", "real.txt").expect("insert");
        t.add_symlink("dirlink", "d").expect("insert");
        t.add_symlink("dangling", "nope").expect("insert");
        t.add_symlink("outside", "../x").expect("insert");
        t.add_symlink("loop", "loop").expect("insert");
        assert_eq!(
            t.lstat("d/link").expect("ok").expect("exists").kind,
            EntryKind::Symlink
        );
        assert_eq!(t.lstat("d/link").expect("ok").expect("exists").size, 8);
        assert_eq!(t.stat("d/link").expect("ok").expect("exists").size, 5);
        assert_eq!(
            t.stat("dirlink/link").expect("ok").expect("exists").kind,
            EntryKind::File
        );
        assert_eq!(t.list_dir("dirlink").expect("list").len(), 2);
        assert_eq!(t.stat("dangling").expect("ok"), None);
        assert_eq!(t.stat("outside").expect("ok"), None);
        assert_eq!(t.stat("loop").expect("ok"), None);
    }

    #[test]
    fn bad_paths_are_rejected() {
        let mut t = MemoryTree::new();
        assert!(t.add_file("/abs", 1).is_err());
        assert!(t.add_file("a/../b", 1).is_err());
        assert!(t.add_file("a//b", 1).is_err());
        assert!(t.add_file("", 1).is_err());
        t.add_file("f", 1).expect("insert");
        assert!(t.add_file("f/x", 1).is_err(), "a file cannot be a parent");
        assert!(t
            .insert(
                "s",
                Meta {
                    kind: EntryKind::Symlink,
                    mode: 0o120777,
                    size: 1,
                    link_target: None
                }
            )
            .is_err());
    }
}
