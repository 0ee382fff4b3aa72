//! Subcommands, one module each.

mod diff;
mod export;
mod extract;
mod feed;
mod gen_corpus;
mod index;
mod schema;
mod search;
mod show;
mod text;
mod watch;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "gongwen",
    version,
    about = "Read Chinese government notices (公文) and turn them into structured task specs"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract the task spec (JSON) of notices.
    #[command(
        after_help = "Examples:\n  gongwen extract notice.txt\n  gongwen extract --format pretty notice.txt\n  gongwen extract corpus/ -o out/          # one NAME.json per input\n  cat notice.txt | gongwen extract -\n\nExit status: 0 all inputs extracted, 1 some inputs failed (the rest are still written), 2 usage error."
    )]
    Extract(extract::Args),
    /// Print the extracted text that spans index into (before normalization).
    #[command(after_help = "Example:\n  gongwen text notice.txt | sed -n 1,20p")]
    Text(text::Args),
    /// Compare a relay notice (转发) with the original it forwards, field by field.
    #[command(
        after_help = "Examples:\n  gongwen diff relay-with-original.txt          # relay and original in one file\n  gongwen diff relay.pdf original.pdf\n  gongwen diff relay.txt originals/ -f html -o diff.html\n\nExit status: 0 compared, 1 no original found or an input failed, 2 usage error."
    )]
    Diff(diff::Args),
    /// Print the JSON Schema of the extract output (or of a relay diff, or of a campaign).
    #[command(
        after_help = "Examples:\n  gongwen schema\n  gongwen schema --diff\n  gongwen schema --campaign"
    )]
    Schema(schema::Args),
    /// Feed notices into a task system as campaigns, each exactly once.
    #[command(
        after_help = "Examples:\n  gongwen feed corpus/ --sink sqlite:campaigns.db\n  gongwen feed notice.txt --sink jsonl\n  gongwen feed inbox/ --sink webhook:https://tasks.example/api/campaigns --state feed.db --dead-letter dead/\n  gongwen feed --retry-dead-letters --sink webhook:https://tasks.example/api/campaigns --dead-letter dead/\n\nA rerun sends nothing twice (state: the sqlite sink's database, or --state FILE).\nExit status: 0 all inputs fed, 1 some inputs failed to extract (the rest are fed), 2 usage error or the sink failed."
    )]
    Feed(feed::Args),
    /// Watch a folder: feed every notice there, then each new or changed one as it lands.
    #[command(
        after_help = "Examples:\n  gongwen watch inbox/ --sink sqlite:campaigns.db\n  gongwen watch inbox/ --sink webhook:https://tasks.example/api/campaigns --state feed.db --dead-letter dead/\n  gongwen watch inbox/ --sink sqlite:campaigns.db --once   # initial scan only\n\nTemp files (*.part, ~$*, .*) are ignored; a file is read once its size and mtime hold still."
    )]
    Watch(watch::Args),
    /// Extract notices into a searchable archive index (incremental, resumable).
    #[command(
        after_help = "Examples:\n  gongwen index notices/ --index archive/\n  gongwen index 2023/ 2024/ --index archive/ --batch 500 --quiet\n\nA file already indexed (same SHA-256) is skipped; a changed file at an indexed path replaces its documents.\nWork is committed every --batch files: after a crash or Ctrl-C, run the same command again.\nExit status: 0 all inputs indexed or unchanged, 1 some inputs failed (named on stderr), 2 usage or index error."
    )]
    Index(index::Args),
    /// Search an archive index.
    #[command(
        after_help = "Query language (every clause must hold):\n  issuer:福建          the issuer's region (full or short name, or a division above it) or its name\n  region:宜春          the issuer's region only\n  category:CCC认证     a task category, by name or alias (grammars/categories.toml)\n  deadline:2024-10-01..2024-12-31   a task deadline in the range (also 2024-Q4, 2024-10, 2024, ..2024-06-30)\n  issued:2024          the issue date (成文日期), same ranges\n  cites:闽市监认证〔2024〕32号       documents citing this doc number\n  cited-by:闽市监认证〔2024〕215号   documents this one cites\n  number:闽市监认证〔2024〕215号     this doc number\n  type:通知  role:primary|relayed  title:WORDS  addressee:WORDS  task-region:南昌  path:P  sha256:H\n  other words          free text over title and full text (\"quoted words\" must all appear)\n\nExamples:\n  gongwen search --index archive/ 'issuer:福建 category:强制性产品认证 deadline:2024-Q4'\n  gongwen search --index archive/ -f table 'cites:闽市监认证〔2024〕32号'"
    )]
    Search(search::Args),
    /// Print the stored JSON of the documents with this doc number.
    #[command(after_help = "Example:\n  gongwen show 闽市监认证〔2024〕215号 --index archive/")]
    Show(show::Args),
    /// Export an archive index (Elasticsearch/OpenSearch bulk NDJSON and mapping).
    #[command(
        after_help = "Example:\n  gongwen export --index archive/ -o bulk.ndjson --mapping mapping.json\n  curl -XPUT localhost:9200/gongwen -H 'Content-Type: application/json' -d @mapping.json\n  curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' --data-binary @bulk.ndjson"
    )]
    Export(export::Args),
    /// Write N synthetic notices with their facts (scale tests).
    #[command(hide = true)]
    GenCorpus(gen_corpus::Args),
    /// Internal: read a PDF's text layer with pdf-extract (PDF on stdin, JSON on stdout), in
    /// the child process the other commands run it in, so a slow or crashing PDF is bounded.
    #[command(hide = true)]
    PdfTextLayer,
}

pub fn run(cli: Cli) -> ExitCode {
    // pdf-extract runs in a child process of this program, with a time limit
    if let Ok(exe) = std::env::current_exe() {
        gongwen::ingest::isolate_text_layer(exe);
    }
    let result = match cli.command {
        Command::PdfTextLayer => {
            gongwen::ingest::serve_text_layer(std::io::stdin().lock(), std::io::stdout().lock())
                .map(|()| ExitCode::SUCCESS)
                .map_err(|e| anyhow::anyhow!("pdf-text-layer: {e}"))
        }
        Command::Extract(a) => extract::run(a),
        Command::Text(a) => text::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Feed(a) => feed::run(a),
        Command::Watch(a) => watch::run(a),
        Command::Index(a) => index::run(a),
        Command::Search(a) => search::run(a),
        Command::Show(a) => show::run(a),
        Command::Export(a) => export::run(a),
        Command::GenCorpus(a) => gen_corpus::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gongwen: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Expand the inputs: files as given, directories recursively (notice files only), `-`.
pub fn expand_inputs(inputs: &[std::path::PathBuf]) -> (Vec<std::path::PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in inputs {
        if p.as_os_str() == "-" || !p.is_dir() {
            files.push(p.clone());
            continue;
        }
        let mut found: Vec<_> = walkdir::WalkDir::new(p)
            .follow_links(true)
            .into_iter()
            .filter_map(|e| match e {
                Ok(e) => Some(e),
                Err(err) => {
                    errors.push(format!("{}: {err}", p.display()));
                    None
                }
            })
            .filter(|e| e.file_type().is_file() && gongwen::ingest::is_notice_path(e.path()))
            .map(|e| e.into_path())
            .collect();
        found.sort();
        files.extend(found);
    }
    (files, errors)
}
