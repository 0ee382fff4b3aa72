//! `gongwen schema [--diff]`

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema of `gongwen diff` output instead of `gongwen extract`.
    #[arg(long)]
    pub diff: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let schema = if args.diff {
        schemars::schema_for!(gongwen::diff::RelayDiff)
    } else {
        schemars::schema_for!(gongwen::spec::Output)
    };
    println!("{}", serde_json::to_string_pretty(&schema)?);
    Ok(ExitCode::SUCCESS)
}
