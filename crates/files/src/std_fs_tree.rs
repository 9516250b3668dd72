//! A [`FileTree`] over the real filesystem (feature `std-fs`), for native
//! tools and tests. Not part of the wasm build.

use std::fs;
use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

use crate::tree::{EntryKind, FileTree, Meta, TreeError};

/// The context directory `root` on disk.
#[derive(Debug, Clone)]
pub struct StdFsTree {
    root: PathBuf,
}

impl StdFsTree {
    pub fn new(root: impl Into<PathBuf>) -> StdFsTree {
        StdFsTree { root: root.into() }
    }

    fn full(&self, rel: &str) -> PathBuf {
        if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        }
    }

    fn meta(&self, rel: &str, follow: bool) -> Result<Option<Meta>, TreeError> {
        let path = self.full(rel);
        let m = if follow {
            fs::metadata(&path)
        } else {
            fs::symlink_metadata(&path)
        };
        let m = match m {
            Ok(m) => m,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(TreeError(e.to_string())),
        };
        let ft = m.file_type();
        let kind = if ft.is_symlink() {
            EntryKind::Symlink
        } else if ft.is_dir() {
            EntryKind::Dir
        } else if ft.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other
        };
        let link_target = if kind == EntryKind::Symlink {
            let t = fs::read_link(&path).map_err(|e| TreeError(e.to_string()))?;
            Some(
                t.to_str()
                    .ok_or_else(|| TreeError("link text is not UTF-8".to_string()))?
                    .to_string(),
            )
        } else {
            None
        };
        Ok(Some(Meta {
            kind,
            mode: m.mode(),
            size: m.size(),
            link_target,
        }))
    }

    /// A file's bytes (whole; tests and small tools only).
    pub fn read(&self, rel: &str) -> Result<Vec<u8>, TreeError> {
        fs::read(self.full(rel)).map_err(|e| TreeError(format!("{rel}: {e}")))
    }

    /// (uid, gid, mtime seconds) as node-tar would put them in the header.
    pub fn owner(&self, rel: &str) -> Result<(u64, u64, u64), TreeError> {
        let m = fs::metadata(self.full(rel)).map_err(|e| TreeError(e.to_string()))?;
        Ok((
            u64::from(m.uid()),
            u64::from(m.gid()),
            m.mtime().max(0) as u64,
        ))
    }
}

impl FileTree for StdFsTree {
    fn list_dir(&self, rel_dir: &str) -> Result<Vec<String>, TreeError> {
        let mut names = Vec::new();
        for entry in fs::read_dir(self.full(rel_dir)).map_err(|e| TreeError(e.to_string()))? {
            let entry = entry.map_err(|e| TreeError(e.to_string()))?;
            let name = entry.file_name();
            names.push(
                name.to_str()
                    .ok_or_else(|| TreeError(format!("non-UTF-8 name {name:?}")))?
                    .to_string(),
            );
        }
        Ok(names)
    }

    fn lstat(&self, rel_path: &str) -> Result<Option<Meta>, TreeError> {
        self.meta(rel_path, false)
    }

    fn stat(&self, rel_path: &str) -> Result<Option<Meta>, TreeError> {
        self.meta(rel_path, true)
    }
}
