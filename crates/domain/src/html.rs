//! Article bodies are HTML that editors paste from Word or write in the editor.
//! They are sanitised on the way in, against an allow-list, so that no script,
//! style or event handler ever reaches a reader.

use std::collections::HashSet;
use std::sync::LazyLock;

/// HTML that went through the allow-list. The only way to make one from outside
/// input is [`SafeHtml::sanitize`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SafeHtml(String);

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "hr",
        "span",
    ]
    .into_iter()
    .collect();
    let mut b = ammonia::Builder::default();
    b.tags(tags)
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [
                ("a", ["href", "title"].into_iter().collect()),
                (
                    "img",
                    ["src", "alt", "width", "height", "title"]
                        .into_iter()
                        .collect(),
                ),
                ("td", ["colspan", "rowspan"].into_iter().collect()),
                ("th", ["colspan", "rowspan", "scope"].into_iter().collect()),
                ("ol", ["start"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        // Word wraps everything in <o:p>, <font>, <span style=...>; their content stays,
        // the wrappers go. Style and script content is dropped whole.
        .clean_content_tags(["script", "style", "title", "xml"].into_iter().collect())
        .strip_comments(true);
    b
});

impl SafeHtml {
    /// Cleans `raw` against the allow-list and NFC-normalises it.
    pub fn sanitize(raw: &str) -> SafeHtml {
        let normal = vntext::nfc(raw);
        SafeHtml(CLEANER.clean(&normal).to_string())
    }

    /// Wraps HTML that was sanitised before it was stored. Only the store calls this,
    /// for bodies it wrote through [`SafeHtml::sanitize`].
    pub fn from_stored(html: String) -> SafeHtml {
        SafeHtml(html)
    }

    /// The HTML, ready to place in a page unescaped.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Plain text of the HTML, for summaries and descriptions: tags removed, white space folded.
    pub fn to_plain_text(&self) -> String {
        let mut out = String::with_capacity(self.0.len());
        let mut in_tag = false;
        for c in self.0.chars() {
            match c {
                '<' => {
                    in_tag = true;
                    out.push(' ');
                }
                '>' => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        vntext::clean_line(&decode_entities(&out))
    }
}

/// Text between the tags of sanitised HTML, with the entities the sanitiser writes
/// turned back into characters.
pub fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_never_pass() {
        let dirty = r#"<p onclick="steal()">Xin chào<script>alert(1)</script></p><img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)">bấm</a><iframe src="https://evil"></iframe>"#;
        let clean = SafeHtml::sanitize(dirty);
        let s = clean.as_str();
        assert!(!s.contains("script"), "{s}");
        assert!(!s.contains("onclick"), "{s}");
        assert!(!s.contains("onerror"), "{s}");
        assert!(!s.contains("javascript"), "{s}");
        assert!(!s.contains("iframe"), "{s}");
        assert!(s.contains("<p>Xin chào</p>"), "{s}");
    }

    #[test]
    fn word_junk_is_dropped_but_text_kept() {
        let word = r#"<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]--><style>p.MsoNormal{margin:0}</style><p class="MsoNormal" style="margin:0"><span style="font-family:'Times New Roman'"><b>Năm học</b> mới<o:p></o:p></span></p>"#;
        let s = SafeHtml::sanitize(word);
        assert_eq!(s.as_str(), "<p><span><b>Năm học</b> mới</span></p>");
    }

    #[test]
    fn figures_tables_and_links_survive() {
        let html = r#"<figure><img src="/media/a.jpg" alt="Lễ khai giảng"><figcaption>Lễ khai giảng</figcaption></figure><table><tr><td colspan="2">Ô</td></tr></table><a href="https://moet.gov.vn">Bộ</a>"#;
        let s = SafeHtml::sanitize(html);
        assert!(
            s.as_str()
                .contains(r#"<img src="/media/a.jpg" alt="Lễ khai giảng">"#),
            "{}",
            s.as_str()
        );
        assert!(
            s.as_str()
                .contains("<figcaption>Lễ khai giảng</figcaption>")
        );
        assert!(s.as_str().contains(r#"<td colspan="2">"#));
        assert!(s.as_str().contains(r#"rel="noopener noreferrer""#));
    }

    #[test]
    fn output_is_nfc() {
        let s = SafeHtml::sanitize("<p>Gia\u{301}o du\u{323}c</p>");
        assert_eq!(s.as_str(), "<p>Giáo dục</p>");
        assert_eq!(s.to_plain_text(), "Giáo dục");
    }
}
