//! Exam results benchmark (issue 6): on the files of `exam-gen`, measures
//!   1. the CSV import: read + map + parse + validate (goal: under 15 s for 1.000.000),
//!   2. the XLSX import, the same way,
//!   3. the memory of a `LoadedSession` of every candidate (goal: under 300 MB),
//!      against the same candidates kept as a plain `Vec<Candidate>`,
//!   4. lookups per second in-process (right date, wrong date, unknown number),
//!   5. the distributions of the nine subjects and their charts,
//!   6. the diff of a re-import that changed a thousand scores.
//!
//! Usage: cargo run --release -p exam --example bench -- <dir>   (or bash bench/exam.sh)

use exam::{
    Candidate, ExtraField, LoadedSession, LookupOutcome, LookupRule, Score, SessionBuilder,
    SessionSpec, Subject, diff, map_headers, parse_candidates, read_table, spec_from_headers,
    svg_chart,
};
use std::time::Instant;

/// RSS once the allocator has had a moment to give freed pages back.
fn settled_rss() -> f64 {
    std::thread::sleep(std::time::Duration::from_millis(300));
    rss()
}

/// A figure from /proc/self/status, in MB.
fn status_mb(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn rss() -> f64 {
    status_mb("VmRSS:")
}

fn import(path: &std::path::Path) -> (Vec<Candidate>, exam::SessionSpec) {
    let started = Instant::now();
    let bytes = std::fs::read(path).expect("run exam-gen first");
    let read_file = started.elapsed();
    let table = read_table(&bytes, &path.to_string_lossy()).expect("readable");
    let read = started.elapsed();
    let spec = spec_from_headers(&table);
    let mapping = map_headers(&table, &spec);
    let mapped = started.elapsed();
    let candidates = parse_candidates(&table, &mapping, &spec).expect("valid");
    let parsed = started.elapsed();
    println!(
        "  {} MB file: load {:.2} s, read_table {:.2} s, map {:.3} s, parse+validate {:.2} s; total {:.2} s for {} candidates ({} subjects)",
        bytes.len() / 1_000_000,
        read_file.as_secs_f64(),
        (read - read_file).as_secs_f64(),
        (mapped - read).as_secs_f64(),
        (parsed - mapped).as_secs_f64(),
        parsed.as_secs_f64(),
        candidates.len(),
        spec.subjects.len()
    );
    println!(
        "  RSS now {:.0} MB, peak so far {:.0} MB",
        rss(),
        status_mb("VmHWM:")
    );
    (candidates, spec)
}

/// Child process: the memory of a session of `n` candidates, built the way the server
/// loads one from the database (one candidate at a time), in a fresh process so that
/// memory freed by an import and kept by the allocator does not count.
fn session_memory(n: usize) {
    let spec = SessionSpec {
        subjects: (0..9)
            .map(|i| Subject::new(&format!("m{i}"), &format!("Môn {i}")))
            .collect(),
        extras: vec![
            ExtraField::new(ExtraField::SCHOOL, "Trường"),
            ExtraField::new(ExtraField::CLASS, "Lớp"),
        ],
        lookup: LookupRule::SbdAndBirthDate,
    };
    let before = rss();
    let mut builder = SessionBuilder::new(spec);
    let mut x = 0x5eed_u64;
    for i in 0..n {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let c = Candidate {
            // Pushed in a shuffled order, so that the sort of `finish` is measured too.
            sbd: format!("{:08}", 1_000_000 + (i * 7_919) % n),
            name: format!(
                "Nguyễn Thị Thanh {}",
                ["Hương", "Mai", "Lan", "Ánh"][(x >> 60) as usize % 4]
            ),
            birth_date: Some(jiff::civil::date(
                2008,
                1 + ((x >> 40) % 12) as i8,
                1 + ((x >> 50) % 28) as i8,
            )),
            scores: (0..9)
                .map(|k| {
                    (((x >> (k * 5)) & 31) != 0).then_some(Score(((x >> (k * 6)) % 41) as u16 * 25))
                })
                .collect(),
            extras: vec![
                format!("Trường THPT số {}", 1 + (x >> 20) % 300),
                format!("12A{}", 1 + (x >> 30) % 12),
            ],
        };
        builder.push(&c);
    }
    let session = builder.finish();
    let after = rss();
    println!(
        "  LoadedSession of {} candidates (9 subjects, 2 extra fields) in a fresh process: \
RSS {:.0} MB above the process's start ({:.0} MB by its own count); peak while building {:.0} MB",
        session.len(),
        after - before,
        session.heap_bytes() as f64 / 1_048_576.0,
        status_mb("VmHWM:")
    );
}

fn main() {
    if let Some(n) = std::env::args()
        .skip_while(|a| a != "--session-memory")
        .nth(1)
    {
        session_memory(n.parse().expect("a count"));
        return;
    }
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "bench/out/exam".into()),
    );
    let base = rss();
    println!("baseline RSS {base:.1} MB");

    println!("CSV import ({}):", dir.join("ket-qua.csv").display());
    let (candidates, spec) = import(&dir.join("ket-qua.csv"));
    let with_vec = settled_rss();
    println!(
        "  the candidates as Vec<Candidate>: RSS {:.0} MB above baseline",
        with_vec - base
    );

    // A re-import that re-marked a thousand papers.
    let mut remarked = candidates.clone();
    for c in remarked.iter_mut().step_by(1000) {
        c.scores[0] = Some(Score(c.scores[0].map_or(500, |s| (s.0 + 25).min(1000))));
    }
    let started = Instant::now();
    let changes = diff(&candidates, &remarked);
    println!(
        "diff of a re-import: {} changes among {} candidates in {:.2} s",
        changes.len(),
        candidates.len(),
        started.elapsed().as_secs_f64()
    );
    drop(remarked);
    drop(changes);

    let sample: Vec<(String, String)> = candidates
        .iter()
        .step_by(7)
        .map(|c| {
            (
                c.sbd.clone(),
                c.birth_date
                    .map(|d| d.strftime("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
            )
        })
        .collect();

    let before_session = settled_rss();
    let started = Instant::now();
    let session = LoadedSession::new(spec.clone(), candidates);
    println!(
        "LoadedSession::new: {:.2} s; {} candidates; {:.0} MB on the heap by its own count",
        started.elapsed().as_secs_f64(),
        session.len(),
        session.heap_bytes() as f64 / 1_048_576.0
    );
    println!(
        "  RSS in this process: {:.0} MB above baseline with the session and the Vec<Candidate> dropped \
(freed blocks the allocator keeps count too; see the fresh process below), {:.0} MB before",
        settled_rss() - base,
        before_session - base
    );

    // Lookups: right date, wrong date, unknown number.
    let rounds = 3_000_000usize;
    let started = Instant::now();
    let mut found = 0usize;
    for i in 0..rounds {
        let (sbd, birth) = &sample[i % sample.len()];
        if let LookupOutcome::Found(c) = session.lookup(sbd, Some(birth)) {
            found += c.name().len().min(1);
        }
    }
    let right = started.elapsed();
    let started = Instant::now();
    let mut wrong = 0usize;
    for i in 0..rounds {
        let (sbd, _) = &sample[i % sample.len()];
        if matches!(
            session.lookup(sbd, Some("01/01/1999")),
            LookupOutcome::NotFound
        ) {
            wrong += 1;
        }
    }
    let wrong_date = started.elapsed();
    let started = Instant::now();
    let mut unknown = 0usize;
    for i in 0..rounds {
        let (_, birth) = &sample[i % sample.len()];
        let sbd = format!("9{:07}", i % 10_000_000);
        if matches!(session.lookup(&sbd, Some(birth)), LookupOutcome::NotFound) {
            unknown += 1;
        }
    }
    let unknown_sbd = started.elapsed();
    assert_eq!((found, wrong, unknown), (rounds, rounds, rounds));
    let per = |d: std::time::Duration| d.as_nanos() as f64 / rounds as f64;
    println!(
        "lookups, one thread: {:.1} M/s found (right date, {:.0} ns each), {:.0} ns wrong date, {:.0} ns unknown number (incl. formatting it)",
        rounds as f64 / right.as_secs_f64() / 1e6,
        per(right),
        per(wrong_date),
        per(unknown_sbd)
    );

    let started = Instant::now();
    let mut svg_bytes = 0;
    for i in 0..spec.subjects.len() {
        let d = session.distribution(i).expect("subject");
        svg_bytes += svg_chart(&d, &format!("Phổ điểm môn {}", spec.subjects[i].name)).len();
        if i == 0 {
            println!(
                "  {}: {} sitting, {} absent, mean {}, median {}",
                d.subject,
                d.sitting,
                d.absent,
                d.mean_vi(),
                d.median_vi()
            );
        }
    }
    println!(
        "distributions + SVG charts of {} subjects: {:.3} s ({} KB of SVG)",
        spec.subjects.len(),
        started.elapsed().as_secs_f64(),
        svg_bytes / 1024
    );
    drop(session);

    let child = std::process::Command::new(std::env::current_exe().expect("own path"))
        .args(["--session-memory", "1000000"])
        .output()
        .expect("child runs");
    print!("{}", String::from_utf8_lossy(&child.stdout));

    println!("XLSX import ({}):", dir.join("ket-qua.xlsx").display());
    let (candidates, _) = import(&dir.join("ket-qua.xlsx"));
    drop(candidates);
    println!("peak RSS of the whole run {:.0} MB", status_mb("VmHWM:"));
}
