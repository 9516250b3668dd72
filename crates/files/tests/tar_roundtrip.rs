//! Archives with awkward entries (long names through the ustar prefix and
//! PAX, long link targets, non-ASCII names, block-sized files) read back
//! with our parser and, when GNU/BSD `tar` is installed, with `tar -tvf`.

mod support;

use std::fs;
use std::process::Command;

use novita_template_files::{plan_copy, CopyContext, CopyPlan, IgnoreSet, MemoryTree, Meta};
use support::temp_dir::TempDir;
use support::{parse_tar, FixtureContext};

fn long_dir() -> String {
    format!("{}/{}", "d".repeat(80), "e".repeat(60))
}

fn tree() -> (MemoryTree, Vec<(String, Vec<u8>)>) {
    let mut t = MemoryTree::new();
    let mut files = Vec::new();
    let mut add = |t: &mut MemoryTree, path: String, bytes: Vec<u8>, perm: u32| {
        t.insert(&path, Meta::file(perm, bytes.len() as u64))
            .expect("insert");
        files.push((path, bytes));
    };
    add(&mut t, "src/short.txt".into(), b"short\n".to_vec(), 0o644);
    add(&mut t, "src/run.sh".into(), b"#!/bin/sh\n".to_vec(), 0o755);
    add(&mut t, "src/empty".into(), Vec::new(), 0o644);
    add(&mut t, "src/block".into(), vec![b'x'; 512], 0o600);
    add(
        &mut t,
        format!("src/{}/file.txt", long_dir()),
        b"prefix split\n".to_vec(),
        0o644,
    );
    add(
        &mut t,
        format!("src/{}", "n".repeat(130)),
        b"pax name\n".to_vec(),
        0o644,
    );
    add(
        &mut t,
        format!("src/{}/f", "p".repeat(200)),
        b"deep\n".to_vec(),
        0o644,
    );
    add(
        &mut t,
        "src/ünï cødé ✓.txt".into(),
        "utf-8\n".as_bytes().to_vec(),
        0o644,
    );
    t.add_symlink("src/link", "short.txt").expect("link");
    t.add_symlink("src/longlink", &format!("{}/target", "t".repeat(120)))
        .expect("link");
    (t, files)
}

fn plan(t: &MemoryTree) -> CopyPlan {
    let ignore = IgnoreSet::empty();
    plan_copy(
        t,
        "src",
        "/x",
        CopyContext {
            context_display: "ctx",
            ignore: &ignore,
        },
        false,
    )
    .expect("plan")
}

fn write(t: &MemoryTree, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    plan(t)
        .write_tar(
            Vec::new(),
            |p| {
                files
                    .iter()
                    .find(|(n, _)| n == p)
                    .map(|(_, b)| b.clone())
                    .ok_or_else(|| novita_template_files::error::tree_error(p, "no bytes"))
            },
            |_| (1000, 1000, 1_700_000_000),
        )
        .expect("tar")
}

#[test]
fn names_modes_links_and_data_read_back() {
    let (t, files) = tree();
    let tar = write(&t, &files);
    let entries = parse_tar(&tar);
    let plan = plan(&t);
    assert_eq!(entries.len(), plan.entries.len());
    for (e, p) in entries.iter().zip(&plan.entries) {
        let tp = p.tar.as_ref().expect("tar entry");
        assert_eq!(e.full_path, tp.name);
        assert_eq!(
            u32::from_str_radix(e.mode.trim(), 8).expect("mode"),
            tp.mode
        );
        if let Some((_, bytes)) = files.iter().find(|(n, _)| *n == p.path) {
            assert_eq!(&e.data, bytes, "{}", p.path);
        }
    }
    let by_path = |p: &str| {
        entries
            .iter()
            .find(|e| e.full_path == p)
            .unwrap_or_else(|| panic!("{p} missing"))
    };
    let prefixed = by_path(&format!("src/{}/file.txt", long_dir()));
    assert!(
        !prefixed.prefix.is_empty(),
        "split into the ustar prefix, not PAX"
    );
    let pax = by_path(&format!("src/{}", "n".repeat(130)));
    assert!(pax.prefix.is_empty() && pax.name.len() <= 100);
    let link = by_path("src/longlink");
    assert_eq!(link.typeflag, "2");
    assert_eq!(link.full_linkname, format!("{}/target", "t".repeat(120)));
    assert_eq!(link.mode, "000777 ");
    assert_eq!(by_path("src/").typeflag, "5");
    assert_eq!(by_path("src/run.sh").uid, "001750 ");
}

fn tar_available() -> bool {
    Command::new("tar")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn system_tar_lists_and_extracts_the_archive() {
    if !tar_available() {
        println!("note: no `tar` on PATH; system tar check skipped");
        return;
    }
    let (t, files) = tree();
    let tar = write(&t, &files);
    let tmp = TempDir::new("tar");
    let file = tmp.path().join("out.tar");
    fs::write(&file, &tar).expect("write");
    let out = Command::new("tar")
        .arg("-tvf")
        .arg(&file)
        .output()
        .expect("tar -tvf");
    assert!(
        out.status.success(),
        "tar -tvf failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), plan(&t).entries.len(), "{listing}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("drwxr-xr-x") && l.ends_with(" src/")),
        "{listing}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("-rwxr-xr-x") && l.ends_with(" src/run.sh")),
        "{listing}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("lrwxrwxrwx") && l.ends_with(" src/link -> short.txt")),
        "{listing}"
    );
    assert!(
        listing.contains(&format!("src/longlink -> {}/target", "t".repeat(120))),
        "{listing}"
    );
    assert!(
        listing.contains(&format!(" src/{}\n", "n".repeat(130))),
        "{listing}"
    );
    assert!(
        listing.contains(&format!(" src/{}/f\n", "p".repeat(200))),
        "{listing}"
    );
    assert!(listing.contains("src/ünï cødé ✓.txt"), "{listing}");
    // Extract and compare every file's bytes.
    let dest = tmp.path().join("x");
    fs::create_dir(&dest).expect("mkdir");
    let st = Command::new("tar")
        .arg("-xf")
        .arg(&file)
        .arg("-C")
        .arg(&dest)
        .status()
        .expect("tar -xf");
    assert!(st.success());
    for (p, bytes) in &files {
        assert_eq!(&fs::read(dest.join(p)).expect("extracted"), bytes, "{p}");
    }
}

#[test]
fn fixture_context_archive_is_read_by_system_tar() {
    if !tar_available() {
        println!("note: no `tar` on PATH; system tar check skipped");
        return;
    }
    let ctx = FixtureContext::new("inputs/copy-context", &[]);
    let ignore = IgnoreSet::new(&["**/*.tmp", "secret.txt"]).expect("ignore");
    let plan = plan_copy(
        &ctx.tree,
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
                ctx.read(p)
                    .map_err(|m| novita_template_files::error::tree_error(p, &m))
            },
            |_| (0, 0, 0),
        )
        .expect("tar");
    let tmp = TempDir::new("tar");
    let f = tmp.path().join("c.tar");
    fs::write(&f, tar).expect("write");
    let out = Command::new("tar")
        .arg("-tf")
        .arg(&f)
        .output()
        .expect("tar");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(names.first().map(String::as_str), Some("./"));
    assert!(names.contains(&"app/lib/helpers.py".to_string()));
    assert!(!names
        .iter()
        .any(|n| n.ends_with(".tmp") || n == "secret.txt"));
}
