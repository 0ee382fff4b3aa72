//! gongwen: read Chinese government notices (公文) and turn them into structured task specs.
//!
//! The pipeline is a chain of small stages, one module each:
//! [`ingest`] (bytes → text) → [`normalize`] (artifact repair with an offset map) →
//! [`structure`] (documents and their parts) → [`extract`] (facts) → [`output`] (formats).
//! [`extract_path`] and [`extract_text`] run them all; every value keeps its span into
//! the extracted text.

pub mod chars;
pub mod diff;
pub mod error;
pub mod extract;
pub mod feed;
pub mod gazetteer;
pub mod grammar;
pub mod index;
pub mod ingest;
pub mod normalize;
pub mod output;
pub mod segment;
pub mod spec;
pub mod structure;

pub use error::{Error, Result};
pub use spec::Output;

use ingest::Extracted;
use spec::{SCHEMA_ID, Source, Warning};
use std::path::Path;

/// Read and extract one file (or `-` for standard input).
///
/// Structuring is written never to panic; as a last line of defence a panic inside the
/// pipeline becomes an error naming the file, so a batch goes on past it.
pub fn extract_path(path: &Path) -> Result<Output> {
    extract_path_with_text(path).map(|(out, _)| out)
}

/// [`extract_path`], also returning the extracted text its spans index into (for review
/// pages and diffs that show the source).
pub fn extract_path_with_text(path: &Path) -> Result<(Output, String)> {
    let extracted = ingest::ingest_path(path)?;
    let name = path.display().to_string();
    let out =
        std::panic::catch_unwind(|| extract_extracted(&name, &extracted)).map_err(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Error::input(
                &name,
                format!("internal error while extracting (please report): {why}"),
            )
        })?;
    Ok((out, extracted.text))
}

/// Extract from text already in memory (the `path` is only reported).
pub fn extract_text(path: &str, text: &str) -> Output {
    let extracted = Extracted::text(text.to_string(), Some("utf-8".into()), String::new());
    extract_extracted(path, &extracted)
}

/// Run normalize → structure → extract on an ingested input.
pub fn extract_extracted(path: &str, ex: &Extracted) -> Output {
    let norm = normalize::normalize(&ex.text);
    let layout = structure::structure(&norm);
    let ctx = extract::Ctx::new(&ex.text, &norm);
    // the reader's warnings (fallbacks, OCR) come first
    let mut warnings: Vec<Warning> = ex.warnings.clone();
    let mut documents: Vec<_> = layout
        .docs
        .iter()
        .map(|d| extract::document(&ctx, &layout, d, &mut warnings))
        .collect();
    if ex.ocr {
        for d in &mut documents {
            extract::header::correct_ocr_province(d, &mut warnings);
        }
    }
    extract::origin::locate(&mut documents, ex, &mut warnings);
    if documents.is_empty() {
        warnings.push(Warning {
            code: "no-document".into(),
            message: "no document found in the text".into(),
            span: None,
        });
    }
    Output {
        schema: SCHEMA_ID.to_string(),
        source: Source {
            path: path.to_string(),
            sha256: ex.sha256.clone(),
            format: ex.format,
            encoding: ex.encoding.clone(),
            pages: ex.pages,
            ocr: ex.ocr,
            chars: ex.text.chars().count(),
            page_starts: (!ex.page_starts.is_empty()).then(|| ex.page_starts.clone()),
        },
        documents,
        warnings,
    }
}
