//! Ingest: input bytes → extracted text (the text every span indexes into).
//!
//! This stage only decodes; it never repairs. Text inputs are decoded from UTF-8 (with or
//! without BOM), UTF-16 (BOM or NUL-pattern), or GB18030/GBK (detected with chardetng).
//! Formats that need their own reader (PDF, DOCX, OFD, images) are recognised by their
//! magic bytes and refused with a clear error until their reader exists.

mod text;

pub use text::decode_text;

use crate::error::{Error, Result};
use crate::spec::Format;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Largest input accepted, in bytes. A notice is a few hundred KB at most; anything far
/// larger is a mistake (a log, a disk image) and is refused before it is read whole.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// The extracted text of one input, with what we learned about its source.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub text: String,
    pub format: Format,
    pub encoding: Option<String>,
    pub pages: Option<u32>,
    pub ocr: bool,
    pub sha256: String,
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

/// Sniff the container format from magic bytes (never from the file name alone).
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"%PDF-") {
        Some(Format::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(Format::Docx) // or OFD: both are zip; told apart by their reader
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
    let sha256 = hex(&Sha256::digest(bytes));
    if bytes.is_empty() {
        return Err(Error::input(name, "empty file"));
    }
    match sniff(bytes) {
        Some(Format::Pdf) => {
            return Err(Error::input(
                name,
                "PDF input is not supported yet (only text notices can be read)",
            ));
        }
        Some(Format::Docx) => {
            return Err(Error::input(
                name,
                "ZIP container (DOCX/OFD) input is not supported yet (only text notices can be read)",
            ));
        }
        Some(Format::Image) => {
            return Err(Error::input(
                name,
                "image input needs OCR, which is not supported yet",
            ));
        }
        _ => {}
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::input(
            name,
            "legacy Word/WPS (.doc/.wps) files are unsupported: save as DOCX or text",
        ));
    }
    let (text, encoding) = decode_text(bytes).map_err(|why| Error::input(name, why))?;
    if text.trim().is_empty() {
        return Err(Error::input(name, "no text (only whitespace)"));
    }
    Ok(Extracted {
        text,
        format: Format::Txt,
        encoding: Some(encoding.to_string()),
        pages: None,
        ocr: false,
        sha256,
    })
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
