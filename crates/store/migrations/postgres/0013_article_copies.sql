-- A department re-publishes a school's article: a link-back copy in one of the
-- department's categories. The copy's text follows the original (each change of the
-- original is written to its copies in the same transaction); its page names the
-- original as canonical.
ALTER TABLE articles ADD COLUMN origin_article_id BIGINT REFERENCES articles(id);
-- One copy of an article per site; and the copies of an article, found at each change.
CREATE UNIQUE INDEX articles_origin ON articles (origin_article_id, site_id)
    WHERE origin_article_id IS NOT NULL;
