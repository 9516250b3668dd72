//! Trees where the official order races (several sibling subdirectories
//! with contents) hash identically every time, in the idealized order.

mod support;

use std::fs;

use novita_template_files::{plan_copy, CopyContext, CopyPlan, IgnoreSet, MemoryTree, StdFsTree};
use support::temp_dir::TempDir;

const FILES: [&str; 10] = [
    "proj/src/main.rs",
    "proj/src/util/a.rs",
    "proj/src/util/b.rs",
    "proj/docs/guide.md",
    "proj/docs/img/logo.png",
    "proj/tests/t1.rs",
    "proj/tests/data/x.bin",
    "proj/Cargo.toml",
    "proj/.git/HEAD",
    "proj/.git/refs/heads/main",
];

fn content(path: &str) -> Vec<u8> {
    format!("bytes of {path}\n").into_bytes()
}

fn plan_of(tree: &impl novita_template_files::FileTree) -> CopyPlan {
    let ignore = IgnoreSet::empty();
    plan_copy(
        tree,
        "proj",
        "/app",
        CopyContext {
            context_display: "ctx",
            ignore: &ignore,
        },
        false,
    )
    .expect("plan")
}

/// The same tree, inserted in an order that depends on `round`.
fn memory_tree(round: usize) -> MemoryTree {
    let mut t = MemoryTree::new();
    let n = FILES.len();
    for i in 0..n {
        let p = FILES[(i * 7 + round) % n];
        t.add_file(p, content(p).len() as u64).expect("insert");
    }
    t
}

#[test]
fn memory_tree_hash_is_stable_and_idealized() {
    let first = plan_of(&memory_tree(0));
    let order: Vec<&str> = first.entries.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        order,
        [
            "proj",
            "proj/tests",
            "proj/src",
            "proj/docs",
            "proj/Cargo.toml",
            "proj/.git",
            "proj/tests/t1.rs",
            "proj/tests/data",
            "proj/src/util",
            "proj/src/main.rs",
            "proj/docs/img",
            "proj/docs/guide.md",
            "proj/.git/refs",
            "proj/.git/HEAD",
            "proj/tests/data/x.bin",
            "proj/src/util/b.rs",
            "proj/src/util/a.rs",
            "proj/docs/img/logo.png",
            "proj/.git/refs/heads",
            "proj/.git/refs/heads/main",
        ]
    );
    let want = first.files_hash(|p| Ok::<_, ()>(content(p))).expect("hash");
    for round in 0..20 {
        let plan = plan_of(&memory_tree(round));
        assert_eq!(plan, first, "round {round}: plan");
        assert_eq!(
            plan.files_hash(|p| Ok::<_, ()>(content(p))).expect("hash"),
            want,
            "round {round}"
        );
    }
}

#[test]
fn disk_tree_hash_is_stable_across_runs() {
    let tmp = TempDir::new("racy");
    for p in FILES {
        let full = tmp.path().join(p);
        fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        fs::write(&full, content(p)).expect("write");
    }
    let tree = StdFsTree::new(tmp.path());
    let want = plan_of(&tree).files_hash(|p| tree.read(p)).expect("hash");
    for round in 0..20 {
        let plan = plan_of(&tree);
        assert_eq!(
            plan.files_hash(|p| tree.read(p)).expect("hash"),
            want,
            "round {round}"
        );
    }
    // Same order as the in-memory tree (modes and sizes may differ on disk).
    let disk: Vec<String> = plan_of(&tree).entries.into_iter().map(|e| e.path).collect();
    let mem: Vec<String> = plan_of(&memory_tree(3))
        .entries
        .into_iter()
        .map(|e| e.path)
        .collect();
    assert_eq!(disk, mem);
}
