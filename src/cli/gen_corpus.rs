//! `gongwen gen-corpus N OUTDIR` (hidden): synthetic notices with their facts.

use gongwen::index::synth::{notice, relative_path};
use rayon::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many notices.
    pub count: u64,
    /// Where to write them: `NNNN/NNNNNNN.txt` and `NNNN/NNNNNNN.facts.json`.
    pub outdir: PathBuf,
    /// Seed: the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Start at this index (to grow a corpus).
    #[arg(long, default_value_t = 0)]
    pub start: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    (args.start..args.start + args.count)
        .into_par_iter()
        .try_for_each(|i| -> anyhow::Result<()> {
            let n = notice(args.seed, i);
            let path = args.outdir.join(relative_path(i));
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, &n.text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            let facts = path.with_extension("facts.json");
            std::fs::write(&facts, serde_json::to_string(&n.facts)? + "\n")
                .map_err(|e| anyhow::anyhow!("{}: {e}", facts.display()))?;
            Ok(())
        })?;
    Ok(ExitCode::SUCCESS)
}
