//! Discovery agrees with glob 11 as the official SDK runs it, on a tree
//! with dot files, symlinks (to a directory, to a file, dangling), glob
//! characters in names and nested directories, for many sources and
//! ignore lists. `data/glob11_discovery.json` was recorded by running
//! glob 11.1.0 with the SDK's options on that tree (Linux, ext4).

use novita_template_files::{discover, IgnoreSet, MemoryTree};
use serde_json::Value;

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

/// Sources where glob's result is a quirk we do not reproduce (README):
/// glob follows `link-src` for `./**/*.md` but not for `**/*.md`, and
/// yields `src/*.py` matches before `*.md` ones for `{src/*.py,*.md}`.
const KNOWN_DIFFERENCES: &[&str] = &["./**/*.md", "{src/*.py,*.md}"];

#[test]
fn discovery_agrees_with_glob11() {
    let data: Value =
        serde_json::from_str(include_str!("data/glob11_discovery.json")).expect("json");
    let mut tree = MemoryTree::new();
    for f in strs(&data["files"]) {
        tree.add_file(&f, (f.len() + 2) as u64).expect("file");
    }
    for d in strs(&data["dirs"]) {
        tree.add_dir(&d).expect("dir");
    }
    for l in data["links"].as_array().expect("links") {
        let l = strs(l);
        tree.add_symlink(&l[0], &l[1]).expect("link");
    }
    let (mut agree, mut total, mut failures) = (0, 0, Vec::new());
    for case in data["cases"].as_array().expect("cases") {
        let src = case["src"].as_str().expect("src");
        if KNOWN_DIFFERENCES.contains(&src) {
            continue;
        }
        total += 1;
        let ignore = IgnoreSet::new(&strs(&case["ignore"])).expect("ignore");
        // Where glob raced between runs, any observed order is acceptable.
        let wants: Vec<Vec<String>> = match case.get("racyResults") {
            Some(v) => v.as_array().expect("variants").iter().map(strs).collect(),
            None => vec![strs(&case["result"])],
        };
        let got = match discover(&tree, src, &ignore, "ctx") {
            Ok(d) => d.into_iter().map(|d| d.path).collect(),
            Err(e) if e.message.starts_with("No files found") => Vec::new(),
            Err(e) => panic!("{src}: {e}"),
        };
        if wants.contains(&got) {
            agree += 1;
        } else {
            failures.push(format!(
                "src {src:?} ignore {:?}\n  glob: {wants:?}\n  ours: {got:?}",
                strs(&case["ignore"])
            ));
        }
    }
    println!("glob11 discovery cases: {agree}/{total} equal");
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
