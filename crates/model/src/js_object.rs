//! An ordered string map that iterates like a JavaScript object's own keys.
//!
//! The official SDK keeps environment variables in plain objects and merges them with
//! spread syntax, so their order is JavaScript's: integer-like keys ("0", "42") first in
//! ascending numeric order, then the other keys in order of first insertion. A later
//! value for an existing key replaces the value but keeps the position.

use crate::prelude::*;
/// Ordered key/value pairs with JavaScript object key order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsObject {
    entries: Vec<(String, String)>,
}

/// True when `key` is a canonical array index (`0`, or `[1-9][0-9]*` below 2^32 - 1),
/// which JavaScript orders before all other keys.
fn array_index(key: &str) -> Option<u32> {
    if key.is_empty() || key.len() > 10 || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if key.len() > 1 && key.starts_with('0') {
        return None;
    }
    let n = novita_template_json::text::parse_u64(key)?;
    if n < u32::MAX as u64 {
        Some(n as u32)
    } else {
        None
    }
}

impl JsObject {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// `obj[key] = value`.
    pub fn insert(&mut self, key: &str, value: &str) {
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value.to_string();
        } else {
            self.entries.push((key.to_string(), value.to_string()));
        }
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The pairs in JavaScript `Object.entries` order.
    pub fn entries(&self) -> Vec<(&str, &str)> {
        // Index keys first, in numeric order (keys are unique, so no ties), placed by
        // insertion: objects here have a handful of keys, and the library's sort
        // costs kilobytes of wasm. Then the other keys in insertion order.
        let mut out: Vec<(&str, &str)> = Vec::with_capacity(self.entries.len());
        let mut indexes: Vec<u32> = Vec::new();
        for (k, v) in &self.entries {
            if let Some(n) = array_index(k) {
                let at = indexes.iter().position(|&m| m > n).unwrap_or(indexes.len());
                indexes.insert(at, n);
                out.insert(at, (k, v));
            }
        }
        for (k, v) in &self.entries {
            if array_index(k).is_none() {
                out.push((k, v));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::JsObject;

    #[test]
    fn javascript_key_order() {
        let mut o = JsObject::new();
        for (k, v) in [
            ("b", "1"),
            ("10", "x"),
            ("a", "2"),
            ("2", "y"),
            ("b", "3"),
            ("01", "z"),
        ] {
            o.insert(k, v);
        }
        assert_eq!(
            o.entries(),
            vec![("2", "y"), ("10", "x"), ("b", "3"), ("a", "2"), ("01", "z")]
        );
    }
}
