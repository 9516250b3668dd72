//! The emulator's naming rules and platform limits. Every check returns a message
//! that names the problem; the routes turn it into a 400 `{code, message}`.
//!
//! Rules (also in the README and `--help`):
//! - template name: 1-128 characters of letters, digits, `-`, `_`, `.`; starts with a
//!   letter or digit. Names are case-insensitive: they are stored and compared in
//!   lowercase (as the real service does), so `MyApp` and `myapp` are one template.
//! - tag: 1-128 characters of letters, digits, `-`, `_`, `.`; starts with a letter,
//!   digit or `_` (the Docker tag rule).
//! - `name:tag` splits at the last `:`; a name without tag means the tag `default`.
//! - ids in paths: 1-128 characters of letters, digits, `-`, `_`, `.`, `:`, and never
//!   `.` or `..` alone (so no id can walk a path).
//! - files hash: exactly 64 lowercase hex digits.

/// Tag assumed when a name carries none.
pub const DEFAULT_TAG: &str = "default";

pub const CPU_MIN: i64 = 1;
pub const CPU_MAX: i64 = 8;
pub const MEMORY_MIN_MB: i64 = 128;
pub const MEMORY_MAX_MB: i64 = 8192;
/// Longest accepted name, tag or id.
pub const MAX_NAME_LEN: usize = 128;

/// Checks a template name and returns its canonical (lowercase) form.
pub fn template_name(name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err("template name must not be empty".into());
    }
    if name.len() > MAX_NAME_LEN {
        return Err(format!(
            "template name '{}…' is too long: at most {MAX_NAME_LEN} characters",
            &name[..name.char_indices().nth(32).map_or(name.len(), |(i, _)| i)]
        ));
    }
    let first = name.as_bytes()[0];
    if !first.is_ascii_alphanumeric() {
        return Err(format!(
            "template name '{name}' is invalid: it must start with a letter or a digit"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "template name '{name}' is invalid: character '{c}' is not allowed (use letters, digits, '-', '_' and '.')"
        ));
    }
    Ok(name.to_ascii_lowercase())
}

pub fn tag(tag: &str) -> Result<(), String> {
    if tag.is_empty() {
        return Err("tag must not be empty".into());
    }
    if tag.len() > MAX_NAME_LEN {
        return Err(format!(
            "tag is too long: at most {MAX_NAME_LEN} characters"
        ));
    }
    let first = tag.as_bytes()[0];
    if !(first.is_ascii_alphanumeric() || first == b'_') {
        return Err(format!(
            "tag '{tag}' is invalid: it must start with a letter, a digit or '_'"
        ));
    }
    if let Some(c) = tag
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "tag '{tag}' is invalid: character '{c}' is not allowed (use letters, digits, '-', '_' and '.')"
        ));
    }
    Ok(())
}

/// Splits `name[:tag]` at the last `:` and validates both parts.
/// Returns the canonical name and the explicit tag, if any.
pub fn name_and_tag(reference: &str) -> Result<(String, Option<String>), String> {
    match reference.rsplit_once(':') {
        Some((name, t)) => {
            let name = template_name(name)?;
            tag(t)?;
            Ok((name, Some(t.to_string())))
        }
        None => Ok((template_name(reference)?, None)),
    }
}

/// An id taken from a URL path (template id, build id, sandbox id, or a name).
pub fn path_id(what: &str, id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= MAX_NAME_LEN
        && id != "."
        && id != ".."
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid {what} '{}': use 1-{MAX_NAME_LEN} characters of letters, digits, '-', '_', '.' and ':'",
            id.chars().take(64).collect::<String>()
        ))
    }
}

pub fn files_hash(hash: &str) -> Result<(), String> {
    if hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(format!(
            "invalid files hash '{}': expected 64 lowercase hexadecimal digits",
            hash.chars().take(80).collect::<String>()
        ))
    }
}

pub fn cpu_count(n: i64) -> Result<(), String> {
    if (CPU_MIN..=CPU_MAX).contains(&n) {
        Ok(())
    } else {
        Err(format!(
            "cpuCount {n} is outside the platform limit: {CPU_MIN} to {CPU_MAX} CPUs"
        ))
    }
}

pub fn memory_mb(n: i64) -> Result<(), String> {
    if !(MEMORY_MIN_MB..=MEMORY_MAX_MB).contains(&n) {
        return Err(format!(
            "memoryMB {n} is outside the platform limit: {MEMORY_MIN_MB} to {MEMORY_MAX_MB} MiB"
        ));
    }
    if n % 2 != 0 {
        return Err(format!(
            "memoryMB {n} is invalid: the platform limit requires an even number of MiB"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_tags() {
        assert!(template_name("my-python_template.v2").is_ok());
        assert_eq!(
            template_name("skip-cache-beforeFrom").unwrap(),
            "skip-cache-beforefrom"
        );
        assert!(template_name("-x").unwrap_err().contains("start"));
        assert!(template_name("a/b").unwrap_err().contains("'/'"));
        assert!(tag("v1.0.0").is_ok());
        assert!(tag("Prod_1").is_ok());
        assert!(tag(".x").is_err());
        assert_eq!(
            name_and_tag("app:v1").unwrap(),
            ("app".to_string(), Some("v1".to_string()))
        );
        assert_eq!(name_and_tag("App").unwrap(), ("app".to_string(), None));
        assert!(name_and_tag("app:").is_err());
        assert!(name_and_tag("name:with tag/slash").is_err());
    }

    #[test]
    fn ids_and_hashes() {
        assert!(path_id("id", "tpl123").is_ok());
        assert!(path_id("id", "..").is_err());
        assert!(path_id("id", "a/b").is_err());
        assert!(files_hash(&"a".repeat(64)).is_ok());
        assert!(files_hash(&"A".repeat(64)).is_err());
        assert!(files_hash("../../etc/passwd").is_err());
    }

    #[test]
    fn limits() {
        assert!(cpu_count(0).unwrap_err().contains("1 to 8"));
        assert!(cpu_count(8).is_ok());
        assert!(memory_mb(1023).unwrap_err().contains("even"));
        assert!(memory_mb(64).unwrap_err().contains("128 to 8192"));
        assert!(memory_mb(1024).is_ok());
    }
}
