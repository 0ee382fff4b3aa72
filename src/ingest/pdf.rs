//! PDF: per page, the text layer read by pdf-extract; where it panics (non-embedded
//! `STSong-Light` with `UniGB-UCS2-H`), errs, or yields little or garbled text, poppler's
//! `pdftotext -layout`; where neither gives usable text (a scan), OCR of the rendered page.
//!
//! pdf-extract runs under `catch_unwind` (its source has many panic sites). The command
//! line runs it in a child process of its own (`gongwen pdf-text-layer`, see
//! [`isolate_text_layer`]) with a time limit, so a PDF it loops or overflows its stack on
//! costs that file its text layer (poppler reads it instead), not the batch; a library
//! caller that does not opt in runs it in-process. poppler and Tesseract run as
//! subprocesses with time limits.

use super::ocr;
use super::process::{self, ToolError};
use super::quality::{self, Quality};
use super::{Pages, warning};
use crate::error::{Error, Result};
use pdf_extract::{Document, Object, PlainTextOutput};
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::time::Duration;

/// Time limit for pdf-extract reading one PDF in its child process
/// (`GONGWEN_PDF_EXTRACT_LIMIT_MS` overrides it, for tests).
const TEXT_LAYER_LIMIT: Duration = Duration::from_secs(60);
/// The executable that reads text layers in a child process, once set.
static ISOLATED: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Read PDF text layers with pdf-extract in a child process: `exe pdf-text-layer`, PDF on
/// stdin, the pages as JSON on stdout ([`serve_text_layer`]), killed after a time limit.
/// Set once per process (the command line sets it to itself); later calls are ignored.
pub fn isolate_text_layer(exe: std::path::PathBuf) {
    let _ = ISOLATED.set(exe);
}

/// The child side of [`isolate_text_layer`]: read a PDF from `input`, write its text
/// layer (or why there is none) as JSON to `output`.
pub fn serve_text_layer(
    mut input: impl std::io::Read,
    output: impl std::io::Write,
) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let reply = match text_layer_in_process(&bytes) {
        Ok(layer) => Reply::Layer(layer),
        Err(LayerError::TooManyPages(n)) => Reply::TooManyPages(n),
        Err(LayerError::Other(why)) => Reply::Failed(why),
    };
    serde_json::to_writer(output, &reply).map_err(std::io::Error::other)
}

/// What the child process answers.
#[derive(serde::Serialize, serde::Deserialize)]
enum Reply {
    Layer(TextLayer),
    TooManyPages(usize),
    Failed(String),
}

/// Time limit for one `pdftotext` run over the whole document.
const PDFTOTEXT_LIMIT: Duration = Duration::from_secs(60);
/// Most pages read from one PDF (a notice has a few dozen at most).
const MAX_PAGES: usize = 2000;
/// Most pages of one PDF sent to OCR (about a second each): a scanned notice with its
/// annexes has a few dozen; the pages past this many are left empty with a warning, so a
/// PDF of thousands of blank pages cannot hold a batch for an hour.
const MAX_OCR_PAGES: usize = 100;

/// How a page's text was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    TextLayer,
    Pdftotext,
    Ocr,
    Nothing,
}

/// Read a PDF's pages.
pub fn read(bytes: &[u8], name: &str) -> Result<Pages> {
    let layer = text_layer(bytes);
    if let Err(LayerError::TooManyPages(n)) = layer {
        return Err(too_many_pages(name, n));
    }
    let (mut texts, sizes, layer_error) = match layer {
        Ok(TextLayer { pages, sizes }) => (pages, sizes, None),
        Err(why) => (Vec::new(), Vec::new(), Some(why.to_string())),
    };
    let mut via: Vec<Via> = texts
        .iter()
        .map(|t| match t {
            Some(t) if quality::judge(t) >= Quality::LowCjk => Via::TextLayer,
            _ => Via::Nothing,
        })
        .collect();
    let weak: Vec<usize> = texts
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            t.as_deref()
                .is_none_or(|t| quality::judge(t) < Quality::Good)
        })
        .map(|(i, _)| i)
        .collect();
    let mut warnings = Vec::new();
    // Fall back to poppler when pdf-extract failed or some page is weak.
    if layer_error.is_some() || !weak.is_empty() {
        match pdftotext(bytes) {
            Ok(poppler) => {
                if texts.is_empty() {
                    texts = vec![None; poppler.len()];
                    via = vec![Via::Nothing; poppler.len()];
                }
                let mut replaced = Vec::new();
                for (i, alt) in poppler.into_iter().enumerate().take(texts.len()) {
                    if better(&alt, texts[i].as_deref()) {
                        texts[i] = Some(alt);
                        via[i] = Via::Pdftotext;
                        replaced.push(i + 1);
                    }
                }
                if !replaced.is_empty() {
                    let why = match &layer_error {
                        Some(e) => format!("pdf-extract could not read the text layer ({e})"),
                        None => "pdf-extract gave little or garbled text".to_string(),
                    };
                    warnings.push(warning(
                        "pdf-text-fallback",
                        format!(
                            "{why}; text of {} from poppler's pdftotext",
                            page_list(&replaced)
                        ),
                    ));
                }
            }
            Err(e) if texts.is_empty() => {
                let first = layer_error.unwrap_or_default();
                return Err(Error::input(
                    name,
                    format!("not a readable PDF: {first}; {e}"),
                ));
            }
            Err(e) => warnings.push(warning(
                "pdf-text-fallback",
                format!("could not run the fallback PDF reader: {e}"),
            )),
        }
    }
    if texts.len() > MAX_PAGES {
        return Err(too_many_pages(name, texts.len()));
    }
    // OCR the pages that still have no usable text.
    let mut need_ocr: Vec<usize> = (0..texts.len())
        .filter(|&i| {
            texts[i]
                .as_deref()
                .is_none_or(|t| quality::judge(t) <= Quality::Garbled)
        })
        .collect();
    if need_ocr.len() > MAX_OCR_PAGES {
        let skipped = need_ocr.split_off(MAX_OCR_PAGES);
        warnings.push(warning(
            "ocr-skipped",
            format!(
                "{} pages need OCR, more than the {MAX_OCR_PAGES} recognised per file; the last {} (from page {}) are left without text",
                MAX_OCR_PAGES + skipped.len(),
                skipped.len(),
                skipped[0] + 1
            ),
        ));
    }
    let mut ocr_used = false;
    let mut confidence: Vec<Vec<u8>> = Vec::new();
    if !need_ocr.is_empty() {
        let dpis: Vec<u32> = need_ocr
            .iter()
            .map(|&i| ocr::dpi_for(sizes.get(i).copied().flatten()))
            .collect();
        let jobs: Vec<(u32, u32)> = need_ocr
            .iter()
            .zip(&dpis)
            .map(|(&i, &d)| (i as u32 + 1, d))
            .collect();
        let results = ocr::ocr_pdf_pages(bytes, &jobs);
        let mut done = Vec::new();
        let mut failed = Vec::new();
        for (&i, result) in need_ocr.iter().zip(results) {
            match result {
                Ok(t) => {
                    confidence.resize(texts.len(), Vec::new());
                    confidence[i] = t.confidence;
                    texts[i] = Some(t.text);
                    via[i] = Via::Ocr;
                    done.push(i + 1);
                }
                Err(e) => failed.push((i + 1, e)),
            }
        }
        if done.is_empty()
            && let Some((_, e)) = failed.first()
            && need_ocr.len() == texts.len()
        {
            return Err(Error::input(
                name,
                format!("PDF has no text layer and needs OCR: {e}"),
            ));
        }
        if !done.is_empty() {
            ocr_used = true;
            warnings.push(warning(
                "ocr",
                format!(
                    "{} had no usable text layer; text recognised with Tesseract (chi_sim) and corrected with grammars/ocr.toml, so it may hold recognition errors",
                    page_list(&done)
                ),
            ));
        }
        for (page, e) in failed {
            warnings.push(warning("ocr-failed", format!("page {page}: {e}")));
        }
    }
    let empty: Vec<usize> = via
        .iter()
        .enumerate()
        .filter(|(_, v)| **v == Via::Nothing)
        .map(|(i, _)| i + 1)
        .collect();
    if !empty.is_empty() && empty.len() < texts.len() {
        warnings.push(warning(
            "pdf-page-without-text",
            format!("no text on {}", page_list(&empty)),
        ));
    }
    Ok(Pages {
        texts: texts.into_iter().map(Option::unwrap_or_default).collect(),
        ocr: ocr_used,
        warnings,
        paged: true,
        confidence,
    })
}

fn too_many_pages(name: &str, pages: usize) -> Error {
    Error::input(
        name,
        format!("PDF has {pages} pages, more than the {MAX_PAGES} pages read from one notice"),
    )
}

/// Is `alt` (from poppler) a better text of a page than `current` (from pdf-extract)?
fn better(alt: &str, current: Option<&str>) -> bool {
    let Some(current) = current else {
        return quality::judge(alt) > Quality::Little;
    };
    let (qa, qc) = (quality::judge(alt), quality::judge(current));
    qa > qc || (qa == qc && quality::han_count(alt) > quality::han_count(current) * 11 / 10)
}

/// "page 3" or "pages 1, 2, 5".
fn page_list(pages: &[usize]) -> String {
    let list: Vec<String> = pages.iter().map(|p| p.to_string()).collect();
    if pages.len() == 1 {
        format!("page {}", list[0])
    } else {
        format!("pages {}", list.join(", "))
    }
}

/// pdf-extract's text of each page (None where it panicked or failed), and each page's
/// size in points from its MediaBox.
#[derive(serde::Serialize, serde::Deserialize)]
struct TextLayer {
    pages: Vec<Option<String>>,
    sizes: Vec<Option<(f32, f32)>>,
}

thread_local! {
    /// Set while pdf-extract runs on this thread: its panics are expected and caught, so
    /// they are not printed.
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
}

/// Install (once) a panic hook that stays silent for caught pdf-extract panics and defers
/// to the previous hook for everything else.
fn quiet_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Run `f` under `catch_unwind` with quiet panics; the panic message on failure.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    quiet_panic_hook();
    QUIET_PANICS.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET_PANICS.with(|q| q.set(false));
    result.map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into())
    })
}

/// Why there is no text layer.
#[derive(Debug)]
enum LayerError {
    /// More than [`MAX_PAGES`] pages: the PDF is refused without reading further.
    TooManyPages(usize),
    /// pdf-extract/lopdf failed or panicked on the document.
    Other(String),
}

impl std::fmt::Display for LayerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LayerError::TooManyPages(n) => write!(f, "{n} pages"),
            LayerError::Other(why) => f.write_str(why),
        }
    }
}

impl From<String> for LayerError {
    fn from(why: String) -> Self {
        LayerError::Other(why)
    }
}

/// Read the text layer: in a child process when [`isolate_text_layer`] was called, else
/// here.
fn text_layer(bytes: &[u8]) -> Result<TextLayer, LayerError> {
    let Some(exe) = ISOLATED.get() else {
        return text_layer_in_process(bytes);
    };
    let limit = std::env::var("GONGWEN_PDF_EXTRACT_LIMIT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(TEXT_LAYER_LIMIT);
    let out = process::run_as(
        "gongwen pdf-text-layer",
        exe.as_os_str(),
        &["pdf-text-layer"],
        &[],
        bytes,
        limit,
    )
    .map_err(|e| match e {
        ToolError::Timeout(_, limit) => {
            format!("pdf-extract took longer than {} s", limit.as_secs_f32())
        }
        e => format!("pdf-extract failed in its child process: {e}"),
    })?;
    match serde_json::from_slice(&out) {
        Ok(Reply::Layer(layer)) => Ok(layer),
        Ok(Reply::TooManyPages(n)) => Err(LayerError::TooManyPages(n)),
        Ok(Reply::Failed(why)) => Err(LayerError::Other(why)),
        Err(e) => Err(LayerError::Other(format!(
            "pdf-extract's child process answered badly: {e}"
        ))),
    }
}

/// Read the text layer page by page with pdf-extract (the loop of its
/// `extract_text_from_mem_by_pages`, but one page's panic or error loses only that page).
fn text_layer_in_process(bytes: &[u8]) -> Result<TextLayer, LayerError> {
    let doc = guarded(|| Document::load_mem(bytes))
        .map_err(|p| format!("panicked: {p}"))?
        .map_err(|e| e.to_string())?;
    let mut doc = doc;
    if doc.is_encrypted() {
        guarded(|| doc.decrypt(""))
            .map_err(|p| format!("panicked: {p}"))?
            .map_err(|e| format!("encrypted: {e}"))?;
    }
    let page_ids: Vec<(u32, pdf_extract::ObjectId)> = doc.get_pages().into_iter().collect();
    if page_ids.len() > MAX_PAGES {
        return Err(LayerError::TooManyPages(page_ids.len()));
    }
    let mut pages = Vec::with_capacity(page_ids.len());
    let mut sizes = Vec::with_capacity(page_ids.len());
    let mut panics = 0;
    for &(number, id) in &page_ids {
        sizes.push(media_box(&doc, id));
        let text = guarded(|| {
            let mut s = String::new();
            let mut out = PlainTextOutput::new(&mut s);
            pdf_extract::output_doc_page(&doc, &mut out, number).map(|_| s)
        });
        match text {
            Ok(Ok(t)) => pages.push(Some(t)),
            Ok(Err(_)) => pages.push(None),
            Err(_) => {
                panics += 1;
                pages.push(None);
            }
        }
    }
    if panics == page_ids.len() && panics > 0 {
        return Err(LayerError::Other(
            "it panicked on every page (unsupported font encoding)".into(),
        ));
    }
    Ok(TextLayer { pages, sizes })
}

/// The number of pages pdf-extract read (0 when it failed), for the fuzz targets.
pub(crate) fn fuzz_text_layer(bytes: &[u8]) -> usize {
    text_layer_in_process(bytes)
        .map(|t| t.pages.len())
        .unwrap_or(0)
}

/// A page's MediaBox (width, height in points), inherited from its parents.
fn media_box(doc: &Document, id: pdf_extract::ObjectId) -> Option<(f32, f32)> {
    let mut dict = doc.get_dictionary(id).ok()?;
    for _ in 0..32 {
        if let Ok(obj) = dict.get(b"MediaBox") {
            let arr = match obj {
                Object::Reference(r) => doc.get_object(*r).ok()?.as_array().ok()?,
                o => o.as_array().ok()?,
            };
            let n: Vec<f32> = arr.iter().filter_map(|o| o.as_float().ok()).collect();
            if n.len() == 4 {
                return Some(((n[2] - n[0]).abs(), (n[3] - n[1]).abs()));
            }
            return None;
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// poppler's `pdftotext -layout` of every page (pages are split at form feeds).
fn pdftotext(bytes: &[u8]) -> Result<Vec<String>, ToolError> {
    let out = process::run(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", "-", "-"],
        &[],
        bytes,
        PDFTOTEXT_LIMIT,
    )?;
    let text = String::from_utf8_lossy(&out);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // pdftotext ends the last page with a form feed too
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_pdf_is_an_error_naming_the_file() {
        let err = read(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "x.pdf").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("x.pdf: "), "{msg}");
        assert!(msg.contains("PDF"), "{msg}");
    }

    #[test]
    fn page_lists_read_well() {
        assert_eq!(page_list(&[3]), "page 3");
        assert_eq!(page_list(&[1, 2]), "pages 1, 2");
    }
}
