//! Ingest: input bytes → extracted text (the text every span indexes into).
//!
//! This stage only reads; it never repairs. The format is sniffed from the bytes (never
//! from the file name), and every reader yields the same [`Extracted`]: the text, a page
//! map for paged formats, and warnings about how the text was obtained.
//!
//! | format | reader |
//! |---|---|
//! | text | [`text`]: UTF-8 (± BOM), UTF-16 (BOM or NUL pattern), GB18030/GBK (chardetng) |
//! | PDF | [`pdf`]: text layer with pdf-extract, else poppler `pdftotext -layout`, else OCR |
//! | PNG, JPEG, TIFF | [`ocr`]: Tesseract `chi_sim`, corrected with `grammars/ocr.toml` |
//! | DOCX | [`docx`]: `word/document.xml` paragraphs, tables as tab-separated rows |
//! | OFD | [`ofd`]: `TextCode`s of every page's `Content.xml`, grouped into lines |
//! | HTML | [`html`]: the content container of a web page, without navigation |
//!
//! Archives (DOCX, OFD) go through [`archive`], which bounds entry count, sizes, ratios and
//! XML depth. Legacy `.doc`/`.wps` (OLE) files are refused with a clear error.

mod archive;
mod docx;
mod html;
mod numbering;
pub mod ocr;
mod ofd;
mod pdf;
pub use pdf::{isolate_text_layer, serve_text_layer};
mod process;
mod quality;
mod text;

pub use text::decode_text;

use crate::error::{Error, Result};
use crate::spec::{Format, Warning};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// File extensions a directory walk picks up as notices (every format a reader exists for).
/// The format itself is always sniffed from the bytes; the extension only chooses files.
pub const NOTICE_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "pdf", "docx", "ofd", "html", "htm", "png", "jpg", "jpeg", "tif", "tiff",
];

/// Is this a notice file by its name: a known extension, not a hidden file?
pub fn is_notice_path(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    !name.starts_with('.') && NOTICE_EXTENSIONS.contains(&ext.as_str())
}

/// Largest input accepted, in bytes. A notice is a few hundred KB at most; anything far
/// larger is a mistake (a log, a disk image) and is refused before it is read whole.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Most text (UTF-8 bytes) taken from one input, whatever its format. A notice's text is
/// tens of KB; 16 MB is thousands of pages. Beyond it the input is not a notice (a dump, a
/// log) and is refused, which also bounds the time and memory of the later stages.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// The extracted text of one input, with what we learned about its source.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub text: String,
    pub format: Format,
    pub encoding: Option<String>,
    pub pages: Option<u32>,
    pub ocr: bool,
    pub sha256: String,
    /// For paged formats, the char offset in `text` where each page starts (one entry per
    /// page, the first is 0); empty when the format has no pages.
    pub page_starts: Vec<usize>,
    /// For text recognised by OCR: per char of `text`, the recogniser's confidence in
    /// percent (100 for chars of pages that were not recognised, and for whitespace);
    /// empty when no page was recognised.
    pub confidence: Vec<u8>,
    /// How the text was obtained when the reader had to fall back (another PDF reader,
    /// OCR), or what it skipped; passed on to the output's `warnings`.
    pub warnings: Vec<Warning>,
}

impl Extracted {
    /// A text input (no pages, no warnings).
    pub fn text(text: String, encoding: Option<String>, sha256: String) -> Self {
        Extracted {
            text,
            format: Format::Txt,
            encoding,
            pages: None,
            ocr: false,
            sha256,
            page_starts: Vec::new(),
            confidence: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The 1-based page that a char offset of `text` is on (None for unpaged formats).
    pub fn page_of(&self, offset: usize) -> Option<u32> {
        page_of(&self.page_starts, offset)
    }
}

/// The 1-based page of a char offset, given the char offsets where pages start.
pub fn page_of(page_starts: &[usize], offset: usize) -> Option<u32> {
    if page_starts.is_empty() {
        return None;
    }
    let idx = page_starts.partition_point(|&s| s <= offset);
    Some(idx.max(1) as u32)
}

/// What a reader of a paged (or unpaged) format hands back: the text of each page, in
/// order, and how it was obtained.
#[derive(Debug, Default)]
pub(crate) struct Pages {
    pub texts: Vec<String>,
    /// Whether any page's text came from OCR.
    pub ocr: bool,
    pub warnings: Vec<Warning>,
    /// False for formats without pages (DOCX, HTML): one text, no page map.
    pub paged: bool,
    /// Pages recognised by OCR: per char of the page's text, the confidence in percent;
    /// empty for a page that was not recognised (and for every page of other readers).
    pub confidence: Vec<Vec<u8>>,
}

impl Pages {
    /// One unpaged text.
    pub fn single(text: String) -> Self {
        Pages {
            texts: vec![text],
            ..Pages::default()
        }
    }

    /// Join the pages (each ends with a line break) and record where each starts.
    fn assemble(self, format: Format, encoding: Option<String>, sha256: String) -> Extracted {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(self.texts.len());
        let mut chars = 0usize;
        let recognised = self.confidence.iter().any(|c| !c.is_empty());
        let mut confidence = Vec::new();
        for (i, page) in self.texts.iter().enumerate() {
            starts.push(chars);
            text.push_str(page);
            let n = page.chars().count();
            chars += n;
            if recognised {
                match self.confidence.get(i) {
                    Some(c) if c.len() == n => confidence.extend_from_slice(c),
                    _ => confidence.resize(chars, 100),
                }
            }
            if !page.ends_with('\n') {
                text.push('\n');
                chars += 1;
                if recognised {
                    confidence.push(100);
                }
            }
        }
        let paged = self.paged;
        Extracted {
            text,
            format,
            encoding,
            pages: paged.then_some(starts.len() as u32),
            ocr: self.ocr,
            sha256,
            page_starts: if paged { starts } else { Vec::new() },
            confidence,
            warnings: self.warnings,
        }
    }
}

/// A warning without a span, from a reader.
pub(crate) fn warning(code: &str, message: impl Into<String>) -> Warning {
    Warning {
        code: code.to_string(),
        message: message.into(),
        span: None,
    }
}

/// Read a file (or `-` for standard input) with a size bound and extract its text.
pub fn ingest_path(path: &Path) -> Result<Extracted> {
    let display = path.display().to_string();
    let bytes = if display == "-" {
        read_bounded(std::io::stdin().lock(), &display)?
    } else {
        let file = std::fs::File::open(path).map_err(|e| Error::io(&display, e))?;
        if let Ok(meta) = file.metadata() {
            if meta.is_dir() {
                return Err(Error::input(&display, "is a directory"));
            }
            if meta.len() > MAX_INPUT_BYTES {
                return Err(Error::input(
                    &display,
                    format!(
                        "file is {} MB, larger than the {} MB limit for one notice",
                        meta.len() / (1024 * 1024),
                        MAX_INPUT_BYTES / (1024 * 1024)
                    ),
                ));
            }
        }
        read_bounded(file, &display)?
    };
    ingest_bytes(&bytes, &display)
}

fn read_bounded(reader: impl Read, name: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(name, e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::input(
            name,
            format!(
                "input is larger than the {} MB limit for one notice",
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(bytes)
}

/// Sniff the container format from magic bytes (never from the file name alone). HTML
/// is told apart from plain text after decoding ([`html::looks_like_html`]).
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"%PDF-") {
        Some(Format::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(Format::Docx) // or OFD: both are zip; told apart by their entries
    } else if bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(b"\xFF\xD8\xFF")
        || bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
    {
        Some(Format::Image)
    } else {
        None
    }
}

/// Extract the text of in-memory input. `name` is used in error messages.
pub fn ingest_bytes(bytes: &[u8], name: &str) -> Result<Extracted> {
    let extracted = ingest_any(bytes, name)?;
    if extracted.text.len() > MAX_TEXT_BYTES {
        return Err(too_much_text(name, extracted.text.len()));
    }
    Ok(extracted)
}

fn too_much_text(name: &str, len: usize) -> Error {
    Error::input(
        name,
        format!(
            "{} MB of text, more than the {} MB read from one notice",
            len / (1024 * 1024),
            MAX_TEXT_BYTES / (1024 * 1024)
        ),
    )
}

fn ingest_any(bytes: &[u8], name: &str) -> Result<Extracted> {
    let sha256 = hex(&Sha256::digest(bytes));
    if bytes.is_empty() {
        return Err(Error::input(name, "empty file"));
    }
    match sniff(bytes) {
        Some(Format::Pdf) => {
            return Ok(pdf::read(bytes, name)?.assemble(Format::Pdf, None, sha256));
        }
        Some(Format::Image) => {
            return Ok(ocr::read_image(bytes, name)?.assemble(Format::Image, None, sha256));
        }
        Some(_) => {
            let zip = archive::Archive::open(bytes, name)?;
            let (format, pages) = if ofd::is_ofd(&zip) {
                (Format::Ofd, ofd::read(zip)?)
            } else if docx::is_docx(&zip) {
                (Format::Docx, docx::read(zip)?)
            } else {
                return Err(Error::input(
                    name,
                    "ZIP archive that is neither DOCX (word/document.xml) nor OFD (OFD.xml)",
                ));
            };
            return Ok(pages.assemble(format, None, sha256));
        }
        None => {}
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::input(
            name,
            "legacy Word/WPS (.doc/.wps) files are unsupported: save as DOCX or PDF",
        ));
    }
    if html::looks_like_html(bytes) {
        let (pages, encoding) = html::read(bytes, name)?;
        return Ok(pages.assemble(Format::Html, Some(encoding), sha256));
    }
    // decoding at most halves a text (UTF-16 ASCII): refuse what cannot fit before it
    if bytes.len() > 2 * MAX_TEXT_BYTES {
        return Err(too_much_text(name, bytes.len()));
    }
    let (text, encoding) = decode_text(bytes).map_err(|why| Error::input(name, why))?;
    if text.trim().is_empty() {
        return Err(Error::input(name, "no text (only whitespace)"));
    }
    let mut ex = Extracted::text(text, Some(encoding.to_string()), sha256);
    if encoding == text::MIXED {
        ex.warnings.push(warning(
            "mixed-encodings",
            "some lines are UTF-8 and others GB18030; each line was decoded in its own encoding",
        ));
    }
    Ok(ex)
}

/// Entry points for the fuzz targets (`fuzz/`): each in-process reader on raw bytes,
/// without the external tools (poppler, Tesseract) a PDF or image may be handed to.
/// Not a stable API.
#[doc(hidden)]
pub mod fuzzing {
    use super::{archive, docx, html, ofd, pdf};

    /// pdf-extract's text layer (under `catch_unwind`), page by page.
    pub fn pdf_text_layer(bytes: &[u8]) -> usize {
        pdf::fuzz_text_layer(bytes)
    }

    /// A ZIP read as OFD or DOCX, as `ingest_bytes` does.
    pub fn zip(bytes: &[u8]) {
        if let Ok(zip) = archive::Archive::open(bytes, "fuzz") {
            if ofd::is_ofd(&zip) {
                let _ = ofd::read(zip);
            } else if docx::is_docx(&zip) {
                let _ = docx::read(zip);
            }
        }
    }

    /// The XML readers alone: `word/document.xml`, `word/numbering.xml` and an OFD page's
    /// `Content.xml`.
    pub fn xml(bytes: &[u8]) {
        let _ = docx::fuzz_body_text(bytes);
        let _ = ofd::fuzz_page_text(bytes);
        if let Ok(mut n) = super::numbering::Numbering::parse(bytes, "fuzz") {
            for level in 0..10 {
                let _ = n.label("1", level);
            }
        }
    }

    /// An HTML page.
    pub fn html(bytes: &[u8]) {
        let _ = html::read(bytes, "fuzz");
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
