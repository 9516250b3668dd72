//! Ready-command helpers (`waitForPort`, `waitForURL`, ...): each returns the shell
//! command the sandbox polls until it exits 0. Strings are the official ones; arguments
//! a shell would misread are quoted (DIFFERENCES.md, "Shell quoting").

use crate::numbers::{floor_digits, i64_text, integer_in};
use crate::prelude::*;
use crate::shell_quote::quote_word;
use novita_template_json::shape::Num;

fn non_empty<'a>(value: &'a str, what: &str) -> Result<&'a str, SdkError> {
    if value.is_empty() {
        Err(SdkError::invalid(novita_template_json::cat!(
            what,
            " must be a non-empty string"
        )))
    } else {
        Ok(value)
    }
}

/// The ready command of a start command the image or a Dockerfile declared:
/// `waitForTimeout(20_000)`.
pub const SLEEP_20: &str = "sleep 20";

/// `waitForPort(port)`: `ss -tuln | grep :PORT`. The port must be an integer in 1..=65535.
pub fn wait_for_port(port: &Num) -> Result<String, SdkError> {
    let p = integer_in(port, 1, 65535, "waitForPort: port")?;
    Ok(novita_template_json::cat!(
        "ss -tuln | grep :",
        &i64_text(p)
    ))
}

/// `waitForURL(url, statusCode = 200)`: curl the URL and grep the status code.
pub fn wait_for_url(url: &str, status_code: Option<&Num>) -> Result<String, SdkError> {
    let url = non_empty(url, "waitForURL: url")?;
    let status = match status_code {
        Some(code) => integer_in(code, 100, 599, "waitForURL: statusCode")?,
        None => 200,
    };
    Ok(novita_template_json::cat!(
        "curl -s -o /dev/null -w \"%{http_code}\" ",
        &quote_word(url),
        " | grep -q \"",
        &i64_text(status),
        "\"",
    ))
}

/// `waitForProcess(name)`: `pgrep NAME > /dev/null`.
pub fn wait_for_process(process_name: &str) -> Result<String, SdkError> {
    let name = non_empty(process_name, "waitForProcess: processName")?;
    Ok(novita_template_json::cat!(
        "pgrep ",
        &quote_word(name),
        " > /dev/null"
    ))
}

/// `waitForFile(path)`: `[ -f PATH ]`.
pub fn wait_for_file(filename: &str) -> Result<String, SdkError> {
    let f = non_empty(filename, "waitForFile: filename")?;
    Ok(novita_template_json::cat!("[ -f ", &quote_word(f), " ]"))
}

/// `waitForTimeout(ms)`: `sleep max(1, floor(ms / 1000))` seconds.
/// The timeout must be finite, `>= 0` and below 1e21 ms (where JavaScript would switch
/// to exponent notation).
pub fn wait_for_timeout(timeout_ms: &Num) -> Result<String, SdkError> {
    let Some(ms) = floor_digits(timeout_ms) else {
        return Err(SdkError::invalid(
            "waitForTimeout: timeout must be a finite number of milliseconds >= 0",
        ));
    };
    // Whole seconds: the milliseconds' digits without the last three, at least 1.
    let seconds = &ms[..ms.len().saturating_sub(3)];
    let seconds = if seconds.is_empty() || seconds == "0" {
        "1"
    } else {
        seconds
    };
    Ok(novita_template_json::cat!("sleep ", seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num(s.into())
    }

    #[test]
    fn validation_names_the_argument() {
        assert_eq!(
            wait_for_port(&n("0")).unwrap_err().message,
            "waitForPort: port must be an integer between 1 and 65535"
        );
        assert!(wait_for_port(&n("8000.5")).is_err());
        assert!(wait_for_url("", None)
            .unwrap_err()
            .message
            .contains("waitForURL: url"));
        assert!(wait_for_url("http://x", Some(&n("600"))).is_err());
        assert!(wait_for_timeout(&n("x")).is_err());
        assert!(wait_for_timeout(&n("-1")).is_err());
        assert!(wait_for_process("").is_err());
        assert!(wait_for_file("").is_err());
        assert_eq!(wait_for_timeout(&n("20000")).unwrap(), SLEEP_20);
    }

    #[test]
    fn timeout_rounding() {
        assert_eq!(wait_for_timeout(&n("1500")).unwrap(), "sleep 1");
        assert_eq!(wait_for_timeout(&n("0")).unwrap(), "sleep 1");
        assert_eq!(wait_for_timeout(&n("65999.9")).unwrap(), "sleep 65");
        assert_eq!(
            wait_for_timeout(&n("100000000000000000000")).unwrap(),
            "sleep 100000000000000000"
        );
    }
}
