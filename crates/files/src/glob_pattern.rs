//! A small glob matcher with minimatch semantics as glob 11 uses them for
//! COPY sources and ignore patterns (`dot: true`, no comments, no negation):
//! `*`, `?`, `**` (a whole segment), `[...]` / `[!...]` / `[^...]` with ranges
//! and POSIX classes, `{a,b}` / `{1..3}` braces, `\` escapes.
//!
//! Not supported (characters are taken literally): extglobs such as `+(a|b)`.

use crate::brace_expansion::expand_braces;
use crate::prelude::*;

/// A compiled pattern: one segment list per brace alternative.
#[derive(Debug, Clone)]
pub struct GlobPattern {
    alternatives: Vec<Vec<Segment>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment {
    /// A segment without wildcards, escapes removed.
    Literal(String),
    GlobStar,
    /// A segment with wildcards, as written; [`wild_matches`] reads it as it matches.
    Wild(Vec<char>),
}

/// Whether `c` is in the POSIX class `name`; `None` for an unknown name.
///
/// ASCII only: minimatch uses Unicode properties here, but the Unicode tables
/// would cost ~3 KB of gzipped wasm for a feature COPY patterns practically
/// never use on non-ASCII names (README).
fn posix_class(name: &str, c: char) -> Option<bool> {
    Some(match name {
        "alnum" => c.is_ascii_alphanumeric(),
        "alpha" => c.is_ascii_alphabetic(),
        "ascii" => c.is_ascii(),
        "blank" => c == ' ' || c == '\t',
        "cntrl" => c.is_ascii_control(),
        "digit" => c.is_ascii_digit(),
        "graph" => !c.is_ascii_control() && !c.is_ascii_whitespace(),
        "lower" => c.is_ascii_lowercase(),
        "print" => !c.is_ascii_control(),
        "punct" => c.is_ascii_punctuation(),
        "space" => c.is_ascii_whitespace(),
        "upper" => c.is_ascii_uppercase(),
        "word" => c.is_ascii_alphanumeric() || c == '_',
        "xdigit" => c.is_ascii_hexdigit(),
        _ => return None,
    })
}

impl GlobPattern {
    /// Compiles `pattern`. Errors only when brace expansion explodes.
    pub fn new(pattern: &str) -> Result<GlobPattern, SdkError> {
        let alternatives = expand_braces(pattern)?
            .iter()
            .flat_map(|alt| parse_alternatives(alt))
            .collect();
        Ok(GlobPattern { alternatives })
    }

    /// The compiled alternatives (one per brace expansion result).
    pub(crate) fn alternatives(&self) -> &[Vec<Segment>] {
        &self.alternatives
    }

    /// Whether the `/`-separated `path` matches with minimatch's rules (a
    /// trailing `/` on the path may stay unmatched; a trailing `**` needs one).
    pub fn matches(&self, path: &str) -> bool {
        let segs = split_path(path);
        self.alternatives
            .iter()
            .any(|alt| match_segments(alt, &segs, MatchMode::Minimatch))
    }
}

/// Splits a path into segments, collapsing repeated slashes; `""` has none.
pub(crate) fn split_path(path: &str) -> Vec<&str> {
    if path.is_empty() {
        return Vec::new();
    }
    let mut segs: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    let last = parts.len() - 1;
    for (i, p) in parts.into_iter().enumerate() {
        // Keep a leading "" (absolute path) and a trailing "" (trailing slash).
        if !p.is_empty() || (i == 0 && last > 0) || (i == last && i > 0) {
            if p.is_empty() && segs.last() == Some(&"") {
                continue;
            }
            segs.push(p);
        }
    }
    segs
}

/// Parses one brace-free alternative into segment lists: as written, plus,
/// when it has `x/..`, the variant with those cancelled (minimatch at
/// optimisation level 2 matches both).
pub(crate) fn parse_alternatives(alt: &str) -> Vec<Vec<Segment>> {
    let plain = parse_alternative(alt, false);
    let collapsed = parse_alternative(alt, true);
    if plain == collapsed {
        vec![plain]
    } else {
        vec![collapsed, plain]
    }
}

/// Parses one brace-free alternative into segments. `.` segments are dropped
/// (glob's optimisation), `**` alone is the globstar, repeated slashes
/// collapse, and with `collapse_parent` `x/..` cancels out.
fn parse_alternative(alt: &str, collapse_parent: bool) -> Vec<Segment> {
    let mut out = Vec::new();
    for seg in split_path(alt) {
        if seg == "." {
            continue;
        }
        if seg == "**" {
            if out.last() != Some(&Segment::GlobStar) {
                out.push(Segment::GlobStar);
            }
            continue;
        }
        if seg == ".." && collapse_parent {
            // glob's optimisation: `x/..` cancels out unless x is `..` or `**`.
            match out.last() {
                Some(Segment::GlobStar) | None => {}
                Some(Segment::Literal(l)) if l == ".." || l.is_empty() => {}
                Some(_) => {
                    out.pop();
                    continue;
                }
            }
        }
        out.push(parse_segment(seg));
    }
    out
}

fn parse_segment(seg: &str) -> Segment {
    let chars: Vec<char> = seg.chars().collect();
    let mut literal = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                literal.push(chars[i + 1]);
                i += 1;
            }
            '*' | '?' => return Segment::Wild(chars),
            '[' if class_at(&chars, i, '[').is_some() => return Segment::Wild(chars),
            c => literal.push(c),
        }
        i += 1;
    }
    Segment::Literal(literal)
}

/// Reads the bracket expression opening at `open` (`[...]`, `[!...]`, `[^...]`:
/// characters, ranges, escapes, POSIX classes): whether it admits `c`, and the
/// index after its `]`; `None` when it is not one (no closing `]`: a literal `[`).
fn class_at(p: &[char], open: usize, c: char) -> Option<(bool, usize)> {
    let mut i = open + 1;
    let negated = matches!(p.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let first = i;
    let mut hit = false;
    while i < p.len() {
        if p[i] == ']' && i > first {
            return Some((hit != negated, i + 1));
        }
        if p[i] == '[' && p.get(i + 1) == Some(&':') {
            let end = (i + 2..p.len().saturating_sub(1)).find(|&j| p[j] == ':' && p[j + 1] == ']');
            if let Some(end) = end {
                let name: String = p[i + 2..end].iter().collect();
                if let Some(inside) = posix_class(&name, c) {
                    hit |= inside;
                    i = end + 2;
                    continue;
                }
            }
        }
        let (lo, after) = if p[i] == '\\' && i + 1 < p.len() {
            (p[i + 1], i + 2)
        } else {
            (p[i], i + 1)
        };
        let (hi, next) = match p.get(after + 1) {
            Some(&h) if p[after] == '-' && h != ']' => {
                if h == '\\' && after + 2 < p.len() {
                    (p[after + 2], after + 3)
                } else {
                    (h, after + 2)
                }
            }
            _ => (lo, after),
        };
        hit |= lo <= c && c <= hi;
        i = next;
    }
    None
}

/// Matches one path segment against a wildcard segment (iterative, with
/// single-star backtracking: linear in practice, never exponential).
fn wild_matches(p: &[char], name: &str) -> bool {
    // dot:true still never lets wildcards match `.`/`..`, and a wildcard
    // segment never matches an empty segment.
    if name.is_empty() || name == "." || name == ".." {
        return false;
    }
    let name: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0usize, 0usize);
    // Where to resume after the last star: pattern index after it, name index.
    let mut backtrack: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            if p[pi] == '*' {
                pi += 1;
                backtrack = Some((pi, ni));
                continue;
            }
            if let Some(&c) = name.get(ni) {
                let (hit, next) = match p[pi] {
                    '?' => (true, pi + 1),
                    '\\' if pi + 1 < p.len() => (p[pi + 1] == c, pi + 2),
                    '[' => class_at(p, pi, c).unwrap_or((c == '[', pi + 1)),
                    x => (x == c, pi + 1),
                };
                if hit {
                    pi = next;
                    ni += 1;
                    continue;
                }
            }
        } else if ni == name.len() {
            return true;
        }
        match backtrack {
            Some((bp, bn)) if bn < name.len() => {
                backtrack = Some((bp, bn + 1));
                pi = bp;
                ni = bn + 1;
            }
            _ => return false,
        }
    }
}

fn segment_matches(seg: &Segment, name: &str) -> bool {
    match seg {
        Segment::Literal(l) => l == name,
        Segment::Wild(p) => wild_matches(p, name),
        Segment::GlobStar => false,
    }
}

/// How a used-up path meets the rest of the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MatchMode {
    /// minimatch's `match` (ignore patterns).
    Minimatch,
    /// glob's walk (COPY sources): `src/**` also matches `src` itself.
    Walk,
    /// Prefix match: could a path below this one match?
    Partial,
}

/// Dynamic programming over (pattern index, path index), so that many `**`
/// cannot make matching exponential. With `partial`, a path that runs out
/// before the pattern counts as a (prefix) match: used to prune walks.
pub(crate) fn match_segments(pat: &[Segment], path: &[&str], mode: MatchMode) -> bool {
    let (np, nf) = (pat.len(), path.len());
    // row[fi] = does pat[pi..] match path[fi..]; computed from pi = np down.
    let mut next: Vec<bool> = (0..=nf)
        .map(|fi| fi == nf || (fi + 1 == nf && path[fi].is_empty()))
        .collect();
    for pi in (0..np).rev() {
        let mut row = vec![false; nf + 1];
        row[nf] = match mode {
            // minimatch never tries a segment against a used-up path, so even
            // a trailing `**` needs something (at least the "" of `dir/`).
            MatchMode::Minimatch => false,
            // glob's walker lets `**` stand for no segment at all.
            MatchMode::Walk => pat[pi] == Segment::GlobStar && next[nf],
            MatchMode::Partial => true,
        };
        if pat[pi] == Segment::GlobStar {
            // `**` swallows k >= 0 segments (never `.`/`..`), then pat[pi+1..]
            // continues; swallowing to the very end is allowed.
            let mut cont = next[nf];
            for fi in (0..nf).rev() {
                cont = next[fi] || (path[fi] != "." && path[fi] != ".." && cont);
                row[fi] = cont;
            }
        } else {
            for fi in (0..nf).rev() {
                row[fi] = segment_matches(&pat[pi], path[fi]) && next[fi + 1];
            }
        }
        next = row;
    }
    next[0]
}

/// Whether some path below `dir` could match (used to avoid walking
/// directories a pattern can never reach).
pub(crate) fn may_match_below(pat: &[Segment], dir: &str) -> bool {
    let segs = split_path(dir);
    match_segments(pat, &segs, MatchMode::Partial) && pattern_can_extend(pat, &segs)
}

/// True unless the pattern is exhausted exactly at `dir` (no `**` left).
fn pattern_can_extend(pat: &[Segment], segs: &[&str]) -> bool {
    if pat.iter().any(|s| matches!(s, Segment::GlobStar)) {
        return true;
    }
    pat.len() > segs.len()
}

/// True if `s` contains an unescaped glob metacharacter (`*?[{`).
pub fn has_magic(s: &str) -> bool {
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '*' | '?' | '[' | '{' => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, path: &str) -> bool {
        GlobPattern::new(p).expect("pattern").matches(path)
    }

    #[test]
    fn star_and_question() {
        assert!(m("*.txt", "a.txt"));
        assert!(m("*.txt", ".hidden.txt"), "dot:true");
        assert!(!m("*.txt", "app/a.txt"));
        assert!(m("app/*.py", "app/main.py"));
        assert!(!m("app/*", "app/"), "a star never matches an empty segment");
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("a*b*c", "aXXbYYbc"));
        assert!(!m("*", "."));
    }

    #[test]
    fn globstar() {
        assert!(m("**/*.tmp", "scratch.tmp"));
        assert!(m("**/*.tmp", "app/lib/scratch.tmp"));
        assert!(
            !m("app/**", "app"),
            "a trailing ** needs at least an empty segment"
        );
        assert!(m("app/**", "app/"));
        assert!(m("app/**", "app/lib/x"));
        assert!(m("a/**/b", "a/b"));
        assert!(m("a/**/b", "a/x/y/b"));
        assert!(!m("a/**/b", "a/x/y/c"));
        assert!(m("**", "x/y"));
        assert!(!m("**", "."));
        assert!(m("a**b", "axyb"), "** inside a segment is a star");
        assert!(!m("a**b", "ax/yb"));
    }

    #[test]
    fn literal_and_trailing_slash() {
        assert!(m("secret.txt", "secret.txt"));
        assert!(m("secret.txt", "secret.txt/"));
        assert!(!m("secret.txt", "app/secret.txt"));
        assert!(m("app/", "app/"));
        assert!(!m("app/", "app"));
        assert!(m("./secret.txt", "secret.txt"));
        assert!(m("a//b", "a/b"));
    }

    #[test]
    fn classes() {
        assert!(m("[abc].txt", "b.txt"));
        assert!(!m("[abc].txt", "d.txt"));
        assert!(m("[!abc].txt", "d.txt"));
        assert!(m("[^abc].txt", "d.txt"));
        assert!(m("file[0-9]", "file7"));
        assert!(m("[]]x", "]x"));
        assert!(m("[[:digit:]]x", "5x"));
        assert!(!m("[[:digit:]]x", "ax"));
        assert!(m("[a-", "[a-"), "unclosed class is literal");
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
    }

    #[test]
    fn braces() {
        assert!(m("{a,b}.txt", "a.txt"));
        assert!(m("{a,b}.txt", "b.txt"));
        assert!(!m("{a,b}.txt", "c.txt"));
        assert!(m("app/{lib,x}/*.py", "app/lib/helpers.py"));
        assert!(m("f{1..3}", "f2"));
    }

    #[test]
    fn partial() {
        let p = GlobPattern::new("app/*/x.py").expect("pattern");
        let alt = &p.alternatives()[0];
        assert!(may_match_below(alt, "app"));
        assert!(may_match_below(alt, "app/lib"));
        assert!(!may_match_below(alt, "other"));
        assert!(!may_match_below(alt, "app/lib/deeper"));
        let g = GlobPattern::new("**/*.md").expect("pattern");
        assert!(may_match_below(&g.alternatives()[0], "a/b/c"));
    }
}
