//! `gongwen diff RELAY [ORIGINAL | DIR]`

use gongwen::diff::{RelayDiff, Side, diff, find_original, html, pairs_in, render};
use gongwen::spec::Output;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// A readable table (default).
    Table,
    /// One JSON object per relay/original pair, one per line.
    Json,
    /// Indented JSON.
    Pretty,
    /// An HTML page: both texts side by side, aligned tasks linked, changes highlighted.
    Html,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The relay notice. Alone, it must hold the original it forwards (relay + original
    /// in one file; a relay of a relay gives one comparison per level).
    pub relay: PathBuf,
    /// The original: a file, or a directory searched (recursively) for the document whose
    /// doc number the relay forwards or cites.
    pub original: Option<PathBuf>,
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: DiffFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

struct Loaded {
    out: Output,
    text: String,
}

fn load(path: &std::path::Path) -> anyhow::Result<Loaded> {
    let (out, text) = gongwen::extract_path_with_text(path)?;
    Ok(Loaded { out, text })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let relay = match load(&args.relay) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("gongwen: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let mut others: Vec<Loaded> = Vec::new();
    let mut failures = Vec::new();
    if let Some(orig) = &args.original {
        let (files, fails) = super::expand_inputs(std::slice::from_ref(orig));
        failures.extend(fails);
        for f in files.iter().filter(|f| **f != args.relay) {
            match load(f) {
                Ok(l) => others.push(l),
                Err(e) => failures.push(e.to_string()),
            }
        }
    }
    // (relay doc, (file index: None = the relay's own file, doc))
    let mut jobs: Vec<(usize, Option<usize>, usize)> = Vec::new();
    if others.is_empty() {
        jobs.extend(pairs_in(&relay.out).into_iter().map(|(r, o)| (r, None, o)));
    } else {
        let outs: Vec<Output> = others.iter().map(|l| l.out.clone()).collect();
        let r = relay
            .out
            .documents
            .iter()
            .position(|d| !d.relays.is_empty())
            .unwrap_or(0);
        if let Some(doc) = relay.out.documents.get(r) {
            match find_original(doc, &outs) {
                Some((f, d)) => jobs.push((r, Some(f), d)),
                // two files and no doc number to match: the second file's first document
                None if others.len() == 1 && !others[0].out.documents.is_empty() => {
                    jobs.push((r, Some(0), 0))
                }
                None => {}
            }
        }
    }
    for f in &failures {
        eprintln!("gongwen: {f}");
    }
    if jobs.is_empty() {
        eprintln!(
            "gongwen: {}: no relayed original found{}",
            args.relay.display(),
            if args.original.is_some() {
                " among the given originals (no document carries the doc number it forwards)"
            } else {
                " in the same file; give the original as a second argument (a file or a directory)"
            }
        );
        return Ok(ExitCode::from(1));
    }
    let sides: Vec<(Side, Side)> = jobs
        .iter()
        .map(|&(r, f, o)| {
            let rs = Side {
                out: &relay.out,
                doc: r,
                text: &relay.text,
            };
            let os = match f {
                None => Side {
                    out: &relay.out,
                    doc: o,
                    text: &relay.text,
                },
                Some(f) => Side {
                    out: &others[f].out,
                    doc: o,
                    text: &others[f].text,
                },
            };
            (rs, os)
        })
        .collect();
    let diffs: Vec<RelayDiff> = sides.iter().map(|(r, o)| diff(*r, *o)).collect();
    let text = match args.format {
        DiffFormat::Table => diffs
            .iter()
            .map(render::table)
            .collect::<Vec<_>>()
            .join("\n"),
        DiffFormat::Json => diffs
            .iter()
            .map(|d| serde_json::to_string(d).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n"),
        DiffFormat::Pretty => diffs
            .iter()
            .map(|d| serde_json::to_string_pretty(d).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n"),
        DiffFormat::Html => {
            let parts: Vec<(&RelayDiff, &Side, &Side)> = diffs
                .iter()
                .zip(&sides)
                .map(|(d, (r, o))| (d, r, o))
                .collect();
            html::page(&parts)
        }
    };
    match &args.output {
        Some(p) => {
            std::fs::write(p, text + "\n").map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?
        }
        None => writeln!(std::io::stdout().lock(), "{text}")?,
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
