//! Removal of terminal escape sequences from log messages, matching what the
//! official SDK's `stripAnsi` removes, without a regex engine.
//!
//! The pattern being reproduced is the alternation
//! `OSC | CSI`, tried at each position, leftmost first:
//! - OSC: `ESC ]`, then anything, lazily, up to the first string terminator
//!   (`BEL`, `ESC \` or `U+009C`);
//! - CSI: `[ESC U+009B]`, then `[[\]()#;?]*`, then optionally
//!   `\d{1,4}([;:]\d{0,4})*`, then one final character of
//!   `[\dA-PR-TZcf-nq-uy=><~]`, with the usual backtracking preference.

use crate::prelude::*;
const ESC: char = '\u{1b}';
const CSI_C1: char = '\u{9b}';
const ST_C1: char = '\u{9c}';
const BEL: char = '\u{7}';

fn is_intermediate(c: char) -> bool {
    matches!(c, '[' | ']' | '(' | ')' | '#' | ';' | '?')
}

fn is_final(c: char) -> bool {
    matches!(c,
        '0'..='9' | 'A'..='P' | 'R'..='T' | 'Z' | 'c' | 'f'..='n' | 'q'..='u' | 'y'
        | '=' | '>' | '<' | '~')
}

fn digit_run(s: &[char], at: usize, max: usize) -> usize {
    s.iter()
        .skip(at)
        .take(max)
        .take_while(|c| c.is_ascii_digit())
        .count()
}

/// Length of an OSC sequence starting at `at` (which holds `ESC`), if complete.
fn osc_len(s: &[char], at: usize) -> Option<usize> {
    if s.get(at + 1) != Some(&']') {
        return None;
    }
    let mut i = at + 2;
    while i < s.len() {
        match s[i] {
            BEL | ST_C1 => return Some(i + 1 - at),
            ESC if s.get(i + 1) == Some(&'\\') => return Some(i + 2 - at),
            _ => i += 1,
        }
    }
    None
}

/// Tries the `([;:]\d{0,4})*` tail from `q`, greedy, calling `accept` on each
/// candidate end in the regex's preference order; stops at the first `Some`.
fn star_ends(
    s: &[char],
    q: usize,
    accept: &mut dyn FnMut(usize) -> Option<usize>,
) -> Option<usize> {
    if matches!(s.get(q), Some(';' | ':')) {
        let run = digit_run(s, q + 1, 4);
        for d in (0..=run).rev() {
            if let Some(found) = star_ends(s, q + 1 + d, accept) {
                return Some(found);
            }
        }
    }
    accept(q)
}

/// Length of a CSI sequence starting at `at` (which holds `ESC` or `U+009B`).
fn csi_len(s: &[char], at: usize) -> Option<usize> {
    let start = at + 1;
    let run = s
        .iter()
        .skip(start)
        .take_while(|c| is_intermediate(**c))
        .count();
    for i in (0..=run).rev() {
        let p = start + i;
        let mut accept =
            |e: usize| -> Option<usize> { s.get(e).filter(|c| is_final(**c)).map(|_| e + 1 - at) };
        let digits = digit_run(s, p, 4);
        for d in (1..=digits).rev() {
            if let Some(len) = star_ends(s, p + d, &mut accept) {
                return Some(len);
            }
        }
        if let Some(len) = accept(p) {
            return Some(len);
        }
    }
    None
}

/// Returns `text` with every OSC and CSI escape sequence removed.
pub fn strip_ansi(text: &str) -> String {
    if !text.contains([ESC, CSI_C1]) {
        return text.to_string();
    }
    let s: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let matched = match c {
            ESC => osc_len(&s, i).or_else(|| csi_len(&s, i)),
            CSI_C1 => csi_len(&s, i),
            _ => None,
        };
        match matched {
            Some(len) => i += len,
            None => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::strip_ansi;

    #[test]
    fn strips_colour_codes() {
        assert_eq!(
            strip_ansi("\u{1b}[32m[base]\u{1b}[0m pulling image"),
            "[base] pulling image"
        );
        assert_eq!(strip_ansi("\u{1b}[38;2;255;136;0mx\u{1b}[39m"), "x");
        assert_eq!(strip_ansi("\u{9b}1;31mred"), "red");
        assert_eq!(strip_ansi("plain"), "plain");
    }

    #[test]
    fn strips_osc_hyperlinks_and_titles() {
        assert_eq!(
            strip_ansi("\u{1b}]8;;https://x.y\u{7}link\u{1b}]8;;\u{7}"),
            "link"
        );
        assert_eq!(strip_ansi("\u{1b}]0;title\u{1b}\\after"), "after");
        assert_eq!(strip_ansi("\u{1b}]0;t\u{9c}z"), "z");
    }

    #[test]
    fn backtracks_like_the_regex() {
        // `\d{1,4}` gives back a digit so the last digit can be the final byte.
        assert_eq!(strip_ansi("\u{1b}[123"), "");
        // Five digits: four parameters then `5` as the final byte.
        assert_eq!(strip_ansi("\u{1b}[12345x"), "x");
        // Colon-separated parameters.
        assert_eq!(strip_ansi("\u{1b}[38:5:1mz"), "z");
        // Unterminated OSC falls back to CSI: `]` intermediate, `0;` parameters, `t` final.
        assert_eq!(strip_ansi("\u{1b}]0;title"), "itle");
        // A lone ESC with nothing valid after it stays.
        assert_eq!(strip_ansi("a\u{1b}"), "a\u{1b}");
        assert_eq!(strip_ansi("\u{1b}[Qx"), "\u{1b}[Qx");
    }
}
