#!/usr/bin/env python3
"""The province scale benchmark's data (bench/province.sh), Python 3.11 stdlib only.

  gen.py units FILE.csv      the units sheet for `eduportal unit import`: communes
                             under the department, then schools with their sites
  gen.py articles DB         published articles straight into an eduportal SQLite
                             database, in one transaction, for every site

Titles, summaries and bodies are made from bench/search/words.txt with a fixed
seed, so two runs make the same province.
"""

import random
import re
import sqlite3
import sys
import time
import unicodedata
from pathlib import Path

COMMUNES = 100
SCHOOLS = 1000
PER_SCHOOL = 200
DEPARTMENT_ARTICLES = 2000
TWO_YEARS = 2 * 365 * 86_400
# One article in this many is featured ("Tin nổi bật").
FEATURED_EVERY = 40

WORDS = Path(__file__).resolve().parent.parent / "search" / "words.txt"

# (kind, name prefix, share of the schools). Upper secondary schools hang under
# the department, the others under a commune (the 2025 arrangement).
SCHOOL_KINDS = [
    ("thpt", "Trường THPT", 0.10),
    ("thcs", "Trường THCS", 0.25),
    ("tieu-hoc", "Trường Tiểu học", 0.35),
    ("mam-non", "Trường Mầm non", 0.30),
]


def word_lists() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in WORDS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = sections.setdefault(m.group(1), [])
        elif current is not None:
            current.append(line)
    return sections


_WEIGHTS: dict[int, list[float]] = {}


def pick(rng: random.Random, choices: list[str]) -> str:
    """Earlier lines more often, as words.txt asks (line i weighs 1/i)."""
    n = len(choices)
    if n not in _WEIGHTS:
        total, cum = 0.0, []
        for i in range(n):
            total += 1 / (i + 1)
            cum.append(total)
        _WEIGHTS[n] = cum
    return rng.choices(choices, cum_weights=_WEIGHTS[n])[0]


def first_upper(s: str) -> str:
    return s[:1].upper() + s[1:]


def fold_lower(s: str) -> str:
    """vntext::fold_lower: tone marks and the đ stroke gone, lower case."""
    s = s.replace("Đ", "D").replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", s).lower()


def slugify(s: str) -> str:
    """vntext::slugify: folded ASCII words joined by hyphens, at most 120 bytes."""
    slug = "-".join(w for w in re.split(r"[^a-z0-9]+", fold_lower(s)) if w)
    if len(slug) > 120:
        cut = slug[:120].rfind("-")
        slug = slug[: cut if cut > 0 else 120]
    return slug


def unique_names(rng: random.Random, words: dict[str, list[str]], count: int, make) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < count:
        name = make(rng, words)
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def units(path: str) -> None:
    rng = random.Random(13)
    w = word_lists()
    communes = unique_names(
        rng, w, COMMUNES, lambda r, w: "Xã " + " ".join(r.sample(w["given"], 2))
    )
    people = unique_names(
        rng,
        w,
        SCHOOLS,
        lambda r, w: " ".join([r.choice(w["family"]), *r.sample(w["given"], 2)]),
    )
    rows = ["Tên;Mã;Loại;Đơn vị cấp trên;Tên miền"]
    for i, name in enumerate(communes, 1):
        rows.append(f"{name};xa-{i:03d};xa-phuong;so;")
    kinds = []
    for kind, prefix, share in SCHOOL_KINDS:
        kinds += [(kind, prefix)] * round(SCHOOLS * share)
    kinds = (kinds + [SCHOOL_KINDS[0][:2]] * SCHOOLS)[:SCHOOLS]
    rng.shuffle(kinds)
    for i, ((kind, prefix), person) in enumerate(zip(kinds, people), 1):
        parent = "so" if kind == "thpt" else f"xa-{rng.randrange(1, COMMUNES + 1):03d}"
        rows.append(f"{prefix} {person};t{i:04d};{kind};{parent};t{i:04d}.bench.localhost")
    Path(path).write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{path}: {COMMUNES} xã, {SCHOOLS} trường")


def article(rng: random.Random, w: dict[str, list[str]]) -> tuple[str, str, str, str]:
    """Title, summary, body (HTML) and author."""
    title = f"{pick(rng, w['subject'])} {pick(rng, w['verb'])} {pick(rng, w['object'])}"
    if rng.random() < 0.5:
        title += f" {pick(rng, w['place'])}"
    title = first_upper(title)

    def detail() -> str:
        d = pick(rng, w["detail"])
        return d.replace("{code}", pick(rng, w["code"]).replace("{n}", str(rng.randrange(1, 3000))))

    person = f"{rng.choice(w['family'])} {rng.choice(w['given'])} {rng.choice(w['given'])}"
    summary = f"{title} {pick(rng, w['time'])}. {detail()}"
    paragraphs = [
        f"{first_upper(pick(rng, w['time']))}, {pick(rng, w['subject'])} {pick(rng, w['verb'])} "
        f"{pick(rng, w['object'])} {pick(rng, w['place'])}.",
        f"Phát biểu tại buổi lễ, {person}, {pick(rng, w['role'])}, nhấn mạnh: "
        f"“{detail()}”",
    ] + [detail() for _ in range(rng.randrange(2, 5))]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return title, summary, body, person


def articles(db: str) -> None:
    rng = random.Random(2026)
    w = word_lists()
    now = int(time.time())
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = ON")
    cats: dict[int, list[int]] = {}
    for cat_id, site_id in con.execute("SELECT id, site_id FROM categories ORDER BY id"):
        cats.setdefault(site_id, []).append(cat_id)
    sites = con.execute("SELECT id, is_default FROM sites ORDER BY id").fetchall()
    rows = []
    for site_id, is_default in sites:
        count = DEPARTMENT_ARTICLES if is_default else PER_SCHOOL
        slugs: set[str] = set()
        for _ in range(count):
            title, summary, body, author = article(rng, w)
            base = slugify(title)
            slug, n = base, 2
            while slug in slugs:
                slug, n = f"{base}-{n}", n + 1
            slugs.add(slug)
            published = now - rng.randrange(TWO_YEARS)
            rows.append(
                (
                    site_id,
                    rng.choice(cats[site_id]),
                    slug,
                    title,
                    summary,
                    body,
                    author,
                    int(rng.randrange(FEATURED_EVERY) == 0),
                    "published",
                    published,
                    published,
                    fold_lower(title),
                )
            )
    with con:
        con.executemany(
            "INSERT INTO articles (site_id, category_id, slug, title, summary, body_html, author, "
            "featured, status, published_at, created_at, title_folded) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        # Pages kept under the old versions are not served again.
        con.execute("UPDATE sites SET content_version = content_version + 1")
    con.close()
    print(f"{db}: {len(rows):,} bài trên {len(sites):,} trang".replace(",", "."))


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["units", path]:
            units(path)
        case ["articles", db]:
            articles(db)
        case _:
            sys.exit(__doc__)
