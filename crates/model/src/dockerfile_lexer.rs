//! Splits Dockerfile text into instructions and argument tokens.
//!
//! Two tokenizations of each instruction are produced:
//!
//! * `official`: what `dockerfile-ast` 0.7.1 (used by the official SDK) yields:
//!   continuations joined, comment and blank lines inside continuations dropped,
//!   words split on spaces/tabs with **no** quote grouping, escapes resolved the way
//!   that parser resolves them (`\x` -> `x`, `\$` kept, escape + blank splits),
//!   heredoc bodies appended as further words.
//! * `grouped`: only when the instruction contains balanced, unescaped quotes: shell
//!   words as Docker sees them, quotes and escapes kept verbatim, whitespace inside
//!   quotes kept. The importer uses it to keep what the official parser loses
//!   (DIFFERENCES.md); instructions without quotes never use it.

use crate::prelude::*;
use novita_template_json::text::replace_str;
/// One Dockerfile instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawInstruction {
    /// Upper-cased keyword.
    pub keyword: String,
    /// 1-based line of the keyword.
    pub line: usize,
    /// Argument words as the official parser yields them.
    pub official: Vec<String>,
    /// Shell words (quotes kept) when the instruction uses quotes.
    pub grouped: Option<Vec<String>>,
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Reads leading parser directives (`# escape=` is the one that matters) and returns
/// the escape character.
fn escape_char(lines: &[&str]) -> char {
    let mut escape = '\\';
    for line in lines {
        let Some(body) = line.trim_start_matches(is_blank).strip_prefix('#') else {
            break;
        };
        let Some((name, value)) = body.split_once('=') else {
            break;
        };
        let name = name.trim_matches(is_blank);
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            break;
        }
        if name.eq_ignore_ascii_case("escape") {
            match value.trim_matches(is_blank) {
                "`" => escape = '`',
                "\\" => escape = '\\',
                _ => {}
            }
        }
    }
    escape
}

fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim_start_matches(is_blank);
    t.is_empty() || t.starts_with('#')
}

/// If `line` ends with the escape character (ignoring trailing blanks), returns the
/// line without it.
fn continued(line: &str, escape: char) -> Option<&str> {
    line.trim_end_matches(is_blank).strip_suffix(escape)
}

/// Words of a logical line, the way `dockerfile-ast` resolves escapes.
fn official_words(text: &str, escape: char) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == escape {
            match chars.get(i + 1) {
                None => {
                    i += 1;
                }
                Some(&n) if is_blank(n) => {
                    if in_word {
                        words.push(core::mem::take(&mut cur));
                        in_word = false;
                    }
                    i += 2;
                }
                Some(&'$') => {
                    cur.push(c);
                    cur.push('$');
                    in_word = true;
                    i += 2;
                }
                Some(&n) => {
                    cur.push(n);
                    in_word = true;
                    i += 2;
                }
            }
        } else if is_blank(c) {
            if in_word {
                words.push(core::mem::take(&mut cur));
                in_word = false;
            }
            i += 1;
        } else {
            cur.push(c);
            in_word = true;
            i += 1;
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Shell words with quotes and escapes kept verbatim, or `None` when the text has no
/// unescaped quote or a quote is left open.
fn grouped_words(text: &str, escape: char) -> Option<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut saw_quote = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some('\'') => {
                cur.push(c);
                if c == '\'' {
                    quote = None;
                }
                i += 1;
            }
            Some(q) => {
                cur.push(c);
                if c == escape {
                    if let Some(&n) = chars.get(i + 1) {
                        cur.push(n);
                        i += 1;
                    }
                } else if c == q {
                    quote = None;
                }
                i += 1;
            }
            None => {
                if c == escape {
                    cur.push(c);
                    if let Some(&n) = chars.get(i + 1) {
                        cur.push(n);
                        i += 1;
                    }
                    in_word = true;
                    i += 1;
                } else if is_blank(c) {
                    if in_word {
                        words.push(core::mem::take(&mut cur));
                        in_word = false;
                    }
                    i += 1;
                } else {
                    if c == '"' || c == '\'' {
                        quote = Some(c);
                        saw_quote = true;
                    }
                    cur.push(c);
                    in_word = true;
                    i += 1;
                }
            }
        }
    }
    if quote.is_some() || !saw_quote {
        return None;
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

/// Removes shell quoting from a grouped word as Docker does for ENV/ARG/COPY/WORKDIR/USER
/// values: quote characters go; inside double quotes `\"` and `\\` become `"` and `\`;
/// outside quotes `\x` becomes `x` except `\$`, which is kept (variables are not
/// expanded by the model). Words without quotes are returned unchanged.
pub fn unquote(word: &str, escape: char) -> String {
    if !word.bytes().any(|b| b == b'"' || b == b'\'') {
        return word.to_string();
    }
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some('\'') => {
                if c == '\'' {
                    quote = None;
                } else {
                    out.push(c);
                }
            }
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == escape
                    && matches!(chars.get(i + 1), Some(&n) if n == '"' || n == escape)
                {
                    out.push(chars[i + 1]);
                    i += 1;
                } else {
                    out.push(c);
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                } else if c == escape {
                    match chars.get(i + 1) {
                        Some(&'$') => out.push(c),
                        Some(&n) => {
                            out.push(n);
                            i += 1;
                        }
                        None => {}
                    }
                } else {
                    out.push(c);
                }
            }
        }
        i += 1;
    }
    out
}

/// A heredoc opener word (`<<EOF`, `<<-EOF`, `<<"EOF"`): (delimiter, strip leading tabs).
fn heredoc_delimiter(word: &str) -> Option<(String, bool)> {
    let rest = word.strip_prefix("<<")?;
    let (rest, strip_tabs) = match rest.strip_prefix('-') {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let rest = rest.trim_matches(|c| c == '"' || c == '\'');
    if rest.is_empty() {
        None
    } else {
        Some((rest.to_string(), strip_tabs))
    }
}

/// The escape character in effect for `content` (from a leading `# escape=` directive).
pub fn escape_of(content: &str) -> char {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let lines: Vec<&str> = content.split(['\n', '\r']).collect();
    escape_char(&lines)
}

/// Splits Dockerfile text into instructions.
pub fn lex(content: &str) -> Vec<RawInstruction> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let normalized = replace_str(content, "\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = normalized.split('\n').collect();
    let escape = escape_char(&lines);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if is_comment_or_blank(lines[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut logical = String::new();
        let mut line = lines[i];
        loop {
            match continued(line, escape) {
                Some(head) => {
                    logical.push_str(head);
                    i += 1;
                    while i < lines.len() && is_comment_or_blank(lines[i]) {
                        i += 1;
                    }
                    if i >= lines.len() {
                        break;
                    }
                    line = lines[i];
                }
                None => {
                    logical.push_str(line);
                    i += 1;
                    break;
                }
            }
        }
        let logical = logical.trim_start_matches(is_blank);
        let keyword_end = logical.find(is_blank).unwrap_or(logical.len());
        let keyword_words = official_words(&logical[..keyword_end], escape);
        let keyword = keyword_words.concat().to_ascii_uppercase();
        let rest = &logical[keyword_end..];
        let mut official = official_words(rest, escape);
        let mut grouped = grouped_words(rest, escape);
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            let delimiters: Vec<(String, bool)> = official
                .iter()
                .filter_map(|w| heredoc_delimiter(w))
                .collect();
            for (delim, strip_tabs) in delimiters {
                while i < lines.len() {
                    let body = lines[i];
                    i += 1;
                    // Heredoc bodies are plain words in both tokenizations.
                    let body_words = official_words(body, '\u{0}');
                    if let Some(g) = grouped.as_mut() {
                        g.extend(body_words.iter().cloned());
                    }
                    official.extend(body_words);
                    let candidate = if strip_tabs {
                        body.trim_start_matches('\t')
                    } else {
                        body
                    };
                    if candidate == delim {
                        break;
                    }
                }
            }
        }
        out.push(RawInstruction {
            keyword,
            line: start + 1,
            official,
            grouped,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(content: &str) -> Vec<(String, Vec<String>)> {
        lex(content)
            .into_iter()
            .map(|i| (i.keyword, i.official))
            .collect()
    }

    fn w(k: &str, a: &[&str]) -> (String, Vec<String>) {
        (k.to_string(), a.iter().map(|s| s.to_string()).collect())
    }

    /// Expected values observed by running dockerfile-ast 0.7.1.
    #[test]
    fn matches_dockerfile_ast_observations() {
        assert_eq!(
            words("FROM a\nRUN a \\\n    b"),
            vec![w("FROM", &["a"]), w("RUN", &["a", "b"])]
        );
        assert_eq!(words("FROM a\nRUN ab\\  \ncd")[1], w("RUN", &["abcd"]));
        assert_eq!(
            words("FROM a\nRUN a \\\n# comment\n\n  b")[1],
            w("RUN", &["a", "b"])
        );
        assert_eq!(
            words("FROM a\nRUN echo \"a   b\" 'c  d'")[1],
            w("RUN", &["echo", "\"a", "b\"", "'c", "d'"])
        );
        assert_eq!(
            words("FROM a\nRUN echo \\$HOME \\\"x y\\\"")[1],
            w("RUN", &["echo", "\\$HOME", "\"x", "y\""])
        );
        assert_eq!(
            words("FROM a\nRUN <<EOF\necho hi\n  EOF\nEOF\nUSER bob"),
            vec![
                w("FROM", &["a"]),
                w("RUN", &["<<EOF", "echo", "hi", "EOF", "EOF"]),
                w("USER", &["bob"])
            ]
        );
        assert_eq!(
            words("FROM a\nRUN <<-EOF\n\techo hi\n\tEOF\nUSER bob")[2],
            w("USER", &["bob"])
        );
        assert_eq!(
            words("# escape=`\nFROM a\nRUN a `\n b")[1],
            w("RUN", &["a", "b"])
        );
        assert_eq!(
            words("# escape=`\n# another=x\nFROM a\nRUN a \\\nRUN b")[1],
            w("RUN", &["a", "\\"])
        );
        assert_eq!(words("\n# escape=`\nFROM a\nRUN a `\n b")[2], w("B", &[]));
        assert_eq!(words("from a\nrun echo hi")[1], w("RUN", &["echo", "hi"]));
        assert_eq!(words("FROM a\nRUN x\\ay z")[1], w("RUN", &["xay", "z"]));
        assert_eq!(words("FROM a\nRUN x\\ y z")[1], w("RUN", &["x", "y", "z"]));
        assert_eq!(words("FROM a\nRUN x\\\\y z")[1], w("RUN", &["x\\y", "z"]));
        assert_eq!(
            words("FROM a\nRUN a\rRUN b"),
            vec![w("FROM", &["a"]), w("RUN", &["a"]), w("RUN", &["b"])]
        );
        assert_eq!(words("FROM a\nRUN a \\ x\n b")[2], w("B", &[]));
        assert_eq!(
            words("FROM a\nRUN x\\"),
            vec![w("FROM", &["a"]), w("RUN", &["x"])]
        );
        assert_eq!(words("FROM a\nR\\\nUN x")[1], w("RUN", &["x"]));
        assert_eq!(words("FROM\na"), vec![w("FROM", &[]), w("A", &[])]);
        assert_eq!(
            words("\u{feff}FROM a\r\nUSER\tbob\r\n"),
            vec![w("FROM", &["a"]), w("USER", &["bob"])]
        );
        assert_eq!(
            words("FROM a\nRUN echo\u{a0}b")[1],
            w("RUN", &["echo\u{a0}b"])
        );
    }

    #[test]
    fn grouped_words_only_with_balanced_quotes() {
        let g = |s: &str| lex(s).pop().and_then(|i| i.grouped);
        assert_eq!(g("RUN echo a b"), None);
        assert_eq!(g("RUN echo \"unterminated"), None);
        assert_eq!(g("RUN echo \\\"x y\\\""), None);
        assert_eq!(
            g("RUN echo \"a   b\" 'c \\ d'"),
            Some(vec!["echo".into(), "\"a   b\"".into(), "'c \\ d'".into()])
        );
        assert_eq!(
            g("ENV A=\"x \\\"y\\\"\" B=2"),
            Some(vec!["A=\"x \\\"y\\\"\"".into(), "B=2".into()])
        );
    }

    #[test]
    fn heredoc_body_is_kept_in_both_tokenizations() {
        let ins = lex("FROM a\nRUN <<\"EOF\"\necho $x\nEOF\nUSER bob").remove(1);
        assert_eq!(ins.official, ["<<\"EOF\"", "echo", "$x", "EOF"]);
        let grouped: Vec<String> = ["<<\"EOF\"", "echo", "$x", "EOF"]
            .map(String::from)
            .to_vec();
        assert_eq!(ins.grouped, Some(grouped));
    }

    #[test]
    fn unquote_like_docker() {
        assert_eq!(unquote("\"a b\"", '\\'), "a b");
        assert_eq!(unquote("'it'\"'\"'s'", '\\'), "it's");
        assert_eq!(
            unquote("\"x \\\"y\\\" \\\\ \\$z\"", '\\'),
            "x \"y\" \\ \\$z"
        );
        assert_eq!(unquote("plain\\x", '\\'), "plain\\x");
        assert_eq!(unquote("\"a\"\\ b", '\\'), "a b");
    }
}
