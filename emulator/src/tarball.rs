//! Checks that an upload is a gzip-compressed tar archive: every header's checksum
//! must match and every entry's data must be present. The files hash cannot be
//! recomputed from an archive (it covers directory sizes and full modes that tar does
//! not carry), so structure is what the emulator can verify.

use std::io::Read;

use flate2::read::GzDecoder;

const BLOCK: usize = 512;

/// Reads the whole archive and returns its number of entries.
pub fn validate(reader: impl Read) -> Result<usize, String> {
    let mut gz = GzDecoder::new(reader);
    let mut block = [0u8; BLOCK];
    let mut entries = 0usize;
    loop {
        match read_block(&mut gz, &mut block)? {
            false if entries == 0 => return Err("the archive is empty".into()),
            false => return Ok(entries), // end of stream without end marker: accepted
            true => {}
        }
        if block.iter().all(|b| *b == 0) {
            if entries == 0 {
                return Err("the archive has no entries".into());
            }
            return Ok(entries);
        }
        check_header(&block, entries + 1)?;
        let size = entry_size(&block)
            .ok_or_else(|| format!("entry {} has an invalid size field", entries + 1))?;
        let mut remaining = size.div_ceil(BLOCK as u64);
        while remaining > 0 {
            if !read_block(&mut gz, &mut block)? {
                return Err(format!("entry {} is truncated", entries + 1));
            }
            remaining -= 1;
        }
        entries += 1;
    }
}

/// Fills `block`; false at a clean end of stream.
fn read_block(r: &mut impl Read, block: &mut [u8; BLOCK]) -> Result<bool, String> {
    let mut filled = 0;
    while filled < BLOCK {
        match r.read(&mut block[filled..]) {
            Ok(0) if filled == 0 => return Ok(false),
            Ok(0) => return Err("the tar stream ends inside a 512-byte block".into()),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("not a valid gzip stream: {e}")),
        }
    }
    Ok(true)
}

fn octal(field: &[u8]) -> Option<u64> {
    let text: String = field
        .iter()
        .take_while(|b| **b != 0)
        .map(|b| *b as char)
        .collect();
    let t = text.trim();
    if t.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(t, 8).ok()
}

fn entry_size(header: &[u8; BLOCK]) -> Option<u64> {
    let field = &header[124..136];
    if field[0] & 0x80 != 0 {
        // base-256 (GNU) encoding for large sizes
        let mut v: u64 = (field[0] & 0x7f) as u64;
        for b in &field[1..] {
            v = v.checked_mul(256)?.checked_add(*b as u64)?;
        }
        return Some(v);
    }
    octal(field)
}

fn check_header(header: &[u8; BLOCK], n: usize) -> Result<(), String> {
    let stored = octal(&header[148..156])
        .ok_or_else(|| format!("entry {n} has an invalid checksum field"))?;
    let sum: u64 = header
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                b' ' as u64
            } else {
                *b as u64
            }
        })
        .sum();
    if sum != stored {
        return Err(format!(
            "entry {n} has a bad header checksum (not a tar archive?)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    /// A one-file ustar archive, gzip-compressed.
    pub fn sample(content: &[u8]) -> Vec<u8> {
        let mut h = [0u8; BLOCK];
        h[..8].copy_from_slice(b"file.txt");
        h[100..107].copy_from_slice(b"0000644");
        h[124..135].copy_from_slice(format!("{:011o}", content.len()).as_bytes());
        h[136..147].copy_from_slice(b"00000000000");
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        let sum: u32 = h.iter().map(|b| *b as u32).sum::<u32>() + 8 * b' ' as u32;
        h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        h[155] = b' ';
        let mut tar = h.to_vec();
        tar.extend_from_slice(content);
        tar.resize(tar.len().div_ceil(BLOCK) * BLOCK, 0);
        tar.extend_from_slice(&[0u8; 2 * BLOCK]);
        let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&tar).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn accepts_a_tar_gz_and_rejects_others() {
        assert_eq!(validate(&sample(b"hello")[..]), Ok(1));
        assert!(validate(&b"plain text"[..]).unwrap_err().contains("gzip"));
        let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&[7u8; 1024]).unwrap();
        assert!(validate(&gz.finish().unwrap()[..])
            .unwrap_err()
            .contains("checksum"));
        let full = sample(&[1u8; 2000]);
        assert!(validate(&full[..full.len() - 30]).is_err());
    }
}
