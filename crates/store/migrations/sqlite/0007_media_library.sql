-- The media library: what kind of file each is, the name it was uploaded under,
-- its responsive sizes and who uploaded it.

ALTER TABLE media ADD COLUMN kind TEXT NOT NULL DEFAULT 'image';  -- image | pdf | document | spreadsheet | video
ALTER TABLE media ADD COLUMN original_name TEXT NOT NULL DEFAULT '';
-- JSON list of the stored sizes: [{"path": "...", "width": 480, "height": 270, "mime": "image/jpeg"}, …]
ALTER TABLE media ADD COLUMN variants TEXT NOT NULL DEFAULT '[]';
ALTER TABLE media ADD COLUMN uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX media_site_created ON media (site_id, created_at DESC, id DESC);
