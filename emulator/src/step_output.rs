//! Plausible output of an emulated RUN command, so that a build log reads like a
//! real one: `echo` prints its words, `pip install` collects and installs packages,
//! `apt-get install` sets them up, `git clone` clones, and so on. Nothing is run;
//! the lines are derived from the command text alone, deterministically.
//!
//! The command is split the way a shell would at `&&`, `||`, `;` and `|` (quotes
//! respected); only the last command of a pipeline writes to the log, and a command
//! whose stdout is redirected writes nothing. Unknown commands print nothing, as
//! most quiet commands do.

/// At most this many lines per command line, so a long chain stays readable.
pub const MAX_LINES: usize = 8;

#[derive(Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    /// `&&`, `||` or `;`: the next command is a new one.
    Sequence,
    /// `|`: the next command reads this one's output.
    Pipe,
    /// `>`, `>>`, `1>`: stdout goes to a file.
    Redirect,
}

/// Splits a command line into words and operators, honouring quotes and `\`.
fn tokens(line: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let flush = |word: &mut String, in_word: &mut bool, out: &mut Vec<Token>| {
        if *in_word {
            out.push(Token::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                word.push(n);
                            }
                        }
                        _ => word.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            '&' if chars.peek() == Some(&'&') => {
                chars.next();
                flush(&mut word, &mut in_word, &mut out);
                out.push(Token::Sequence);
            }
            '|' if chars.peek() == Some(&'|') => {
                chars.next();
                flush(&mut word, &mut in_word, &mut out);
                out.push(Token::Sequence);
            }
            ';' | '&' => {
                flush(&mut word, &mut in_word, &mut out);
                out.push(Token::Sequence);
            }
            '|' => {
                flush(&mut word, &mut in_word, &mut out);
                out.push(Token::Pipe);
            }
            '>' => {
                // `2>` redirects stderr only; `>`, `>>` and `1>` redirect stdout.
                let stderr_only = in_word && word == "2";
                if in_word && (word == "1" || word == "2") {
                    word.clear();
                    in_word = false;
                } else {
                    flush(&mut word, &mut in_word, &mut out);
                }
                if chars.peek() == Some(&'>') {
                    chars.next();
                }
                if chars.peek() == Some(&'&') {
                    // `>&2` / `2>&1`: a descriptor, not a file name.
                    chars.next();
                    while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                        chars.next();
                    }
                } else if stderr_only {
                    // Drop the file name that follows.
                    while chars.peek() == Some(&' ') {
                        chars.next();
                    }
                    while chars.peek().is_some_and(|c| !c.is_whitespace()) {
                        chars.next();
                    }
                }
                if !stderr_only {
                    out.push(Token::Redirect);
                }
            }
            c if c.is_whitespace() => flush(&mut word, &mut in_word, &mut out),
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    flush(&mut word, &mut in_word, &mut out);
    out
}

/// One simple command: its words, and whether its stdout reaches the log.
struct Simple {
    words: Vec<String>,
    to_log: bool,
}

fn simple_commands(line: &str) -> Vec<Simple> {
    let mut all = Vec::new();
    let mut words = Vec::new();
    let mut redirected = false;
    // The word after a redirect is its file name, not an argument.
    let mut file_name_next = false;
    let mut end = |words: &mut Vec<String>, redirected: &mut bool, piped: bool| {
        if !words.is_empty() {
            all.push(Simple {
                words: std::mem::take(words),
                to_log: !*redirected && !piped,
            });
        }
        *redirected = false;
    };
    for t in tokens(line) {
        match t {
            Token::Word(_) if file_name_next => file_name_next = false,
            Token::Word(w) => words.push(w),
            Token::Redirect => {
                redirected = true;
                file_name_next = true;
            }
            Token::Sequence => end(&mut words, &mut redirected, false),
            Token::Pipe => end(&mut words, &mut redirected, true),
        }
    }
    end(&mut words, &mut redirected, false);
    all
}

/// The arguments that are not options, skipping the values of options that take one.
fn operands<'a>(args: &'a [String], with_value: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
        } else if with_value.contains(&a.as_str()) {
            skip = true;
        } else if !a.starts_with('-') {
            out.push(a.as_str());
        }
    }
    out
}

/// A small deterministic number from text (package counts, sizes).
fn figure(text: &str, modulo: u32) -> u32 {
    text.bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
        % modulo
}

fn pip_lines(args: &[String], out: &mut Vec<String>) {
    let Some(pos) = args.iter().position(|a| a == "install") else {
        return;
    };
    let rest = &args[pos + 1..];
    let with_value = [
        "-r",
        "--requirement",
        "-c",
        "-i",
        "--index-url",
        "-t",
        "--target",
    ];
    for w in rest.windows(2) {
        if w[0] == "-r" || w[0] == "--requirement" {
            out.push(format!("Reading requirements from {}", w[1]));
        }
    }
    let pkgs: Vec<&str> = operands(rest, &with_value);
    if pkgs == ["."] {
        out.push("Processing .".to_string());
        return;
    }
    for p in &pkgs {
        out.push(format!("Collecting {p}"));
    }
    if !pkgs.is_empty() {
        out.push(format!(
            "Installing collected packages: {}",
            pkgs.join(", ")
        ));
        out.push(format!("Successfully installed {}", pkgs.join(" ")));
    }
}

fn apt_lines(args: &[String], out: &mut Vec<String>) {
    match args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str)
    {
        Some("update") => out.push("Reading package lists...".to_string()),
        Some("install") => {
            let pkgs = operands(&args[1..], &["-o"]);
            let pkgs: Vec<&str> = pkgs.into_iter().filter(|p| *p != "install").collect();
            out.push("Reading package lists...".to_string());
            out.push("Building dependency tree...".to_string());
            for p in pkgs {
                out.push(format!("Setting up {p} ..."));
            }
        }
        _ => {}
    }
}

fn git_lines(args: &[String], out: &mut Vec<String>) {
    if args.first().map(String::as_str) != Some("clone") {
        return;
    }
    let ops = operands(&args[1..], &["--branch", "-b", "--depth", "--origin", "-o"]);
    let Some(url) = ops.first() else { return };
    let dir = match ops.get(1) {
        Some(d) => d.to_string(),
        None => url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(url)
            .trim_end_matches(".git")
            .to_string(),
    };
    out.push(format!("Cloning into '{dir}'..."));
}

fn lines_of(words: &[String], out: &mut Vec<String>) {
    // Skip `sudo`, `env` and leading `NAME=value` assignments.
    let mut i = 0;
    while i < words.len()
        && (words[i] == "sudo"
            || words[i] == "env"
            || (words[i].contains('=') && !words[i].starts_with('=')))
    {
        i += 1;
    }
    let Some(cmd) = words.get(i) else { return };
    let args = &words[i + 1..];
    let program = cmd.rsplit('/').next().unwrap_or(cmd);
    match program {
        "echo" => {
            let text: Vec<&str> = args
                .iter()
                .map(String::as_str)
                .skip_while(|a| matches!(*a, "-n" | "-e" | "-E"))
                .collect();
            out.push(text.join(" "));
        }
        "pip" | "pip3" => pip_lines(args, out),
        "python" | "python3" if args.len() > 1 && args[0] == "-m" && args[1] == "pip" => {
            pip_lines(&args[2..], out)
        }
        "npm"
            if matches!(
                args.first().map(String::as_str),
                Some("install" | "i" | "ci")
            ) =>
        {
            let pkgs = operands(&args[1..], &[]);
            let n = 1 + figure(&pkgs.join(" "), 120) + 3 * pkgs.len() as u32;
            out.push(format!("added {n} packages in {}s", 1 + n / 40));
        }
        "bun"
            if matches!(
                args.first().map(String::as_str),
                Some("install" | "add" | "i")
            ) =>
        {
            let pkgs = operands(&args[1..], &[]);
            let n = 1 + figure(&pkgs.join(" "), 90) + 2 * pkgs.len() as u32;
            out.push(format!("{n} packages installed"));
        }
        "apt-get" | "apt" => apt_lines(args, out),
        "git" => git_lines(args, out),
        "mcp-gateway" if args.first().map(String::as_str) == Some("pull") => {
            for name in operands(&args[1..], &[]) {
                out.push(format!("pulled MCP server '{name}'"));
            }
        }
        _ => {}
    }
}

/// The output lines the command line would plausibly print, at most [`MAX_LINES`].
pub fn lines(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in simple_commands(command) {
        if c.to_log {
            lines_of(&c.words, &mut out);
        }
    }
    out.retain(|l| !l.trim().is_empty());
    out.truncate(MAX_LINES);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_prints_its_words_with_quotes_removed() {
        assert_eq!(lines("echo hello"), ["hello"]);
        assert_eq!(
            lines("echo 'two  words' \"and \\\"more\\\"\""),
            ["two  words and \"more\""]
        );
        assert_eq!(lines("echo -n done && echo again"), ["done", "again"]);
        assert_eq!(
            lines("echo one; echo two || echo three"),
            ["one", "two", "three"]
        );
    }

    #[test]
    fn redirected_and_piped_output_is_not_logged() {
        assert_eq!(lines("echo secret > /tmp/x && echo shown"), ["shown"]);
        assert_eq!(lines("echo a >> log"), Vec::<String>::new());
        // The runtime-env step of docs/wire-contract.md §4.7: the echo feeds base64, nothing shows.
        let env_step = "echo c2V0IC1l | base64 -d > /tmp/.novita-image-env.sh && sh /tmp/.novita-image-env.sh && rm -f /tmp/.novita-image-env.sh";
        assert_eq!(lines(env_step), Vec::<String>::new());
        // stderr redirects leave stdout alone.
        assert_eq!(lines("echo kept 2>/dev/null"), ["kept"]);
        assert_eq!(lines("echo kept 2>&1"), ["kept"]);
        assert_eq!(lines("echo x | tr a b"), Vec::<String>::new());
    }

    #[test]
    fn package_managers_and_git() {
        assert_eq!(
            lines("pip install flask requests"),
            [
                "Collecting flask",
                "Collecting requests",
                "Installing collected packages: flask, requests",
                "Successfully installed flask requests"
            ]
        );
        assert_eq!(
            lines("python -m pip install --user -r requirements.txt"),
            ["Reading requirements from requirements.txt"]
        );
        let apt = "apt-get update && DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y --no-install-recommends git curl";
        assert_eq!(
            lines(apt),
            [
                "Reading package lists...",
                "Reading package lists...",
                "Building dependency tree...",
                "Setting up git ...",
                "Setting up curl ..."
            ]
        );
        assert_eq!(
            lines("git clone https://github.com/example/repo.git --branch main --single-branch --depth 1"),
            ["Cloning into 'repo'..."]
        );
        assert_eq!(
            lines("git clone https://example.test/x.git /opt/x"),
            ["Cloning into '/opt/x'..."]
        );
        let npm = lines("npm install -g typescript");
        assert_eq!(npm.len(), 1);
        assert!(
            npm[0].starts_with("added ") && npm[0].contains(" packages in "),
            "{npm:?}"
        );
        assert_eq!(npm, lines("npm install -g typescript"), "deterministic");
        assert_eq!(
            lines("sudo mcp-gateway pull a b"),
            ["pulled MCP server 'a'", "pulled MCP server 'b'"]
        );
    }

    #[test]
    fn quiet_commands_print_nothing_and_output_is_bounded() {
        assert!(lines("mkdir -p /app && cd /app && make").is_empty());
        let many = (0..20)
            .map(|i| format!("echo {i}"))
            .collect::<Vec<_>>()
            .join(" && ");
        assert_eq!(lines(&many).len(), MAX_LINES);
        assert!(lines("").is_empty());
        assert!(lines("echo").is_empty(), "an empty echo line is not logged");
    }
}
