//! The little markup the demo articles are written in: blank-line paragraphs,
//! "## " subheadings, "- " lists and "[ảnh: caption]" photos.

/// Escapes text for HTML.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Converts the markup to HTML; `figure` turns a caption into the figure's HTML.
pub(crate) fn to_html<E>(
    text: &str,
    mut figure: impl FnMut(&str) -> Result<String, E>,
) -> Result<String, E> {
    let mut html = String::new();
    for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        if let Some(caption) = block
            .strip_prefix("[ảnh:")
            .and_then(|r| r.strip_suffix(']'))
        {
            html.push_str(&figure(caption.trim())?);
        } else if let Some(heading) = block.strip_prefix("## ") {
            html.push_str(&format!("<h2>{}</h2>", escape(heading.trim())));
        } else if block.lines().all(|l| l.trim_start().starts_with("- ")) {
            html.push_str("<ul>");
            for item in block.lines() {
                let item = item.trim_start().trim_start_matches("- ");
                html.push_str(&format!("<li>{}</li>", escape(item.trim())));
            }
            html.push_str("</ul>");
        } else {
            let joined = block.lines().map(str::trim).collect::<Vec<_>>().join(" ");
            html.push_str(&format!("<p>{}</p>", escape(&joined)));
        }
    }
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_blocks() {
        let text = "Mở đầu <b>.\n\n[ảnh: Học sinh & thầy cô]\n\n## Kết quả\n\n- Một\n- Hai\n\nHết.";
        let html = to_html(text, |c| {
            Ok::<_, ()>(format!("<figure>{}</figure>", escape(c)))
        })
        .unwrap();
        assert_eq!(
            html,
            "<p>Mở đầu &lt;b&gt;.</p><figure>Học sinh &amp; thầy cô</figure><h2>Kết quả</h2><ul><li>Một</li><li>Hai</li></ul><p>Hết.</p>"
        );
    }
}
