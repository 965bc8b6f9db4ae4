//! Search benchmark: generates a corpus of Vietnamese articles from the team's word
//! lists (bench/search/words.txt) with a fixed seed, indexes it in a temporary folder
//! on disk, and times a fixed list of queries.
//!
//! ```sh
//! cargo run --release -p search --example bench -- [articles]   # default 200000
//! ```
//!
//! Prints indexing throughput (articles per second, commit included; generating the
//! articles is not timed) and the query latency of `SearchIndex::search` (snippets and
//! highlighting included): p50, p90, p99 and max over every run of every query.

use std::time::{Duration, Instant};

use search::{Doc, DocKind, IndexOptions, Query, SearchIndex, Sort};

const WORDS: &str = include_str!("../../../bench/search/words.txt");

/// splitmix64: small, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards the start of a list: earlier entries are common, later rare.
    fn skewed<'a>(&mut self, list: &[&'a str]) -> &'a str {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        list[((u * u) * list.len() as f64) as usize % list.len()]
    }
}

struct Lists<'a> {
    subject: Vec<&'a str>,
    verb: Vec<&'a str>,
    object: Vec<&'a str>,
    place: Vec<&'a str>,
    time: Vec<&'a str>,
    detail: Vec<&'a str>,
    code: Vec<&'a str>,
    family: Vec<&'a str>,
    given: Vec<&'a str>,
    role: Vec<&'a str>,
    school: Vec<&'a str>,
}

fn lists() -> Lists<'static> {
    let mut sections: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    let mut current = "";
    for line in WORDS.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name;
            continue;
        }
        sections.entry(current).or_default().push(line);
    }
    let mut take = |name: &str| sections.remove(name).expect(name);
    Lists {
        subject: take("subject"),
        verb: take("verb"),
        object: take("object"),
        place: take("place"),
        time: take("time"),
        detail: take("detail"),
        code: take("code"),
        family: take("family"),
        given: take("given"),
        role: take("role"),
        school: take("school"),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn code(rng: &mut Rng, l: &Lists) -> String {
    rng.skewed(&l.code)
        .replace("{n}", &(rng.below(2000) + 1).to_string())
}

/// A name of two syllables: of a commune, a school, a person's given names.
fn name(rng: &mut Rng, l: &Lists) -> String {
    format!(
        "{} {}",
        rng.skewed(&l.given),
        l.given[rng.below(l.given.len())]
    )
}

fn person(rng: &mut Rng, l: &Lists) -> String {
    format!("{} {}", l.family[rng.below(l.family.len())], name(rng, l))
}

/// A place: a listed one, or a commune or school with a generated name.
fn place(rng: &mut Rng, l: &Lists) -> String {
    match rng.below(3) {
        0 => rng.skewed(&l.place).to_owned(),
        1 => format!("tại xã {}", name(rng, l)),
        _ => format!("tại {} {}", rng.skewed(&l.school), name(rng, l)),
    }
}

/// What one article is about: news sticks to one topic and one place, with generic
/// sentences around it and now and then a word on something else.
struct Topic {
    object: String,
    place: String,
}

fn sentence(rng: &mut Rng, l: &Lists, topic: &Topic) -> String {
    let roll = rng.below(10);
    if roll < 2 {
        return format!(
            "Phát biểu tại buổi lễ, {} {}, {}, đề nghị {} {} {}.",
            if rng.below(2) == 0 { "ông" } else { "bà" },
            person(rng, l),
            rng.skewed(&l.role),
            rng.skewed(&l.subject),
            rng.skewed(&l.verb),
            topic.object,
        );
    }
    if roll < 5 {
        let d = rng.skewed(&l.detail);
        return d.replace("{code}", &code(rng, l));
    }
    let (object, place) = if roll == 9 {
        (rng.skewed(&l.object).to_owned(), place(rng, l))
    } else {
        (topic.object.clone(), topic.place.clone())
    };
    capitalise(&format!(
        "{} {} {object} {place} {}.",
        rng.skewed(&l.subject),
        rng.skewed(&l.verb),
        rng.skewed(&l.time),
    ))
}

fn article(i: usize, rng: &mut Rng, l: &Lists) -> Doc {
    let site_id = rng.below(50) as i64 + 1;
    let topic = Topic {
        object: rng.skewed(&l.object).to_owned(),
        place: place(rng, l),
    };
    let title = capitalise(&format!(
        "{} {} {} {}",
        rng.skewed(&l.subject),
        rng.skewed(&l.verb),
        topic.object,
        topic.place,
    ));
    let summary = format!("{} {}", sentence(rng, l, &topic), sentence(rng, l, &topic));
    let n = 8 + rng.below(8);
    let body: Vec<String> = (0..n).map(|_| sentence(rng, l, &topic)).collect();
    Doc {
        kind: DocKind::Article,
        id: i as i64 + 1,
        site_id,
        site_name: format!("Trường số {site_id}"),
        category_id: site_id * 10 + rng.below(5) as i64,
        category_name: "Tin hoạt động".to_owned(),
        url: format!("/tin-tuc/tin-hoat-dong/bai-{}", i + 1),
        title,
        summary,
        body_text: body.join(" "),
        // Five years from 2022, one article every ~13 minutes on average.
        published_at: 1_640_995_200 + rng.below(5 * 365 * 86_400) as i64,
        dated: 0,
        tags: Vec::new(),
    }
}

/// Queries as readers type them: with and without marks, names, phrases, Telex, VNI,
/// codes, one site, newest first, and a few that find nothing.
fn queries() -> Vec<Query> {
    let texts = [
        "giáo dục",
        "giao duc",
        "học sinh giỏi",
        "hoc sinh gioi",
        "tuyển sinh lớp 10",
        "tuyen sinh lop 10",
        "kỳ thi tốt nghiệp",
        "ky thi tot nghiep thpt",
        "khai giảng năm học mới",
        "khai giang",
        "Lê Quý Đôn",
        "le quy don",
        "Nguyễn Du",
        "xã Hòa Thuận",
        "xã Hoà Xuân",
        "Trường THCS Minh Khoa",
        "ông Trần Quang Vinh",
        "bà Lê Thảo Uyên",
        "truong thcs minh khoa",
        "xa hoa thuan",
        "An Thụy",
        "sức khỏe học đường",
        "đảng viên",
        "dang vien",
        "an toàn giao thông",
        "phòng chống đuối nước",
        "bữa ăn bán trú",
        "học bạ số",
        "chuyển đổi số",
        "câu lạc bộ STEM",
        "thư viện thân thiện",
        "ngày nhà giáo việt nam",
        "trung thu",
        "học bổng",
        "kiểm định chất lượng",
        "giaos ducj",
        "hocj sinh gioir",
        "tuyeenr sinh",
        "ddangr vieen",
        "khais giangr",
        "gia1o du5c",
        "ho5c bo63ng",
        "d9a3ng vie6n",
        "1737/CT-BGDĐT",
        "29-NQ/TW",
        "152/KH-SGDĐT",
        "12/2026/TT-BGDĐT",
        "đường",
        "dương",
        "trường",
        "xyzzy",
        "\"giáo dục\" AND (học OR sinh)",
        "",
    ];
    let mut out: Vec<Query> = texts.iter().map(|t| Query::new(*t)).collect();
    let mut q = Query::new("hoc sinh");
    q.site = Some(7);
    out.push(q);
    let mut q = Query::new("khai giảng");
    q.sort = Sort::Newest;
    out.push(q);
    let mut q = Query::new("giáo viên");
    q.page = 3;
    out.push(q);
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn main() -> Result<(), search::Error> {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let threads: usize = std::env::var("BENCH_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(2);
    let l = lists();
    let mut rng = Rng(20_261_120);
    // BENCH_INDEX keeps the index in a folder of one's choice and, when it already
    // holds the corpus, times only the queries (for trying changes to searching).
    let temp = tempfile::tempdir()?;
    let path = std::env::var_os("BENCH_INDEX")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_owned());
    let options = IndexOptions {
        writer_threads: threads,
        writer_memory_bytes: threads * (256 << 20),
    };
    let index = SearchIndex::open_with(&path, options)?;
    if index.num_docs() as usize != count {
        let started = Instant::now();
        let docs: Vec<Doc> = (0..count).map(|i| article(i, &mut rng, &l)).collect();
        let text_bytes: usize = docs
            .iter()
            .map(|d| d.title.len() + d.summary.len() + d.body_text.len())
            .sum();
        println!(
            "corpus: {count} articles, {:.0} MB of text ({} bytes an article on average), generated in {:.1} s",
            text_bytes as f64 / 1e6,
            text_bytes / count.max(1),
            started.elapsed().as_secs_f64()
        );
        index.clear()?;
        let started = Instant::now();
        for d in &docs {
            index.upsert(d)?;
        }
        index.commit()?;
        let took = started.elapsed().as_secs_f64();
        println!(
            "indexing: {count} articles in {took:.1} s = {:.0} articles/s ({threads} writer threads), index {:.0} MB on disk, {} segments",
            count as f64 / took,
            dir_size(&path) as f64 / 1e6,
            index.segment_count()
        );
    }

    let queries = queries();
    // One pass to warm the page cache, the readers and the bitsets of common words:
    // reported apart.
    let mut cold = Vec::with_capacity(queries.len());
    for q in &queries {
        let t = Instant::now();
        index.search(q)?;
        cold.push(t.elapsed());
    }
    cold.sort();
    println!(
        "first run of each query (cold caches): p50 {:.3} ms, max {:.3} ms",
        percentile(&cold, 0.50).as_secs_f64() * 1e3,
        percentile(&cold, 1.0).as_secs_f64() * 1e3,
    );
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let mut all = Vec::with_capacity(queries.len() * runs);
    let mut slowest = (Duration::ZERO, String::new());
    for _ in 0..runs {
        for q in &queries {
            let t = Instant::now();
            let r = index.search(q)?;
            let d = t.elapsed();
            std::hint::black_box(r);
            if d > slowest.0 {
                slowest = (d, q.text.clone());
            }
            all.push(d);
        }
    }
    if std::env::var_os("BENCH_DETAIL").is_some() {
        // Each query's median over the runs, slowest first: where to look.
        let mut per: Vec<(Duration, &str)> = (0..queries.len())
            .map(|i| {
                let mut runs: Vec<Duration> =
                    all.iter().skip(i).step_by(queries.len()).copied().collect();
                runs.sort();
                (runs[runs.len() / 2], queries[i].text.as_str())
            })
            .collect();
        per.sort_by(|a, b| b.cmp(a));
        for (d, text) in per {
            println!("  {:8.3} ms  {text:?}", d.as_secs_f64() * 1e3);
        }
    }
    all.sort();
    println!(
        "queries: {} distinct, {} runs each; latency p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({:?})",
        queries.len(),
        runs,
        percentile(&all, 0.50).as_secs_f64() * 1e3,
        percentile(&all, 0.90).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3,
        slowest.0.as_secs_f64() * 1e3,
        slowest.1,
    );
    if std::env::var_os("BENCH_CHECK").is_some() {
        // How much the candidates lose: each query's first page against the one made
        // by scoring every match (slow).
        let (mut same, mut all, mut first) = (0, 0, 0);
        let mut ratios = Vec::new();
        for q in queries.iter().filter(|q| q.sort == Sort::Relevance) {
            let fast = index.search(q)?;
            let full = index.search_every_match(q)?;
            if std::env::var("BENCH_CHECK").is_ok_and(|t| t == q.text) {
                let show = |r: &search::Results| {
                    for h in &r.hits {
                        println!(
                            "    {:>8.3} {:>10} {:>7} {}",
                            h.score, h.published_at, h.id, h.title_html
                        );
                    }
                };
                println!("  candidates:");
                show(&fast);
                println!("  every match:");
                show(&full);
            }
            let ids = |r: &search::Results| r.hits.iter().map(|h| h.id).collect::<Vec<_>>();
            let score =
                |r: &search::Results| r.hits.iter().map(|h| f64::from(h.score)).sum::<f64>();
            let shared = ids(&fast)
                .iter()
                .filter(|id| ids(&full).contains(id))
                .count();
            same += shared;
            all += full.hits.len();
            first += usize::from(ids(&fast).first() == ids(&full).first());
            let ratio = if full.hits.is_empty() {
                1.0
            } else {
                score(&fast) / score(&full)
            };
            ratios.push(ratio);
            if shared < full.hits.len() {
                println!(
                    "  {:?}: {shared} of {} hits as when every match is scored, {:.1} % of their score",
                    q.text,
                    full.hits.len(),
                    100.0 * ratio
                );
            }
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "check: first pages hold {same} of {all} hits of the pages made by scoring every match ({:.1} %), the same best hit for {first} of {} queries; their scores are {:.1} % of those pages' on average, {:.1} % at worst",
            100.0 * same as f64 / all.max(1) as f64,
            ratios.len(),
            100.0 * ratios.iter().sum::<f64>() / ratios.len().max(1) as f64,
            100.0 * ratios.first().copied().unwrap_or(1.0),
        );
    }
    for text in [
        "giao duc",
        "giaos ducj",
        "1737/CT-BGDĐT",
        "1737",
        "xa hoa thuan",
        "Trường THCS Minh Khoa",
    ] {
        let r = index.search(&Query::new(text))?;
        println!(
            "  {text:?}: {} found{}{}",
            r.total,
            if r.partial { " (some words only)" } else { "" },
            r.interpreted
                .map(|i| format!(", read as {i:?}"))
                .unwrap_or_default()
        );
    }
    Ok(())
}
