//! Identifiers handed out by the emulator, and the charset accepted for ids in paths.

/// A template or sandbox id: `len` characters of lowercase letters and digits.
pub fn short_id(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char)
        .collect()
}

/// A build id in the UUID v4 text form the real service uses.
pub fn build_id() -> String {
    let mut b = [0u8; 16];
    for x in b.iter_mut() {
        *x = fastrand::u8(..);
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A fresh API key (`nvk_emu_` + 32 hex digits) for when none was given.
pub fn api_key() -> String {
    let hex: String = (0..16)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect();
    format!("nvk_emu_{hex}")
}

/// A random secret that signs upload URLs.
pub fn secret() -> String {
    (0..32)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect()
}
