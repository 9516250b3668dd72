//! What one COPY step hashes and archives, entry by entry (§5.4-5.5).
//!
//! [`plan_copy`] runs discovery and resolves the symlink rules once; the
//! host then walks [`CopyPlan::entries`], streaming file bytes (read from
//! [`PlanEntry::read_path`]) into a [`FilesHasher`] and, when an upload is
//! needed, into a [`TarWriter`].

use crate::byte_sink::ByteSink;
use crate::discovery::discover;
use crate::files_hash::FilesHasher;
use crate::ignore::IgnoreSet;
use crate::prelude::*;
use crate::tar_writer::{TarHeader, TarKind, TarWriter};
use crate::tree::{EntryKind, FileTree};

/// What the hash covers for one entry after its path, mode and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashBody {
    /// Directories (and other non-files): nothing more.
    Nothing,
    /// A symlink that is not followed: its link text.
    LinkText(String),
    /// A regular file (or a followed symlink to one): its bytes.
    FileBytes,
}

/// One discovered entry with everything needed to hash and archive it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEntry {
    /// Relative posix path (`""` = context directory); also the path to read.
    pub path: String,
    /// `st_mode` to hash (from `lstat` for unfollowed links, else `stat`).
    pub mode: u32,
    /// `st_size` to hash.
    pub size: u64,
    pub body: HashBody,
    /// The tar entry it becomes, or `None` (FIFOs, sockets, devices).
    pub tar: Option<TarEntryPlan>,
}

impl PlanEntry {
    /// Whether the host must feed this entry's bytes (to the hash, and to
    /// the tar when one is written). Read them from [`PlanEntry::read_path`]:
    /// for a followed symlink, reading the link path yields the target's bytes.
    pub fn needs_bytes(&self) -> bool {
        self.body == HashBody::FileBytes
    }

    /// The path to open for the bytes (the entry's own path).
    pub fn read_path(&self) -> &str {
        &self.path
    }

    /// Feeds this entry's header (and link text) to the hasher; file bytes,
    /// if [`PlanEntry::needs_bytes`], must follow through `FilesHasher::content`.
    pub fn hash_header(&self, hasher: &mut FilesHasher) {
        hasher.entry(&self.path, self.mode, self.size);
        if let HashBody::LinkText(t) = &self.body {
            hasher.link_text(t);
        }
    }
}

/// The tar side of an entry; ownership and time are the host's to supply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarEntryPlan {
    /// Archive name: `./` for the context, a trailing `/` for directories.
    pub name: String,
    pub kind: TarKind,
    /// Permission bits as node-tar writes them.
    pub mode: u32,
}

impl TarEntryPlan {
    /// The full header, with the host's uid, gid and mtime (seconds).
    pub fn header(&self, uid: u64, gid: u64, mtime: u64) -> TarHeader {
        TarHeader {
            path: self.name.clone(),
            kind: self.kind.clone(),
            mode: self.mode,
            uid,
            gid,
            mtime,
        }
    }
}

/// The ordered entries of one COPY step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyPlan {
    pub src: String,
    pub dest: String,
    pub entries: Vec<PlanEntry>,
}

/// Inputs of [`plan_copy`] that come from the template rather than the step.
#[derive(Debug, Clone, Copy)]
pub struct CopyContext<'a> {
    /// The template's `fileContextPath` as given (only used in messages).
    pub context_display: &'a str,
    pub ignore: &'a IgnoreSet,
}

/// Discovers `src` and decides, per entry, what is hashed and archived.
///
/// Symlink rule (hash and tar agree): a symlink is followed only when
/// `resolve_symlinks` is set and its target exists and is a file or a
/// directory; otherwise its `lstat` and link text are hashed and it is
/// archived as a link (official tar would fail on a dangling link instead).
pub fn plan_copy(
    tree: &dyn FileTree,
    src: &str,
    dest: &str,
    ctx: CopyContext<'_>,
    resolve_symlinks: bool,
) -> Result<CopyPlan, SdkError> {
    let found = discover(tree, src, ctx.ignore, ctx.context_display)?;
    let mut entries = Vec::with_capacity(found.len());
    for d in found {
        let mut meta = d.lstat;
        if meta.kind == EntryKind::Symlink {
            let target = tree
                .stat(&d.path)
                .map_err(|e| crate::error::tree_error(&d.path, &e.0))?;
            match target {
                Some(t)
                    if resolve_symlinks && matches!(t.kind, EntryKind::File | EntryKind::Dir) =>
                {
                    meta = t
                }
                _ => {
                    let text = meta.link_target.clone().ok_or_else(|| {
                        crate::error::tree_error(&d.path, "symlink without link text")
                    })?;
                    let tar = Some(TarEntryPlan {
                        name: d.path.clone(),
                        kind: TarKind::Symlink {
                            target: text.clone(),
                        },
                        mode: meta.mode & 0o7777,
                    });
                    entries.push(PlanEntry {
                        path: d.path,
                        mode: meta.mode,
                        size: meta.size,
                        body: HashBody::LinkText(text),
                        tar,
                    });
                    continue;
                }
            }
        }
        let (body, tar) = match meta.kind {
            EntryKind::File => (
                HashBody::FileBytes,
                Some(TarEntryPlan {
                    name: d.path.clone(),
                    kind: TarKind::File { size: meta.size },
                    mode: meta.mode & 0o7777,
                }),
            ),
            EntryKind::Dir => {
                let name = if d.path.is_empty() {
                    "./".to_string()
                } else {
                    [d.path.as_str(), "/"].concat()
                };
                (
                    HashBody::Nothing,
                    Some(TarEntryPlan {
                        name,
                        kind: TarKind::Dir,
                        mode: dir_mode_fix(meta.mode & 0o7777),
                    }),
                )
            }
            EntryKind::Symlink | EntryKind::Other => (HashBody::Nothing, None),
        };
        entries.push(PlanEntry {
            path: d.path,
            mode: meta.mode,
            size: meta.size,
            body,
            tar,
        });
    }
    Ok(CopyPlan {
        src: src.to_string(),
        dest: dest.to_string(),
        entries,
    })
}

/// node-tar makes readable directories searchable (`r` implies `x`).
fn dir_mode_fix(mut perm: u32) -> u32 {
    for (r, x) in [(0o400, 0o100), (0o040, 0o010), (0o004, 0o001)] {
        if perm & r != 0 {
            perm |= x;
        }
    }
    perm
}

/// One piece of a COPY step's hash input, in order: text to hash as it is, or a
/// file whose bytes (exactly `size` of them) come next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashPart<'a> {
    Text(String),
    File { path: &'a str, size: u64 },
}

impl CopyPlan {
    /// The `filesHash` preimage as pieces, for a host that hashes with its own
    /// SHA-256 (Node's native one): run them in order, texts as UTF-8 bytes and each
    /// file's bytes read from its path. Adjacent texts are joined.
    pub fn hash_parts(&self) -> Vec<HashPart<'_>> {
        let mut parts = Vec::new();
        let mut text = ["COPY ", &self.src, " ", &self.dest].concat();
        for e in &self.entries {
            text.push_str(&e.path);
            push_u64(&mut text, u64::from(e.mode));
            push_u64(&mut text, e.size);
            match &e.body {
                HashBody::LinkText(t) => text.push_str(t),
                HashBody::FileBytes => {
                    parts.push(HashPart::Text(core::mem::take(&mut text)));
                    parts.push(HashPart::File {
                        path: &e.path,
                        size: e.size,
                    });
                }
                HashBody::Nothing => {}
            }
        }
        if !text.is_empty() {
            parts.push(HashPart::Text(text));
        }
        parts
    }

    /// Computes `filesHash`, reading whole files through `read` (convenient
    /// for tests and small trees; stream with [`PlanEntry::hash_header`] and
    /// [`FilesHasher::content`] otherwise).
    pub fn files_hash<E>(
        &self,
        mut read: impl FnMut(&str) -> Result<Vec<u8>, E>,
    ) -> Result<String, E> {
        let mut h = FilesHasher::new(&self.src, &self.dest);
        for e in &self.entries {
            e.hash_header(&mut h);
            if e.needs_bytes() {
                h.content(&read(&e.path)?);
            }
        }
        Ok(h.finish())
    }

    /// Writes the whole tar (uncompressed) into `sink`. `read` returns a
    /// file's bytes; `owner` gives (uid, gid, mtime) per entry path.
    pub fn write_tar<S: ByteSink>(
        &self,
        sink: S,
        mut read: impl FnMut(&str) -> Result<Vec<u8>, SdkError>,
        mut owner: impl FnMut(&str) -> (u64, u64, u64),
    ) -> Result<S, SdkError> {
        let mut w = TarWriter::new(sink);
        for e in &self.entries {
            let Some(t) = &e.tar else { continue };
            let (uid, gid, mtime) = owner(&e.path);
            w.begin(&t.header(uid, gid, mtime))?;
            if let TarKind::File { .. } = t.kind {
                w.data(&read(&e.path)?)?;
            }
        }
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory_tree::MemoryTree;

    #[test]
    fn hash_parts_give_the_same_hash() {
        let t = tree();
        let ignore = IgnoreSet::empty();
        let ctx = CopyContext {
            context_display: ".",
            ignore: &ignore,
        };
        let plan = plan_copy(&t, ".", "/app", ctx, false).expect("plan");
        let mut preimage = Vec::new();
        for part in plan.hash_parts() {
            match part {
                HashPart::Text(t) => preimage.extend_from_slice(t.as_bytes()),
                HashPart::File { size, .. } => {
                    preimage.extend(core::iter::repeat_n(b'x', size as usize))
                }
            }
        }
        let expected = plan.files_hash(|_| Ok::<_, ()>(vec![b'x'; 30])).unwrap();
        assert_eq!(crate::files_hash::sha256_hex(&preimage), expected);
    }

    fn tree() -> MemoryTree {
        let mut t = MemoryTree::new();
        t.add_file("requirements.txt", 30).expect("insert");
        t.add_symlink("link", "requirements.txt").expect("insert");
        t.add_symlink("dangling", "nope").expect("insert");
        t.add_dir("d").expect("insert");
        t.insert("d/ro", crate::tree::Meta::dir(0o444, 4096))
            .expect("insert");
        t
    }

    fn plan(src: &str, resolve: bool) -> CopyPlan {
        let ignore = IgnoreSet::empty();
        plan_copy(
            &tree(),
            src,
            "/x",
            CopyContext {
                context_display: "c",
                ignore: &ignore,
            },
            resolve,
        )
        .expect("plan")
    }

    #[test]
    fn symlink_rules() {
        let p = plan("link", false);
        assert_eq!((p.entries[0].mode, p.entries[0].size), (0o120777, 16));
        assert_eq!(
            p.entries[0].body,
            HashBody::LinkText("requirements.txt".into())
        );
        assert_eq!(p.entries[0].tar.as_ref().map(|t| t.mode), Some(0o777));
        let p = plan("link", true);
        assert_eq!((p.entries[0].mode, p.entries[0].size), (0o100644, 30));
        assert!(p.entries[0].needs_bytes());
        assert_eq!(
            p.entries[0].tar.as_ref().map(|t| t.kind.clone()),
            Some(TarKind::File { size: 30 })
        );
        let p = plan("dangling", true);
        assert_eq!(
            p.entries[0].body,
            HashBody::LinkText("nope".into()),
            "dangling links are never followed"
        );
    }

    #[test]
    fn directory_names_and_modes() {
        let p = plan(".", false);
        let names: Vec<&str> = p
            .entries
            .iter()
            .filter_map(|e| e.tar.as_ref().map(|t| t.name.as_str()))
            .collect();
        assert_eq!(
            names,
            ["./", "requirements.txt", "link", "dangling", "d/", "d/ro/"]
        );
        let ro = p
            .entries
            .iter()
            .find(|e| e.path == "d/ro")
            .and_then(|e| e.tar.clone())
            .expect("entry");
        assert_eq!(
            ro.mode, 0o555,
            "readable implies searchable, as node-tar writes it"
        );
    }
}
