//! A scratch copy of `tests/fixtures/inputs/` as the official SDK saw it when
//! the fixtures were recorded: directories 0755, files 0644 (0755 where the
//! checkout marks them executable) and every link of
//! `tests/fixtures/symlinks.txt` as a real symlink. A checkout made with
//! `core.symlinks=false` stores such a link as a plain file holding the link
//! text; either form gives the same copy, so hashes and archives taken from it
//! equal the recorded ones.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;

use super::fixtures_dir;
use super::temp_dir::TempDir;

/// `path -> target` for every link of `tests/fixtures/symlinks.txt`; paths
/// are relative to `tests/fixtures/`.
pub fn symlink_manifest() -> BTreeMap<String, String> {
    let path = fixtures_dir().join("symlinks.txt");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (p, t) = l
                .split_once(" -> ")
                .unwrap_or_else(|| panic!("symlinks.txt: `{l}` is not `<path> -> <target>`"));
            (p.trim().to_string(), t.trim().to_string())
        })
        .collect()
}

/// A fresh copy of `tests/fixtures/inputs/` at `<temp>/inputs/`.
pub fn materialised_inputs() -> TempDir {
    let tmp = TempDir::new("inputs");
    let links = symlink_manifest();
    let mut made = Vec::new();
    let to = tmp.path().join("inputs");
    fs::create_dir(&to).expect("mkdir inputs");
    copy_dir(
        &fixtures_dir().join("inputs"),
        &to,
        "inputs",
        &links,
        &mut made,
    );
    for path in links.keys() {
        assert!(
            made.contains(path),
            "symlinks.txt lists {path}, which the checkout lacks"
        );
    }
    tmp
}

fn copy_dir(
    from: &Path,
    to: &Path,
    rel: &str,
    links: &BTreeMap<String, String>,
    made: &mut Vec<String>,
) {
    for e in fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let name = e.file_name().into_string().expect("utf-8 name");
        let (src, dst, r) = (e.path(), to.join(&name), format!("{rel}/{name}"));
        let meta = fs::symlink_metadata(&src).expect("lstat");
        if let Some(target) = links.get(&r) {
            // A link in a normal checkout, its text in a plain file otherwise.
            let stored = if meta.file_type().is_symlink() {
                fs::read_link(&src).expect("readlink").into_os_string()
            } else {
                fs::read_to_string(&src).expect("link text").into()
            };
            assert_eq!(
                stored.to_str(),
                Some(target.as_str()),
                "{r}: the checkout disagrees with symlinks.txt"
            );
            symlink(target, &dst).expect("symlink");
            made.push(r);
        } else if meta.file_type().is_symlink() {
            panic!("{r} is a symlink that symlinks.txt does not list");
        } else if meta.is_dir() {
            fs::create_dir(&dst).expect("mkdir");
            copy_dir(&src, &dst, &r, links, made);
            fs::set_permissions(&dst, fs::Permissions::from_mode(0o755)).expect("chmod dir");
        } else {
            fs::write(&dst, fs::read(&src).expect("read")).expect("write");
            let mode = if meta.permissions().mode() & 0o111 != 0 {
                0o755
            } else {
                0o644
            };
            fs::set_permissions(&dst, fs::Permissions::from_mode(mode)).expect("chmod file");
        }
    }
    fs::set_permissions(to, fs::Permissions::from_mode(0o755)).expect("chmod");
}
