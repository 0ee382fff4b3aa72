//! OFD (GB/T 33190): `OFD.xml` → each `DocRoot` (`Doc_0/Document.xml`) → its `Page`s'
//! `Content.xml`. A page's text is its `TextObject`/`TextCode`s placed by the object's
//! `Boundary` and `CTM` plus the code's `X`/`Y`, grouped into lines by baseline and read
//! top to bottom, left to right; a gap wider than a character becomes a space.

use super::archive::{Archive, Xml, attr, local, resolve, text_of};
use super::{Pages, warning};
use crate::error::Result;
use quick_xml::events::{BytesStart, Event};

const ROOT: &str = "OFD.xml";
/// Most pages read from one OFD.
const MAX_PAGES: usize = 2000;

/// Does the archive look like an OFD?
pub fn is_ofd(zip: &Archive) -> bool {
    zip.find(ROOT).is_some()
}

/// Read every page of every document of an OFD.
pub fn read(mut zip: Archive) -> Result<Pages> {
    let root = zip.read(ROOT)?;
    let doc_roots = elements_text(&root, ROOT, "DocRoot").map_err(|e| zip.error(e))?;
    if doc_roots.is_empty() {
        return Err(zip.error("OFD.xml names no DocRoot"));
    }
    let mut texts = Vec::new();
    let mut missing = Vec::new();
    for doc_root in doc_roots {
        let doc_path = resolve(ROOT, doc_root.trim())
            .ok_or_else(|| zip.error(format!("DocRoot {doc_root} leaves the archive")))?;
        let doc = zip.read(&doc_path)?;
        let pages = page_locations(&doc, &doc_path).map_err(|e| zip.error(e))?;
        if texts.len() + pages.len() > MAX_PAGES {
            return Err(zip.error(format!("OFD has more than {MAX_PAGES} pages")));
        }
        for loc in pages {
            let Some(path) = resolve(&doc_path, &loc) else {
                missing.push(loc);
                continue;
            };
            if zip.find(&path).is_none() {
                missing.push(path);
                texts.push(String::new());
                continue;
            }
            let content = zip.read(&path)?;
            let runs = text_runs(&content, &path).map_err(|e| zip.error(e))?;
            texts.push(lines(runs));
        }
    }
    if texts.iter().all(|t| t.trim().is_empty()) {
        return Err(
            zip.error("OFD has no text (an image-only OFD: convert it to PDF or images for OCR)")
        );
    }
    let mut warnings = Vec::new();
    if !missing.is_empty() {
        warnings.push(warning(
            "ofd-missing-page",
            format!("page content not found: {}", missing.join(", ")),
        ));
    }
    if zip.unsafe_names > 0 {
        warnings.push(warning(
            "archive-unsafe-names",
            format!(
                "ignored {} archive entries with absolute or parent-directory names",
                zip.unsafe_names
            ),
        ));
    }
    Ok(Pages {
        texts,
        warnings,
        paged: true,
        ..Pages::default()
    })
}

/// The texts of every element with this local name.
fn elements_text(xml: &[u8], entry: &str, name: &str) -> Result<Vec<String>, String> {
    let mut reader = Xml::new(xml, entry);
    let mut out = Vec::new();
    let mut inside: Option<String> = None;
    while let Some(event) = reader.next()? {
        match &event {
            Event::Start(e) if local(e.name().as_ref()) == name => inside = Some(String::new()),
            Event::End(e) if local(e.name().as_ref()) == name => {
                out.extend(inside.take());
            }
            _ => {
                if let Some(s) = inside.as_mut() {
                    s.push_str(&text_of(&event));
                }
            }
        }
    }
    Ok(out)
}

/// `BaseLoc` of every `Pages/Page` of a `Document.xml`, in order.
fn page_locations(xml: &[u8], entry: &str) -> Result<Vec<String>, String> {
    let mut reader = Xml::new(xml, entry);
    let mut out = Vec::new();
    let mut in_pages = false;
    while let Some(event) = reader.next()? {
        match &event {
            Event::Start(e) if local(e.name().as_ref()) == "Pages" => in_pages = true,
            Event::End(e) if local(e.name().as_ref()) == "Pages" => in_pages = false,
            Event::Start(e) | Event::Empty(e) if in_pages && local(e.name().as_ref()) == "Page" => {
                if let Some(loc) = attr(e, "BaseLoc") {
                    out.push(loc);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// One `TextCode`: its text at a position on the page (mm, y down) with a font size.
#[derive(Debug, Clone)]
struct Run {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

/// The text object being read: its placement.
#[derive(Debug, Clone, Copy)]
struct Placement {
    origin: (f64, f64),
    /// `a b c d e f` of the CTM (identity when absent).
    ctm: [f64; 6],
    size: f64,
}

impl Placement {
    fn of(e: &BytesStart) -> Placement {
        let nums = |key: &str| -> Vec<f64> {
            attr(e, key)
                .map(|v| {
                    v.split_whitespace()
                        .filter_map(|n| n.parse().ok())
                        .collect()
                })
                .unwrap_or_default()
        };
        let boundary = nums("Boundary");
        let ctm = nums("CTM");
        let size = attr(e, "Size")
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| *s > 0.0)
            .unwrap_or(3.5);
        Placement {
            origin: (
                boundary.first().copied().unwrap_or(0.0),
                boundary.get(1).copied().unwrap_or(0.0),
            ),
            ctm: if ctm.len() == 6 {
                [ctm[0], ctm[1], ctm[2], ctm[3], ctm[4], ctm[5]]
            } else {
                [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
            },
            size,
        }
    }

    /// Page position of a point in the object's space.
    fn place(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.ctm;
        (
            self.origin.0 + a * x + c * y + e,
            self.origin.1 + b * x + d * y + f,
        )
    }

    /// The font size on the page (scaled by the CTM).
    fn page_size(&self) -> f64 {
        let scale = (self.ctm[3].abs()).max(self.ctm[0].abs());
        if scale > 0.0 {
            self.size * scale
        } else {
            self.size
        }
    }
}

/// Every `TextCode` of a page's `Content.xml`.
fn text_runs(xml: &[u8], entry: &str) -> Result<Vec<Run>, String> {
    let mut reader = Xml::new(xml, entry);
    let mut runs = Vec::new();
    let mut object: Option<Placement> = None;
    let mut code: Option<(f64, f64, f64, String)> = None;
    let mut last = (0.0, 0.0);
    while let Some(event) = reader.next()? {
        match &event {
            Event::Start(e) => match local(e.name().as_ref()) {
                "TextObject" => object = Some(Placement::of(e)),
                "TextCode" => {
                    // X/Y may be left out: they continue from the previous code
                    let x = attr(e, "X").and_then(|v| v.trim().parse().ok());
                    let y = attr(e, "Y").and_then(|v| v.trim().parse().ok());
                    let (x, y) = (x.unwrap_or(last.0), y.unwrap_or(last.1));
                    last = (x, y);
                    let advance = attr(e, "DeltaX").map(|d| deltas(&d)).unwrap_or(0.0);
                    code = Some((x, y, advance, String::new()));
                }
                _ => {}
            },
            Event::End(e) => match local(e.name().as_ref()) {
                "TextObject" => object = None,
                "TextCode" => {
                    if let (Some((x, y, advance, text)), Some(p)) = (code.take(), object) {
                        let (px, py) = p.place(x, y);
                        let size = p.page_size();
                        let n = text.chars().count() as f64;
                        let width = if advance > 0.0 {
                            let (ex, _) = p.place(x + advance, y);
                            (ex - px) + size
                        } else {
                            n * size
                        };
                        if !text.is_empty() {
                            runs.push(Run {
                                x: px,
                                y: py,
                                end: px + width,
                                size,
                                text,
                            });
                        }
                    }
                }
                _ => {}
            },
            _ => {
                if let Some((_, _, _, text)) = code.as_mut() {
                    text.push_str(&text_of(&event));
                }
            }
        }
    }
    Ok(runs)
}

/// A page's text from its `Content.xml`, for the fuzz targets.
pub(crate) fn fuzz_page_text(xml: &[u8]) -> Result<String, String> {
    text_runs(xml, "fuzz.xml").map(lines)
}

/// The sum of a `DeltaX` list (`g N v` repeats `v` N times).
fn deltas(spec: &str) -> f64 {
    let mut sum = 0.0;
    let mut tokens = spec.split_whitespace();
    while let Some(t) = tokens.next() {
        if t == "g" {
            let n: f64 = tokens.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
            let v: f64 = tokens.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
            sum += n.min(100_000.0) * v;
        } else if let Ok(v) = t.parse::<f64>() {
            sum += v;
        }
    }
    sum
}

/// Group runs into lines by baseline (within half a character), read top to bottom and
/// left to right; a gap wider than one character becomes a space.
fn lines(mut runs: Vec<Run>) -> String {
    runs.retain(|r| r.x.is_finite() && r.y.is_finite());
    runs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<Run>> = Vec::new();
    for run in runs {
        match lines.last_mut() {
            Some(line) if (run.y - line[0].y).abs() <= line[0].size.max(run.size) * 0.5 => {
                line.push(run)
            }
            _ => lines.push(vec![run]),
        }
    }
    let mut out = String::new();
    for mut line in lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut end: Option<f64> = None;
        for run in &line {
            if let Some(e) = end
                && run.x - e > run.size
            {
                out.push(' ');
            }
            out.push_str(&run.text);
            end = Some(run.end.max(end.unwrap_or(f64::MIN)));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_group_into_lines_by_baseline() {
        let xml = r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>
<ofd:TextObject ID="3" Boundary="25 60 160 6" Size="4.2"><ofd:TextCode X="0" Y="4.2" DeltaX="g 3 4.2">电话：</ofd:TextCode></ofd:TextObject>
<ofd:TextObject ID="1" Boundary="25 40 160 6" Size="4.2"><ofd:TextCode X="0" Y="4.2" DeltaX="4.2 4.2">福建省</ofd:TextCode></ofd:TextObject>
<ofd:TextObject ID="2" Boundary="40 40 160 6" Size="4.2"><ofd:TextCode X="0" Y="4.3">文件</ofd:TextCode></ofd:TextObject>
<ofd:TextObject ID="4" Boundary="38 60 160 6" Size="4.2"><ofd:TextCode X="0" Y="4.2">0591-87530956</ofd:TextCode></ofd:TextObject>
</ofd:Layer></ofd:Content></ofd:Page>"#;
        let runs = text_runs(xml.as_bytes(), "c").unwrap();
        assert_eq!(lines(runs), "福建省文件\n电话：0591-87530956\n");
    }

    #[test]
    fn wide_gaps_become_spaces() {
        let xml = r#"<Page><TextObject Boundary="0 0 100 5" Size="4"><TextCode X="0" Y="4">发展改革委办公厅</TextCode></TextObject>
<TextObject Boundary="100 0 20 5" Size="4"><TextCode X="0" Y="4">文件</TextCode></TextObject></Page>"#;
        let runs = text_runs(xml.as_bytes(), "c").unwrap();
        assert_eq!(lines(runs), "发展改革委办公厅 文件\n");
    }

    #[test]
    fn delta_lists_sum() {
        assert_eq!(deltas("g 3 4.2"), 3.0 * 4.2);
        assert_eq!(deltas("1 2 g 2 0.5"), 4.0);
    }
}
