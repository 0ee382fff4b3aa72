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
use std::ops::Range;
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

/// One page (or image frame) read by Tesseract: its corrected text and, per char of it,
/// the recogniser's confidence in percent (100 for whitespace).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Recognised {
    pub text: String,
    pub confidence: Vec<u8>,
}

/// OCR an image file (PNG, JPEG, TIFF; a multi-page TIFF gives several pages).
pub(crate) fn read_image(bytes: &[u8], name: &str) -> Result<Pages> {
    check_pixels(bytes).map_err(|why| Error::input(name, why))?;
    let mut pages =
        recognise(bytes, None, None).map_err(|e| Error::input(name, format!("OCR: {e}")))?;
    if pages.len() > 1 && pages.last().is_some_and(|p| p.text.trim().is_empty()) {
        pages.pop();
    }
    if pages.iter().all(|p| p.text.trim().is_empty()) {
        return Err(Error::input(name, "OCR found no text in the image"));
    }
    let (texts, confidence) = pages.into_iter().map(|p| (p.text, p.confidence)).unzip();
    Ok(Pages {
        texts,
        confidence,
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
pub(crate) fn ocr_pdf_pages(pdf: &[u8], jobs: &[(u32, u32)]) -> Vec<Result<Recognised, String>> {
    jobs.par_iter()
        .map(|&(page, dpi)| {
            let png = render(pdf, page, dpi).map_err(|e| e.to_string())?;
            check_pixels(&png)?;
            let zoom = |bbox: [u32; 4], scale: f32| render_region(pdf, page, dpi, bbox, scale);
            // a rendered page is one image: its pieces (if Tesseract cut it) join in order
            let pages = recognise(&png, Some(dpi), Some(&zoom))?;
            Ok(pages.into_iter().fold(
                Recognised {
                    text: String::new(),
                    confidence: Vec::new(),
                },
                |mut all, piece| {
                    all.text.push_str(&piece.text);
                    all.confidence.extend(piece.confidence);
                    all
                },
            ))
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

/// A word's box `[left, top, width, height]` (pixels at `dpi`) with its margin
/// ([`with_margin`]), rendered from the PDF page at `scale` × `dpi` as PNG.
fn render_region(pdf: &[u8], page: u32, dpi: u32, bbox: [u32; 4], scale: f32) -> Option<Vec<u8>> {
    let px = |v: u32| ((v as f32) * scale).round() as u32;
    let [x, y, w, h] = with_margin(bbox).map(px);
    let (p, r) = (page.to_string(), ((dpi as f32) * scale).round().to_string());
    let (x, y, w, h) = (x.to_string(), y.to_string(), w.to_string(), h.to_string());
    let args = [
        "-f",
        &p,
        "-l",
        &p,
        "-r",
        &r,
        "-x",
        &x,
        "-y",
        &y,
        "-W",
        &w,
        "-H",
        &h,
        "-gray",
        "-png",
        "-singlefile",
        "-",
    ];
    process::run("pdftoppm", &args, &[], pdf, RENDER_LIMIT).ok()
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

/// Recognise an image: Tesseract's text with the confidence of each word, the words of
/// rule `ocr_reread` (mailboxes) read again on their own, then the corrections of
/// `grammars/ocr.toml`. One result per page of the image (form feeds in Tesseract's text).
fn recognise(
    image: &[u8],
    dpi: Option<u32>,
    zoom: Option<Zoom>,
) -> Result<Vec<Recognised>, String> {
    let out = tesseract(image, dpi, "6")?;
    let (text, words) = split_output(&out);
    let mut chars: Vec<char> = text.chars().collect();
    let ranges = align(&chars, &words);
    let mut confidence = vec![100u8; chars.len()];
    for (word, range) in words.iter().zip(&ranges) {
        if let Some(r) = range {
            confidence[r.clone()].fill(percent(word.conf));
        }
    }
    reread(
        image,
        dpi,
        zoom,
        &words,
        &ranges,
        &mut chars,
        &mut confidence,
    );
    let mut pages = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().chain(['\u{c}'].iter()).enumerate() {
        if c == '\u{c}' {
            let text: String = chars[start..i.min(chars.len())].iter().collect();
            pages.push(correct_with_confidence(
                &text,
                &confidence[start..i.min(chars.len())],
            ));
            start = i + 1;
        }
    }
    if pages.len() > 1 && pages.last().is_some_and(|p| p.text.is_empty()) {
        pages.pop();
    }
    Ok(pages)
}

/// Tesseract on one image (`chi_sim`, `--psm PSM`, `OMP_THREAD_LIMIT=1`), with both the
/// `tsv` and the `txt` renderer writing to stdout.
fn tesseract(image: &[u8], dpi: Option<u32>, psm: &str) -> Result<String, String> {
    let dpi = dpi.map(|d| d.to_string());
    let mut args = vec!["stdin", "stdout", "-l", "chi_sim", "--psm", psm];
    if let Some(d) = &dpi {
        args.extend(["--dpi", d.as_str()]);
    }
    args.extend(["txt", "tsv"]);
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

/// A word of Tesseract's TSV output.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    /// 1-based page (frame) of the image.
    page: u32,
    /// left, top, width, height in pixels.
    bbox: [u32; 4],
    /// 0–100.
    conf: f32,
    text: String,
}

/// Tesseract's stdout with the `txt` and `tsv` renderers: the TSV rows (12 tab-separated
/// fields; the plain text never holds a tab) and the text, each in its own order.
fn split_output(out: &str) -> (String, Vec<Word>) {
    let mut text = String::with_capacity(out.len() / 4);
    let mut words = Vec::new();
    for line in out.split_inclusive('\n') {
        if !line.contains('\t') {
            text.push_str(line);
            continue;
        }
        let f: Vec<&str> = line.trim_end_matches(['\n', '\r']).split('\t').collect();
        if f.len() != 12 || f[0] != "5" || f[11].trim().is_empty() {
            continue; // the header, a page/block/line row, or an empty word
        }
        let num = |s: &str| s.parse::<u32>().unwrap_or(0);
        words.push(Word {
            page: num(f[1]),
            bbox: [num(f[6]), num(f[7]), num(f[8]), num(f[9])],
            conf: f[10].parse().unwrap_or(0.0),
            text: f[11].to_string(),
        });
    }
    (text, words)
}

/// Where each word lies in the text (char ranges), found in order: the text is the words
/// with whitespace between them. A word not found near where it should be is left out.
fn align(text: &[char], words: &[Word]) -> Vec<Option<Range<usize>>> {
    const LOOKAHEAD: usize = 64;
    let mut pos = 0;
    words
        .iter()
        .map(|w| {
            let word: Vec<char> = w.text.chars().collect();
            let window_end = (pos + LOOKAHEAD + word.len()).min(text.len());
            let found = text
                .get(pos..window_end)?
                .windows(word.len())
                .position(|s| s == word.as_slice())?;
            let start = pos + found;
            pos = start + word.len();
            Some(start..pos)
        })
        .collect()
}

/// Tesseract's 0–100 confidence as a whole percent.
fn percent(conf: f32) -> u8 {
    conf.clamp(0.0, 100.0).round() as u8
}

/// A word's box (with its margin) rendered again at `scale` × the page's OCR resolution,
/// as PNG: a scanned PDF's page holds more detail than the 200 dpi it is recognised at.
type Zoom<'a> = &'a dyn Fn([u32; 4], f32) -> Option<Vec<u8>>;

/// Most words read again per page (each costs four recognitions): a notice names a few
/// mailboxes, a hostile page may hold thousands.
const MAX_REREADS: usize = 8;

/// How much finer [`Zoom`] renders a word read again.
const ZOOM: f32 = 1.5;

/// Read again the words that rule `ocr_reread` picks out (mailboxes: page-level
/// segmentation of Chinese text cuts Latin letters, `fjrzjc` → `frzjc`), each on its own:
/// cropped from the page as a line and as a single word (`--psm 7`, `--psm 8`), and the
/// same from a finer rendering where there is one. Each reading votes for the mailbox it
/// holds, the page's reading twice; a mailbox with more votes than the page's reading
/// replaces it. The text and confidences are updated in place.
fn reread(
    image: &[u8],
    dpi: Option<u32>,
    zoom: Option<Zoom>,
    words: &[Word],
    ranges: &[Option<Range<usize>>],
    text: &mut Vec<char>,
    confidence: &mut Vec<u8>,
) {
    let pattern = grammar().rule("ocr_reread");
    let mailbox = |s: &str| {
        pattern
            .find(s)
            .map(|m| m.as_str().trim_end_matches(['.', '-']).to_string())
    };
    let picked: Vec<(&Word, &Range<usize>, String)> = words
        .iter()
        .zip(ranges)
        .filter(|(w, _)| w.page == 1)
        .filter_map(|(w, r)| Some((w, r.as_ref()?, mailbox(&w.text)?)))
        .take(MAX_REREADS)
        .collect();
    if picked.is_empty() {
        return;
    }
    let Ok(decoded) = image::load_from_memory(image) else {
        return;
    };
    let mut replacements = Vec::new();
    for (word, range, read) in picked {
        let mut crops: Vec<(Vec<u8>, Option<u32>)> = Vec::new();
        if let Some(png) = crop_png(&decoded, word.bbox) {
            crops.push((png, dpi));
        }
        if let Some(png) = zoom.and_then(|z| z(word.bbox, ZOOM)) {
            crops.push((png, dpi.map(|d| (d as f32 * ZOOM).round() as u32)));
        }
        // (mailbox, votes, best confidence); the page's reading, seen in its line, counts
        // twice: a re-reading replaces it only when most re-readings agree on it
        let mut votes: Vec<(String, u32, f32)> = vec![(read.clone(), 2, word.conf)];
        for (png, d) in &crops {
            for psm in ["7", "8"] {
                let Ok(out) = tesseract(png, *d, psm) else {
                    continue;
                };
                let (_, again) = split_output(&out);
                let reading: String = again.iter().map(|w| w.text.as_str()).collect();
                let conf = again.iter().map(|w| w.conf).fold(100.0, f32::min);
                if let Some(m) = mailbox(&reading) {
                    match votes.iter_mut().find(|v| v.0 == m) {
                        Some(v) => {
                            v.1 += 1;
                            v.2 = v.2.max(conf);
                        }
                        None => votes.push((m, 1, conf)),
                    }
                }
            }
        }
        let page_votes = votes[0].1;
        let best = votes
            .iter()
            .filter(|v| v.1 > page_votes)
            .max_by(|a, b| a.1.cmp(&b.1).then(a.2.total_cmp(&b.2)));
        if let Some((m, _, conf)) = best {
            let word_text: String = text[range.clone()].iter().collect();
            let fixed = word_text.replacen(&read, m, 1);
            replacements.push((range.clone(), fixed, percent(*conf)));
        }
    }
    for (range, reading, conf) in replacements.into_iter().rev() {
        let n = reading.chars().count();
        text.splice(range.clone(), reading.chars());
        confidence.splice(range, std::iter::repeat_n(conf, n));
    }
}

/// A word's box `[left, top, width, height]` grown by a margin of half its height on every
/// side (clipped at the top and left edges).
fn with_margin([left, top, width, height]: [u32; 4]) -> [u32; 4] {
    let pad = height / 2 + 2;
    let (x, y) = (left.saturating_sub(pad), top.saturating_sub(pad));
    [x, y, left + width + pad - x, top + height + pad - y]
}

/// A word's box with its margin ([`with_margin`]), cut from the page image as a PNG.
fn crop_png(image: &image::DynamicImage, bbox: [u32; 4]) -> Option<Vec<u8>> {
    let [x, y, w, h] = with_margin(bbox);
    let w = w.min(image.width().checked_sub(x)?);
    let h = h.min(image.height().checked_sub(y)?);
    if w == 0 || h == 0 {
        return None;
    }
    let mut png = Vec::new();
    image
        .crop_imm(x, y, w, h)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .ok()?;
    Some(png)
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

/// [`correct`], carrying each char's confidence over to the corrected text: chars kept
/// keep theirs, chars written by a correction take the lowest of those they replace (or
/// of their neighbours, when only inserted).
fn correct_with_confidence(text: &str, confidence: &[u8]) -> Recognised {
    use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};
    let corrected = correct(text);
    if corrected == text {
        return Recognised {
            text: corrected,
            confidence: confidence.to_vec(),
        };
    }
    let old: Vec<char> = text.chars().collect();
    let new: Vec<char> = corrected.chars().collect();
    let deadline = std::time::Instant::now() + Duration::from_millis(200);
    let lowest = |r: Range<usize>| confidence.get(r).and_then(|c| c.iter().copied().min());
    let mut out = Vec::with_capacity(new.len());
    for op in capture_diff_slices_deadline(Algorithm::Myers, &old, &new, Some(deadline)) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                out.extend_from_slice(&confidence[old_index..old_index + len])
            }
            DiffOp::Delete { .. } => {}
            DiffOp::Insert {
                old_index, new_len, ..
            } => {
                let c = lowest(old_index.saturating_sub(1)..(old_index + 1).min(old.len()));
                out.extend(std::iter::repeat_n(c.unwrap_or(100), new_len));
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_len,
                ..
            } => {
                let c = lowest(old_index..old_index + old_len);
                out.extend(std::iter::repeat_n(c.unwrap_or(100), new_len));
            }
        }
    }
    Recognised {
        text: corrected,
        confidence: out,
    }
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
