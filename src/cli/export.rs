//! `gongwen export --format es-bulk --index PATH`

use gongwen::index::Archive;
use gongwen::index::export::{Analyzer, mapping, write_bulk};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Elasticsearch / OpenSearch bulk NDJSON.
    EsBulk,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, short, value_enum, default_value = "es-bulk")]
    pub format: Format,
    /// The index directory.
    #[arg(long)]
    pub index: PathBuf,
    /// Write the NDJSON here (default: standard output).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Also write the index mapping (JSON) here.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// The Elasticsearch index the actions name.
    #[arg(long, default_value = "gongwen")]
    pub es_index: String,
    /// The Chinese analyzer the mapping uses (needs its plugin installed).
    #[arg(long, value_enum, default_value = "ik")]
    pub analyzer: Analyzer,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open(&args.index)?;
    if let Some(path) = &args.mapping {
        std::fs::write(
            path,
            serde_json::to_string_pretty(&mapping(args.analyzer))? + "\n",
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    let mut sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let Format::EsBulk = args.format;
    write_bulk(&archive, &args.es_index, &mut sink)?;
    Ok(ExitCode::SUCCESS)
}
