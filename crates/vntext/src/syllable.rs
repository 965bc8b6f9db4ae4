//! Vietnamese syllables: their parts, which ones are well formed, and where the tone
//! mark goes.
//!
//! A syllable is an optional initial consonant, a vowel nucleus (one to three vowels,
//! glides included) and an optional final consonant. Only the shape of the nucleus and
//! whether a final follows decide where the tone mark sits, which is what
//! [`normalize_tone_placement`] relies on.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::nfc;

/// The six tones; `Level` (thanh ngang) has no mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Level,
    Grave,
    Acute,
    Hook,
    Tilde,
    Dot,
}

const TONES: [Tone; 6] = [
    Tone::Level,
    Tone::Grave,
    Tone::Acute,
    Tone::Hook,
    Tone::Tilde,
    Tone::Dot,
];

impl Tone {
    fn mark(self) -> Option<char> {
        match self {
            Tone::Level => None,
            Tone::Grave => Some('\u{300}'),
            Tone::Acute => Some('\u{301}'),
            Tone::Hook => Some('\u{309}'),
            Tone::Tilde => Some('\u{303}'),
            Tone::Dot => Some('\u{323}'),
        }
    }
}

/// The twelve vowel letters, with their shapes (hat, breve, horn) but no tone.
const VOWELS: [char; 12] = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];

/// What a letter is made of: lower-case base (vowels keep their shape), tone, case.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Letter {
    pub base: char,
    pub tone: Tone,
    pub upper: bool,
}

struct Tables {
    /// Every precomposed vowel (both cases, every tone) to its parts.
    split: HashMap<char, (usize, Tone, bool)>,
    /// `[vowel][tone][upper]` to the precomposed character.
    join: [[[char; 2]; 6]; 12],
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut split = HashMap::new();
    let mut join = [[['a'; 2]; 6]; 12];
    for (v, &base) in VOWELS.iter().enumerate() {
        for (t, &tone) in TONES.iter().enumerate() {
            for upper in [false, true] {
                let mut s = String::new();
                if upper {
                    s.extend(base.to_uppercase());
                } else {
                    s.push(base);
                }
                s.extend(tone.mark());
                // Every one of these 144 combinations has a precomposed code point.
                let c = nfc(&s).chars().next().unwrap_or(base);
                split.insert(c, (v, tone, upper));
                join[v][t][usize::from(upper)] = c;
            }
        }
    }
    Tables { split, join }
});

/// Splits a character into its parts; `None` for anything that is not a letter of the
/// Vietnamese alphabet (f, j, w, z, digits, other scripts…).
pub(crate) fn split_letter(c: char) -> Option<Letter> {
    if let Some(&(v, tone, upper)) = TABLES.split.get(&c) {
        return Some(Letter {
            base: VOWELS[v],
            tone,
            upper,
        });
    }
    let lower = match c {
        'Đ' => 'đ',
        'A'..='Z' => c.to_ascii_lowercase(),
        _ => c,
    };
    match lower {
        'b' | 'c' | 'd' | 'đ' | 'g' | 'h' | 'k' | 'l' | 'm' | 'n' | 'p' | 'q' | 'r' | 's' | 't'
        | 'v' | 'x' => Some(Letter {
            base: lower,
            tone: Tone::Level,
            upper: c != lower,
        }),
        _ => None,
    }
}

/// Puts a letter back together.
pub(crate) fn join_letter(l: Letter) -> char {
    match VOWELS.iter().position(|&v| v == l.base) {
        Some(v) => {
            let t = TONES.iter().position(|&t| t == l.tone).unwrap_or(0);
            TABLES.join[v][t][usize::from(l.upper)]
        }
        None if l.upper => l.base.to_uppercase().next().unwrap_or(l.base),
        None => l.base,
    }
}

pub(crate) fn is_vowel(c: char) -> bool {
    VOWELS.contains(&c)
}

const INITIALS: [&str; 27] = [
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];

const FINALS: [&str; 8] = ["c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Whether a nucleus may, must or must not be followed by a final consonant.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Coda {
    Open,
    Closed,
    Any,
}

/// Every vowel nucleus of standard Vietnamese spelling, glides included.
const NUCLEI: [(&str, Coda); 54] = [
    ("a", Coda::Any),
    ("ă", Coda::Closed),
    ("â", Coda::Closed),
    ("e", Coda::Any),
    ("ê", Coda::Any),
    ("i", Coda::Any),
    ("o", Coda::Any),
    ("ô", Coda::Any),
    ("ơ", Coda::Any),
    ("u", Coda::Any),
    ("ư", Coda::Any),
    ("y", Coda::Any),
    ("ai", Coda::Open),
    ("ao", Coda::Open),
    ("au", Coda::Open),
    ("ay", Coda::Open),
    ("âu", Coda::Open),
    ("ây", Coda::Open),
    ("eo", Coda::Open),
    ("êu", Coda::Open),
    ("ia", Coda::Open),
    ("iu", Coda::Open),
    ("iê", Coda::Closed),
    ("oa", Coda::Any),
    ("oă", Coda::Closed),
    ("oe", Coda::Any),
    ("oi", Coda::Open),
    ("oo", Coda::Closed),
    ("ôi", Coda::Open),
    ("ơi", Coda::Open),
    ("ua", Coda::Open),
    ("uâ", Coda::Closed),
    ("uê", Coda::Any),
    ("ui", Coda::Open),
    ("uô", Coda::Closed),
    ("uơ", Coda::Open),
    ("uy", Coda::Any),
    ("ưa", Coda::Open),
    ("ưi", Coda::Open),
    ("ưu", Coda::Open),
    ("ươ", Coda::Closed),
    ("yê", Coda::Closed),
    ("oai", Coda::Open),
    ("oay", Coda::Open),
    ("oeo", Coda::Open),
    ("uây", Coda::Open),
    ("uôi", Coda::Open),
    ("uya", Coda::Open),
    ("uyê", Coda::Closed),
    ("uyu", Coda::Open),
    ("ươi", Coda::Open),
    ("ươu", Coda::Open),
    ("iêu", Coda::Open),
    ("yêu", Coda::Open),
];

/// A syllable's parts, as ranges of letter indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parts {
    /// First letter of the nucleus.
    pub nucleus_start: usize,
    /// One past the last letter of the nucleus.
    pub nucleus_end: usize,
    /// Whether a final consonant follows.
    pub has_final: bool,
    /// The final consonant is c, ch, p or t, after which only the acute and the dot
    /// below are possible.
    pub stop_final: bool,
}

fn matches(letters: &[char], s: &str) -> bool {
    let mut it = letters.iter();
    for c in s.chars() {
        if it.next() != Some(&c) {
            return false;
        }
    }
    true
}

/// Parses lower-case, toneless letters (shapes kept) as one syllable. With `ascii_only`
/// the nuclei are compared without their shapes, so that "vien" (viên) parses.
pub(crate) fn parse(letters: &[char], ascii_only: bool) -> Option<Parts> {
    let mut start = 0;
    for init in INITIALS {
        let n = init.chars().count();
        if letters.len() > n && matches(letters, init) && is_vowel(letters[n]) {
            start = n;
            break;
        }
    }
    let end = letters[start..]
        .iter()
        .position(|&c| !is_vowel(c))
        .map_or(letters.len(), |p| start + p);
    if end == start {
        return None;
    }
    let rest: String = letters[end..].iter().collect();
    let has_final = !rest.is_empty();
    if has_final && !FINALS.contains(&rest.as_str()) {
        return None;
    }
    let nucleus: String = letters[start..end].iter().collect();
    let fits = |coda: Coda| match coda {
        Coda::Open => !has_final,
        Coda::Closed => has_final,
        Coda::Any => true,
    };
    // Without shapes several nuclei look alike ("uo" is uô, uơ or ươ); any will do.
    let ok = NUCLEI.iter().any(|&(n, coda)| {
        let same = if ascii_only {
            crate::fold(n) == nucleus
        } else {
            n == nucleus
        };
        same && fits(coda)
    });
    ok.then_some(Parts {
        nucleus_start: start,
        nucleus_end: end,
        has_final,
        stop_final: matches!(rest.as_str(), "c" | "ch" | "p" | "t"),
    })
}

/// The index (into the letters) of the vowel that carries the tone mark.
///
/// The rule, in order:
/// 1. a nucleus with a shaped vowel (ă â ê ô ơ ư) puts it on the last of them
///    ("được", "tuấn", "khuyến", "mười");
/// 2. otherwise, before a final consonant, on the last vowel ("hoàng", "huỳnh");
/// 3. otherwise, in an open syllable: "oa", "oe", "uy" put it on the second vowel (the
///    modern placement: "hoà", "khoẻ", "thuỵ"), other pairs on the first ("mùa",
///    "tài", "mía"), three vowels on the middle one ("ngoài", "khuỷu").
pub(crate) fn tone_index(letters: &[char], parts: Parts) -> usize {
    let nucleus = &letters[parts.nucleus_start..parts.nucleus_end];
    let shaped = nucleus
        .iter()
        .rposition(|c| matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư'));
    let offset = if let Some(i) = shaped {
        i
    } else if parts.has_final {
        nucleus.len() - 1
    } else {
        match nucleus {
            [_] => 0,
            ['o', 'a'] | ['o', 'e'] | ['u', 'y'] => 1,
            [_, _] => 0,
            _ => 1,
        }
    };
    parts.nucleus_start + offset
}

/// Puts the tone of a word (letters of the Vietnamese alphabet) in its canonical place.
/// Returns `None` when the word is not one well-formed syllable with exactly one tone
/// mark, so that names, English words and typos are left as they are.
pub(crate) fn place_tone(letters: &mut [Letter]) -> Option<()> {
    let mut tone = None;
    for l in letters.iter() {
        if l.tone != Tone::Level {
            if tone.is_some() {
                return None;
            }
            tone = Some(l.tone);
        }
    }
    let tone = tone?;
    let bases: Vec<char> = letters.iter().map(|l| l.base).collect();
    let parts = parse(&bases, false)?;
    let at = tone_index(&bases, parts);
    for l in letters.iter_mut() {
        l.tone = Tone::Level;
    }
    letters[at].tone = tone;
    Some(())
}

/// Rewrites every word of `s` with its tone mark in one canonical place, so that the
/// old and the new placement ("hòa"/"hoà", "thụy"/"thuỵ", "khỏe"/"khoẻ") and common
/// misplacements ("qủa" for "quả", "gìa" for "già") give the same string. The result
/// is NFC; case is kept.
///
/// The canonical placement is the modern one ("hoà", "khoẻ", "thuỵ"); see the rule on
/// `tone_index` in the source. Words that are not a well-formed Vietnamese syllable
/// (names in other languages, codes, typos) are left as they are.
pub fn normalize_tone_placement(s: &str) -> String {
    if s.is_ascii() {
        return s.to_owned();
    }
    let s = nfc(s);
    let mut out = String::with_capacity(s.len());
    let mut word: Vec<char> = Vec::new();
    let flush = |word: &mut Vec<char>, out: &mut String| {
        if !word.is_empty() {
            out.extend(normalize_word(word));
            word.clear();
        }
    };
    for c in s.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn normalize_word(word: &[char]) -> Vec<char> {
    if word.iter().all(char::is_ascii) {
        return word.to_vec();
    }
    let letters: Option<Vec<Letter>> = word.iter().map(|&c| split_letter(c)).collect();
    if let Some(mut letters) = letters
        && place_tone(&mut letters).is_some()
    {
        return letters.into_iter().map(join_letter).collect();
    }
    word.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_and_new_placement_agree() {
        for (old, new) in [
            ("hòa", "hoà"),
            ("Hòa Thuận", "Hoà Thuận"),
            ("thụy", "thuỵ"),
            ("An Thụy", "An Thuỵ"),
            ("khỏe", "khoẻ"),
            ("sức khỏe", "sức khoẻ"),
            ("lan tỏa văn hóa", "lan toả văn hoá"),
            ("Thủy", "Thuỷ"),
            ("qủa", "quả"),
            ("gìa", "già"),
        ] {
            assert_eq!(
                normalize_tone_placement(old),
                normalize_tone_placement(new),
                "{old} / {new}"
            );
        }
        assert_eq!(normalize_tone_placement("hòa"), "hoà");
        assert_eq!(normalize_tone_placement("Ủy ban"), "Uỷ ban");
        assert_eq!(normalize_tone_placement("qủa"), "quả");
    }

    #[test]
    fn settled_placements_stay() {
        for w in [
            "được",
            "đường",
            "giáo dục",
            "Tuấn",
            "hoàng",
            "Huỳnh",
            "khuyến",
            "người",
            "mùa",
            "tài",
            "mía",
            "ngoài",
            "khuỷu",
            "thuở",
            "giữa",
            "gì",
            "quốc",
            "Nguyễn",
            "1737/CT-BGDĐT",
            "Café",
            "STEM",
        ] {
            assert_eq!(normalize_tone_placement(w), w);
        }
    }

    #[test]
    fn decomposed_input_comes_out_composed() {
        assert_eq!(normalize_tone_placement("ho\u{300}a"), "hoà");
        assert_eq!(
            normalize_tone_placement("Gia\u{301}o du\u{323}c"),
            "Giáo dục"
        );
    }

    #[test]
    fn parses_syllables() {
        let p = |s: &str| parse(&s.chars().collect::<Vec<_>>(), false).is_some();
        assert!(p("giao") && p("đươc") && p("nghiêng") && p("quy") && p("xoong") && p("gi"));
        assert!(!p("thpt") && !p("stem") && !p("team") && !p("ă") && !p("giaos"));
        let a = |s: &str| parse(&s.chars().collect::<Vec<_>>(), true).is_some();
        assert!(a("vien") && a("duong") && a("duoc") && a("tuyen"));
        assert!(!a("vie") && !a("giaos"));
    }
}
