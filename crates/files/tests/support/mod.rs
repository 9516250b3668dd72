//! Shared helpers of the integration tests: fixture loading, an in-memory
//! copy of a fixture context, and a small tar reader to parse output back.
#![allow(dead_code)]

pub mod fixture_inputs;
pub mod temp_dir;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use novita_template_files::{EntryKind, FileTree, MemoryTree, Meta};
use serde_json::Value;

/// The repository's recorded fixtures, `tests/fixtures/`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

pub fn load_fixture(name: &str) -> Value {
    let path = fixtures_dir().join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// Every `copyHashInputs` step in a fixture, wherever it sits.
pub fn copy_hash_inputs(v: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    collect(v, "copyHashInputs", &mut out);
    out.into_iter()
        .flat_map(|a| a.as_array().cloned().unwrap_or_default())
        .collect()
}

/// Every value stored under `key`, depth first.
pub fn collect(v: &Value, key: &str, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == key {
                    out.push(x.clone());
                } else {
                    collect(x, key, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, key, out)),
        _ => {}
    }
}

pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("field {key} missing in {v}"))
}

/// Every entry below `dir` on disk, keyed by relative path: directories end
/// in `/`, symlinks hold their link text, files their bytes.
pub fn disk_entries(dir: &Path) -> BTreeMap<String, DiskEntry> {
    let mut out = BTreeMap::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((abs, rel)) = stack.pop() {
        for e in fs::read_dir(&abs).expect("read_dir") {
            let e = e.expect("entry");
            let name = e.file_name().into_string().expect("utf-8 name");
            let r = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let kind = e.file_type().expect("type");
            if kind.is_dir() {
                out.insert(format!("{r}/"), DiskEntry::Dir);
                stack.push((e.path(), r));
            } else if kind.is_symlink() {
                let target = fs::read_link(e.path()).expect("readlink");
                let target = target.into_os_string().into_string().expect("utf-8 link");
                out.insert(r, DiskEntry::Link(target));
            } else {
                out.insert(r, DiskEntry::File(fs::read(e.path()).expect("read")));
            }
        }
    }
    out
}

pub enum DiskEntry {
    Dir,
    File(Vec<u8>),
    Link(String),
}

/// A fixture context rebuilt in memory: names, bytes and links from the
/// input directory (materialised, so either form of checkout gives the same
/// tree), metadata (modes, sizes) as the fixture recorded it.
pub struct FixtureContext {
    pub tree: MemoryTree,
    /// File bytes by path; links and directories have none.
    pub contents: BTreeMap<String, Vec<u8>>,
}

impl FixtureContext {
    pub fn new(input_dir: &str, steps: &[Value]) -> FixtureContext {
        let inputs = fixture_inputs::materialised_inputs();
        let mut tree = MemoryTree::new();
        let mut contents = BTreeMap::new();
        for (path, entry) in disk_entries(&inputs.path().join(input_dir)) {
            match entry {
                DiskEntry::Dir => tree
                    .add_dir(path.strip_suffix('/').expect("dir key"))
                    .expect("dir"),
                DiskEntry::Link(target) => tree.add_symlink(&path, &target).expect("link"),
                DiskEntry::File(bytes) => {
                    tree.add_file(&path, bytes.len() as u64).expect("file");
                    contents.insert(path, bytes);
                }
            }
        }
        // Recorded metadata wins; links recorded as "not followed" carry
        // their own lstat.
        let mut links = Vec::new();
        for step in steps {
            for f in step["files"].as_array().expect("files") {
                let path = s(f, "path");
                let mode = f["st_mode"].as_u64().expect("st_mode") as u32;
                let size = f["st_size"].as_u64().expect("st_size");
                let kind = s(f, "kind");
                let meta = match kind {
                    "file" => Meta {
                        kind: EntryKind::File,
                        mode,
                        size,
                        link_target: None,
                    },
                    "directory" => Meta {
                        kind: EntryKind::Dir,
                        mode,
                        size,
                        link_target: None,
                    },
                    "symlink (not followed)" => {
                        let target = s(f, "linkTarget").to_string();
                        links.push((
                            path.to_string(),
                            Meta {
                                kind: EntryKind::Symlink,
                                mode,
                                size,
                                link_target: Some(target),
                            },
                        ));
                        continue;
                    }
                    _ => continue, // followed links: the target's stat, checked by the test
                };
                if path.is_empty() {
                    tree.set_root_meta(meta).expect("root");
                } else {
                    tree.insert(path, meta).expect("insert");
                }
            }
        }
        for (path, meta) in links {
            tree.insert(&path, meta).expect("link");
        }
        FixtureContext { tree, contents }
    }

    /// A file's bytes, following symlinks of the in-memory tree.
    pub fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let mut p = path.to_string();
        for _ in 0..40 {
            match self.tree.lstat(&p).map_err(|e| e.0)? {
                Some(m) if m.kind == EntryKind::Symlink => {
                    let target = m.link_target.ok_or("no target")?;
                    p = match p.rfind('/') {
                        Some(i) => format!("{}/{target}", &p[..i]),
                        None => target,
                    };
                }
                Some(_) => {
                    return self
                        .contents
                        .get(&p)
                        .cloned()
                        .ok_or_else(|| format!("no bytes for {p}"))
                }
                None => return Err(format!("missing {p}")),
            }
        }
        Err(format!("link loop at {path}"))
    }
}

/// One parsed tar entry; string fields keep node's view (trailing NULs cut).
#[derive(Debug, Clone)]
pub struct ParsedEntry {
    pub name: String,
    pub mode: String,
    pub uid: String,
    pub gid: String,
    pub size: u64,
    pub mtime: String,
    pub typeflag: String,
    pub linkname: String,
    pub magic: String,
    pub uname: String,
    pub gname: String,
    pub prefix: String,
    pub data: Vec<u8>,
    /// Path after PAX and prefix are applied.
    pub full_path: String,
    pub full_linkname: String,
}

fn field(b: &[u8]) -> String {
    let end = b.iter().position(|&x| x == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

fn octal(b: &[u8]) -> u64 {
    let t = field(b);
    u64::from_str_radix(t.trim(), 8).unwrap_or_else(|e| panic!("octal {t:?}: {e}"))
}

/// Parses a tar stream, checking checksums, the two end blocks and that
/// nothing follows them.
pub fn parse_tar(bytes: &[u8]) -> Vec<ParsedEntry> {
    assert_eq!(bytes.len() % 512, 0, "tar length is a multiple of 512");
    let mut out = Vec::new();
    let mut at = 0;
    let mut pax: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let h = &bytes[at..at + 512];
        if h.iter().all(|&b| b == 0) {
            assert!(
                bytes[at + 512..at + 1024].iter().all(|&b| b == 0),
                "second end block"
            );
            assert_eq!(
                at + 1024,
                bytes.len(),
                "no record padding after the end blocks"
            );
            return out;
        }
        let sum: u64 = h[..148]
            .iter()
            .chain(&h[156..])
            .map(|&x| u64::from(x))
            .sum::<u64>()
            + 256;
        assert_eq!(octal(&h[148..156]), sum, "checksum of header at {at}");
        let size = octal(&h[124..136]);
        let data_start = at + 512;
        let data = bytes[data_start..data_start + size as usize].to_vec();
        at = data_start + (size as usize).div_ceil(512) * 512;
        let typeflag = field(&h[156..157]);
        if typeflag == "x" {
            let text = String::from_utf8(data).expect("pax utf-8");
            let mut rest = text.as_str();
            while !rest.is_empty() {
                let sp = rest.find(' ').expect("pax length");
                let len: usize = rest[..sp].parse().expect("pax length digits");
                let record = &rest[sp + 1..len - 1];
                let (k, v) = record.split_once('=').expect("pax key=value");
                pax.insert(k.to_string(), v.to_string());
                assert_eq!(&rest[len - 1..len], "\n");
                rest = &rest[len..];
            }
            continue;
        }
        let name = field(&h[..100]);
        let prefix = field(&h[345..500]);
        let linkname = field(&h[157..257]);
        let joined = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let size = pax
            .get("size")
            .map(|v| v.parse().expect("pax size"))
            .unwrap_or(size);
        out.push(ParsedEntry {
            full_path: pax.remove("path").unwrap_or(joined),
            full_linkname: pax.remove("linkpath").unwrap_or_else(|| linkname.clone()),
            name,
            mode: field(&h[100..108]),
            uid: field(&h[108..116]),
            gid: field(&h[116..124]),
            size,
            mtime: field(&h[136..148]),
            typeflag,
            linkname,
            magic: String::from_utf8_lossy(&h[257..265]).into_owned(),
            uname: field(&h[265..297]),
            gname: field(&h[297..329]),
            prefix,
            data: bytes[data_start..data_start + size as usize].to_vec(),
        });
        pax.clear();
    }
}
