//! Arbitrary patterns, names and sources never make matching, ignoring,
//! discovery, planning or tar writing panic (a panic would trap the wasm
//! module); errors are returned instead.

use novita_template_files::{
    plan_copy, CopyContext, FilesHasher, GlobPattern, IgnoreSet, MemoryTree, TarHeader, TarKind,
    TarWriter,
};
use proptest::prelude::*;

/// Characters that exercise every corner of the glob syntax.
fn pattern_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("*"),
            Just("**"),
            Just("?"),
            Just("["),
            Just("]"),
            Just("!"),
            Just("^"),
            Just("-"),
            Just("{"),
            Just("}"),
            Just(","),
            Just(".."),
            Just("."),
            Just("/"),
            Just("\\"),
            Just("a"),
            Just("b"),
            Just("[:alpha:]"),
            Just("1"),
            Just("é"),
            Just(" "),
            Just("#")
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

fn name_strategy() -> impl Strategy<Value = String> {
    "[a-c.*?\\[\\]{},é ]{1,6}".prop_filter("valid entry name", |n| n != "." && n != "..")
}

fn tree_strategy() -> impl Strategy<Value = MemoryTree> {
    proptest::collection::vec(
        (
            proptest::collection::vec(name_strategy(), 1..4),
            any::<bool>(),
            any::<u8>(),
        ),
        0..12,
    )
    .prop_map(|entries| {
        let mut t = MemoryTree::new();
        for (segs, is_link, size) in entries {
            let path = segs.join("/");
            // Conflicting inserts are errors, which is fine here.
            let _ = if is_link {
                t.add_symlink(&path, &segs[0])
            } else {
                t.add_file(&path, u64::from(size))
            };
        }
        t
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn glob_matching_never_panics(pattern in pattern_strategy(), path in "[a-c./*é]{0,12}") {
        if let Ok(p) = GlobPattern::new(&pattern) {
            let _ = p.matches(&path);
        }
        if let Ok(s) = IgnoreSet::new(&[pattern.as_str()]) {
            let _ = s.is_ignored(&path);
            let _ = s.children_ignored(&path);
        }
    }

    #[test]
    fn discovery_and_tar_never_panic(tree in tree_strategy(), src in pattern_strategy(), ignore in pattern_strategy(), resolve in any::<bool>()) {
        let ignore = match IgnoreSet::new(&[ignore.as_str()]) { Ok(i) => i, Err(_) => return Ok(()) };
        let Ok(plan) = plan_copy(&tree, &src, "/d", CopyContext { context_display: "c", ignore: &ignore }, resolve) else {
            return Ok(());
        };
        prop_assert!(!plan.entries.is_empty());
        let mut seen = std::collections::HashSet::new();
        prop_assert!(plan.entries.iter().all(|e| seen.insert(e.path.clone())), "paths are unique");
        let mut h = FilesHasher::new(&src, "/d");
        let mut w = TarWriter::new(Vec::new());
        for e in &plan.entries {
            e.hash_header(&mut h);
            if let Some(t) = &e.tar {
                w.begin(&t.header(0, 0, 0)).map_err(|e| TestCaseError::fail(e.to_string()))?;
                if let TarKind::File { size } = t.kind {
                    w.data(&vec![0u8; size as usize]).map_err(|e| TestCaseError::fail(e.to_string()))?;
                }
            }
        }
        prop_assert_eq!(h.finish().len(), 64);
        prop_assert!(w.finish().is_ok());
    }

    #[test]
    fn tar_headers_never_panic(path in "\\PC{0,300}", target in "\\PC{0,300}", size in any::<u64>(), uid in any::<u64>(), mtime in any::<u64>()) {
        let mut w = TarWriter::new(Vec::new());
        for kind in [TarKind::Dir, TarKind::Symlink { target: target.clone() }, TarKind::File { size: size % 4 }] {
            let _ = w.begin(&TarHeader { path: path.clone(), kind, mode: u32::MAX, uid, gid: uid, mtime });
            let _ = w.data(&[0u8; 3]);
        }
        let _ = w.finish();
    }
}
