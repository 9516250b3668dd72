//! The real filesystem through `StdFsTree`: a copy of the fixtures' copy
//! context, with the modes the fixtures were recorded with, gives the same
//! discovery order and hashes as the official SDK.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use novita_template_files::{plan_copy, CopyContext, EntryKind, FileTree, IgnoreSet, StdFsTree};
use support::fixture_inputs::materialised_inputs;
use support::temp_dir::TempDir;
use support::{copy_hash_inputs, load_fixture, s};

/// The copy context as recorded (modes, and the link rebuilt whatever form
/// the checkout stores it in), and its path inside the scratch copy.
fn prepared_context() -> (TempDir, PathBuf) {
    let inputs = materialised_inputs();
    let ctx = inputs.path().join("inputs/copy-context");
    let link = ctx.join("link-to-req.txt");
    let meta = fs::symlink_metadata(&link).expect("lstat link");
    assert!(meta.file_type().is_symlink(), "the link is a real symlink");
    assert_eq!(
        fs::read_link(&link).expect("readlink"),
        Path::new("requirements.txt")
    );
    (inputs, ctx)
}

#[test]
fn std_fs_discovery_and_hashes_equal_the_fixtures() {
    let (_inputs, ctx) = prepared_context();
    let tree = StdFsTree::new(&ctx);
    let dockerignore = fs::read_to_string(ctx.join(".dockerignore")).expect("dockerignore");
    let ignore = IgnoreSet::for_template::<&str>(&[], Some(&dockerignore)).expect("ignore");
    let odd_dirs: Vec<String> = ["", "app", "app/lib"]
        .into_iter()
        .filter(|d| {
            tree.lstat(d)
                .ok()
                .flatten()
                .is_some_and(|m| m.kind == EntryKind::Dir && m.size != 4096)
        })
        .map(str::to_string)
        .collect();
    let (mut checked, mut skipped) = (0, 0);
    for fixture in ["04-copy.json", "04b-copy-globs.json"] {
        for step in copy_hash_inputs(&load_fixture(fixture)) {
            let (src, dest) = (s(&step, "src"), s(&step, "dest"));
            let resolve = step["resolveSymlinks"].as_bool().expect("bool");
            let plan = plan_copy(
                &tree,
                src,
                dest,
                CopyContext {
                    context_display: "ctx",
                    ignore: &ignore,
                },
                resolve,
            )
            .unwrap_or_else(|e| panic!("{src}: {e}"));
            let want: Vec<&str> = step["files"]
                .as_array()
                .expect("files")
                .iter()
                .map(|f| s(f, "path"))
                .collect();
            let got: Vec<&str> = plan.entries.iter().map(|e| e.path.as_str()).collect();
            assert_eq!(got, want, "{fixture} {src}: order on disk");
            let hash = plan.files_hash(|p| tree.read(p)).expect("hash");
            if plan.entries.iter().any(|e| odd_dirs.contains(&e.path)) {
                println!("note: {fixture} {src}: directory st_size is not 4096 on this filesystem; hash not compared");
                skipped += 1;
                continue;
            }
            assert_eq!(hash, s(&step, "filesHash"), "{fixture} {src}: hash on disk");
            checked += 1;
        }
    }
    println!("disk copy hashes: {checked} equal, {skipped} skipped (directory sizes)");
    assert_eq!(checked + skipped, 11);
}

#[test]
fn std_fs_tar_entries_follow_the_plan() {
    let (_inputs, ctx) = prepared_context();
    let tree = StdFsTree::new(&ctx);
    let ignore = IgnoreSet::new(&["**/*.tmp", "secret.txt"]).expect("ignore");
    let plan = plan_copy(
        &tree,
        ".",
        "/ctx",
        CopyContext {
            context_display: "ctx",
            ignore: &ignore,
        },
        false,
    )
    .expect("plan");
    let tar = plan
        .write_tar(
            Vec::new(),
            |p| {
                tree.read(p)
                    .map_err(|e| novita_template_files::error::tree_error(p, &e.0))
            },
            |p| tree.owner(p).unwrap_or((0, 0, 0)),
        )
        .expect("tar");
    let entries = support::parse_tar(&tar);
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "./",
            "setup.sh",
            "requirements.txt",
            "link-to-req.txt",
            "b.txt",
            "app/",
            "a.txt",
            ".dockerignore",
            "app/main.py",
            "app/lib/",
            "app/README.md",
            "app/lib/helpers.py"
        ]
    );
    assert_eq!(entries[3].typeflag, "2");
    assert_eq!(entries[3].linkname, "requirements.txt");
    assert_eq!(entries[1].mode, "000755 ");
    assert_eq!(
        entries[8].data,
        fs::read(ctx.join("app/main.py")).expect("read")
    );
}
