//! What reading a hostile file costs, measured (issue 10, item 8): each file is read
//! in a fresh process (this test binary run again for one case), which then reports
//! its peak resident memory (VmHWM in /proc/self/status). A fresh process because a
//! peak is for the whole process: tests running beside each other in one would add
//! theirs. The workspace forbids unsafe code, so a counting global allocator is out.

#![cfg(target_os = "linux")]

mod common;

use common::{good_rows, n, ods, row, xls, xlsx};
use std::process::Command;

const CASE: &str = "EXAM_MEMORY_CASE";
const LIMIT_KB: u64 = 50 * 1024;

fn hostile(case: &str) -> (Vec<u8>, &'static str) {
    match case {
        "xlsx-far-cell" => (
            xlsx(&[(
                "S",
                "visible",
                format!("{}{}", good_rows(), row(1_048_576, &[n("XFD1048576", 1.0)])),
            )]),
            "x.xlsx",
        ),
        "xlsx-beyond-xfd" => (
            xlsx(&[(
                "S",
                "visible",
                format!("{}{}", good_rows(), row(4, &[n("ZZZZ4", 1.0)])),
            )]),
            "x.xlsx",
        ),
        "xlsx-xfd-40000-rows" => (
            xlsx(&[(
                "S",
                "visible",
                (1..=40_000)
                    .map(|r| row(r, &[n(&format!("XFD{r}"), 1.0)]))
                    .collect(),
            )]),
            "x.xlsx",
        ),
        "xls-far-cell" => (xls(&[(0, 0, 1.0), (65_535, 255, 1.0)], (2, 1)), "x.xls"),
        "xls-dimensions" => (xls(&[(0, 0, 1.0)], (4_000_000, 256)), "x.xls"),
        "ods-repeats" => (
            ods(
                r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell></table:table-row>"#,
            ),
            "x.ods",
        ),
        "csv-wide" => (
            format!("SBD,Họ và tên\n{}", ",".repeat(20_000)).into_bytes(),
            "x.csv",
        ),
        other => panic!("no case {other}"),
    }
}

const CASES: &[&str] = &[
    "xlsx-far-cell",
    "xlsx-beyond-xfd",
    "xlsx-xfd-40000-rows",
    "xls-far-cell",
    "xls-dimensions",
    "ods-repeats",
    "csv-wide",
];

fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// The child's side: reads one file, prints its size and the peak.
#[test]
fn child_reads_one_file() {
    let Ok(case) = std::env::var(CASE) else {
        return;
    };
    if case == "control" {
        // Proves the measure sees memory: 80 MB written to.
        let v = vec![1u8; 80 << 20];
        std::hint::black_box(&v);
        println!("RESULT 0 {}", peak_kb());
        return;
    }
    let (bytes, name) = hostile(&case);
    let spec = exam::SessionSpec {
        subjects: vec![exam::Subject::new("toan", "Toán")],
        ..exam::SessionSpec::default()
    };
    let outcome = exam::import(&bytes, name, &spec);
    assert!(outcome.is_err(), "{case} was imported");
    println!("RESULT {} {}", bytes.len(), peak_kb());
}

fn run(case: &str) -> (u64, u64) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_reads_one_file",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CASE, case)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{case}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("RESULT ").map(|(_, r)| r))
        .unwrap_or_else(|| panic!("{case}: {stdout}"));
    let mut parts = line.split(' ').map(|p| p.parse::<u64>().unwrap());
    (parts.next().unwrap(), parts.next().unwrap())
}

#[test]
fn hostile_files_are_refused_in_under_50_mb() {
    let (_, control) = run("control");
    assert!(control > LIMIT_KB, "the measure missed 80 MB: {control} kB");
    for case in CASES {
        let (size, peak) = run(case);
        eprintln!("{case}: file {size} bytes, peak {} kB", peak);
        assert!(peak < LIMIT_KB, "{case}: {peak} kB");
    }
}
