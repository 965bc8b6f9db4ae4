//! The Vietnamese analyzer: how text becomes index terms.
//!
//! Every tokenizer here cuts text the same way: a word is a run of letters, digits and
//! combining marks, so decomposed (NFD) input stays one word, and each token keeps the
//! byte offsets of the word in the original text, so highlights land on the words the
//! reader sees. What differs is the term written for a word:
//!
//! - [`Mode::Folded`]: lower case, tone marks and the hat, breve and horn removed, đ as d
//!   ("Đường" → "duong"). Matches whatever the reader types, with or without marks.
//! - [`Mode::Exact`]: lower case, NFC, the tone mark in its canonical place
//!   ([`vntext::normalize_tone_placement`]): "Hòa" and "hoà" → "hoà". Lets typed marks
//!   rank exact matches first.
//! - [`Mode::Code`]: only codes of documents ("1737/CT-BGDĐT", "29-NQ/TW",
//!   "22/2021/TT-BGDĐT"), kept whole and folded ("1737/ct-bgddt"), so a code typed as
//!   it is written matches as one term.
//! - [`Mode::Pairs`]: every two neighbouring words, folded, as one term ("Giáo dục
//!   Hà Nội" → "giao duc", "duc ha", "ha noi"), so that words side by side (names,
//!   phrases) are found as quickly as single words.
//! - [`Mode::Prefix`]: every beginning of every folded word ("giao" → "g", "gi", "gia",
//!   "giao"), for title suggestions while the reader types.

use std::cell::RefCell;
use std::collections::HashMap;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// What a [`VietTokenizer`] writes for each word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Tone-insensitive terms.
    Folded,
    /// Terms with their marks, tone placement made canonical.
    Exact,
    /// Whole document codes, folded; other words are skipped.
    Code,
    /// Neighbouring folded words, two by two.
    Pairs,
    /// Edge n-grams of folded words.
    Prefix,
}

/// Name under which each mode is registered on the index.
pub(crate) fn name(mode: Mode) -> &'static str {
    match mode {
        Mode::Folded => "vi_folded",
        Mode::Exact => "vi_exact",
        Mode::Code => "vi_code",
        Mode::Pairs => "vi_pairs",
        Mode::Prefix => "vi_prefix",
    }
}

/// Words longer than this (in bytes) are not indexed: they are junk, not words.
pub(crate) const MAX_WORD_BYTES: usize = 60;
/// Longest prefix indexed for suggestions, in characters.
pub(crate) const MAX_PREFIX_CHARS: usize = 12;
/// Distinct words remembered per thread and mode before the memo is cleared.
const MEMO_LIMIT: usize = 50_000;

thread_local! {
    /// The terms of words already seen, folded and exact: Vietnamese has a few
    /// thousand syllables, so nearly every word after the first articles is a lookup.
    /// Per thread, so that indexing threads never wait for each other, and shared by
    /// every tokenizer of the thread (tantivy clones one for each snippet).
    static MEMO: RefCell<[HashMap<Box<str>, Box<str>>; 2]> = RefCell::new(Default::default());
}

/// A tantivy tokenizer for Vietnamese text; see the module documentation.
pub struct VietTokenizer {
    mode: Mode,
    tokens: Vec<Token>,
}

impl Clone for VietTokenizer {
    fn clone(&self) -> Self {
        VietTokenizer::new(self.mode)
    }
}

impl VietTokenizer {
    /// A tokenizer writing terms of the given mode.
    pub fn new(mode: Mode) -> VietTokenizer {
        VietTokenizer {
            mode,
            tokens: Vec::new(),
        }
    }

    fn push(&mut self, text: &str, from: usize, to: usize, position: usize) {
        let token = Token {
            offset_from: from,
            offset_to: to,
            position,
            text: text.to_owned(),
            position_length: 1,
        };
        self.tokens.push(token);
    }

    fn fill(&mut self, text: &str) {
        self.tokens.clear();
        match self.mode {
            Mode::Code => {
                for (position, (from, to)) in code_spans(text).enumerate() {
                    let code = vntext::fold_lower(&text[from..to]);
                    self.push(&code, from, to, position);
                }
            }
            Mode::Folded | Mode::Exact => {
                for (position, (from, to)) in word_spans(text).enumerate() {
                    let word = &text[from..to];
                    if word.len() > MAX_WORD_BYTES {
                        continue;
                    }
                    if word.is_ascii() {
                        let lower = word.to_ascii_lowercase();
                        self.push(&lower, from, to, position);
                        continue;
                    }
                    with_term(word, self.mode, |term| self.push(term, from, to, position));
                }
            }
            Mode::Pairs => {
                let mut previous: Option<(String, usize)> = None;
                let mut position = 0;
                for (from, to) in word_spans(text) {
                    let word = &text[from..to];
                    if word.len() > MAX_WORD_BYTES {
                        previous = None;
                        continue;
                    }
                    let folded = if word.is_ascii() {
                        word.to_ascii_lowercase()
                    } else {
                        with_term(word, Mode::Folded, str::to_owned)
                    };
                    if let Some((before, start)) = previous.take() {
                        self.push(&pair(&before, &folded), start, to, position);
                        position += 1;
                    }
                    previous = Some((folded, from));
                }
            }
            Mode::Prefix => {
                for (position, (from, to)) in word_spans(text).enumerate() {
                    let word = &text[from..to];
                    if word.len() > MAX_WORD_BYTES {
                        continue;
                    }
                    let folded = term_of(word, Mode::Folded);
                    for (n, (i, c)) in folded.char_indices().enumerate() {
                        if n == MAX_PREFIX_CHARS {
                            break;
                        }
                        self.push(&folded[..i + c.len_utf8()], from, to, position);
                    }
                }
            }
        }
    }
}

/// The [`Mode::Pairs`] term of two neighbouring folded words.
pub(crate) fn pair(first: &str, second: &str) -> String {
    format!("{first} {second}")
}

/// Calls `f` with [`term_of`] a word that is not ASCII, remembered per thread:
/// Vietnamese has a few thousand syllables, so this is nearly always a lookup.
pub(crate) fn with_term<R>(word: &str, mode: Mode, f: impl FnOnce(&str) -> R) -> R {
    MEMO.with_borrow_mut(|memo| {
        let memo = &mut memo[usize::from(mode == Mode::Exact)];
        if !memo.contains_key(word) {
            if memo.len() >= MEMO_LIMIT {
                memo.clear();
            }
            memo.insert(word.into(), term_of(word, mode).into());
        }
        f(&memo[word])
    })
}

/// The term a word is indexed (and searched) under, in a word mode.
pub(crate) fn term_of(word: &str, mode: Mode) -> String {
    match mode {
        Mode::Exact => vntext::normalize_tone_placement(&word.to_lowercase()),
        _ => vntext::fold_lower(word),
    }
}

/// Whether a character belongs to a word: letters, digits and combining marks.
fn is_word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        // Vietnamese letters, answered without Unicode's tables: Latin-1 letters
        // (× and ÷ are not), Latin Extended-A and -B, and Latin Extended Additional
        // (ạ…ỹ).
        '\u{00d7}' | '\u{00f7}' => false,
        '\u{00c0}'..='\u{024f}' | '\u{1e00}'..='\u{1eff}' => true,
        '\u{0300}'..='\u{036f}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// Byte ranges of the words of `text`.
pub(crate) fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let from = loop {
            let (i, c) = chars.next()?;
            if is_word_char(c) {
                break i;
            }
        };
        let mut to = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !is_word_char(c) {
                to = i;
                break;
            }
            chars.next();
        }
        Some((from, to))
    })
}

/// Whether a piece of text (already trimmed to start and end with a word character)
/// is a code of a document: it has a slash, a digit and a letter, and nothing but
/// word characters, slashes, hyphens and dots.
pub(crate) fn is_code(s: &str) -> bool {
    s.contains('/')
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().any(char::is_alphabetic)
        && s.chars()
            .all(|c| is_word_char(c) || matches!(c, '/' | '-' | '.'))
        && s.len() <= MAX_WORD_BYTES
}

/// Byte ranges of the codes in `text`.
pub(crate) fn code_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let joiner = |c: char| is_word_char(c) || matches!(c, '/' | '-' | '.');
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let from = loop {
                let (i, c) = chars.next()?;
                if is_word_char(c) {
                    break i;
                }
            };
            let mut to = text.len();
            while let Some(&(i, c)) = chars.peek() {
                if !joiner(c) {
                    to = i;
                    break;
                }
                chars.next();
            }
            // A run may end with a full stop or a hyphen that belongs to the sentence.
            let run = text[from..to].trim_end_matches(|c: char| !is_word_char(c));
            if is_code(run) {
                return Some((from, from + run.len()));
            }
        }
    })
}

impl Tokenizer for VietTokenizer {
    type TokenStream<'a> = VietTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietTokenStream<'a> {
        self.fill(text);
        VietTokenStream {
            tokens: &mut self.tokens,
            next: 0,
            none: Token::default(),
        }
    }
}

/// The tokens of one text, as [`VietTokenizer`] made them.
pub struct VietTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
    /// Returned if asked for a token before the first `advance`.
    none: Token,
}

impl TokenStream for VietTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        match self.next.checked_sub(1) {
            Some(i) => &self.tokens[i],
            None => &self.none,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) => &mut self.tokens[i],
            None => &mut self.none,
        }
    }
}

/// Registers the four tokenizers on an index, under the names its schema uses.
pub(crate) fn register(index: &tantivy::Index) {
    for mode in [
        Mode::Folded,
        Mode::Exact,
        Mode::Code,
        Mode::Pairs,
        Mode::Prefix,
    ] {
        index
            .tokenizers()
            .register(name(mode), VietTokenizer::new(mode));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(mode: Mode, text: &str) -> Vec<(String, usize, String)> {
        let mut t = VietTokenizer::new(mode);
        let mut stream = t.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((
                token.text.clone(),
                token.position,
                text[token.offset_from..token.offset_to].to_owned(),
            ));
        }
        out
    }

    #[test]
    fn folded_terms_point_at_the_original_words() {
        let t = terms(Mode::Folded, "Đường vào “Giáo dục”, THPT!");
        let texts: Vec<_> = t.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(texts, ["duong", "vao", "giao", "duc", "thpt"]);
        assert_eq!(t[2].2, "Giáo");
        assert_eq!(t[4].1, 4);
    }

    #[test]
    fn exact_terms_keep_marks_in_one_place() {
        let t = terms(Mode::Exact, "Hòa hoà ho\u{300}a Khỏe");
        let texts: Vec<_> = t.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(texts, ["hoà", "hoà", "hoà", "khoẻ"]);
        assert_eq!(t[2].2, "ho\u{300}a");
    }

    #[test]
    fn codes_are_kept_whole() {
        let t = terms(
            Mode::Code,
            "Theo Chỉ thị 1737/CT-BGDĐT và Nghị quyết 29-NQ/TW. Ngày 5/2026, năm 2025–2026.",
        );
        let texts: Vec<_> = t.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(texts, ["1737/ct-bgddt", "29-nq/tw"]);
        assert_eq!(t[1].2, "29-NQ/TW");
    }

    #[test]
    fn pairs_of_neighbouring_words() {
        let t = terms(Mode::Pairs, "Bà Lê Thảo Uyên, THCS");
        let pairs: Vec<&str> = t.iter().map(|(term, _, _)| term.as_str()).collect();
        assert_eq!(pairs, ["ba le", "le thao", "thao uyen", "uyen thcs"]);
        assert_eq!(t[2].1, 2);
        assert_eq!(t[2].2, "Thảo Uyên");
        // A junk word breaks the chain.
        let long = format!("Hà {} Nội", "x".repeat(80));
        assert!(terms(Mode::Pairs, &long).is_empty());
    }

    #[test]
    fn vietnamese_letters_are_word_characters() {
        for c in "ĐđƠơƯưẠạỹỸàÀ".chars() {
            assert!(is_word_char(c), "{c}");
        }
        for c in "×÷ “”–…".chars() {
            assert!(!is_word_char(c), "{c}");
        }
    }

    #[test]
    fn prefixes_of_folded_words() {
        let t = terms(Mode::Prefix, "Giáo");
        let texts: Vec<_> = t.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(texts, ["g", "gi", "gia", "giao"]);
    }
}
