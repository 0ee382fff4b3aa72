//! `gongwen index DIR… --index PATH`

use gongwen::index::{Archive, IndexOptions, Progress, index_files};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Notice files or directories (searched recursively for every supported format).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The index directory (created if missing).
    #[arg(long)]
    pub index: PathBuf,
    /// Files per commit: a crash or Ctrl-C loses at most this many files' work.
    #[arg(long, default_value_t = 1000)]
    pub batch: usize,
    /// Extraction threads (default: every core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// The index writer's memory budget in MB.
    #[arg(long, default_value_t = 128)]
    pub memory_mb: usize,
    /// No progress bar and no per-commit lines.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (files, mut failures) = super::expand_inputs(&args.inputs);
    let archive = Archive::open_or_create(&args.index)?;
    let tty = std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(
        Some(files.len() as u64),
        if tty && !args.quiet {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} files  {rate}  ETA {eta}  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key(
                "rate",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} files/s", s.per_sec());
                },
            ),
    );
    let log = !tty && !args.quiet;
    let opts = IndexOptions {
        batch: args.batch,
        threads: args.threads,
        memory_mb: args.memory_mb,
    };
    let on_progress = |p: Progress| match p {
        Progress::File => bar.inc(1),
        Progress::Committed { files: n } => {
            if log {
                eprintln!("gongwen index: committed {n}/{} files", files.len());
            } else {
                bar.set_message(format!("committed {n}"));
            }
        }
    };
    let report = index_files(&archive, &files, &opts, &on_progress)?;
    bar.finish_and_clear();
    failures.extend(report.failed.iter().cloned());
    for f in &failures {
        eprintln!("gongwen: {f}");
    }
    if !args.quiet {
        eprintln!(
            "gongwen index: {} files indexed ({} replaced), {} unchanged, {} failed; {} documents added; {} in the index",
            report.indexed,
            report.replaced,
            report.skipped,
            failures.len(),
            report.documents,
            archive.count_documents()?
        );
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
