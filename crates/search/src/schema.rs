//! The fields of the index.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analyzer::{Mode, name};

/// Every field, by role.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// "kind:id", to replace or delete one document.
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub site_id: Field,
    pub category_id: Field,
    /// The site and the category again, as terms with frequencies: a filter on them
    /// keeps a search a plain intersection of terms, which block-max WAND can prune
    /// (their score is the same for every document, so ranking is untouched).
    pub site_term: Field,
    pub category_term: Field,
    pub published_at: Field,
    /// `Doc::dated`, for lists in the order of their dates.
    pub dated: Field,
    /// `Doc::tags`, one term each.
    pub tags: Field,
    pub site_name: Field,
    pub category_name: Field,
    pub url: Field,
    /// Stored original text, for display and snippets.
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    /// Folded terms with positions.
    pub title_f: Field,
    pub summary_f: Field,
    pub body_f: Field,
    /// Exact terms of the title, for suggestions (no positions: phrases are
    /// matched folded).
    pub title_x: Field,
    /// Folded terms of title (thrice), summary and body together: the cheap first
    /// pass of a search (see `SearchIndex::search`).
    pub all_f: Field,
    /// Exact terms of the same, with positions: the first pass for typed marks, and
    /// the score of exact matches and of a phrase typed with marks in the second.
    pub all_x: Field,
    /// Folded neighbouring words, two by two, of the same texts as [`Fields::all_f`]:
    /// the first pass for several words, which finds them side by side first.
    pub all_p: Field,
    /// Codes of documents in any of the texts.
    pub codes: Field,
    /// Prefixes of the title's words, for suggestions.
    pub title_pre: Field,
}

pub(crate) const PUBLISHED_AT: &str = "published_at";
pub(crate) const DATED: &str = "dated";

fn text(mode: Mode, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(name(mode))
            .set_index_option(record),
    )
}

/// One term for the whole value, with frequencies.
fn raw(record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_fieldnorms(false)
            .set_index_option(record),
    )
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let freqs = IndexRecordOption::WithFreqs;
    let stored = TextOptions::default().set_stored();
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_u64_field("kind", INDEXED | STORED | FAST),
        id: b.add_i64_field("id", STORED | FAST),
        site_id: b.add_i64_field("site_id", STORED | FAST),
        category_id: b.add_i64_field("category_id", STORED | FAST),
        site_term: b.add_text_field("site_term", raw(freqs)),
        category_term: b.add_text_field("category_term", raw(freqs)),
        published_at: b.add_i64_field(PUBLISHED_AT, INDEXED | STORED | FAST),
        dated: b.add_i64_field(DATED, FAST),
        tags: b.add_text_field("tags", raw(IndexRecordOption::Basic)),
        site_name: b.add_text_field("site_name", stored.clone()),
        category_name: b.add_text_field("category_name", stored.clone()),
        url: b.add_text_field("url", stored.clone()),
        title: b.add_text_field("title", stored.clone()),
        summary: b.add_text_field("summary", stored.clone()),
        body: b.add_text_field("body", stored),
        title_f: b.add_text_field("title_f", text(Mode::Folded, positions)),
        summary_f: b.add_text_field("summary_f", text(Mode::Folded, positions)),
        body_f: b.add_text_field("body_f", text(Mode::Folded, positions)),
        title_x: b.add_text_field("title_x", text(Mode::Exact, freqs)),
        all_f: b.add_text_field("all_f", text(Mode::Folded, freqs)),
        all_x: b.add_text_field("all_x", text(Mode::Exact, positions)),
        all_p: b.add_text_field("all_p", text(Mode::Pairs, freqs)),
        codes: b.add_text_field("codes", text(Mode::Code, freqs)),
        title_pre: b.add_text_field("title_pre", text(Mode::Prefix, IndexRecordOption::Basic)),
    };
    (b.build(), fields)
}
