//! Ready-command helpers (`waitForPort`, `waitForURL`, ...): each returns the shell
//! command the sandbox polls until it exits 0. Strings are the official ones; arguments
//! a shell would misread are quoted (DIFFERENCES.md, "Shell quoting").

use crate::error::ModelError;
use crate::numbers::integer_in;
use crate::shell_quote::quote_word;

fn non_empty<'a>(value: &'a str, what: &str) -> Result<&'a str, ModelError> {
    if value.is_empty() {
        Err(ModelError::invalid(format!(
            "{what} must be a non-empty string"
        )))
    } else {
        Ok(value)
    }
}

/// `waitForPort(port)`: `ss -tuln | grep :PORT`. The port must be an integer in 1..=65535.
pub fn wait_for_port(port: f64) -> Result<String, ModelError> {
    let p = integer_in(port, 1, 65535, "waitForPort: port")?;
    Ok(format!("ss -tuln | grep :{p}"))
}

/// `waitForURL(url, statusCode = 200)`: curl the URL and grep the status code.
pub fn wait_for_url(url: &str, status_code: Option<f64>) -> Result<String, ModelError> {
    let url = non_empty(url, "waitForURL: url")?;
    let status = integer_in(
        status_code.unwrap_or(200.0),
        100,
        599,
        "waitForURL: statusCode",
    )?;
    Ok(format!(
        "curl -s -o /dev/null -w \"%{{http_code}}\" {} | grep -q \"{status}\"",
        quote_word(url)
    ))
}

/// `waitForProcess(name)`: `pgrep NAME > /dev/null`.
pub fn wait_for_process(process_name: &str) -> Result<String, ModelError> {
    let name = non_empty(process_name, "waitForProcess: processName")?;
    Ok(format!("pgrep {} > /dev/null", quote_word(name)))
}

/// `waitForFile(path)`: `[ -f PATH ]`.
pub fn wait_for_file(filename: &str) -> Result<String, ModelError> {
    let f = non_empty(filename, "waitForFile: filename")?;
    Ok(format!("[ -f {} ]", quote_word(f)))
}

/// `waitForTimeout(ms)`: `sleep max(1, floor(ms / 1000))` seconds.
/// The timeout must be finite, `>= 0` and below 1e21 ms (where JavaScript would switch
/// to exponent notation).
pub fn wait_for_timeout(timeout_ms: f64) -> Result<String, ModelError> {
    if !timeout_ms.is_finite() || !(0.0..1e21).contains(&timeout_ms) {
        return Err(ModelError::invalid(
            "waitForTimeout: timeout must be a finite number of milliseconds >= 0",
        ));
    }
    let seconds = (timeout_ms / 1000.0).floor().max(1.0);
    Ok(format!("sleep {seconds:.0}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_the_argument() {
        assert_eq!(
            wait_for_port(0.0).unwrap_err().message,
            "waitForPort: port must be an integer between 1 and 65535"
        );
        assert!(wait_for_port(8000.5).is_err());
        assert!(wait_for_url("", None)
            .unwrap_err()
            .message
            .contains("waitForURL: url"));
        assert!(wait_for_url("http://x", Some(600.0)).is_err());
        assert!(wait_for_timeout(f64::NAN).is_err());
        assert!(wait_for_timeout(-1.0).is_err());
        assert!(wait_for_process("").is_err());
        assert!(wait_for_file("").is_err());
    }

    #[test]
    fn timeout_rounding() {
        assert_eq!(wait_for_timeout(1500.0).unwrap(), "sleep 1");
        assert_eq!(wait_for_timeout(0.0).unwrap(), "sleep 1");
        assert_eq!(wait_for_timeout(65999.9).unwrap(), "sleep 65");
        assert_eq!(wait_for_timeout(1e20).unwrap(), "sleep 100000000000000000");
    }
}
