//! A stable-Rust smoke run of the fuzz targets (`fuzz/fuzz_targets/`): the same entry
//! points fed with mutations of the repository's notices and fixtures (byte flips,
//! truncation, splices, inserted grammar tokens) for a short while each. The real fuzzing
//! is `scripts/fuzz.sh` (cargo-fuzz, libFuzzer); this keeps the targets' code paths under
//! `cargo test` on a fresh machine. `GONGWEN_FUZZ_SMOKE_MS` sets the time per target
//! (default 1500 ms).

use gongwen::spec::Format;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &str, ext: &str) -> Vec<Vec<u8>> {
    let mut paths: Vec<_> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(ext) && !p.to_string_lossy().contains(".scan."))
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

const TOKENS: &[&str] = &[
    "〔2024〕",
    "号",
    "年",
    "月",
    "日前",
    "月底前",
    "二〇二四年十月十四日",
    "联系人：",
    "电话：",
    "0591-",
    "传真",
    "@",
    "一、",
    "（一）",
    "1.",
    "（1）",
    "①",
    "附件",
    "%",
    "不低于",
    "、",
    "。",
    "\n",
    "\t",
    "\u{0}",
    "\u{3000}",
    "《",
    "》",
    "（",
    "）",
    "<w:p>",
    "</w:t>",
    "&#x4E00;",
    "<div>",
    "<meta charset=gbk>",
    "obj",
    "stream",
    "endobj",
    "9999999999",
];

/// A small xorshift generator (deterministic: the same inputs on every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(input.len() + 1);
        match rng.below(6) {
            0 if !input.is_empty() => {
                let i = at.min(input.len() - 1);
                input[i] ^= 1 << rng.below(8);
            }
            1 => input.truncate(at),
            2 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                input.splice(at..at, t.iter().copied());
            }
            3 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                let len = rng.below(other.len() - from + 1).min(4096);
                input.splice(at..at, other[from..from + len].iter().copied());
            }
            4 if !input.is_empty() => {
                let end = (at + rng.below(64)).min(input.len());
                input.drain(at.min(end)..end);
            }
            _ => {
                let from = rng.below(input.len() + 1);
                let end = (from + rng.below(256)).min(input.len());
                let piece = input[from..end].to_vec();
                for _ in 0..rng.below(8) {
                    input.splice(at..at, piece.iter().copied());
                }
            }
        }
    }
}

fn smoke(name: &str, mut seeds: Vec<Vec<u8>>, target: impl Fn(&[u8])) {
    // the fuzz targets behind this smoke run: replay what libFuzzer kept for them
    for t in name.split('+') {
        seeds.extend(fuzz_corpus(t));
    }
    let ms = std::env::var("GONGWEN_FUZZ_SMOKE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let until = Instant::now() + Duration::from_millis(ms);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ name.len() as u64);
    let mut runs = 0;
    for s in &seeds {
        target(s);
        runs += 1;
    }
    while Instant::now() < until {
        let mut input = seeds[rng.below(seeds.len())].clone();
        mutate(&mut rng, &seeds, &mut input);
        target(&input);
        runs += 1;
    }
    eprintln!("fuzz smoke {name}: {runs} inputs");
}

/// The inputs libFuzzer kept for `target` (`fuzz/corpus/TARGET/`, minimized with `cargo
/// fuzz cmin` and committed) and any crashers it found (`fuzz/artifacts/TARGET/`): each
/// is run once before the mutations, so what the long runs learned is replayed on every
/// `cargo test`. The smallest first, at most 300 under 16 KB, to keep the debug run short.
fn fuzz_corpus(target: &str) -> Vec<Vec<u8>> {
    let mut found: Vec<(u64, PathBuf)> = Vec::new();
    for dir in ["fuzz/corpus", "fuzz/artifacts"] {
        let Ok(entries) = std::fs::read_dir(root().join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            let len = e.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
            if e.path().is_file() && len <= 16 * 1024 {
                found.push((len, e.path()));
            }
        }
    }
    found.sort();
    found
        .into_iter()
        .take(300)
        .filter_map(|(_, p)| std::fs::read(p).ok())
        .collect()
}

fn text_seeds() -> Vec<Vec<u8>> {
    files("corpus", ".txt")
}

fn line_seeds() -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = text_seeds()
        .iter()
        .flat_map(|t| {
            String::from_utf8_lossy(t)
                .lines()
                .map(|l| l.as_bytes().to_vec())
                .collect::<Vec<_>>()
        })
        .filter(|l| l.len() > 2 && l.len() < 400)
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

fn str_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

#[test]
fn pipeline() {
    let mut seeds = text_seeds();
    for ext in [".docx", ".ofd", ".html"] {
        seeds.extend(files("tests/fixtures/formats", ext));
    }
    smoke("pipeline", seeds, |data| {
        if matches!(
            gongwen::ingest::sniff(data),
            Some(Format::Pdf | Format::Image)
        ) {
            return;
        }
        if let Ok(ex) = gongwen::ingest::ingest_bytes(data, "fuzz") {
            let _ = gongwen::extract::header::doc_type_of(&ex.text);
            let _ = gongwen::extract_extracted("fuzz", &ex);
        }
    });
}

#[test]
fn text() {
    smoke("text", text_seeds(), |data| {
        let _ = gongwen::extract_text("fuzz.txt", &str_of(data));
    });
}

#[test]
fn small_parsers() {
    smoke("doc_number+dates+outline", line_seeds(), |data| {
        let text = str_of(data);
        if let Some((_, r)) = gongwen::extract::header::parse_doc_number(&text) {
            assert!(text.get(r).is_some());
        }
        if let Some((_, r)) = gongwen::extract::dates::parse_date(&text) {
            assert!(text.get(r).is_some());
        }
        let _ = gongwen::extract::dates::first_year(&text);
        let _ = gongwen::extract::tasks::clause_facts(&text, None, Some(2024));
        if let Some(m) = gongwen::structure::outline::marker(&text) {
            assert!(m.len <= text.len());
        }
    });
}

#[test]
fn contacts() {
    smoke("contacts", line_seeds(), |data| {
        let t = str_of(data);
        let notice =
            format!("关于开展检查的通知\n各有关单位：\n联系人：{t}\n联系电话：{t}\n传真：{t}\n");
        let _ = gongwen::extract_text("fuzz.txt", &notice);
    });
}

#[test]
fn pdf() {
    smoke("pdf", files("tests/fixtures/formats", ".pdf"), |data| {
        let _ = gongwen::ingest::fuzzing::pdf_text_layer(data);
    });
}

#[test]
fn zip_xml() {
    let mut seeds = files("tests/fixtures/formats", ".docx");
    seeds.extend(files("tests/fixtures/formats", ".ofd"));
    smoke("zip_xml", seeds, |data| {
        gongwen::ingest::fuzzing::zip(data);
        gongwen::ingest::fuzzing::xml(data);
    });
}

#[test]
fn html() {
    smoke("html", files("tests/fixtures/formats", ".html"), |data| {
        gongwen::ingest::fuzzing::html(data);
    });
}

/// Regression (found by this smoke run): a ratio whose clause starts after an ASCII comma
/// cut the text inside the next char (`,五条…不低于20%` panicked in `regions_before`).
#[test]
fn ratio_after_an_ascii_comma_does_not_panic() {
    let text = "第,五条 各市局对辖区内机动车检验机构的抽查比例不低于20%；";
    let f = gongwen::extract::tasks::clause_facts(text, None, Some(2024));
    assert_eq!(f.ratios.len(), 1);
    assert!(gongwen::extract::tasks::regions_before(",五条抽查比例", 1).is_empty());
}
