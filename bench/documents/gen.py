#!/usr/bin/env python3
"""Data generator for bench/documents.sh: COUNT official documents (default 50.000)
for the default site of an eduportal SQLite database, with the site's lists
(types, issuers, signers, fields), one or two fields each, one document in ten
replacing an older one, and one PDF attached to every document (the same small file,
written once under the media folder).

Usage: gen.py DATABASE MEDIA_DIR [COUNT]
"""
import random
import sqlite3
import sys
import time
import unicodedata

db_path, media_dir = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 50_000
rng = random.Random(14)

KINDS = ["Công văn", "Quyết định", "Thông tư", "Chỉ thị", "Kế hoạch", "Thông báo", "Nghị quyết", "Hướng dẫn"]
ISSUERS = ["Bộ Giáo dục và Đào tạo", "UBND tỉnh Bình An", "Sở Giáo dục và Đào tạo", "Chính phủ",
           "Phòng Giáo dục và Đào tạo", "Sở Nội vụ"]
SIGNERS = [("Nguyễn Đông Phong", "Giám đốc"), ("Trần Thị Lan", "Phó Giám đốc"),
           ("Lê Văn Hùng", "Phó Giám đốc"), ("Phạm Minh Chính", "Thủ tướng")]
FIELDS = ["Giáo dục mầm non", "Giáo dục tiểu học", "Giáo dục trung học", "Khảo thí", "Tổ chức cán bộ",
          "Kế hoạch tài chính", "Chuyển đổi số"]
CODES = ["BGDĐT", "UBND", "SGDĐT", "CP", "PGDĐT", "SNV"]
WORDS = ("tổ chức thực hiện nhiệm vụ năm học kế hoạch tuyển sinh lớp 10 hướng dẫn kiểm tra đánh giá "
         "dạy thêm học thêm chuyển đổi số trong giáo dục bồi dưỡng giáo viên an toàn trường học "
         "phòng chống thiên tai thi tốt nghiệp trung học phổ thông quy chế công tác thi đua khen thưởng").split()


def fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if unicodedata.category(c) != "Mn").lower()


def slugify(s):
    out, dash = [], False
    for c in fold(s):
        if c.isascii() and c.isalnum():
            out.append(c)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n"
       + b"%" + b"x" * 200_000 + b"\n%%EOF\n")

con = sqlite3.connect(db_path)
con.execute("PRAGMA journal_mode=WAL")
site = con.execute("SELECT id FROM sites ORDER BY is_default DESC, id LIMIT 1").fetchone()[0]
now = int(time.time())
import os
os.makedirs(os.path.join(media_dir, "tai-len", "bench"), exist_ok=True)
with open(os.path.join(media_dir, "tai-len", "bench", "van-ban.pdf"), "wb") as f:
    f.write(PDF)
cur = con.cursor()
cur.execute("INSERT INTO media (site_id, path, mime, width, height, bytes, created_at, kind, original_name) "
            "VALUES (?, 'tai-len/bench/van-ban.pdf', 'application/pdf', 0, 0, ?, ?, 'pdf', 'van-ban.pdf')",
            (site, len(PDF), now))
media_id = cur.lastrowid


def terms(lst, names):
    ids = []
    for i, n in enumerate(names):
        name, detail = n if isinstance(n, tuple) else (n, "")
        cur.execute("INSERT INTO document_terms (site_id, list, name, detail, position) VALUES (?, ?, ?, ?, ?)",
                    (site, lst, name, detail, i))
        ids.append(cur.lastrowid)
    return ids


kinds, issuers = terms("loai", KINDS), terms("co-quan", ISSUERS)
signers, fields = terms("nguoi-ky", SIGNERS), terms("linh-vuc", FIELDS)
ids = []
for n in range(count):
    year = 2010 + n * 17 // count
    day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    k = rng.randrange(len(KINDS))
    number = f"{n + 1}/{year}/{KINDS[k][:2].upper()}-{rng.choice(CODES)}"
    summary = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize()
    slug = f"{slugify(number)}-{slugify(' '.join(summary.split()[:12]))}"[:120].rstrip("-")
    expires = f"{year + rng.randint(1, 12)}-01-01" if rng.random() < 0.3 else None
    replaces = rng.choice(ids) if ids and rng.random() < 0.1 else None
    posted = now - (count - n) * 600
    cur.execute(
        "INSERT INTO documents (site_id, slug, doc_number, number_digits, summary, summary_folded, type_id, "
        "issuer_id, signer_id, issued_on, effective_on, expires_on, replaces_id, body_html, files_list, status, "
        "published_at, revision, reject_reason, created_at, updated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, 'published', ?, 1, '', ?, ?)",
        (site, slug, number, "".join(c for c in number if c.isdigit()), summary, fold(number + " " + summary),
         kinds[k], rng.choice(issuers), rng.choice(signers), day, expires, replaces,
         f"<p>{summary}.</p>", "van-ban.pdf", posted, posted, posted))
    doc = cur.lastrowid
    ids.append(doc)
    for f in rng.sample(fields, rng.randint(1, 2)):
        cur.execute("INSERT INTO document_fields (document_id, term_id) VALUES (?, ?)", (doc, f))
    cur.execute("INSERT INTO document_files (document_id, media_id, position, name) VALUES (?, ?, 0, 'van-ban.pdf')",
                (doc, media_id))
cur.execute("UPDATE sites SET content_version = content_version + 1 WHERE id = ?", (site,))
con.commit()
print(f"{count} documents for site {site}; lists: loai={kinds[0]}.., co-quan={issuers[0]}.., linh-vuc={fields[0]}..")
