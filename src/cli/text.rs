//! `gongwen text FILE`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A notice file or `-` for standard input.
    pub input: PathBuf,
    /// Print the normalized text instead (what the grammars see).
    #[arg(long)]
    pub normalized: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ex = match gongwen::ingest::ingest_path(&args.input) {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("gongwen: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let mut out = std::io::stdout().lock();
    if args.normalized {
        writeln!(out, "{}", gongwen::normalize::normalize(&ex.text).text)?;
    } else {
        out.write_all(ex.text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}
