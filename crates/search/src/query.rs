//! From what a reader typed to a tantivy query, without tantivy's query language:
//! every character of the input is data, so no input can be a syntax error.

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use crate::analyzer::{Mode, is_code, pair, term_of, word_spans};
use crate::schema::Fields;

/// Longest query read, in characters; the rest is ignored.
pub(crate) const MAX_CHARS: usize = 200;
/// Most words read; the rest are ignored.
pub(crate) const MAX_WORDS: usize = 20;

/// Weights of the ranking; see `SearchIndex::search`.
pub(crate) mod boost {
    pub const TITLE: f32 = 3.0;
    pub const SUMMARY: f32 = 1.5;
    pub const BODY: f32 = 1.0;
    /// A match of the marks as typed, in the title, summary and body together.
    pub const EXACT: f32 = 3.0;
    /// Multiplies the field weight for the letters as typed, when they were decoded
    /// from Telex or VNI (in case the decoding was wrong).
    pub const AS_TYPED: f32 = 0.2;
    /// A code of a document found whole.
    pub const CODE: f32 = 8.0;
    /// Multiplies the field weight for two neighbouring words found side by side.
    pub const PAIR: f32 = 2.0;
    /// Multiplies the field weight for all the words found side by side, in order.
    pub const PHRASE: f32 = 2.0;
    /// Several words typed with their marks found whole, side by side, in order, with
    /// those marks: a name ("Nguyễn Đông Phong") beats its folded syllables
    /// scattered, even in a title ("Phát động phong trào…").
    pub const EXACT_PHRASE: f32 = 30.0;
}

/// One word of the query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    /// Folded term.
    pub folded: String,
    /// Exact term, when the reader typed marks (or they were decoded).
    pub exact: Option<String>,
    /// Folded term of the letters as typed, when they were decoded from Telex or VNI.
    pub as_typed: Option<String>,
    /// How the word reads in [`Parsed::interpreted`].
    pub shown: String,
}

/// A piece of the query that must be found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    Word(Word),
    /// A code of a document: the whole folded code, and its words for a phrase.
    Code {
        code: String,
        words: Vec<Word>,
        shown: String,
    },
}

/// A reader's text, read.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Parsed {
    pub parts: Vec<Part>,
    pub decoded: bool,
}

impl Parsed {
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Every word, codes' words included, in order.
    pub fn words(&self) -> Vec<&Word> {
        let mut out = Vec::new();
        for part in &self.parts {
            match part {
                Part::Word(w) => out.push(w),
                Part::Code { words, .. } => out.extend(words),
            }
        }
        out
    }

    /// The query as read, when words were decoded from Telex or VNI.
    pub fn interpreted(&self) -> Option<String> {
        if !self.decoded {
            return None;
        }
        let shown: Vec<&str> = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Word(w) => w.shown.as_str(),
                Part::Code { shown, .. } => shown.as_str(),
            })
            .collect();
        Some(shown.join(" "))
    }
}

fn word(text: &str, decode: bool) -> Word {
    let folded = term_of(text, Mode::Folded);
    let exact = term_of(text, Mode::Exact);
    if exact != folded {
        return Word {
            shown: exact.clone(),
            folded,
            exact: Some(exact),
            as_typed: None,
        };
    }
    if decode && let Some(decoded) = vntext::decode_typed_word(&exact) {
        return Word {
            folded: vntext::fold_lower(&decoded),
            shown: decoded.clone(),
            exact: Some(decoded),
            as_typed: Some(folded),
        };
    }
    Word {
        shown: folded.clone(),
        folded,
        exact: None,
        as_typed: None,
    }
}

/// Reads a query: at most [`MAX_CHARS`] characters and [`MAX_WORDS`] words; control
/// characters and punctuation only separate words; chunks that look like codes of
/// documents are kept whole; other words are decoded from Telex or VNI when they
/// clearly are such.
pub(crate) fn parse(text: &str) -> Parsed {
    let cut: String = text
        .chars()
        .take(MAX_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = vntext::nfc(&cut);
    let mut parsed = Parsed::default();
    let mut count = 0;
    for chunk in text.split_whitespace() {
        if count >= MAX_WORDS {
            break;
        }
        let trimmed = chunk.trim_matches(|c: char| !c.is_alphanumeric());
        if is_code(trimmed) {
            let words: Vec<Word> = word_spans(trimmed)
                .map(|(from, to)| word(&trimmed[from..to], false))
                .collect();
            count += words.len();
            parsed.parts.push(Part::Code {
                code: vntext::fold_lower(trimmed),
                words,
                shown: trimmed.to_owned(),
            });
            continue;
        }
        for (from, to) in word_spans(chunk) {
            if count >= MAX_WORDS {
                break;
            }
            let w = word(&chunk[from..to], true);
            parsed.decoded |= w.as_typed.is_some();
            parsed.parts.push(Part::Word(w));
            count += 1;
        }
    }
    parsed
}

fn term_query(field: Field, text: &str, weight: f32) -> Box<dyn Query> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(q), weight))
}

/// (folded field, weight) of the texts searched.
fn text_fields(f: &Fields) -> [(Field, f32); 3] {
    [
        (f.title_f, boost::TITLE),
        (f.summary_f, boost::SUMMARY),
        (f.body_f, boost::BODY),
    ]
}

/// A word found in the title (for suggestions): folded, exact (worth more) or as
/// typed.
pub(crate) fn title_word_query(w: &Word, f: &Fields) -> Box<dyn Query> {
    let mut any: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Should, term_query(f.title_f, &w.folded, 1.0))];
    if let Some(x) = &w.exact {
        any.push((Occur::Should, term_query(f.title_x, x, boost::EXACT)));
    }
    if let Some(t) = &w.as_typed {
        any.push((Occur::Should, term_query(f.title_f, t, boost::AS_TYPED)));
    }
    Box::new(BooleanQuery::new(any))
}

/// A query that scores one feature of a document, with its weight.
pub(crate) type Leaf = (f32, Box<dyn Query>);

fn term_leaf(field: Field, text: &str, weight: f32) -> Leaf {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    (weight, Box::new(q))
}

/// Terms of one field in a row; one term is a term query.
fn phrase_leaf(field: Field, words: &[&str], weight: f32) -> Leaf {
    if let [one] = words {
        return term_leaf(field, one, weight);
    }
    let terms = words
        .iter()
        .map(|w| Term::from_field_text(field, w))
        .collect();
    (weight, Box::new(PhraseQuery::new(terms)))
}

/// The second pass, which scores the candidates of the first: the sum of these
/// features, each BM25 times its weight. Per word, in each field: folded, exact
/// (when marks were typed or decoded), as typed (when decoded). Per code: whole, and
/// its words as a phrase in each field. Then neighbouring words side by side and the
/// whole query in order, in each field; and when marks were typed, the whole query
/// with its marks in order.
pub(crate) fn leaves(parsed: &Parsed, f: &Fields) -> Vec<Leaf> {
    let mut out = Vec::new();
    for part in &parsed.parts {
        match part {
            Part::Word(w) => {
                for (folded, weight) in text_fields(f) {
                    out.push(term_leaf(folded, &w.folded, weight));
                    if let Some(t) = &w.as_typed {
                        out.push(term_leaf(folded, t, weight * boost::AS_TYPED));
                    }
                }
                if let Some(x) = &w.exact {
                    out.push(term_leaf(f.all_x, x, boost::EXACT));
                }
            }
            Part::Code { code, words, .. } => {
                out.push(term_leaf(f.codes, code, boost::CODE));
                let folded: Vec<&str> = words.iter().map(|w| w.folded.as_str()).collect();
                for (field, weight) in text_fields(f) {
                    out.push(phrase_leaf(field, &folded, weight));
                }
            }
        }
    }
    if has_marks(parsed) && parsed.words().len() > 1 {
        // Words typed without marks stand for themselves as written.
        let exact: Vec<&str> = parsed
            .words()
            .iter()
            .map(|w| w.exact.as_deref().unwrap_or(&w.folded))
            .collect();
        out.push(phrase_leaf(f.all_x, &exact, boost::EXACT_PHRASE));
    }
    let words: Vec<&str> = parsed.words().iter().map(|w| w.folded.as_str()).collect();
    for (field, weight) in text_fields(f) {
        for pair in words.windows(2) {
            if pair[0] != pair[1] {
                out.push(phrase_leaf(field, pair, weight * boost::PAIR));
            }
        }
        if words.len() > 2 {
            out.push(phrase_leaf(field, &words, weight * boost::PHRASE));
        }
    }
    out
}

/// Where the first pass of a search looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Title, summary and body, folded.
    All,
    /// The same, words typed with marks looked up with their marks.
    AllExact,
    /// The same, neighbouring words side by side (folded).
    Pairs,
}

/// The terms of the first pass of a search, each word once, in the fields of `scope`.
pub(crate) fn candidate_terms(parsed: &Parsed, f: &Fields, scope: Scope) -> Vec<Term> {
    let words = parsed.words();
    let all: Vec<Term> = match scope {
        Scope::Pairs => words
            .windows(2)
            .map(|w| Term::from_field_text(f.all_p, &pair(&w[0].folded, &w[1].folded)))
            .collect(),
        Scope::AllExact => words
            .iter()
            .map(|w| match &w.exact {
                Some(x) => Term::from_field_text(f.all_x, x),
                None => Term::from_field_text(f.all_f, &w.folded),
            })
            .collect(),
        Scope::All => words
            .iter()
            .map(|w| Term::from_field_text(f.all_f, &w.folded))
            .collect(),
    };
    let mut terms: Vec<Term> = Vec::new();
    for term in all {
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// The first pass of a search: [`candidate_terms`], all required (`all`) or any
/// enough, as clauses (see `SearchIndex::filtered`).
pub(crate) fn candidates(
    parsed: &Parsed,
    f: &Fields,
    all: bool,
    scope: Scope,
) -> Vec<(Occur, Box<dyn Query>)> {
    let occur = if all { Occur::Must } else { Occur::Should };
    candidate_terms(parsed, f, scope)
        .into_iter()
        .map(|t| -> (Occur, Box<dyn Query>) {
            (
                occur,
                Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)),
            )
        })
        .collect()
}

/// Whether any word was typed (or decoded) with marks.
pub(crate) fn has_marks(parsed: &Parsed) -> bool {
    parsed.words().iter().any(|w| w.exact.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(p: &Parsed) -> Vec<String> {
        p.words().iter().map(|w| w.folded.clone()).collect()
    }

    #[test]
    fn reads_words_with_and_without_marks() {
        let p = parse("Giáo  dục THPT");
        assert_eq!(folded(&p), ["giao", "duc", "thpt"]);
        assert_eq!(p.words()[0].exact.as_deref(), Some("giáo"));
        assert_eq!(p.words()[2].exact, None);
        assert_eq!(p.interpreted(), None);
    }

    #[test]
    fn decodes_telex_and_vni() {
        let p = parse("giaos ducj");
        assert_eq!(folded(&p), ["giao", "duc"]);
        assert_eq!(p.interpreted().as_deref(), Some("giáo dục"));
        assert_eq!(
            parse("gia1o du5c").interpreted().as_deref(),
            Some("giáo dục")
        );
        assert_eq!(parse("giao duc").interpreted(), None);
    }

    #[test]
    fn codes_stay_whole() {
        let p = parse("chỉ thị 1737/CT-BGDĐT,");
        match &p.parts[2] {
            Part::Code { code, words, .. } => {
                assert_eq!(code, "1737/ct-bgddt");
                assert_eq!(words.len(), 3);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hostile_input_is_only_words() {
        assert!(parse("").is_empty());
        assert!(parse("   \u{0} \t\u{7} \"\" ++ -- :: ( ) * ? ~ ^").is_empty());
        let p = parse("title:\"giáo\" AND (dục OR x)^2 -y");
        assert_eq!(
            folded(&p),
            ["title", "giao", "and", "duc", "or", "x", "2", "y"]
        );
        let long = "giáo dục ".repeat(500);
        assert_eq!(parse(&long).words().len(), MAX_WORDS);
    }
}
