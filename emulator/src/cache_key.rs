//! Layer cache keys. A step's key chains the previous key with the step's type, args
//! and files hash, so changing one step changes the key of every step after it,
//! as in a Docker layer cache.

use sha2::{Digest, Sha256};

use crate::spec::{Base, Step};

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key of the base layer: the image or template the build starts from.
pub fn base_key(base: &Base) -> String {
    let mut h = Sha256::new();
    match base {
        Base::Image(i) => {
            h.update(b"image\0");
            h.update(i.as_bytes());
        }
        Base::Template(t) => {
            h.update(b"template\0");
            h.update(t.as_bytes());
        }
    }
    hex(&h.finalize())
}

/// The key of `step` on top of the layer whose key is `previous`.
/// Fields are length-prefixed so that no two different steps share a preimage.
pub fn step_key(previous: &str, step: &Step) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field(step.kind.as_str());
    for a in &step.args {
        field(a);
    }
    field(step.files_hash.as_deref().unwrap_or(""));
    hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::StepKind;

    fn run(cmd: &str) -> Step {
        Step {
            kind: StepKind::Run,
            args: vec![cmd.into()],
            force: false,
            files_hash: None,
        }
    }

    #[test]
    fn keys_chain_and_ignore_force() {
        let b = base_key(&Base::Image("python:3.12".into()));
        assert_ne!(b, base_key(&Base::Template("python:3.12".into())));
        let k1 = step_key(&b, &run("a"));
        assert_eq!(k1, step_key(&b, &run("a")));
        assert_ne!(k1, step_key(&b, &run("b")));
        let mut forced = run("a");
        forced.force = true;
        assert_eq!(
            k1,
            step_key(&b, &forced),
            "force breaks the cache, not the key"
        );
        let other_base = base_key(&Base::Image("python:3.11".into()));
        assert_ne!(k1, step_key(&other_base, &run("a")));
        // ["ab"] and ["a","b"] must differ
        let mut two = run("a");
        two.args.push("b".into());
        assert_ne!(step_key(&b, &run("ab")), step_key(&b, &two));
    }
}
