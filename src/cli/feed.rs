//! `gongwen feed FILE|DIR… --sink SINK`: a one-off run of the campaign feed.

use gongwen::feed::sink::{self, RetryPolicy, SinkSpec};
use gongwen::feed::{Delivery, Feeder, FileOutcome, State};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Sink and state options shared by `feed` and `watch`.
#[derive(Debug, clap::Args)]
pub struct SinkArgs {
    /// Where campaigns go: `jsonl` (standard output), `jsonl:PATH`, `sqlite:PATH` or
    /// `webhook:URL`.
    #[arg(long, value_parser = parse_sink)]
    pub sink: SinkSpec,
    /// State store (an SQLite file) that remembers what was fed, so a rerun sends nothing
    /// twice. Default: the sqlite sink's own database; for other sinks `feed` then keeps
    /// state in memory (this run only) and `watch` requires it.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Webhook: park campaigns that could not be delivered here (one JSON file each); they
    /// are re-sent first on the next run.
    #[arg(long, value_name = "DIR")]
    pub dead_letter: Option<PathBuf>,
    /// Webhook: attempts per campaign before it is dead-lettered.
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub attempts: u32,
    /// Webhook: first backoff; it doubles on each retry (with jitter).
    #[arg(long, default_value_t = 500, value_name = "MS")]
    pub retry_base_ms: u64,
    /// Webhook: longest backoff.
    #[arg(long, default_value_t = 30_000, value_name = "MS")]
    pub retry_max_ms: u64,
    /// Webhook: timeout of one request.
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    pub timeout_ms: u64,
}

fn parse_sink(s: &str) -> Result<SinkSpec, String> {
    s.parse()
        .map_err(|e: gongwen::feed::FeedError| e.to_string())
}

impl SinkArgs {
    /// The sink and its state store. `need_state`: refuse to run without a persistent one.
    pub fn feeder(&self, need_state: bool) -> anyhow::Result<Feeder> {
        let policy = RetryPolicy {
            attempts: self.attempts,
            base: Duration::from_millis(self.retry_base_ms),
            max_backoff: Duration::from_millis(self.retry_max_ms),
            timeout: Duration::from_millis(self.timeout_ms),
            dead_letter: self.dead_letter.clone(),
        };
        let sink = sink::open(&self.sink, &policy)?;
        let state = match self.state.clone().or_else(|| sink.state_path()) {
            Some(path) => State::open(&path)?,
            None if need_state => anyhow::bail!(
                "a state store is needed so that a restart sends nothing twice: \
                 give --state FILE (with a sqlite sink its database is used by default)"
            ),
            None => State::in_memory()?,
        };
        Ok(Feeder::new(sink, state))
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Notice files or directories (searched recursively for `.txt`, `.text`, `.md`).
    #[arg(required_unless_present = "retry_dead_letters")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub sink: SinkArgs,
    /// Only re-send the campaigns parked in `--dead-letter` (every run does this first).
    #[arg(long, requires = "dead_letter")]
    pub retry_dead_letters: bool,
    /// Pause after each file (lets tests interrupt a feed half-way).
    #[arg(long, hide = true, default_value_t = 0)]
    pub pace_ms: u64,
}

/// Counts for the closing summary.
#[derive(Default)]
pub struct Tally {
    files: usize,
    unchanged_files: usize,
    failed: usize,
    new: usize,
    updated: usize,
    unchanged: usize,
    dead: usize,
}

impl Tally {
    pub fn add(&mut self, outcome: &FileOutcome) {
        self.files += 1;
        match outcome {
            FileOutcome::Unchanged | FileOutcome::Vanished => self.unchanged_files += 1,
            FileOutcome::Failed(_) => self.failed += 1,
            FileOutcome::Fed { campaigns, .. } => {
                for (_, d) in campaigns {
                    match d {
                        Delivery::New => self.new += 1,
                        Delivery::Updated => self.updated += 1,
                        Delivery::Unchanged => self.unchanged += 1,
                        Delivery::DeadLettered(_) => self.dead += 1,
                    }
                }
            }
        }
    }

    pub fn summary(&self) -> String {
        format!(
            "{} files ({} unchanged, {} failed); campaigns: {} new, {} updated, {} unchanged, {} dead-lettered",
            self.files,
            self.unchanged_files,
            self.failed,
            self.new,
            self.updated,
            self.unchanged,
            self.dead
        )
    }
}

/// One stderr line for a file that was not simply skipped; failures name the file.
pub fn describe(path: &Path, outcome: &FileOutcome) -> Option<String> {
    match outcome {
        FileOutcome::Unchanged | FileOutcome::Vanished => None,
        FileOutcome::Failed(why) => Some(why.clone()),
        FileOutcome::Fed { campaigns, update } => {
            let parts: Vec<String> = campaigns
                .iter()
                .map(|(key, d)| match d {
                    Delivery::DeadLettered(p) => format!("{key} dead-lettered to {}", p.display()),
                    d => format!("{key} {}", d.as_str()),
                })
                .collect();
            let what = if *update { "updated" } else { "fed" };
            Some(format!("{} {what}: {}", path.display(), parts.join("; ")))
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut feeder = args.sink.feeder(false)?;
    let resent = feeder.retry_dead_letters()?;
    if resent > 0 {
        eprintln!("gongwen feed: re-sent {resent} dead-lettered campaigns");
    }
    if args.retry_dead_letters && args.inputs.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let (files, mut failures) = super::expand_inputs(&args.inputs);
    let mut tally = Tally::default();
    for file in &files {
        if file.as_os_str() == "-" {
            failures.push("-: feed reads files, not standard input".into());
            continue;
        }
        let outcome = feeder.feed_file(file)?;
        tally.add(&outcome);
        match &outcome {
            FileOutcome::Failed(why) => failures.push(why.clone()),
            _ => {
                if let Some(line) = describe(file, &outcome) {
                    eprintln!("gongwen feed: {line}");
                }
            }
        }
        if args.pace_ms > 0 {
            std::thread::sleep(Duration::from_millis(args.pace_ms));
        }
    }
    for f in &failures {
        eprintln!("gongwen: {f}");
    }
    eprintln!("gongwen feed: {}", tally.summary());
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
