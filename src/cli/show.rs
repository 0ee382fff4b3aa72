//! `gongwen show DOCNUMBER --index PATH`

use gongwen::index::Archive;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The 发文字号 (any bracket style: 〔2024〕, [2024], （2024）), or a search hit's `id`.
    pub number: String,
    /// The index directory.
    #[arg(long)]
    pub index: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open(&args.index)?;
    let docs = archive.show(&args.number)?;
    if docs.is_empty() {
        eprintln!(
            "gongwen: {}: no document numbered {} in the index",
            args.index.display(),
            args.number
        );
        return Ok(ExitCode::from(1));
    }
    for d in docs {
        println!("{}", serde_json::to_string_pretty(&d)?);
    }
    Ok(ExitCode::SUCCESS)
}
