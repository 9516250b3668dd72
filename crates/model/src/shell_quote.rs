//! Shell quoting of helper arguments (a deliberate difference from the official SDK,
//! see DIFFERENCES.md): a word is left bare when Python's `shlex.quote` would leave it
//! bare, so every plain path or URL keeps the official bytes (and the server's build
//! cache), and only words a shell would misread are single-quoted.

use crate::prelude::*;
/// True for the characters `shlex.quote` never quotes: `[A-Za-z0-9_@%+=:,./-]`.
fn is_safe(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | '@' | '%' | '+' | '=' | ':' | ',' | '.' | '/' | '-')
}

/// Quotes `word` exactly like Python's `shlex.quote`: bare if every character is safe,
/// `''` for the empty string, otherwise wrapped in single quotes with each `'`
/// written as `'"'"'`.
pub fn quote_word(word: &str) -> String {
    if word.is_empty() {
        return "''".to_string();
    }
    if word.chars().all(is_safe) {
        return word.to_string();
    }
    novita_template_json::cat!("'", &word.replace('\'', "'\"'\"'"), "'")
}

#[cfg(test)]
mod tests {
    use super::quote_word;

    #[test]
    fn bare_when_safe_quoted_otherwise() {
        assert_eq!(quote_word("/opt/repo-1/a_b.c"), "/opt/repo-1/a_b.c");
        assert_eq!(
            quote_word("https://github.com/x/y.git"),
            "https://github.com/x/y.git"
        );
        assert_eq!(quote_word(""), "''");
        assert_eq!(quote_word("/tmp/my dir"), "'/tmp/my dir'");
        assert_eq!(quote_word("it's"), "'it'\"'\"'s'");
        assert_eq!(quote_word("a;rm -rf /"), "'a;rm -rf /'");
        assert_eq!(quote_word("~/x"), "'~/x'");
    }
}
