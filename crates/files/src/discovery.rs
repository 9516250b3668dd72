//! Which paths a COPY source stands for, in the order the official SDK
//! hashes and archives them (docs/wire-contract.md §5.2-5.3).
//!
//! Order: within a directory, names in descending byte order (what glob 11
//! on path-scurry yields, since path-scurry prepends each child of a sorted
//! readdir); directories are walked breadth-first, each directory's children
//! after those of the directories emitted before it. Where the official
//! order races (several sibling subdirectories with contents) this gives the
//! "idealized" order of docs/wire-contract.md §5.3, every time.

use crate::prelude::*;

use crate::glob_pattern::{
    match_segments, may_match_below, split_path, GlobPattern, MatchMode, Segment,
};
use crate::ignore::IgnoreSet;
use crate::path_map::PathMap;
use crate::posix_path;
use crate::tree::{EntryKind, FileTree, Meta, TreeError};

/// One discovered path with its `lstat` metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// Relative posix path; `""` for the context directory.
    pub path: String,
    pub lstat: Meta,
}

/// Checks a COPY source the way `copy()` does (§6.2): absolute sources and
/// sources that normalise to `..` or `../…` are `TemplateError`s.
pub fn validate_source(src: &str) -> Result<(), SdkError> {
    if src.starts_with('/') {
        return Err(crate::error::absolute_source(src));
    }
    let n = posix_path::normalize(src);
    if n == ".." || n.starts_with("../") {
        return Err(crate::error::escaping_source(src));
    }
    Ok(())
}

/// Every path `src` stands for, in hashing order (see the module doc).
///
/// `context_display` is the context path as the user wrote it; it is only
/// used in the `No files found in …` message (`path.join(context, src)`).
pub fn discover(
    tree: &dyn FileTree,
    src: &str,
    ignore: &IgnoreSet,
    context_display: &str,
) -> Result<Vec<Discovered>, SdkError> {
    validate_source(src)?;
    if src.is_empty() {
        // glob matches nothing for an empty pattern (normalize would say ".").
        return Err(crate::error::no_files_found(&posix_path::join(
            context_display,
            src,
        )));
    }
    let mut out = Vec::new();
    let mut seen = PathMap::default();
    for m in match_source(tree, src, ignore)? {
        let is_dir = m.lstat.kind == EntryKind::Dir;
        let dir = m.path.clone();
        // A directory already listed came from an ancestor's expansion,
        // which already holds everything below it.
        if push_unique(&mut out, &mut seen, m) && is_dir {
            // `dir/**/*`: everything below, never through symlinks.
            let below =
                |_: &str, m: &Meta| -> Result<bool, SdkError> { Ok(m.kind == EntryKind::Dir) };
            walk(
                tree,
                &dir,
                ignore,
                &|_| true,
                &|_, _| true,
                &below,
                &mut |d| {
                    push_unique(&mut out, &mut seen, d);
                },
            )?;
        }
    }
    if out.is_empty() {
        return Err(crate::error::no_files_found(&posix_path::join(
            context_display,
            src,
        )));
    }
    Ok(out)
}

/// Appends `d` unless its path is already listed; true if appended.
fn push_unique(out: &mut Vec<Discovered>, seen: &mut PathMap, d: Discovered) -> bool {
    let new = seen.insert(&d.path, 0);
    if new {
        out.push(d);
    }
    new
}

fn tree_err(path: &str) -> impl FnOnce(TreeError) -> SdkError + '_ {
    move |e| crate::error::tree_error(path, &e.0)
}

/// The entries the source pattern itself matches (glob step 1).
///
/// Besides minimatch's rules this reproduces what glob's walker does with
/// symlinks: a link is followed when a plain (non-`**`) pattern segment
/// matched its name (`*/*.py` reaches `link-to-dir/a.py`), never by `**`;
/// a trailing `/` accepts directories and, in the same position, any
/// symlink (even one to a file or a dangling one, as glob 11 does); and a
/// trailing `**` also matches the path before it (`src/**` gives `src`).
fn match_source(
    tree: &dyn FileTree,
    src: &str,
    ignore: &IgnoreSet,
) -> Result<Vec<Discovered>, SdkError> {
    let normalized = posix_path::normalize(src);
    let dir_only = normalized.ends_with('/');
    let pattern = GlobPattern::new(&normalized)?;
    let mut out = Vec::new();
    // Matches that need no directory listing come first, in the order the
    // alternatives are written (as glob 11 yields them); then one walk for
    // all wildcard alternatives together, so `*.{js,ts}` comes out in
    // directory order rather than all `.js` first.
    let mut rules = Vec::new();
    for alt in pattern.alternatives() {
        let mut segs: Vec<Segment> = alt.clone();
        if segs.last() == Some(&Segment::Literal(String::new())) {
            segs.pop();
        }
        // The source was normalised, so a `..` left here came out of a brace
        // (`{..,x}/a`) and would leave the context: it matches nothing.
        if segs
            .iter()
            .any(|s| *s == Segment::Literal("..".to_string()))
        {
            continue;
        }
        let rule = SourceRule::new(segs, dir_only);
        // The path of a pattern without wildcards, else the part before the first.
        let mut start = String::new();
        let mut literal = true;
        for (i, s) in rule.segs.iter().enumerate() {
            let Segment::Literal(l) = s else {
                literal = false;
                break;
            };
            if i > 0 {
                start.push('/');
            }
            start.push_str(l);
        }
        if let Some(lstat) = tree.lstat(&start).map_err(tree_err(&start))? {
            if rule.matches(&start, &lstat) && !ignore.is_ignored(&start) {
                out.push(Discovered { path: start, lstat });
            }
        }
        if !literal {
            rules.push(rule);
        }
    }
    if rules.is_empty() {
        return Ok(out);
    }
    let descend = |p: &str, lstat: &Meta| -> Result<bool, SdkError> {
        let wanted_by = |r: &SourceRule| may_match_below(&r.segs, p);
        match lstat.kind {
            EntryKind::Dir => Ok(rules.iter().any(wanted_by)),
            EntryKind::Symlink => {
                let through = rules
                    .iter()
                    .any(|r| wanted_by(r) && depth(p) <= r.plain_depth);
                Ok(through
                    && tree
                        .stat(p)
                        .map_err(tree_err(p))?
                        .is_some_and(|m| m.kind == EntryKind::Dir))
            }
            _ => Ok(false),
        }
    };
    walk(
        tree,
        "",
        ignore,
        &|p| {
            let segs = split_path(p);
            rules.iter().any(|r| {
                match_segments(&r.segs, &segs, MatchMode::Walk) || may_match_below(&r.segs, p)
            })
        },
        &|p, m| rules.iter().any(|r| r.matches(p, m)),
        &descend,
        &mut |d| out.push(d),
    )?;
    Ok(out)
}

/// One brace alternative of a COPY source, with glob's walk rules.
struct SourceRule {
    segs: Vec<Segment>,
    /// Path depth up to which pattern segments map one-to-one onto path
    /// segments (before the first `**`): only there are symlinks followed
    /// and, with a trailing `/`, accepted.
    plain_depth: usize,
    dir_only: bool,
}

impl SourceRule {
    fn new(segs: Vec<Segment>, dir_only: bool) -> SourceRule {
        let plain_depth = segs
            .iter()
            .position(|s| *s == Segment::GlobStar)
            .unwrap_or(segs.len());
        SourceRule {
            segs,
            plain_depth,
            dir_only,
        }
    }

    fn matches(&self, path: &str, lstat: &Meta) -> bool {
        let kind_ok = !self.dir_only
            || lstat.kind == EntryKind::Dir
            || (lstat.kind == EntryKind::Symlink && depth(path) <= self.plain_depth);
        kind_ok && match_segments(&self.segs, &split_path(path), MatchMode::Walk)
    }
}

/// Number of segments of a context-relative path (`""` has none).
fn depth(path: &str) -> usize {
    if path.is_empty() {
        0
    } else {
        path.split('/').count()
    }
}

/// What a walk emits and where it goes.
type Wanted<'a> = &'a dyn Fn(&str, &Meta) -> bool;
type Descend<'a> = &'a dyn Fn(&str, &Meta) -> Result<bool, SdkError>;

/// Breadth-first walk below `root` (not emitting `root`): each directory's
/// children in descending byte order of their names; skips (without
/// `lstat`) paths that are not `relevant`; emits those not ignored and
/// `wanted`; descends where `descend` allows and the children are not
/// ignored.
fn walk(
    tree: &dyn FileTree,
    root: &str,
    ignore: &IgnoreSet,
    relevant: &dyn Fn(&str) -> bool,
    wanted: Wanted<'_>,
    descend: Descend<'_>,
    emit: &mut dyn FnMut(Discovered),
) -> Result<(), SdkError> {
    if ignore.children_ignored(root) {
        return Ok(());
    }
    // Directories to list, in order; `queue[next..]` are still to come.
    let mut queue = vec![root.to_string()];
    let mut next = 0;
    while let Some(dir) = queue.get_mut(next).map(core::mem::take) {
        next += 1;
        let mut names = tree.list_dir(&dir).map_err(tree_err(&dir))?;
        sort_descending(&mut names);
        names.dedup();
        for name in names {
            if name.is_empty() || name == "." || name == ".." || name.contains('/') {
                return Err(crate::error::tree_error(
                    &dir,
                    &["invalid entry name \"", &name, "\""].concat(),
                ));
            }
            let path = posix_path::child(&dir, &name);
            // Saves an lstat per entry the pattern cannot reach.
            if !relevant(&path) {
                continue;
            }
            let Some(lstat) = tree.lstat(&path).map_err(tree_err(&path))? else {
                continue; // vanished between listing and stat
            };
            let go_down = !ignore.children_ignored(&path) && descend(&path, &lstat)?;
            if !ignore.is_ignored(&path) && wanted(&path, &lstat) {
                emit(Discovered {
                    path: path.clone(),
                    lstat,
                });
            }
            if go_down {
                queue.push(path);
            }
        }
    }
    Ok(())
}

/// Sorts names in descending byte order. A heapsort of our own: the standard
/// library's sorts cost several kilobytes of wasm, this one a few hundred bytes.
fn sort_descending(v: &mut [String]) {
    // A min-heap: each step moves the smallest remaining name to the end.
    fn sift_down(v: &mut [String], mut root: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= v.len() {
                return;
            }
            if child + 1 < v.len() && v[child + 1] < v[child] {
                child += 1;
            }
            if v[root] <= v[child] {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    for i in (0..v.len() / 2).rev() {
        sift_down(v, i);
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift_down(&mut v[..end], 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory_tree::MemoryTree;

    fn context() -> MemoryTree {
        let mut t = MemoryTree::new();
        for (p, n) in [
            (".dockerignore", 60),
            ("a.txt", 6),
            ("b.txt", 6),
            ("requirements.txt", 30),
            ("secret.txt", 12),
            ("setup.sh", 21),
            ("app/README.md", 11),
            ("app/main.py", 55),
            ("app/lib/helpers.py", 44),
            ("app/lib/scratch.tmp", 15),
        ] {
            t.add_file(p, n).expect("insert");
        }
        t.add_symlink("link-to-req.txt", "requirements.txt")
            .expect("insert");
        t
    }

    fn paths(src: &str) -> Result<Vec<String>, SdkError> {
        let ignore = IgnoreSet::new(&["**/*.tmp", "secret.txt"]).expect("ignore");
        Ok(discover(&context(), src, &ignore, "ctx")?
            .into_iter()
            .map(|d| d.path)
            .collect())
    }

    #[test]
    fn fixture_orders() {
        let app = [
            "app",
            "app/main.py",
            "app/lib",
            "app/README.md",
            "app/lib/helpers.py",
        ];
        assert_eq!(paths("app").expect("ok"), app);
        assert_eq!(paths("./app/").expect("ok"), app);
        assert_eq!(
            paths(".").expect("ok"),
            [
                "",
                "setup.sh",
                "requirements.txt",
                "link-to-req.txt",
                "b.txt",
                "app",
                "a.txt",
                ".dockerignore",
                "app/main.py",
                "app/lib",
                "app/README.md",
                "app/lib/helpers.py"
            ]
        );
        assert_eq!(paths("app/*.py").expect("ok"), ["app/main.py"]);
        assert_eq!(paths("**/*.md").expect("ok"), ["app/README.md"]);
        assert_eq!(
            paths("*.txt").expect("ok"),
            ["requirements.txt", "link-to-req.txt", "b.txt", "a.txt"]
        );
        assert_eq!(paths("{b,a}.txt").expect("ok"), ["b.txt", "a.txt"]);
    }

    #[test]
    fn ignored_and_missing_sources() {
        let e = paths("secret.txt").unwrap_err();
        assert_eq!(e.to_string(), "No files found in ctx/secret.txt");
        assert_eq!(e.class.name(), "Error");
        assert!(paths("nope/*.x").is_err());
        assert!(
            paths("a.txt/").is_err(),
            "a trailing slash requires a directory"
        );
        assert_eq!(paths("").unwrap_err().to_string(), "No files found in ctx");
        assert_eq!(paths("{..,app}/main.py").expect("ok"), ["app/main.py"]);
        assert!(
            paths("{..}/a.txt").is_err(),
            "braces cannot leave the context"
        );
        assert_eq!(paths("./").expect("root")[0], "");
    }

    #[test]
    fn source_validation() {
        let e = validate_source("/etc/passwd").unwrap_err();
        assert_eq!(e.class.name(), "TemplateError");
        assert_eq!(
            e.to_string(),
            "Invalid source path \"/etc/passwd\": absolute paths are not allowed. Use a relative path within the context directory."
        );
        let e = validate_source("foo/../../bar").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid source path \"foo/../../bar\": path escapes the context directory. The path must stay within the context directory."
        );
        assert!(validate_source("..").is_err());
        assert!(validate_source("app/../a.txt").is_ok());
        assert_eq!(paths("app/../a.txt").expect("ok"), ["a.txt"]);
    }

    #[test]
    fn names_sort_in_descending_byte_order() {
        let mut seed = 7u32;
        for n in 0..40 {
            let mut v: Vec<String> = (0..n)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    ["a", "B", "é", ".x", "a", "ab", "z", ""][(seed % 8) as usize]
                        .repeat(1 + (seed >> 8) as usize % 3)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_unstable_by(|a, b| b.cmp(a));
            sort_descending(&mut v);
            assert_eq!(v, expected);
        }
    }

    #[test]
    fn symlinked_directories_are_not_descended() {
        let mut t = context();
        t.add_symlink("applink", "app").expect("insert");
        let d = discover(&t, "applink", &IgnoreSet::empty(), "ctx").expect("ok");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].lstat.kind, EntryKind::Symlink);
        let all = discover(&t, "**", &IgnoreSet::empty(), "ctx").expect("ok");
        assert!(!all.iter().any(|d| d.path.starts_with("applink/")));
    }

    #[test]
    fn breadth_first_idealized_order() {
        let mut t = MemoryTree::new();
        for p in ["x/b/2", "x/b/1", "x/a/9", "x/a/sub/z", "x/c"] {
            t.add_file(p, 1).expect("insert");
        }
        let d: Vec<String> = discover(&t, "x", &IgnoreSet::empty(), "c")
            .expect("ok")
            .into_iter()
            .map(|d| d.path)
            .collect();
        assert_eq!(
            d,
            [
                "x",
                "x/c",
                "x/b",
                "x/a",
                "x/b/2",
                "x/b/1",
                "x/a/sub",
                "x/a/9",
                "x/a/sub/z"
            ]
        );
    }

    /// Counts `lstat` calls, to check the walk does not stat what a pattern
    /// cannot reach (Node's lstatSync per entry is the expensive part).
    struct CountingTree(MemoryTree, std::cell::Cell<usize>);

    impl FileTree for CountingTree {
        fn list_dir(&self, d: &str) -> Result<Vec<String>, TreeError> {
            self.0.list_dir(d)
        }
        fn lstat(&self, p: &str) -> Result<Option<Meta>, TreeError> {
            self.1.set(self.1.get() + 1);
            self.0.lstat(p)
        }
        fn stat(&self, p: &str) -> Result<Option<Meta>, TreeError> {
            self.0.stat(p)
        }
    }

    #[test]
    fn unreachable_entries_are_not_stated() {
        let mut t = MemoryTree::new();
        for i in 0..200 {
            t.add_file(&format!("big/f{i}.txt"), 1).expect("insert");
        }
        t.add_file("app/main.py", 1).expect("insert");
        let counting = CountingTree(t, std::cell::Cell::new(0));
        let d = discover(&counting, "app/*.py", &IgnoreSet::empty(), "c").expect("ok");
        assert_eq!(d.len(), 1);
        assert!(counting.1.get() <= 3, "{} lstat calls", counting.1.get());
    }
}
