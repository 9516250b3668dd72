//! Posix path arithmetic with Node's `path.posix` semantics, used for source
//! validation and for the `No files found in …` message.

use crate::prelude::*;
/// Node's `path.posix.normalize`: collapses `//`, resolves `.` and `..`,
/// keeps a trailing slash, and gives `"."` for an empty result.
pub fn normalize(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let absolute = path.starts_with('/');
    let trailing = path.ends_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(p);
    }
    if out.is_empty() && !absolute {
        out.push('.');
    }
    if trailing && !out.is_empty() {
        out.push('/');
    }
    if absolute {
        out.insert(0, '/');
    }
    out
}

/// Node's `path.posix.join(a, b)`.
pub fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => ".".to_string(),
        (true, false) => normalize(b),
        (false, true) => normalize(a),
        (false, false) => normalize(&[a, "/", b].concat()),
    }
}

/// Joins a context-relative directory (`""` = the context) and a name.
pub fn child(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        [dir, "/", name].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_matches_node() {
        assert_eq!(normalize("foo/../../bar"), "../bar");
        assert_eq!(normalize("./app/"), "app/");
        assert_eq!(normalize("."), ".");
        assert_eq!(normalize("./"), "./");
        assert_eq!(normalize(".."), "..");
        assert_eq!(normalize("a//b/./c/.."), "a/b");
        assert_eq!(normalize("/../x"), "/x");
        assert_eq!(normalize(""), ".");
    }

    #[test]
    fn join_matches_node() {
        assert_eq!(join("/ctx", "./app/"), "/ctx/app/");
        assert_eq!(
            join("inputs/copy-context", "nope.txt"),
            "inputs/copy-context/nope.txt"
        );
        assert_eq!(join("/ctx", "."), "/ctx");
        assert_eq!(join("/ctx/", "a/../b"), "/ctx/b");
    }
}
