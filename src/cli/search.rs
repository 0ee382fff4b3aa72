//! `gongwen search QUERY --index PATH`

use gongwen::index::{Archive, Hit, query};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per hit.
    Json,
    /// A table with highlighted snippets.
    Table,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query: `key:value` filters and free words, all of which must hold.
    #[arg(required_unless_present = "queries")]
    pub query: Option<String>,
    /// The index directory.
    #[arg(long)]
    pub index: PathBuf,
    /// At most this many hits.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    #[arg(long, short, value_enum, default_value = "json")]
    pub format: Format,
    /// Run every query of this file (one a line) instead, on one open index, and print
    /// each query's latency (for benchmarks).
    #[arg(long, hide = true)]
    pub queries: Option<PathBuf>,
    /// With --queries: run each query this many times.
    #[arg(long, hide = true, default_value_t = 5)]
    pub repeat: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open(&args.index)?;
    if let Some(file) = &args.queries {
        return bench(&archive, file, &args);
    }
    let text = args.query.clone().unwrap_or_default();
    let parsed = match query::parse(&text) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("gongwen: {e}\n  {text}\n  {}^", " ".repeat(e.at));
            return Ok(ExitCode::from(2));
        }
    };
    let searcher = archive.reader()?.searcher();
    let hits = archive.search_parsed(&searcher, &parsed, args.limit)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Json => {
            for h in &hits {
                writeln!(out, "{}", serde_json::to_string(h)?)?;
            }
        }
        Format::Table => table(&mut out, &hits, std::io::stdout().is_terminal())?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn table(out: &mut dyn Write, hits: &[Hit], tty: bool) -> anyhow::Result<()> {
    let (open, close) = if tty {
        ("\x1b[1;31m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    writeln!(out, "score\tdoc_number\tissue_date\tissuer\ttitle")?;
    for h in hits {
        let s = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{:.2}\t{}\t{}\t{}\t{}",
            h.score,
            s(&h.doc_number),
            s(&h.issue_date),
            s(&h.issuer),
            s(&h.title)
        )?;
        if let Some(sn) = &h.snippet {
            let text: String = sn
                .marked(open, close)
                .chars()
                .map(|c| if c == '\n' { ' ' } else { c })
                .collect();
            writeln!(out, "\t{text}")?;
        }
        writeln!(out, "\t{}", s(&h.path))?;
    }
    Ok(())
}

fn bench(archive: &Archive, file: &PathBuf, args: &Args) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let searcher = archive.reader()?.searcher();
    // load the segmenter's dictionary once, as any long-running searcher would have
    let t = Instant::now();
    gongwen::index::tokenizer::terms("预热");
    writeln!(
        std::io::stderr(),
        "dictionary load (once per process): {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    )?;
    let mut all = Vec::new();
    let mut out = std::io::stdout().lock();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let parsed =
            query::parse(line).map_err(|e| anyhow::anyhow!("{}: {e}: {line}", file.display()))?;
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..args.repeat.max(1) {
            let t = Instant::now();
            n = archive.search_parsed(&searcher, &parsed, args.limit)?.len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        writeln!(out, "{:8.2} ms  {n:4} hits  {line}", times[0])?;
        all.extend(times);
    }
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        all[((all.len() as f64 * p).ceil() as usize)
            .saturating_sub(1)
            .min(all.len() - 1)]
    };
    if !all.is_empty() {
        writeln!(
            out,
            "latency over {} runs: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            all.len(),
            pct(0.50),
            pct(0.99),
            all[all.len() - 1]
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
