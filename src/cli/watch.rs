//! `gongwen watch DIR --sink SINK`: feed a folder's notices, then each new or changed one.

use super::feed::{SinkArgs, Tally, describe};
use gongwen::feed::watch::{WatchEvent, WatchOptions, watch};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to watch (recursively).
    pub dir: PathBuf,
    #[command(flatten)]
    pub sink: SinkArgs,
    /// Exit after feeding what is already there.
    #[arg(long)]
    pub once: bool,
    /// Quiet time after a file's last event before it is looked at.
    #[arg(long, default_value_t = 200, value_name = "MS")]
    pub debounce_ms: u64,
    /// How long size and mtime must then stay unchanged before the file is read.
    #[arg(long, default_value_t = 200, value_name = "MS")]
    pub settle_ms: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut feeder = args.sink.feeder(true)?;
    let resent = feeder.retry_dead_letters()?;
    if resent > 0 {
        eprintln!("gongwen watch: re-sent {resent} dead-lettered campaigns");
    }
    let opts = WatchOptions {
        debounce: Duration::from_millis(args.debounce_ms),
        settle: Duration::from_millis(args.settle_ms),
        once: args.once,
        ..WatchOptions::default()
    };
    let mut tally = Tally::default();
    let mut failed = false;
    watch(&args.dir, &mut feeder, &opts, |event| match event {
        WatchEvent::Fed(path, outcome) => {
            tally.add(outcome);
            failed |= matches!(outcome, gongwen::feed::FileOutcome::Failed(_));
            if let Some(line) = describe(path, outcome) {
                eprintln!("gongwen watch: {line}");
            }
        }
        WatchEvent::Ready { files } => {
            eprintln!("gongwen watch: initial scan: {}", tally.summary());
            if !args.once {
                eprintln!(
                    "gongwen watch: watching {} ({files} files already there)",
                    args.dir.display()
                );
            }
        }
        WatchEvent::Resent(n) => eprintln!("gongwen watch: re-sent {n} dead-lettered campaigns"),
        WatchEvent::Error(e) => eprintln!("gongwen watch: {e}"),
    })?;
    Ok(if failed && args.once {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
