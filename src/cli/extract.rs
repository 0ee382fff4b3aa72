//! `gongwen extract FILE…`

use gongwen::output::{OutputFormat, render_batch, render_with_text};
use gongwen::spec::Output;
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Notice files (text, PDF, DOCX, OFD, HTML, PNG/JPEG/TIFF scans), directories
    /// (searched recursively) or `-` for standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "json")]
    pub format: OutputFormat,
    /// Write to this file, or into this directory (one NAME.json per input) if it exists
    /// as a directory or ends with `/`.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (files, mut failures) = super::expand_inputs(&args.inputs);
    let to_dir = args
        .output
        .as_ref()
        .filter(|o| o.is_dir() || o.to_string_lossy().ends_with('/'));
    if let Some(dir) = to_dir {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    }
    let mut sink: Box<dyn Write> = match (&args.output, to_dir) {
        (Some(path), None) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
        )),
        _ => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    // Files are extracted in parallel (rayon, every core), a bounded chunk at a time so
    // memory stays flat over any number of files, and written in input order. ics and csv
    // gather every input into one calendar / table (unless writing per file).
    let chunk = 8 * rayon::current_num_threads().max(1);
    let mut gathered = Vec::new();
    for files in files.chunks(chunk) {
        let done: Vec<Result<Done, String>> = files
            .par_iter()
            .map(|file| {
                let (out, text) =
                    gongwen::extract_path_with_text(file).map_err(|e| e.to_string())?;
                if let Some(dir) = to_dir {
                    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("stdin");
                    let target = dir.join(format!("{stem}.{}", args.format.extension()));
                    std::fs::write(&target, render_with_text(&out, &text, args.format) + "\n")
                        .map_err(|e| format!("{}: {e}", target.display()))?;
                    Ok(Done::Written)
                } else if args.format.is_batch() {
                    Ok(Done::Gathered(Box::new(out)))
                } else {
                    Ok(Done::Rendered(render_with_text(&out, &text, args.format)))
                }
            })
            .collect();
        for d in done {
            match d {
                Ok(Done::Written) => {}
                Ok(Done::Gathered(out)) => gathered.push(*out),
                Ok(Done::Rendered(s)) => writeln!(sink, "{s}")?,
                Err(e) => failures.push(e),
            }
        }
    }
    if args.format.is_batch() && to_dir.is_none() {
        write!(sink, "{}", render_batch(&gathered, args.format))?;
    }
    sink.flush()?;
    for f in &failures {
        eprintln!("gongwen: {f}");
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// What became of one input.
enum Done {
    /// Written to its own file in the output directory.
    Written,
    /// Kept for a batch format (ics, csv).
    Gathered(Box<Output>),
    /// Rendered, to be written in input order.
    Rendered(String),
}
