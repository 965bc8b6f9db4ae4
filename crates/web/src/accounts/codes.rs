//! One-time codes of an authenticator app: TOTP (RFC 6238) over HOTP (RFC 4226)
//! with HMAC-SHA1, six digits, 30-second steps, which is what every common app
//! (Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis …) assumes when
//! the enrolment URI names nothing else. Also the secret's base32 form, the QR
//! code of the enrolment and the one-time backup codes.

use crate::accounts::auth::{same_token, token_hash};
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds a code lasts.
pub const STEP_SECONDS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Backup codes given at each enrolment.
pub const BACKUP_CODES: usize = 10;
/// Bytes of a new secret: 160 bits, the length RFC 4226 recommends for SHA-1.
const SECRET_BYTES: usize = 20;
/// RFC 4648 base32.
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Backup codes avoid characters that are easy to misread (0/o, 1/l/i).
const BACKUP_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// The HOTP value of `counter` under `key`, `digits` long (RFC 4226, section 5.3).
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    // Dynamic truncation: the low nibble of the last byte picks four bytes.
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let word = u32::from_be_bytes([
        digest[offset],
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]) & 0x7fff_ffff;
    word % 10u32.pow(digits)
}

/// The time step of a Unix time.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The six-digit code of a step, with its leading zeros.
pub fn code_at(key: &[u8], step: i64) -> String {
    let counter = u64::try_from(step).unwrap_or(0);
    format!(
        "{:0width$}",
        hotp(key, counter, DIGITS),
        width = DIGITS as usize
    )
}

/// Whether `typed` looks like an authenticator code (six digits, spaces allowed)
/// rather than a backup code.
pub fn looks_like_code(typed: &str) -> bool {
    let digits: Vec<u8> = typed.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits.len() == DIGITS as usize && digits.iter().all(u8::is_ascii_digit)
}

/// The step whose code `typed` is, if it is the code of the step of `now` or of
/// the step before or after (clocks drift, people type slowly), and that step is
/// later than `after` (the last one used: no code works twice).
pub fn matching_step(key: &[u8], typed: &str, now: i64, after: i64) -> Option<i64> {
    if !looks_like_code(typed) {
        return None;
    }
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let current = step_at(now);
    [current - 1, current, current + 1]
        .into_iter()
        .filter(|&step| step > after && step >= 0)
        .find(|&step| same_token(&code_at(key, step), &typed))
}

/// `bytes` in base32 without padding, as authenticator apps take a secret.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = ((buffer << 8) | u32::from(b)) & 0xffff;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The bytes of a base32 text; case, spaces and `=` padding do not matter.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        if c.is_ascii_whitespace() || c == b'=' {
            continue;
        }
        let value = BASE32.iter().position(|&x| x == c.to_ascii_uppercase())?;
        buffer = ((buffer << 5) | value as u32) & 0xffff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// A new random secret, base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source");
    base32_encode(&bytes)
}

/// The secret in groups of four, for typing it by hand.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The enrolment URI that the QR code carries (the "Key URI Format" the apps read).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    let issuer = crate::platform::layout::percent_encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        account = crate::platform::layout::percent_encode(account),
    )
}

/// The QR code of `data` as an `<svg>` element to put inline in a page (no XML
/// declaration, labelled for screen readers). `None` if it does not fit a QR code.
pub fn qr_svg(data: &str) -> Option<String> {
    let code = qrcode::QrCode::new(data.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(232, 232)
        .build();
    let start = svg.find("<svg")?;
    Some(svg[start..].replacen(
        "<svg ",
        "<svg class=\"totp-qr\" role=\"img\" aria-label=\"Mã QR để thêm tài khoản vào ứng dụng xác thực\" ",
        1,
    ))
}

/// Ten new backup codes, as shown to the user (`abcde-fghjk`).
pub fn new_backup_codes() -> Vec<String> {
    (0..BACKUP_CODES).map(|_| backup_code()).collect()
}

fn backup_code() -> String {
    let mut chars = String::with_capacity(11);
    // Rejection sampling keeps every character equally likely.
    let limit = 256 - 256 % BACKUP_ALPHABET.len();
    while chars.len() < 10 {
        let mut bytes = [0u8; 16];
        getrandom::getrandom(&mut bytes).expect("the operating system's random source");
        for b in bytes.into_iter().map(usize::from).filter(|&b| b < limit) {
            if chars.len() < 10 {
                chars.push(char::from(BACKUP_ALPHABET[b % BACKUP_ALPHABET.len()]));
            }
        }
    }
    chars.insert(5, '-');
    chars
}

/// What the database keeps of a backup code: the SHA-256 of its letters and
/// digits, lower-case, so that "ABCDE FGHJK" and "abcde-fghjk" are the same code.
pub fn backup_code_hash(typed: &str) -> String {
    let normal: String = typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    token_hash(&normal)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 key is the ASCII of "12345678901234567890".
    const RFC_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_sha1_vectors() {
        for (time, expected) in [
            (59, 94287082),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            let step = u64::try_from(step_at(time)).unwrap();
            assert_eq!(hotp(RFC_KEY, step, 8), expected, "T = {time}");
        }
        // Six digits are the last six of the eight.
        assert_eq!(code_at(RFC_KEY, step_at(59)), "287082");
        assert_eq!(code_at(RFC_KEY, step_at(1111111109)), "081804");
    }

    #[test]
    fn rfc_4226_hotp_vectors() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, want) in expected.into_iter().enumerate() {
            assert_eq!(hotp(RFC_KEY, counter as u64, 6), want, "counter {counter}");
        }
    }

    #[test]
    fn codes_are_accepted_one_step_either_side_and_never_backwards() {
        let t = 1_111_111_111;
        let step = step_at(t);
        let code = code_at(RFC_KEY, step);
        assert_eq!(matching_step(RFC_KEY, &code, t, 0), Some(step));
        assert_eq!(matching_step(RFC_KEY, &code, t + 30, 0), Some(step));
        assert_eq!(matching_step(RFC_KEY, &code, t - 30, 0), Some(step));
        assert_eq!(matching_step(RFC_KEY, &code, t + 60, 0), None, "too old");
        assert_eq!(matching_step(RFC_KEY, &code, t, step), None, "used");
        assert_eq!(
            matching_step(RFC_KEY, &format!("{} {}", &code[..3], &code[3..]), t, 0),
            Some(step),
            "typed with a space"
        );
        assert_eq!(matching_step(RFC_KEY, "12345", t, 0), None);
        assert_eq!(matching_step(RFC_KEY, "abcdef", t, 0), None);
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        for (raw, text) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32_encode(raw.as_bytes()), text);
            assert_eq!(base32_decode(text).unwrap(), raw.as_bytes());
        }
        assert_eq!(
            base32_decode("mzxw 6ytb oi======").unwrap(),
            b"foobar",
            "spaces, case, padding"
        );
        assert_eq!(base32_decode("MZ1W"), None);
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        assert_eq!(base32_decode(&secret).unwrap().len(), SECRET_BYTES);
        assert_ne!(secret, new_secret());
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }

    #[test]
    fn enrolment_uri_and_qr_code() {
        let uri = otpauth_uri("Sở GD&ĐT", "lan.nguyen", "MZXW6YTB");
        assert_eq!(
            uri,
            "otpauth://totp/S%E1%BB%9F%20GD%26%C4%90T:lan.nguyen?secret=MZXW6YTB&issuer=S%E1%BB%9F%20GD%26%C4%90T&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&uri).unwrap();
        assert!(
            svg.starts_with("<svg class=\"totp-qr\" role=\"img\""),
            "{svg}"
        );
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn backup_codes_are_readable_and_forgiving() {
        let codes = new_backup_codes();
        assert_eq!(codes.len(), BACKUP_CODES);
        for code in &codes {
            assert_eq!(code.len(), 11, "{code}");
            assert_eq!(&code[5..6], "-");
            assert!(!code.contains(['0', 'o', '1', 'l', 'i']), "{code}");
            assert!(!looks_like_code(code));
        }
        assert_ne!(codes[0], codes[1]);
        assert_eq!(
            backup_code_hash("abcde-fghjk"),
            backup_code_hash(" ABCDE FGHJK ")
        );
        assert_ne!(
            backup_code_hash("abcde-fghjk"),
            backup_code_hash("abcde-fghjm")
        );
    }
}
