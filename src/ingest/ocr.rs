//! OCR of scans and photos with the Tesseract CLI (`chi_sim`, `--psm 6`, one thread per
//! process, pages in parallel with rayon), PDF pages rendered with `pdftoppm -gray -png`.
//! The recognised text is corrected with the rewrite rules of `grammars/ocr.toml` (bracket
//! shapes around a doc number's year, O/l inside phone numbers and mailboxes, spaces
//! around CJK punctuation, half-width punctuation after Han, specks at line starts).

use super::process::{self, ToolError};
use super::{Pages, warning};
use crate::error::{Error, Result};
use crate::grammar::grammar;
use rayon::prelude::*;
use std::time::Duration;

/// Resolution pages are rendered at for OCR (measured best for chi_sim: 200 dpi).
pub const OCR_DPI: u32 = 200;
/// Largest image (in pixels) handed to Tesseract; larger photos are refused, larger PDF
/// pages are rendered at a lower resolution.
pub const MAX_PIXELS: u64 = 60_000_000;
/// Time limit for rendering one page.
const RENDER_LIMIT: Duration = Duration::from_secs(60);
/// Time limit for recognising one page.
const TESSERACT_LIMIT: Duration = Duration::from_secs(180);

/// The resolution to render a page of `size` points at: [`OCR_DPI`], lowered so the image
/// stays under [`MAX_PIXELS`].
pub fn dpi_for(size: Option<(f32, f32)>) -> u32 {
    let Some((w, h)) = size else {
        return OCR_DPI;
    };
    let square_inches = (w as f64 / 72.0) * (h as f64 / 72.0);
    if square_inches <= 0.0 {
        return OCR_DPI;
    }
    let max_dpi = (MAX_PIXELS as f64 / square_inches).sqrt().floor() as u32;
    OCR_DPI.min(max_dpi.max(10))
}

/// OCR an image file (PNG, JPEG, TIFF; a multi-page TIFF gives several pages).
pub(crate) fn read_image(bytes: &[u8], name: &str) -> Result<Pages> {
    check_pixels(bytes).map_err(|why| Error::input(name, why))?;
    let text = recognise(bytes, None).map_err(|e| Error::input(name, format!("OCR: {e}")))?;
    let mut texts: Vec<String> = text.split('\u{c}').map(correct).collect();
    if texts.len() > 1 && texts.last().is_some_and(|t| t.trim().is_empty()) {
        texts.pop();
    }
    if texts.iter().all(|t| t.trim().is_empty()) {
        return Err(Error::input(name, "OCR found no text in the image"));
    }
    Ok(Pages {
        texts,
        ocr: true,
        warnings: vec![warning(
            "ocr",
            "text recognised with Tesseract (chi_sim) and corrected with grammars/ocr.toml, so it may hold recognition errors",
        )],
        paged: true,
    })
}

/// Render and recognise PDF pages, in parallel: `(1-based page, dpi)` each; one result per
/// job, in order.
pub(crate) fn ocr_pdf_pages(pdf: &[u8], jobs: &[(u32, u32)]) -> Vec<Result<String, String>> {
    jobs.par_iter()
        .map(|&(page, dpi)| {
            let png = render(pdf, page, dpi).map_err(|e| e.to_string())?;
            check_pixels(&png)?;
            recognise(&png, Some(dpi)).map(|t| correct(&t))
        })
        .collect()
}

/// `pdftoppm -r DPI -gray -png` of one page, to memory.
fn render(pdf: &[u8], page: u32, dpi: u32) -> Result<Vec<u8>, ToolError> {
    let (p, r) = (page.to_string(), dpi.to_string());
    let args = [
        "-f",
        p.as_str(),
        "-l",
        p.as_str(),
        "-r",
        r.as_str(),
        "-gray",
        "-png",
        "-singlefile",
        "-",
    ];
    process::run("pdftoppm", &args, &[], pdf, RENDER_LIMIT)
}

/// Refuse images over [`MAX_PIXELS`] before they reach Tesseract.
fn check_pixels(image: &[u8]) -> Result<(), String> {
    let size = imagesize::blob_size(image).map_err(|e| format!("not a readable image: {e}"))?;
    let pixels = size.width as u64 * size.height as u64;
    if pixels > MAX_PIXELS {
        return Err(format!(
            "image is {}×{} pixels, more than the {} megapixels OCR accepts",
            size.width,
            size.height,
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

/// Tesseract on one image (`chi_sim`, `--psm 6`, `OMP_THREAD_LIMIT=1`).
fn recognise(image: &[u8], dpi: Option<u32>) -> Result<String, String> {
    let dpi = dpi.map(|d| d.to_string());
    let mut args = vec!["stdin", "stdout", "-l", "chi_sim", "--psm", "6"];
    if let Some(d) = &dpi {
        args.extend(["--dpi", d.as_str()]);
    }
    let out = process::run(
        "tesseract",
        &args,
        &[("OMP_THREAD_LIMIT", "1")],
        image,
        TESSERACT_LIMIT,
    )
    .map_err(|e| match e {
        ToolError::Failed(_, why) if why.contains("chi_sim") || why.contains("traineddata") => {
            format!(
                "Tesseract has no chi_sim model (on Debian: apt-get install {})",
                process::DEBIAN_PACKAGES
            )
        }
        e => e.to_string(),
    })?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Apply the OCR corrections of `grammars/ocr.toml`, in file order.
pub fn correct(text: &str) -> String {
    let mut out = text.to_string();
    for rule in grammar().rewrites("ocr.toml") {
        if let std::borrow::Cow::Owned(s) = rule.rewrite(&out) {
            out = s;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpi_is_lowered_for_huge_pages() {
        assert_eq!(dpi_for(Some((595.0, 842.0))), 200);
        assert_eq!(dpi_for(None), 200);
        let poster = dpi_for(Some((14400.0, 14400.0)));
        assert!(poster < 50, "{poster}");
        let pixels = (200.0 * poster as f64) * (200.0 * poster as f64);
        assert!(pixels <= MAX_PIXELS as f64);
    }

    #[test]
    fn corrections_apply_in_order() {
        assert_eq!(
            correct(
                "闽市监认证 【2024j215 号\n-联系电话 :0591-8753O956 ，\n联系人 : 认证监督处 张明远 李静"
            ),
            "闽市监认证〔2024〕215号\n联系电话：0591-87530956，\n联系人：认证监督处 张明远 李静"
        );
    }

    #[test]
    fn huge_images_are_refused_before_ocr() {
        // a PNG header claiming 100000×100000 pixels
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 0, 0, 0, 0, 0, 0, 0, 0]);
        let err = read_image(&png, "huge.png").unwrap_err().to_string();
        assert!(
            err.starts_with("huge.png: ") && err.contains("megapixels"),
            "{err}"
        );
    }
}
