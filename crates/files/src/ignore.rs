//! Ignore patterns as the official SDK applies them: glob 11's `ignore`
//! option, i.e. minimatch patterns relative to the context directory (not
//! Docker's `.dockerignore` semantics).
//!
//! An entry is ignored when its relative path, or that path plus `/`, matches
//! a pattern. A directory's children are skipped only when a pattern ending
//! in `/**` matches `dir/`: ignoring `app/lib` alone still lets
//! `app/lib/helpers.py` through, exactly as glob does.

use crate::brace_expansion::expand_braces;
use crate::glob_pattern::{match_segments, parse_alternatives, split_path, MatchMode, Segment};
use crate::posix_path;
use crate::prelude::*;

/// Parses `.dockerignore` text the way the official SDK does: split on `\n`,
/// trim each line, drop blank lines and lines starting with `#`.
pub fn dockerignore_patterns(text: &str) -> Vec<String> {
    dockerignore_lines(text).map(str::to_string).collect()
}

fn dockerignore_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

#[derive(Debug, Clone)]
struct IgnoreRule {
    segments: Vec<Segment>,
    absolute: bool,
    /// The pattern ends in `**`: it also prunes the walk below a match.
    children: bool,
}

/// A compiled set of ignore patterns.
#[derive(Debug, Clone, Default)]
pub struct IgnoreSet {
    rules: Vec<IgnoreRule>,
    /// Absolute posix path of the context, for absolute patterns (optional).
    context_abs: Option<String>,
}

impl IgnoreSet {
    /// No pattern at all.
    pub fn empty() -> IgnoreSet {
        IgnoreSet::default()
    }

    /// Compiles `patterns` (the template's `fileIgnorePatterns` followed by
    /// the `.dockerignore` lines, see [`IgnoreSet::for_template`]).
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<IgnoreSet, SdkError> {
        let mut set = IgnoreSet::empty();
        for p in patterns {
            set.add(p.as_ref())?;
        }
        Ok(set)
    }

    /// Compiles one more pattern.
    fn add(&mut self, pattern: &str) -> Result<(), SdkError> {
        for alt in expand_braces(pattern)? {
            let absolute = alt.starts_with('/');
            for segments in parse_alternatives(&alt) {
                let children = segments.last() == Some(&Segment::GlobStar);
                self.rules.push(IgnoreRule {
                    segments,
                    absolute,
                    children,
                });
            }
        }
        Ok(())
    }

    /// The official combination: `file_ignore_patterns`, then the lines of the
    /// context's `.dockerignore` (pass its text, or `None` if it is absent).
    pub fn for_template<S: AsRef<str>>(
        file_ignore_patterns: &[S],
        dockerignore: Option<&str>,
    ) -> Result<IgnoreSet, SdkError> {
        let mut set = IgnoreSet::new(file_ignore_patterns)?;
        for line in dockerignore_lines(dockerignore.unwrap_or_default()) {
            set.add(line)?;
        }
        Ok(set)
    }

    /// Lets absolute patterns (`/abs/ctx/x`) match: glob compares them with
    /// the entry's full path. Without it, absolute patterns match nothing.
    pub fn with_context_path(mut self, context_abs: &str) -> IgnoreSet {
        self.context_abs = Some(context_abs.to_string());
        self
    }

    fn full_path(&self, rel: &str) -> Option<String> {
        self.context_abs.as_ref().map(|c| posix_path::join(c, rel))
    }

    /// Is the entry at context-relative `rel` (`""` = context) ignored?
    pub fn is_ignored(&self, rel: &str) -> bool {
        if self.rules.is_empty() {
            return false;
        }
        let relative = if rel.is_empty() { "." } else { rel };
        let relative_slash = [relative, "/"].concat();
        let full = self.full_path(rel);
        let full_slash = full.as_ref().map(|f| [f, "/"].concat());
        self.rules.iter().any(|r| {
            if r.absolute {
                match (&full, &full_slash) {
                    (Some(f), Some(fs)) => self.rule_matches(r, f) || self.rule_matches(r, fs),
                    _ => false,
                }
            } else {
                self.rule_matches(r, relative) || self.rule_matches(r, &relative_slash)
            }
        })
    }

    /// Are all entries below directory `rel` ignored (so the walk may skip it)?
    pub fn children_ignored(&self, rel: &str) -> bool {
        let relative = [if rel.is_empty() { "." } else { rel }, "/"].concat();
        let full = self.full_path(rel).map(|f| f + "/");
        self.rules.iter().filter(|r| r.children).any(|r| {
            if r.absolute {
                full.as_deref().is_some_and(|f| self.rule_matches(r, f))
            } else {
                self.rule_matches(r, &relative)
            }
        })
    }

    fn rule_matches(&self, rule: &IgnoreRule, path: &str) -> bool {
        match_segments(&rule.segments, &split_path(path), MatchMode::Minimatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(p: &[&str]) -> IgnoreSet {
        IgnoreSet::new(p).expect("patterns")
    }

    #[test]
    fn dockerignore_lines() {
        let text = "# comment\n\n  **/*.tmp  \nsecret.txt\r\n   # indented comment\n";
        assert_eq!(dockerignore_patterns(text), ["**/*.tmp", "secret.txt"]);
    }

    #[test]
    fn top_level_name_only_ignores_top_level() {
        let s = set(&["secret.txt"]);
        assert!(s.is_ignored("secret.txt"));
        assert!(!s.is_ignored("app/secret.txt"));
    }

    #[test]
    fn globstar_ignores_at_any_depth() {
        let s = set(&["**/*.tmp"]);
        assert!(s.is_ignored("scratch.tmp"));
        assert!(s.is_ignored("app/lib/scratch.tmp"));
        assert!(!s.is_ignored("app/lib/scratch.tmp.keep"));
        assert!(!s.children_ignored("app"));
    }

    #[test]
    fn directory_patterns() {
        let s = set(&["app/lib"]);
        assert!(s.is_ignored("app/lib"));
        assert!(
            !s.is_ignored("app/lib/helpers.py"),
            "glob does not ignore children of a bare name"
        );
        assert!(!s.children_ignored("app/lib"));
        let s = set(&["app/lib/**"]);
        assert!(s.is_ignored("app/lib"));
        assert!(s.is_ignored("app/lib/helpers.py"));
        assert!(s.children_ignored("app/lib"));
        let s = set(&["app/"]);
        assert!(
            s.is_ignored("app"),
            "matches through the added trailing slash"
        );
        let s = set(&["./secret.txt"]);
        assert!(s.is_ignored("secret.txt"));
    }

    #[test]
    fn root_is_never_ignored_by_globstar() {
        let s = set(&["**"]);
        assert!(!s.is_ignored(""));
        assert!(s.is_ignored("a.txt"));
        assert!(s.children_ignored("app"));
    }

    #[test]
    fn negation_and_comments_are_literal() {
        let s = set(&["!keep.txt", "#x"]);
        assert!(!s.is_ignored("keep.txt"));
        assert!(s.is_ignored("!keep.txt"));
        assert!(s.is_ignored("#x"));
    }

    #[test]
    fn absolute_patterns_need_the_context_path() {
        let s = set(&["/ctx/a.txt"]);
        assert!(!s.is_ignored("a.txt"));
        let s = s.with_context_path("/ctx");
        assert!(s.is_ignored("a.txt"));
        assert!(!s.is_ignored("b.txt"));
    }
}
