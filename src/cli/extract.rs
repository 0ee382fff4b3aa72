//! `gongwen extract FILE…`

use gongwen::output::{OutputFormat, render_batch, render_with_text};
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
    // ics and csv gather every input into one calendar / table (unless writing per file)
    let mut gathered = Vec::new();
    for file in &files {
        match gongwen::extract_path_with_text(file) {
            Ok((out, text)) => {
                if let Some(dir) = to_dir {
                    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("stdin");
                    let target = dir.join(format!("{stem}.{}", args.format.extension()));
                    std::fs::write(&target, render_with_text(&out, &text, args.format) + "\n")
                        .map_err(|e| anyhow::anyhow!("{}: {e}", target.display()))?;
                } else if args.format.is_batch() {
                    gathered.push(out);
                } else {
                    writeln!(sink, "{}", render_with_text(&out, &text, args.format))?;
                }
            }
            Err(e) => failures.push(e.to_string()),
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
