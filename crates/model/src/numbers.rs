//! Validation of the numbers JavaScript hands us (ports, modes, depths, status codes,
//! timeouts arrive as `f64`), and their formatting as JavaScript's `String(n)` would.

use crate::error::ModelError;

/// Checks that `value` is an integer in `min..=max` and returns it.
/// `what` names the method and argument for the error message.
pub fn integer_in(value: f64, min: i64, max: i64, what: &str) -> Result<i64, ModelError> {
    if !value.is_finite() || value.fract() != 0.0 || value < min as f64 || value > max as f64 {
        return Err(ModelError::invalid(format!(
            "{what} must be an integer between {min} and {max}"
        )));
    }
    Ok(value as i64)
}

/// Checks a file mode (integer, `0..=0o7777`).
pub fn file_mode(value: f64, what: &str) -> Result<u32, ModelError> {
    if !value.is_finite() || value.fract() != 0.0 || !(0.0..=4095.0).contains(&value) {
        return Err(ModelError::invalid(format!(
            "{what} must be an integer between 0 and 0o7777"
        )));
    }
    Ok(value as u32)
}

/// `mode.toString(8).padStart(4, "0")`: `0o644` gives `"0644"`, `0o4755` gives `"4755"`.
pub fn pad_octal(mode: u32) -> String {
    format!("{mode:04o}")
}
