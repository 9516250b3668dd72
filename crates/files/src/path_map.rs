//! A small hash map from paths to numbers: the in-memory tree's index of its entries
//! and discovery's set of paths already listed. Open addressing with linear probing
//! and FNV-1a: a few hundred bytes of wasm where `BTreeMap`/`BTreeSet` cost several
//! kilobytes, and constant time per lookup however large the context.

use crate::prelude::*;

/// The value of a free slot.
const FREE: u32 = u32::MAX;

#[derive(Debug, Clone, Default)]
pub(crate) struct PathMap {
    /// A power-of-two number of slots, at most half of them used.
    slots: Vec<(String, u32)>,
    len: usize,
}

fn hash(key: &str) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h as usize
}

impl PathMap {
    /// The slot holding `key`, or the free slot where it would go.
    fn slot(&self, key: &str) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = hash(key) & mask;
        while self.slots[i].1 != FREE && self.slots[i].0 != key {
            i = (i + 1) & mask;
        }
        i
    }

    pub(crate) fn get(&self, key: &str) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let v = self.slots[self.slot(key)].1;
        (v != FREE).then_some(v as usize)
    }

    /// Maps `key` to `value` unless `key` is present; true if it was added.
    pub(crate) fn insert(&mut self, key: &str, value: usize) -> bool {
        if 2 * (self.len + 1) > self.slots.len() {
            let size = (2 * self.slots.len()).max(16);
            let old = core::mem::replace(&mut self.slots, vec![(String::new(), FREE); size]);
            for (k, v) in old {
                if v != FREE {
                    let i = self.slot(&k);
                    self.slots[i] = (k, v);
                }
            }
        }
        let i = self.slot(key);
        if self.slots[i].1 != FREE {
            return false;
        }
        self.slots[i] = (key.into(), value as u32);
        self.len += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_many_paths() {
        let mut m = PathMap::default();
        assert_eq!(m.get(""), None);
        for i in 0..1000usize {
            assert!(m.insert(&["d/", &u64_text(i as u64)].concat(), i));
        }
        assert!(m.insert("", 1000));
        assert!(!m.insert("d/7", 5), "a present key keeps its value");
        for i in 0..1000usize {
            assert_eq!(m.get(&["d/", &u64_text(i as u64)].concat()), Some(i));
        }
        assert_eq!(m.get(""), Some(1000));
        assert_eq!(m.get("d/1000"), None);
    }
}
