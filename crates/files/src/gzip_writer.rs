//! A minimal gzip container (RFC 1952) around the tar stream, so the
//! benchmark can compare the platform's `CompressionStream` with doing it in
//! Rust. The header matches node's zlib output (`mtime 0`, `xfl 0`, `OS 3`).
//!
//! The default body is deflate *stored* blocks: no compression, almost no
//! CPU, and about 5 bytes of overhead per 64 KiB (uploads are mostly already
//! compressed or random data, where deflate wins nothing). With the
//! `deflate` feature, [`GzipWriter::deflate`] compresses with miniz_oxide.

use crate::byte_sink::ByteSink;

/// Largest payload of one stored block.
const STORED_MAX: usize = 65535;

const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];

/// Running CRC-32 (IEEE, reflected). The lookup table is built at run time
/// (2,048 shifts, once per archive) rather than shipped as 1 KiB of wasm data.
pub struct Crc32 {
    table: Box<[u32; 256]>,
    value: u32,
}

impl Default for Crc32 {
    fn default() -> Self {
        Crc32::new()
    }
}

impl Crc32 {
    pub fn new() -> Crc32 {
        let mut table = Box::new([0u32; 256]);
        for (i, slot) in table.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        Crc32 { table, value: 0 }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        let mut c = !self.value;
        for &b in bytes {
            c = self.table[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
        }
        self.value = !c;
    }

    pub fn value(&self) -> u32 {
        self.value
    }
}

/// Continues a CRC-32 over `bytes` (start with 0). Builds a table per call:
/// use [`Crc32`] for streams.
pub fn crc32(crc: u32, bytes: &[u8]) -> u32 {
    let mut c = Crc32::new();
    c.value = crc;
    c.update(bytes);
    c.value
}

enum Body {
    Stored {
        pending: Vec<u8>,
    },
    #[cfg(feature = "deflate")]
    Deflate {
        compressor: Box<miniz_oxide::deflate::core::CompressorOxide>,
    },
}

/// Gzip writer; itself a [`ByteSink`], so a [`crate::TarWriter`] can write
/// straight into it.
pub struct GzipWriter<S: ByteSink> {
    sink: S,
    crc: Crc32,
    /// Input length modulo 2^32 (the gzip `ISIZE` field).
    isize: u32,
    body: Body,
}

impl<S: ByteSink> GzipWriter<S> {
    /// Gzip with stored (uncompressed) deflate blocks.
    pub fn stored(mut sink: S) -> GzipWriter<S> {
        sink.put(&GZIP_HEADER);
        GzipWriter {
            sink,
            crc: Crc32::new(),
            isize: 0,
            body: Body::Stored {
                pending: Vec::with_capacity(STORED_MAX),
            },
        }
    }

    /// Gzip with real deflate at `level` (0-10; node's default is 6).
    #[cfg(feature = "deflate")]
    pub fn deflate(mut sink: S, level: u8) -> GzipWriter<S> {
        use miniz_oxide::deflate::core::{create_comp_flags_from_zip_params, CompressorOxide};
        sink.put(&GZIP_HEADER);
        let flags = create_comp_flags_from_zip_params(i32::from(level.min(10)), -15, 0);
        let compressor = Box::new(CompressorOxide::new(flags));
        GzipWriter {
            sink,
            crc: Crc32::new(),
            isize: 0,
            body: Body::Deflate { compressor },
        }
    }

    /// Ends the deflate stream, writes the CRC-32 and size trailer, and
    /// returns the sink.
    pub fn finish(mut self) -> S {
        match &mut self.body {
            Body::Stored { pending } => {
                let last = core::mem::take(pending);
                write_stored_block(&mut self.sink, &last, true);
            }
            #[cfg(feature = "deflate")]
            Body::Deflate { compressor } => {
                deflate_into(
                    compressor,
                    &mut self.sink,
                    &[],
                    miniz_oxide::deflate::core::TDEFLFlush::Finish,
                );
            }
        }
        let mut trailer = [0u8; 8];
        trailer[..4].copy_from_slice(&self.crc.value().to_le_bytes());
        trailer[4..].copy_from_slice(&self.isize.to_le_bytes());
        self.sink.put(&trailer);
        self.sink
    }
}

fn write_stored_block<S: ByteSink>(sink: &mut S, data: &[u8], last: bool) {
    let len = data.len() as u16;
    let mut head = [0u8; 5];
    head[0] = u8::from(last);
    head[1..3].copy_from_slice(&len.to_le_bytes());
    head[3..5].copy_from_slice(&(!len).to_le_bytes());
    sink.put(&head);
    sink.put(data);
}

#[cfg(feature = "deflate")]
fn deflate_into<S: ByteSink>(
    c: &mut miniz_oxide::deflate::core::CompressorOxide,
    sink: &mut S,
    mut input: &[u8],
    flush: miniz_oxide::deflate::core::TDEFLFlush,
) {
    use miniz_oxide::deflate::core::{compress, TDEFLStatus};
    let mut out = vec![0u8; 64 * 1024];
    loop {
        let (status, consumed, produced) = compress(c, input, &mut out, flush);
        sink.put(&out[..produced]);
        input = &input[consumed.min(input.len())..];
        match status {
            TDEFLStatus::Okay if !input.is_empty() || produced == out.len() => continue,
            _ => break,
        }
    }
}

impl<S: ByteSink> ByteSink for GzipWriter<S> {
    fn put(&mut self, mut bytes: &[u8]) {
        self.crc.update(bytes);
        self.isize = self.isize.wrapping_add(bytes.len() as u32);
        match &mut self.body {
            Body::Stored { pending } => {
                while !bytes.is_empty() {
                    let take = (STORED_MAX - pending.len()).min(bytes.len());
                    pending.extend_from_slice(&bytes[..take]);
                    bytes = &bytes[take..];
                    if pending.len() == STORED_MAX {
                        write_stored_block(&mut self.sink, pending, false);
                        pending.clear();
                    }
                }
            }
            #[cfg(feature = "deflate")]
            Body::Deflate { compressor } => {
                deflate_into(
                    compressor,
                    &mut self.sink,
                    bytes,
                    miniz_oxide::deflate::core::TDEFLFlush::None,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(0, b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(crc32(0, b"1234"), b"56789"), 0xCBF4_3926);
    }

    #[test]
    fn stored_layout() {
        let mut g = GzipWriter::stored(Vec::new());
        g.put(b"abc");
        let out = g.finish();
        assert_eq!(&out[..10], &GZIP_HEADER);
        assert_eq!(&out[10..15], &[1, 3, 0, 0xfc, 0xff]);
        assert_eq!(&out[15..18], b"abc");
        assert_eq!(&out[18..22], &crc32(0, b"abc").to_le_bytes());
        assert_eq!(&out[22..], &3u32.to_le_bytes());
    }

    #[cfg(feature = "deflate")]
    #[test]
    fn deflate_round_trips() {
        let data = b"tar header and some text, repeated; ".repeat(3000);
        let mut g = GzipWriter::deflate(Vec::new(), 6);
        for c in data.chunks(333) {
            g.put(c);
        }
        let out = g.finish();
        assert_eq!(&out[..10], &GZIP_HEADER);
        let body = &out[10..out.len() - 8];
        let back = miniz_oxide::inflate::decompress_to_vec(body).expect("inflate");
        assert_eq!(back, data);
        assert!(
            out.len() < data.len() / 20,
            "compressed to {} bytes",
            out.len()
        );
        assert_eq!(
            &out[out.len() - 8..out.len() - 4],
            &crc32(0, &data).to_le_bytes()
        );
    }
}
