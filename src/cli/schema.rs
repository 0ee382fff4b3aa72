//! `gongwen schema [--diff | --campaign]`

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema of `gongwen diff` output instead of `gongwen extract`.
    #[arg(long, conflicts_with = "campaign")]
    pub diff: bool,
    /// The schema of the campaigns `gongwen feed`/`watch` deliver instead.
    #[arg(long)]
    pub campaign: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let schema = if args.diff {
        schemars::schema_for!(gongwen::diff::RelayDiff)
    } else if args.campaign {
        schemars::schema_for!(gongwen::feed::Campaign)
    } else {
        schemars::schema_for!(gongwen::spec::Output)
    };
    println!("{}", serde_json::to_string_pretty(&schema)?);
    Ok(ExitCode::SUCCESS)
}
