//! A streaming ustar writer (docs/wire-contract.md §5.5): header blocks in node-tar's
//! layout (numeric fields as zero-padded octal followed by ` \0`, empty
//! uname/gname, `ustar\0` + `00`), data padded to 512 bytes, two zero blocks
//! at the end and no record padding.
//!
//! Names longer than 100 bytes go into the ustar prefix field when they can
//! be split at a `/`; otherwise, and for link targets over 100 bytes or
//! numbers too large for their octal field, a PAX extended header (`x`)
//! carries the exact value, so every name without NUL bytes is representable.

use crate::byte_sink::ByteSink;
use crate::error::tar_error;
use crate::prelude::*;

const BLOCK: usize = 512;
const NAME_LEN: usize = 100;
const PREFIX_LEN: usize = 155;
/// Largest value of an 8-byte octal field (7 digits).
const MAX_OCTAL_8: u64 = 0o7777777;
/// Largest value of a 12-byte octal field (11 digits).
const MAX_OCTAL_12: u64 = 0o77777777777;

/// What an archive entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TarKind {
    /// A regular file of `size` bytes; the bytes follow via [`TarWriter::data`].
    File { size: u64 },
    /// A directory (give its name a trailing `/`, the context as `./`).
    Dir,
    /// A symbolic link (typeflag `2`) whose link text is `target`.
    Symlink { target: String },
}

/// One entry's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarHeader {
    /// The archive name, exactly as it is to appear (`app/`, `./`, `a.txt`).
    pub path: String,
    pub kind: TarKind,
    /// Permission bits; only `mode & 0o7777` is written.
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Modification time, seconds since the epoch.
    pub mtime: u64,
}

impl TarHeader {
    /// The header block(s) of the entry, as [`TarWriter::begin`] writes them: for a
    /// host that writes the archive itself.
    pub fn encode(&self) -> Result<Vec<u8>, SdkError> {
        encode_header(self)
    }
}

enum State {
    Idle,
    /// Inside a file's data: bytes still expected, and the padding to add.
    Data {
        path: String,
        remaining: u64,
        padding: usize,
    },
    Finished,
}

/// Writes a tar stream entry by entry into a [`ByteSink`].
pub struct TarWriter<S: ByteSink> {
    sink: S,
    state: State,
    written: u64,
}

impl<S: ByteSink> TarWriter<S> {
    pub fn new(sink: S) -> TarWriter<S> {
        TarWriter {
            sink,
            state: State::Idle,
            written: 0,
        }
    }

    /// Bytes written so far.
    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    /// The sink, e.g. to drain a `Vec<u8>` between entries.
    pub fn sink_mut(&mut self) -> &mut S {
        &mut self.sink
    }

    /// True while a file's data is still expected.
    pub fn entry_open(&self) -> bool {
        matches!(self.state, State::Data { .. })
    }

    fn put(&mut self, bytes: &[u8]) {
        self.written += bytes.len() as u64;
        self.sink.put(bytes);
    }

    /// Writes the header(s) of a new entry. For a file with a non-zero size,
    /// exactly `size` bytes must follow through [`TarWriter::data`].
    pub fn begin(&mut self, header: &TarHeader) -> Result<(), SdkError> {
        match &self.state {
            State::Data {
                path, remaining, ..
            } => {
                return Err(tar_error(
                    path,
                    &[&u64_text(*remaining), " bytes of data still missing"].concat(),
                ))
            }
            State::Finished => {
                return Err(tar_error(&header.path, "the archive is already finished"))
            }
            State::Idle => {}
        }
        let blocks = encode_header(header)?;
        self.put(&blocks);
        if let TarKind::File { size } = header.kind {
            if size > 0 {
                let padding = ((BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64) as usize;
                self.state = State::Data {
                    path: header.path.clone(),
                    remaining: size,
                    padding,
                };
            }
        }
        Ok(())
    }

    /// A chunk of the current file's data. Once the declared size is reached
    /// the block padding is written and the entry is closed.
    pub fn data(&mut self, chunk: &[u8]) -> Result<(), SdkError> {
        let State::Data {
            path,
            remaining,
            padding,
        } = &mut self.state
        else {
            if chunk.is_empty() {
                return Ok(());
            }
            return Err(tar_error("", "data given while no file entry is open"));
        };
        if chunk.len() as u64 > *remaining {
            return Err(tar_error(
                path,
                &[
                    &u64_text(chunk.len() as u64 - *remaining),
                    " bytes more than the declared size",
                ]
                .concat(),
            ));
        }
        *remaining -= chunk.len() as u64;
        let done = *remaining == 0;
        let pad = *padding;
        self.put(chunk);
        if done {
            self.put(&[0u8; BLOCK][..pad]);
            self.state = State::Idle;
        }
        Ok(())
    }

    /// Writes the two zero end blocks and returns the sink.
    pub fn finish(mut self) -> Result<S, SdkError> {
        if let State::Data {
            path, remaining, ..
        } = &self.state
        {
            return Err(tar_error(
                path,
                &[&u64_text(*remaining), " bytes of data still missing"].concat(),
            ));
        }
        if !matches!(self.state, State::Finished) {
            self.put(&[0u8; 2 * BLOCK]);
            self.state = State::Finished;
        }
        Ok(self.sink)
    }
}

/// node-tar's octal layout: `digits` zero-padded to `len - 2` then ` \0`,
/// or exactly `len - 1` digits then `\0`.
fn put_octal(field: &mut [u8], value: u64) {
    let mut digits = [0u8; 22];
    let mut at = digits.len();
    let mut v = value;
    loop {
        at -= 1;
        digits[at] = b'0' + (v & 7) as u8;
        v >>= 3;
        if v == 0 {
            break;
        }
    }
    let digits = &digits[at..];
    let len = field.len();
    if digits.len() >= len - 1 {
        // As many digits as fit, then NUL (when there is room).
        let n = digits.len().min(len);
        field[..n].copy_from_slice(&digits[..n]);
        if n < len {
            field[n] = 0;
        }
    } else {
        let width = len - 2;
        field[..width].fill(b'0');
        field[width - digits.len()..width].copy_from_slice(digits);
        field[width] = b' ';
        field[width + 1] = 0;
    }
}

/// Splits a long name into (prefix, name) at a `/`, if ustar allows it.
fn split_name(path: &str) -> Option<(&str, &str)> {
    let bytes = path.as_bytes();
    if bytes.len() <= NAME_LEN {
        return Some(("", path));
    }
    if bytes.len() > PREFIX_LEN + 1 + NAME_LEN {
        return None;
    }
    // Longest possible prefix: leaves the shortest name.
    let search_end = bytes.len().saturating_sub(1).min(PREFIX_LEN);
    (1..=search_end).rev().find_map(|i| {
        let name_len = bytes.len() - i - 1;
        (bytes[i] == b'/' && name_len > 0 && name_len <= NAME_LEN)
            .then(|| (&path[..i], &path[i + 1..]))
    })
}

fn pax_record(out: &mut Vec<u8>, key: &str, value: &str) {
    // "<len> <key>=<value>\n", where <len> counts its own digits.
    let base = key.len() + value.len() + 3;
    let mut len = base + 1;
    while len != base + u64_text(len as u64).len() {
        len = base + u64_text(len as u64).len();
    }
    out.extend_from_slice(
        [&u64_text(len as u64), " ", key, "=", value, "\n"]
            .concat()
            .as_bytes(),
    );
}

/// A header block with the fields node-tar sets; name and prefix as given.
fn ustar_block(
    name: &[u8],
    prefix: &[u8],
    h: &TarHeader,
    typeflag: u8,
    size: u64,
    linkname: &[u8],
) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    b[..name.len().min(NAME_LEN)].copy_from_slice(&name[..name.len().min(NAME_LEN)]);
    put_octal(&mut b[100..108], u64::from(h.mode & 0o7777));
    put_octal(
        &mut b[108..116],
        if h.uid > MAX_OCTAL_8 { 0 } else { h.uid },
    );
    put_octal(
        &mut b[116..124],
        if h.gid > MAX_OCTAL_8 { 0 } else { h.gid },
    );
    put_octal(&mut b[124..136], if size > MAX_OCTAL_12 { 0 } else { size });
    put_octal(
        &mut b[136..148],
        if h.mtime > MAX_OCTAL_12 { 0 } else { h.mtime },
    );
    b[156] = typeflag;
    b[157..157 + linkname.len().min(NAME_LEN)]
        .copy_from_slice(&linkname[..linkname.len().min(NAME_LEN)]);
    b[257..265].copy_from_slice(b"ustar\x0000");
    b[345..345 + prefix.len().min(PREFIX_LEN)]
        .copy_from_slice(&prefix[..prefix.len().min(PREFIX_LEN)]);
    let sum: u64 = b[..148]
        .iter()
        .chain(&b[156..])
        .map(|&x| u64::from(x))
        .sum::<u64>()
        + 8 * 0x20;
    put_octal(&mut b[148..156], sum);
    b
}

/// The header block(s) of one entry: an optional PAX header and its data,
/// then the ustar header.
fn encode_header(h: &TarHeader) -> Result<Vec<u8>, SdkError> {
    if h.path.is_empty() {
        return Err(tar_error(&h.path, "an entry needs a name"));
    }
    if h.path.contains('\0') {
        return Err(tar_error(&h.path, "a name cannot contain a NUL byte"));
    }
    let (typeflag, size, linkname) = match &h.kind {
        TarKind::File { size } => (b'0', *size, ""),
        TarKind::Dir => (b'5', 0, ""),
        TarKind::Symlink { target } => {
            if target.is_empty() || target.contains('\0') {
                return Err(tar_error(
                    &h.path,
                    "a link target must be non-empty and without NUL bytes",
                ));
            }
            (b'2', 0, target.as_str())
        }
    };
    let mut pax = Vec::new();
    let split = split_name(&h.path);
    if split.is_none() {
        pax_record(&mut pax, "path", &h.path);
    }
    if linkname.len() > NAME_LEN {
        pax_record(&mut pax, "linkpath", linkname);
    }
    if size > MAX_OCTAL_12 {
        pax_record(&mut pax, "size", &u64_text(size));
    }
    if h.uid > MAX_OCTAL_8 {
        pax_record(&mut pax, "uid", &u64_text(h.uid));
    }
    if h.gid > MAX_OCTAL_8 {
        pax_record(&mut pax, "gid", &u64_text(h.gid));
    }
    if h.mtime > MAX_OCTAL_12 {
        pax_record(&mut pax, "mtime", &u64_text(h.mtime));
    }
    let mut out = Vec::with_capacity(3 * BLOCK);
    if !pax.is_empty() {
        let base = h
            .path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("entry");
        let pax_name = truncate_utf8(&["PaxHeader/", base].concat(), NAME_LEN).to_string();
        let pax_header = TarHeader {
            path: pax_name.clone(),
            kind: TarKind::File {
                size: pax.len() as u64,
            },
            mode: 0o644,
            ..h.clone()
        };
        out.extend_from_slice(&ustar_block(
            pax_name.as_bytes(),
            b"",
            &pax_header,
            b'x',
            pax.len() as u64,
            b"",
        ));
        out.extend_from_slice(&pax);
        out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
    }
    let (prefix, name) = match split {
        Some((p, n)) => (p.as_bytes(), n.as_bytes()),
        None => (&b""[..], truncate_utf8(&h.path, NAME_LEN).as_bytes()),
    };
    out.extend_from_slice(&ustar_block(
        name,
        prefix,
        h,
        typeflag,
        size,
        truncate_utf8(linkname, NAME_LEN).as_bytes(),
    ));
    Ok(out)
}

fn truncate_utf8(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(path: &str, kind: TarKind) -> TarHeader {
        TarHeader {
            path: path.to_string(),
            kind,
            mode: 0o644,
            uid: 0,
            gid: 0,
            mtime: 0o15302545440,
        }
    }

    #[test]
    fn node_tar_numeric_layout() {
        let b = ustar_block(
            b"a.txt",
            b"",
            &header("a.txt", TarKind::File { size: 6 }),
            b'0',
            6,
            b"",
        );
        assert_eq!(&b[100..108], b"000644 \0");
        assert_eq!(&b[108..116], b"000000 \0");
        assert_eq!(&b[124..136], b"0000000006 \0");
        assert_eq!(&b[136..148], b"15302545440\0");
        assert_eq!(&b[257..265], b"ustar\x0000");
        let sum: u64 = b[..148]
            .iter()
            .chain(&b[156..])
            .map(|&x| u64::from(x))
            .sum::<u64>()
            + 256;
        let field = std::str::from_utf8(&b[148..154]).expect("ascii");
        assert_eq!(u64::from_str_radix(field, 8).expect("octal"), sum);
    }

    #[test]
    fn prefix_split() {
        let long = format!("{}/{}", "d".repeat(120), "f".repeat(90));
        assert_eq!(split_name(&long), Some((&long[..120], &long[121..])));
        assert_eq!(split_name(&"x".repeat(101)), None);
        let dir = format!("{}/{}/", "d".repeat(60), "e".repeat(60));
        assert_eq!(split_name(&dir).map(|(_, n)| n.len()), Some(61));
    }

    #[test]
    fn pax_record_lengths_count_themselves() {
        let mut v = Vec::new();
        pax_record(&mut v, "path", "abc");
        assert_eq!(v, b"12 path=abc\n");
        let mut v = Vec::new();
        pax_record(&mut v, "path", &"x".repeat(91));
        assert_eq!(v.len(), 101);
        assert!(v.starts_with(b"101 path="));
    }

    #[test]
    fn data_accounting() {
        let mut w = TarWriter::new(Vec::new());
        w.begin(&header("a", TarKind::File { size: 3 }))
            .expect("begin");
        assert!(w.data(b"abcd").is_err());
        w.data(b"ab").expect("data");
        let e = w.begin(&header("b", TarKind::Dir)).unwrap_err();
        assert!(e.to_string().contains("\"a\""), "{e}");
        w.data(b"c").expect("data");
        let out = w.finish().expect("finish");
        assert_eq!(out.len(), 512 * 4);
        let mut w = TarWriter::new(Vec::new());
        assert!(w.begin(&header("", TarKind::Dir)).is_err());
        assert!(w.begin(&header("a\0b", TarKind::Dir)).is_err());
    }
}
