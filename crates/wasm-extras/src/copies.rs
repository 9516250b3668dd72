//! `Copies`: the COPY steps of a build, discovered and planned (wire contract §5):
//! what each step's files hash covers, in which order, and the tar entries of its
//! upload. The face streams the files' bytes itself (Node's `fs`, a browser's
//! `Blob`s) into its SHA-256 and its gzip stream; every other byte comes from here.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use novita_template_error::SdkError;
use novita_template_files::{
    plan_copy, CopyContext, CopyPlan, FileTree, HashPart, IgnoreSet, MemoryTree, TarEntryPlan,
    TarKind,
};
use novita_template_json::{parse, push_quoted, push_u64, Json};
use wasm_bindgen::prelude::*;

use crate::fs_host::{DiskTree, FsHost};
use crate::thrown;

/// The modification time of browser files in a tar header (their own is not read:
/// the same files give the same archive).
const MEMORY_MTIME: u64 = 0;

enum Tree {
    Disk(DiskTree),
    Memory(MemoryTree),
}

/// The planned COPY steps of one build (or `toJSON`).
#[wasm_bindgen]
pub struct Copies {
    tree: Tree,
    plans: Vec<CopyPlan>,
    resolve_symlinks: Vec<bool>,
}

fn text_list(v: Option<&Json>) -> Vec<&str> {
    v.and_then(Json::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Json::as_str)
        .collect()
}

/// An error of COPY step `copy` (the face points it at that `copy()` call).
fn of_copy(e: SdkError, copy: usize) -> SdkError {
    e.with_field("copy", Json::int(copy as i64))
}

#[wasm_bindgen]
impl Copies {
    /// Plans every COPY step of `spec_json`: `{contextPath, root?, files?, ignore,
    /// dockerignore?, copies: [{src, dest, resolveSymlinks}]}`. A context on disk
    /// (`root`, read through `fs`) or in memory (`files`: `[[path, size], …]`, browser
    /// sources). A source that matches nothing is the official `Error` ("No files
    /// found in …") with the step's index in `copy`.
    #[wasm_bindgen(constructor)]
    pub fn new(spec_json: &str, fs: Option<FsHost>) -> Result<Copies, String> {
        Copies::plan(spec_json, fs).map_err(thrown)
    }

    /// The hash preimage of COPY step `i` as JSON: texts to hash as they are, and
    /// `[path, size]` for a file whose bytes come next.
    #[wasm_bindgen(js_name = hashParts)]
    pub fn hash_parts(&self, i: usize) -> String {
        let mut out = String::from("[");
        for (k, part) in self
            .plans
            .get(i)
            .map(CopyPlan::hash_parts)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if k > 0 {
                out.push(',');
            }
            match part {
                HashPart::Text(t) => push_quoted(&mut out, t),
                HashPart::File { path, size } => {
                    out.push('[');
                    push_quoted(&mut out, path);
                    out.push(',');
                    push_u64(&mut out, *size);
                    out.push(']');
                }
            }
        }
        out.push(']');
        out
    }

    /// The archive of COPY step `i`: `{"entries": [{path, size, file, pad}], "trailer"}`
    /// in order. After each entry's header ([`Copies::tar_header`]) a file's `size`
    /// bytes follow, then `pad` zero bytes; the archive ends with `trailer` zero bytes.
    pub fn entries(&self, i: usize) -> String {
        let mut out = String::from("{\"entries\":[");
        for (j, (path, tar)) in self.archived(i).enumerate() {
            let (size, file) = match tar.kind {
                TarKind::File { size } => (size, "true"),
                _ => (0, "false"),
            };
            out.push_str(if j == 0 { "{\"path\":" } else { ",{\"path\":" });
            push_quoted(&mut out, path);
            out.push_str(",\"size\":");
            push_u64(&mut out, size);
            out.push_str(",\"file\":");
            out.push_str(file);
            out.push_str(",\"pad\":");
            push_u64(&mut out, (512 - size % 512) % 512);
            out.push('}');
        }
        out.push_str("],\"trailer\":1024}");
        out
    }

    /// The header bytes of archive entry `j` of COPY step `i` (as listed by
    /// [`Copies::entries`]), with the owner and time of the file on disk.
    #[wasm_bindgen(js_name = tarHeader)]
    pub fn tar_header(&self, i: usize, j: usize) -> Result<Vec<u8>, String> {
        let Some((path, tar)) = self.archived(i).nth(j) else {
            return Ok(Vec::new());
        };
        let (uid, gid, mtime) = match &self.tree {
            Tree::Disk(d) => d.owner(path, self.resolve_symlinks[i]),
            Tree::Memory(_) => (0, 0, MEMORY_MTIME),
        };
        tar.header(uid, gid, mtime).encode().map_err(thrown)
    }
}

impl Copies {
    /// The archived entries of COPY step `i` (path and tar plan), in order.
    fn archived(&self, i: usize) -> impl Iterator<Item = (&str, &TarEntryPlan)> {
        self.plans
            .get(i)
            .map_or(&[][..], |p| &p.entries)
            .iter()
            .filter_map(|e| Some((e.path.as_str(), e.tar.as_ref()?)))
    }

    fn plan(spec_json: &str, fs: Option<FsHost>) -> Result<Copies, SdkError> {
        let spec =
            parse(spec_json).map_err(|_| SdkError::error("copy: unreadable plan request"))?;
        let context_display = spec
            .get("contextPath")
            .and_then(Json::as_str)
            .unwrap_or(".")
            .to_string();
        let tree = match (spec.get("root").and_then(Json::as_str), fs) {
            (Some(root), Some(host)) => Tree::Disk(DiskTree {
                host,
                root: root.to_string(),
            }),
            _ => {
                let mut t = MemoryTree::new();
                for f in spec.get("files").and_then(Json::as_array).unwrap_or(&[]) {
                    let pair = f.as_array().unwrap_or_default();
                    let path = pair.first().and_then(Json::as_str).unwrap_or_default();
                    let size = pair
                        .get(1)
                        .and_then(Json::as_integer)
                        .unwrap_or_default()
                        .max(0);
                    t.add_file(path, size as u64)?;
                }
                Tree::Memory(t)
            }
        };
        let dockerignore = spec.get("dockerignore").and_then(Json::as_str);
        let ignore = IgnoreSet::for_template(&text_list(spec.get("ignore")), dockerignore)?;
        let ctx = CopyContext {
            context_display: &context_display,
            ignore: &ignore,
        };
        let mut plans = Vec::new();
        let mut resolve = Vec::new();
        for (i, c) in spec
            .get("copies")
            .and_then(Json::as_array)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let text = |k: &str| c.get(k).and_then(Json::as_str).unwrap_or("");
            let follow = c.get("resolveSymlinks").and_then(Json::as_bool) == Some(true);
            let files: &dyn FileTree = match &tree {
                Tree::Disk(d) => d,
                Tree::Memory(m) => m,
            };
            let plan = plan_copy(files, text("src"), text("dest"), ctx, follow)
                .map_err(|e| of_copy(e, i))?;
            plans.push(plan);
            resolve.push(follow);
        }
        Ok(Copies {
            tree,
            plans,
            resolve_symlinks: resolve,
        })
    }
}
