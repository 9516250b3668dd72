//! The Node host's file system, as typed bindings (`FsHost` in
//! `pkg-template/host.d.ts`), and the [`FileTree`] discovery reads through it.
//! Failures arrive as thrown strings (the host's message).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use novita_template_files::{EntryKind, FileTree, Meta, TreeError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `FsHost`: synchronous metadata of the Node host (`node:fs`).
    pub type FsHost;

    /// The names in directory `path`, joined by `\0`.
    #[wasm_bindgen(method, catch, js_name = listDir)]
    fn list_dir(this: &FsHost, path: &str) -> Result<String, JsValue>;

    /// `lstat` (or `stat` when `follow`) of `path`; `undefined` when it does not exist.
    #[wasm_bindgen(method, catch, js_name = statPath)]
    fn stat_path(this: &FsHost, path: &str, follow: bool) -> Result<Option<FileStat>, JsValue>;

    /// What `statPath` returns.
    pub type FileStat;

    /// `file`, `dir`, `symlink` or `other`.
    #[wasm_bindgen(method, getter)]
    fn kind(this: &FileStat) -> String;
    /// `st_mode`, type bits included.
    #[wasm_bindgen(method, getter)]
    fn mode(this: &FileStat) -> u32;
    #[wasm_bindgen(method, getter)]
    fn size(this: &FileStat) -> f64;
    /// The link text of a symlink.
    #[wasm_bindgen(method, getter, js_name = linkTarget)]
    fn link_target(this: &FileStat) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn uid(this: &FileStat) -> f64;
    #[wasm_bindgen(method, getter)]
    fn gid(this: &FileStat) -> f64;
    /// Modification time in whole seconds.
    #[wasm_bindgen(method, getter)]
    fn mtime(this: &FileStat) -> f64;
}

fn message(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| "unreadable".to_string())
}

/// The context directory `root` on disk, read through the host.
pub(crate) struct DiskTree {
    pub(crate) host: FsHost,
    pub(crate) root: String,
}

impl DiskTree {
    fn path(&self, rel: &str) -> String {
        if rel.is_empty() {
            return self.root.clone();
        }
        let mut p = String::from(self.root.trim_end_matches('/'));
        p.push('/');
        p.push_str(rel);
        p
    }

    fn stat_with(&self, rel: &str, follow: bool) -> Result<Option<FileStat>, TreeError> {
        self.host
            .stat_path(&self.path(rel), follow)
            .map_err(|e| TreeError(message(e)))
    }

    /// `(uid, gid, mtime)` of an entry, for its tar header (zeros when unreadable).
    pub(crate) fn owner(&self, rel: &str, follow: bool) -> (u64, u64, u64) {
        match self.stat_with(rel, follow) {
            Ok(Some(s)) => (s.uid() as u64, s.gid() as u64, s.mtime().max(0.0) as u64),
            _ => (0, 0, 0),
        }
    }
}

fn meta(s: &FileStat) -> Meta {
    let kind = match s.kind().as_str() {
        "file" => EntryKind::File,
        "dir" => EntryKind::Dir,
        "symlink" => EntryKind::Symlink,
        _ => EntryKind::Other,
    };
    Meta {
        kind,
        mode: s.mode(),
        size: s.size().max(0.0) as u64,
        link_target: s.link_target(),
    }
}

impl FileTree for DiskTree {
    fn list_dir(&self, rel_dir: &str) -> Result<Vec<String>, TreeError> {
        let names = self
            .host
            .list_dir(&self.path(rel_dir))
            .map_err(|e| TreeError(message(e)))?;
        Ok(names
            .split('\0')
            .filter(|n| !n.is_empty())
            .map(String::from)
            .collect())
    }

    fn lstat(&self, rel_path: &str) -> Result<Option<Meta>, TreeError> {
        Ok(self.stat_with(rel_path, false)?.as_ref().map(meta))
    }

    fn stat(&self, rel_path: &str) -> Result<Option<Meta>, TreeError> {
        Ok(self.stat_with(rel_path, true)?.as_ref().map(meta))
    }
}
