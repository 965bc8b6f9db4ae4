//! Words typed in Telex or VNI with the Vietnamese input method switched off.
//!
//! Readers who forget to switch the keyboard on type "giaos ducj" (Telex) or
//! "gia1o du5c" (VNI) for "giáo dục". [`decode_typed_word`] turns such a word back into
//! the Vietnamese it spells, and deliberately does nothing when in doubt: a word that
//! already reads as plain Vietnamese without marks ("giao", "duc"), an abbreviation
//! ("thpt"), a number or a code stays as typed.

use crate::syllable::{Letter, Tone, is_vowel, join_letter, parse, tone_index};

/// Decodes one word typed in Telex or VNI into Vietnamese, lower-case, with the tone
/// mark in its canonical place (see [`crate::normalize_tone_placement`]).
///
/// Returns `None`, meaning "search it as typed", unless all of these hold: the word is
/// ASCII letters (and, for VNI, the digits 1–9 after its first letter); it is not
/// already a well-formed Vietnamese syllable without marks; it uses at least one
/// Telex or VNI key; and what it spells is one well-formed syllable whose tone fits
/// its final consonant (after c, ch, p, t only the acute and the dot below).
///
/// "giaos" → "giáo", "ducj" → "dục", "dduwowcj" → "được", "gia1o" → "giáo",
/// "du5c" → "dục"; "giao", "duc", "thpt", "2026", "k12" → `None`.
pub fn decode_typed_word(word: &str) -> Option<String> {
    let len = word.len();
    if !(2..=16).contains(&len)
        || !word.is_ascii()
        || !word.starts_with(|c: char| c.is_ascii_alphabetic())
        || !word.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let letters = if lower.bytes().any(|b| b.is_ascii_digit()) {
        vni(&lower)?
    } else {
        let plain: Vec<char> = lower.chars().collect();
        // Two letters in Telex make at most a lone vowel with a tone ("as" → "á"),
        // far likelier to be English or an operator ("or", "is") than a search.
        if len < 3 || parse(&plain, true).is_some() {
            return None;
        }
        telex(&lower)?
    };
    let out = finish(letters)?;
    (out != lower).then_some(out)
}

fn letter(base: char) -> Letter {
    Letter {
        base,
        tone: Tone::Level,
        upper: false,
    }
}

fn tone_key(c: char) -> Option<Tone> {
    Some(match c {
        's' | '1' => Tone::Acute,
        'f' | '2' => Tone::Grave,
        'r' | '3' => Tone::Hook,
        'x' | '4' => Tone::Tilde,
        'j' | '5' => Tone::Dot,
        'z' => Tone::Level,
        _ => return None,
    })
}

/// Adds the horn to the last "o" or "u" (both, for "uo"): the w of Telex, the 7 of VNI.
fn horn(out: &mut [Letter]) -> Option<()> {
    let i = out.iter().rposition(|l| matches!(l.base, 'o' | 'u'))?;
    if out[i].base == 'o' {
        out[i].base = 'ơ';
        if i > 0 && out[i - 1].base == 'u' {
            out[i - 1].base = 'ư';
        }
    } else {
        out[i].base = 'ư';
    }
    Some(())
}

fn telex(word: &str) -> Option<Vec<Letter>> {
    let mut out: Vec<Letter> = Vec::with_capacity(word.len());
    let mut tone = None;
    for c in word.chars() {
        let after_vowel = out.iter().any(|l| is_vowel(l.base));
        let last = out.last().map(|l| l.base);
        match c {
            'd' if out.len() == 1 && last == Some('d') => out[0].base = 'đ',
            'a' | 'e' | 'o' if last == Some(c) => {
                let hat = match c {
                    'a' => 'â',
                    'e' => 'ê',
                    _ => 'ô',
                };
                if let Some(l) = out.last_mut() {
                    l.base = hat;
                }
            }
            'w' => match out.iter().rposition(|l| matches!(l.base, 'a' | 'o' | 'u')) {
                Some(i) if out[i].base == 'a' => out[i].base = 'ă',
                Some(_) => horn(&mut out)?,
                None => return None,
            },
            's' | 'f' | 'r' | 'x' | 'j' | 'z' if after_vowel => tone = tone_key(c),
            'f' | 'j' | 'z' => return None,
            _ => out.push(letter(c)),
        }
    }
    if let Some(tone) = tone {
        set_tone(&mut out, tone);
    }
    Some(out)
}

fn vni(word: &str) -> Option<Vec<Letter>> {
    let mut out: Vec<Letter> = Vec::with_capacity(word.len());
    let mut tone = None;
    let mut changed = false;
    for c in word.chars() {
        match c {
            '1'..='5' => tone = tone_key(c),
            '6' => {
                let i = out
                    .iter()
                    .rposition(|l| matches!(l.base, 'a' | 'e' | 'o'))?;
                out[i].base = match out[i].base {
                    'a' => 'â',
                    'e' => 'ê',
                    _ => 'ô',
                };
            }
            '7' => horn(&mut out)?,
            '8' => {
                let i = out.iter().rposition(|l| l.base == 'a')?;
                out[i].base = 'ă';
            }
            '9' => {
                let i = out.iter().rposition(|l| l.base == 'd')?;
                out[i].base = 'đ';
            }
            '0' => return None,
            _ => {
                out.push(letter(c));
                continue;
            }
        }
        changed = true;
    }
    // "a1" or "k12" are names of classes and codes more often than words.
    if !changed || out.len() < 2 {
        return None;
    }
    if let Some(tone) = tone {
        set_tone(&mut out, tone);
    }
    Some(out)
}

/// Remembers the tone on the first letter; [`finish`] moves it to its place.
fn set_tone(out: &mut [Letter], tone: Tone) {
    if let Some(l) = out.first_mut() {
        l.tone = tone;
    }
}

fn finish(mut letters: Vec<Letter>) -> Option<String> {
    let tone = letters.first()?.tone;
    letters[0].tone = Tone::Level;
    let mut bases: Vec<char> = letters.iter().map(|l| l.base).collect();
    // Input methods write "ươ" for "ưo" and for "uơ" before a final consonant.
    if let Some(i) = bases
        .windows(2)
        .position(|w| w == ['ư', 'o'] || w == ['u', 'ơ'])
        && i + 2 < bases.len()
        && !is_vowel(bases[i + 2])
    {
        bases[i] = 'ư';
        bases[i + 1] = 'ơ';
    }
    let parts = parse(&bases, false)?;
    if parts.stop_final && !matches!(tone, Tone::Acute | Tone::Dot) {
        return None;
    }
    let at = tone_index(&bases, parts);
    Some(
        bases
            .iter()
            .enumerate()
            .map(|(i, &base)| {
                join_letter(Letter {
                    base,
                    tone: if i == at { tone } else { Tone::Level },
                    upper: false,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        decode_typed_word(s)
    }

    #[test]
    fn telex() {
        assert_eq!(d("giaos").as_deref(), Some("giáo"));
        assert_eq!(d("ducj").as_deref(), Some("dục"));
        assert_eq!(d("dduwowcj").as_deref(), Some("được"));
        assert_eq!(d("dduowcj").as_deref(), Some("được"));
        assert_eq!(d("dduwowngf").as_deref(), Some("đường"));
        assert_eq!(d("truowngf").as_deref(), Some("trường"));
        assert_eq!(d("tieengs").as_deref(), Some("tiếng"));
        assert_eq!(d("tieesng").as_deref(), Some("tiếng"));
        assert_eq!(d("vieetj").as_deref(), Some("việt"));
        assert_eq!(d("ddaongr").as_deref(), None);
        assert_eq!(d("ddangr").as_deref(), Some("đảng"));
        assert_eq!(d("hoaf").as_deref(), Some("hoà"));
        assert_eq!(d("khoer").as_deref(), Some("khoẻ"));
        assert_eq!(d("Nguyeenx").as_deref(), Some("nguyễn"));
        assert_eq!(d("hocj").as_deref(), Some("học"));
        assert_eq!(d("ddi").as_deref(), Some("đi"));
        assert_eq!(d("awn").as_deref(), Some("ăn"));
        assert_eq!(d("owr").as_deref(), Some("ở"));
    }

    #[test]
    fn vni() {
        assert_eq!(d("gia1o").as_deref(), Some("giáo"));
        assert_eq!(d("giao1").as_deref(), Some("giáo"));
        assert_eq!(d("du5c").as_deref(), Some("dục"));
        assert_eq!(d("d9u7o7c5").as_deref(), Some("được"));
        assert_eq!(d("d9uo7ng2").as_deref(), Some("đường"));
        assert_eq!(d("tie6ng1").as_deref(), Some("tiếng"));
    }

    #[test]
    fn plain_words_codes_and_numbers_stay() {
        for w in [
            "giao", "duc", "dang", "vien", "thpt", "THCS", "stem", "2026", "k12", "a1", "lop10",
            "covid19", "teams", "or", "OR", "as", "is", "AND", "not", "email", "olympic", "xoong",
            "ducf", "a", "", "giáo", "12a",
        ] {
            assert_eq!(d(w), None, "{w}");
        }
    }
}
