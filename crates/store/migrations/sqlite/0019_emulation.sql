-- Issue 17: emulation and commendation (thi đua, khen thưởng). Movements the
-- department launches, the titles units and people register for, proposals for
-- commendation going up from schools with every status move, decisions with the
-- people and collectives commended, and the "Dân vận khéo" models. Titles, forms
-- and levels are rows the department edits (the rules change every few years):
-- the defaults below follow Nghị định 152/2025/NĐ-CP and Thông tư 07/2026/TT-BGDĐT.

CREATE TABLE emulation_catalogue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                   -- danh-hieu-tap-the | danh-hieu-ca-nhan | hinh-thuc | cap | linh-vuc
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, name)
);
INSERT INTO emulation_catalogue (kind, name, position) VALUES
    ('danh-hieu-tap-the', 'Tập thể lao động tiên tiến', 1),
    ('danh-hieu-tap-the', 'Tập thể lao động xuất sắc', 2),
    ('danh-hieu-tap-the', 'Cờ thi đua của Ủy ban nhân dân tỉnh', 3),
    ('danh-hieu-tap-the', 'Cờ thi đua của Bộ Giáo dục và Đào tạo', 4),
    ('danh-hieu-ca-nhan', 'Lao động tiên tiến', 1),
    ('danh-hieu-ca-nhan', 'Chiến sĩ thi đua cơ sở', 2),
    ('danh-hieu-ca-nhan', 'Chiến sĩ thi đua cấp tỉnh', 3),
    ('danh-hieu-ca-nhan', 'Chiến sĩ thi đua toàn quốc', 4),
    ('hinh-thuc', 'Giấy khen', 1),
    ('hinh-thuc', 'Bằng khen', 2),
    ('hinh-thuc', 'Huân chương Lao động hạng Ba', 3),
    ('cap', 'Hiệu trưởng', 1),
    ('cap', 'Giám đốc Sở Giáo dục và Đào tạo', 2),
    ('cap', 'Chủ tịch Ủy ban nhân dân tỉnh', 3),
    ('cap', 'Bộ trưởng Bộ Giáo dục và Đào tạo', 4),
    ('cap', 'Thủ tướng Chính phủ', 5),
    ('linh-vuc', 'Kinh tế', 1),
    ('linh-vuc', 'Văn hoá – xã hội', 2),
    ('linh-vuc', 'Quốc phòng – an ninh', 3),
    ('linh-vuc', 'Xây dựng hệ thống chính trị', 4);

CREATE TABLE emulation_movements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    slogan TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,                   -- thuong-xuyen | theo-dot | hang-nam | 5-nam
    scope TEXT NOT NULL DEFAULT '',       -- '' the whole sector; else unit kinds, space-separated
    decision_number TEXT NOT NULL DEFAULT '',
    decision_date TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD
    period TEXT NOT NULL DEFAULT '',
    school_year TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    criteria TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL DEFAULT '',        -- YYYY-MM-DD: registrations due
    created_at INTEGER NOT NULL
);

-- Files of a movement (its launch decision), a proposal (its dossier) or a decision.
CREATE TABLE emulation_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,                  -- phong-trao | de-nghi | quyet-dinh
    owner_id INTEGER NOT NULL,
    label TEXT NOT NULL,
    media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX emulation_files_owner ON emulation_files (owner, owner_id);

CREATE TABLE emulation_movement_articles (
    movement_id INTEGER NOT NULL REFERENCES emulation_movements(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (movement_id, article_id)
);

CREATE TABLE emulation_registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    movement_id INTEGER NOT NULL REFERENCES emulation_movements(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                   -- tap-the | ca-nhan
    title TEXT NOT NULL,
    full_name TEXT NOT NULL DEFAULT '',
    birth_date TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD; never shown to the public
    position TEXT NOT NULL DEFAULT '',
    unit_name TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX emulation_registrations_unit ON emulation_registrations (movement_id, unit_id);

CREATE TABLE emulation_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    movement_id INTEGER REFERENCES emulation_movements(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    form TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX emulation_proposals_site ON emulation_proposals (site_id, status);

CREATE TABLE emulation_proposal_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES emulation_proposals(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    full_name TEXT NOT NULL,
    birth_date TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',
    unit_name TEXT NOT NULL DEFAULT '',
    achievement TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT ''       -- '' | khen | khong
);
CREATE INDEX emulation_proposal_entries_proposal ON emulation_proposal_entries (proposal_id);

CREATE TABLE emulation_proposal_moves (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES emulation_proposals(id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    user_name TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX emulation_proposal_moves_proposal ON emulation_proposal_moves (proposal_id);

CREATE TABLE emulation_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    decided_on TEXT NOT NULL,             -- YYYY-MM-DD
    year INTEGER NOT NULL,
    level TEXT NOT NULL,
    form TEXT NOT NULL,
    proposal_id INTEGER REFERENCES emulation_proposals(id) ON DELETE SET NULL,
    published INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX emulation_decisions_year ON emulation_decisions (published, year);

-- Who a decision commends. There is no date of birth here: what readers see
-- never had it.
CREATE TABLE emulation_awardees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id INTEGER NOT NULL REFERENCES emulation_decisions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    full_name TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    unit_name TEXT NOT NULL DEFAULT '',
    unit_id INTEGER REFERENCES units(id) ON DELETE SET NULL,
    achievement TEXT NOT NULL DEFAULT '',
    story_article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    folded TEXT NOT NULL                  -- name, position, unit, number, toneless
);
CREATE INDEX emulation_awardees_decision ON emulation_awardees (decision_id);
CREATE INDEX emulation_awardees_unit ON emulation_awardees (unit_id);
CREATE INDEX emulation_awardees_story ON emulation_awardees (story_article_id);

-- "Dân vận khéo" models: registered by units each year, recognised by the department.
CREATE TABLE dvk_models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    field TEXT NOT NULL,
    year INTEGER NOT NULL,
    level TEXT NOT NULL DEFAULT '',       -- the level that recognised it; '' not yet
    description TEXT NOT NULL DEFAULT '',
    article_url TEXT NOT NULL DEFAULT '',
    folded TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX dvk_models_year ON dvk_models (year, unit_id);
