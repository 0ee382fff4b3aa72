//! DOCX: the paragraphs of `word/document.xml` (`w:p` with their `w:t` runs, `w:tab` as a
//! tab, `w:br`/`w:cr` as a line break), one line per paragraph, each after the label its
//! automatic numbering draws (`一、`, `（一）`: [`super::numbering`]); a table becomes one line
//! per row with tab-separated cells, which the annex-table code reads. Deleted revisions
//! (`w:delText`), field codes (`w:instrText`) and the fallback copy of alternate content
//! (`mc:Fallback`, a duplicate of text boxes) are not text.
//!
//! DOCX has no fixed pages, but Word records where they fell: explicit page props
//! (`w:br w:type="page"`, `w:pageBreakBefore`), section props that start a new page, and
//! `w:lastRenderedPageBreak` where the last rendering began a page. Where a document holds
//! these, its text is paged at paragraph boundaries (a paragraph a page break cuts belongs
//! to the page it starts on); a document without them has no page map.

use super::Pages;
use super::archive::{Archive, Xml, attr, local, text_of};
use super::numbering::Numbering;
use crate::chars::is_cjk_punct;
use crate::error::Result;
use quick_xml::events::Event;

const DOCUMENT: &str = "word/document.xml";
const NUMBERING: &str = "word/numbering.xml";
const STYLES: &str = "word/styles.xml";

/// Does the archive look like a DOCX?
pub fn is_docx(zip: &Archive) -> bool {
    zip.find(DOCUMENT).is_some()
}

/// Read the body text of a DOCX.
pub fn read(mut zip: Archive) -> Result<Pages> {
    let xml = zip.read(DOCUMENT)?;
    let mut numbering = match zip.find(NUMBERING) {
        Some(entry) => {
            let xml = zip.read(&entry)?;
            let mut n = Numbering::parse(&xml, NUMBERING).map_err(|why| zip.error(why))?;
            if let Some(entry) = zip.find(STYLES) {
                let xml = zip.read(&entry)?;
                n.add_styles(&xml, STYLES).map_err(|why| zip.error(why))?;
            }
            Some(n)
        }
        None => None,
    };
    let text = body_text(&xml, DOCUMENT, numbering.as_mut()).map_err(|why| zip.error(why))?;
    if text.trim().is_empty() {
        return Err(zip.error("DOCX has no text in word/document.xml"));
    }
    let mut pages = paged(text);
    if zip.unsafe_names > 0 {
        pages.warnings.push(super::warning(
            "archive-unsafe-names",
            format!(
                "ignored {} archive entries with absolute or parent-directory names",
                zip.unsafe_names
            ),
        ));
    }
    Ok(pages)
}

/// Marks a page start in the body text (never in XML text: XML 1.0 forbids U+000C).
const PAGE_BREAK: char = '\u{c}';

/// Split the body text at its page marks, which stand at line starts; one page without
/// marks is an unpaged text.
fn paged(text: String) -> Pages {
    if !text.contains(PAGE_BREAK) {
        return Pages::single(text);
    }
    let texts: Vec<String> = text
        .split(PAGE_BREAK)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    if texts.len() < 2 {
        return Pages::single(texts.concat());
    }
    Pages {
        texts,
        paged: true,
        ..Pages::default()
    }
}

/// [`body_text`] for the fuzz targets.
pub(crate) fn fuzz_body_text(xml: &[u8]) -> Result<String, String> {
    body_text(xml, "fuzz.xml", None)
}

/// State of a table being read: cells of the current row.
#[derive(Default)]
struct Table {
    row: Vec<String>,
    cell: String,
    /// A page starts in the current row (it goes before the row).
    page_break: bool,
}

/// What an open paragraph's properties and runs said besides text: its automatic
/// numbering, and page props before it (met before any text) or after it.
#[derive(Default, Clone)]
struct ParaProps {
    /// `w:numPr`: numbering instance (`0`: switched off) and level.
    num_id: Option<String>,
    ilvl: Option<usize>,
    /// `w:pStyle`: the paragraph style, which may carry the numbering instead.
    style: Option<String>,
    before: bool,
    after: bool,
    /// Inside `w:sectPr` of the paragraph: it ends a section.
    section: bool,
    continuous: bool,
}

/// The text of `word/document.xml`.
fn body_text(
    xml: &[u8],
    entry: &str,
    mut numbering: Option<&mut Numbering>,
) -> Result<String, String> {
    let mut reader = Xml::new(xml, entry);
    let mut out = String::new();
    // open paragraphs (a text box inside a run holds paragraphs of its own)
    let mut paras: Vec<String> = Vec::new();
    let mut props: Vec<ParaProps> = Vec::new();
    // open tables (a cell can hold a table)
    let mut tables: Vec<Table> = Vec::new();
    let mut in_text = false;
    let mut skip = 0usize; // depth inside content that is not text
    while let Some(event) = reader.next()? {
        match &event {
            Event::Start(e) => {
                let name = local(e.name().as_ref()).to_string();
                if skip > 0 {
                    skip += 1;
                    continue;
                }
                match name.as_str() {
                    "delText" | "instrText" | "Fallback" => skip = 1,
                    "p" => {
                        paras.push(String::new());
                        props.push(ParaProps::default());
                    }
                    "t" => in_text = true,
                    "tbl" => tables.push(Table::default()),
                    "sectPr" => {
                        if let Some(b) = props.last_mut() {
                            b.section = true;
                        }
                    }
                    "tab" | "br" | "cr" => {
                        page_mark(e, &name, &paras, &mut props);
                        push_break(&mut paras, &name, !tables.is_empty())
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip > 0 {
                    continue;
                }
                let name = local(e.name().as_ref()).to_string();
                match name.as_str() {
                    "tab" | "br" | "cr" => {
                        page_mark(e, &name, &paras, &mut props);
                        push_break(&mut paras, &name, !tables.is_empty())
                    }
                    "lastRenderedPageBreak" | "pageBreakBefore" => {
                        page_mark(e, &name, &paras, &mut props)
                    }
                    "sectPr" => {
                        if let Some(b) = props.last_mut() {
                            b.section = true;
                        }
                    }
                    "numId" => {
                        if let Some(b) = props.last_mut() {
                            b.num_id = attr(e, "val");
                        }
                    }
                    "pStyle" => {
                        if let Some(b) = props.last_mut() {
                            b.style = attr(e, "val");
                        }
                    }
                    "ilvl" => {
                        if let Some(b) = props.last_mut() {
                            b.ilvl = attr(e, "val").and_then(|v| v.parse().ok());
                        }
                    }
                    "type" => {
                        if let Some(b) = props.last_mut().filter(|b| b.section) {
                            b.continuous = attr(e, "val").as_deref() == Some("continuous");
                        }
                    }
                    "noBreakHyphen" => push_text(&mut paras, "-"),
                    // an empty paragraph is an empty line
                    "p" if tables.is_empty() => out.push('\n'),
                    _ => {}
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match local(e.name().as_ref()) {
                    "t" => in_text = false,
                    "sectPr" => {}
                    "p" => {
                        let mut para = paras.pop().unwrap_or_default();
                        let b = props.pop().unwrap_or_default();
                        let label = numbering.as_deref_mut().and_then(|n| {
                            let (id, level) = match (&b.num_id, &b.style) {
                                (Some(id), _) => (id.clone(), b.ilvl.unwrap_or(0)),
                                (None, Some(style)) => {
                                    let (id, level) = n.of_style(style)?;
                                    (id, b.ilvl.unwrap_or(level))
                                }
                                (None, None) => return None,
                            };
                            (id != "0").then(|| n.label(&id, level)).flatten()
                        });
                        if let Some(label) = label {
                            // `一、` `1.` `（一）` run on; a bare label gets a space
                            let sep = if label
                                .ends_with(|c: char| c.is_ascii_punctuation() || is_cjk_punct(c))
                            {
                                ""
                            } else {
                                " "
                            };
                            para.insert_str(0, &format!("{label}{sep}"));
                        }
                        let after = b.after || (b.section && !b.continuous);
                        if let Some(t) = tables.last_mut().filter(|_| paras.is_empty()) {
                            t.page_break |= b.before || after;
                        } else if paras.is_empty() && b.before {
                            out.push(PAGE_BREAK);
                        }
                        if let Some(outer) = paras.last_mut() {
                            // a text-box paragraph inside a run: its own line
                            outer.push_str(&para);
                            outer.push('\n');
                        } else if let Some(t) = tables.last_mut() {
                            if !t.cell.is_empty() && !para.is_empty() {
                                t.cell.push(' ');
                            }
                            t.cell.push_str(&para);
                        } else {
                            out.push_str(&para);
                            out.push('\n');
                            if after {
                                out.push(PAGE_BREAK);
                            }
                        }
                    }
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            let cell = std::mem::take(&mut t.cell);
                            t.row.push(cell.trim().replace(['\t', '\n'], " "));
                        }
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            let row = std::mem::take(&mut t.row).join("\t");
                            let page_break = std::mem::take(&mut t.page_break);
                            if tables.len() == 1 {
                                if page_break {
                                    out.push(PAGE_BREAK);
                                }
                                out.push_str(&row);
                                out.push('\n');
                            } else if let Some(t) = tables.last_mut() {
                                // a nested table's row goes into the outer cell
                                t.cell.push_str(&row);
                                t.cell.push(' ');
                            }
                        }
                    }
                    "tbl" => {
                        if let Some(inner) = tables.pop()
                            && let Some(outer) = tables.last_mut()
                        {
                            outer.cell.push_str(&inner.cell);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) if in_text && skip == 0 => {
                push_text(&mut paras, &text_of(&event));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Note a page break (`w:br w:type="page"`, `w:lastRenderedPageBreak`,
/// `w:pageBreakBefore` unless switched off) on the open paragraph: before it when no text
/// came yet, else after it.
fn page_mark(
    e: &quick_xml::events::BytesStart,
    name: &str,
    paras: &[String],
    props: &mut [ParaProps],
) {
    let is_break = match name {
        "br" => attr(e, "type").as_deref() == Some("page"),
        "lastRenderedPageBreak" => true,
        "pageBreakBefore" => !matches!(attr(e, "val").as_deref(), Some("0" | "false" | "off")),
        _ => false,
    };
    let (Some(b), Some(p)) = (props.last_mut(), paras.last()) else {
        return;
    };
    if is_break {
        if p.trim().is_empty() {
            b.before = true;
        } else {
            b.after = true;
        }
    }
}

fn push_text(paras: &mut [String], text: &str) {
    if let Some(p) = paras.last_mut() {
        p.push_str(text);
    }
}

/// `w:tab` is a tab, `w:br`/`w:cr` a line break; inside a table cell both are spaces.
fn push_break(paras: &mut [String], name: &str, in_table: bool) {
    let c = match (name, in_table) {
        (_, true) => ' ',
        ("tab", false) => '\t',
        _ => '\n',
    };
    if let Some(p) = paras.last_mut() {
        p.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    #[test]
    fn paragraphs_runs_tabs_and_breaks() {
        let xml = format!(
            r#"<w:document {NS}><w:body>
<w:p><w:r><w:t>闽市监认证〔2024〕</w:t></w:r><w:r><w:t>215号</w:t></w:r></w:p>
<w:p><w:r><w:t>联系人：林洁</w:t><w:tab/><w:t>电话</w:t><w:br/><w:t xml:space="preserve">第二行 </w:t></w:r></w:p>
<w:p><w:r><w:delText>删除的</w:delText><w:instrText>PAGE</w:instrText><w:t>A&amp;B</w:t></w:r></w:p>
</w:body></w:document>"#
        );
        assert_eq!(
            body_text(xml.as_bytes(), "d", None).unwrap(),
            "闽市监认证〔2024〕215号\n联系人：林洁\t电话\n第二行 \nA&B\n"
        );
    }

    #[test]
    fn tables_become_tab_separated_rows() {
        let xml = format!(
            r#"<w:document {NS}><w:body>
<w:p><w:r><w:t>附件1</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>单位</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p><w:p><w:r><w:t>公司</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>"#
        );
        assert_eq!(
            body_text(xml.as_bytes(), "d", None).unwrap(),
            "附件1\n序号\t单位\n1\t甲 公司\n"
        );
    }

    #[test]
    fn page_breaks_page_the_text_at_paragraphs() {
        let xml = format!(
            r#"<w:document {NS}><w:body>
<w:p><w:r><w:t>第一页</w:t></w:r></w:p>
<w:p><w:r><w:br w:type="page"/></w:r></w:p>
<w:p><w:r><w:t>第二页开头，</w:t><w:lastRenderedPageBreak/><w:t>跨页的段落</w:t></w:r></w:p>
<w:p><w:r><w:lastRenderedPageBreak/><w:t>第三页</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>表</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:pPr><w:sectPr><w:type w:val="continuous"/></w:sectPr></w:pPr><w:r><w:t>同一页</w:t></w:r></w:p>
<w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>节末</w:t></w:r></w:p>
<w:p><w:r><w:t>第五页</w:t></w:r></w:p>
<w:sectPr/></w:body></w:document>"#
        );
        let text = body_text(xml.as_bytes(), "d", None).unwrap();
        let pages = paged(text);
        assert!(pages.paged);
        assert_eq!(
            pages.texts,
            [
                "第一页\n",
                "\n\n第二页开头，跨页的段落\n",
                "第三页\n",
                "表\n同一页\n节末\n",
                "第五页\n"
            ]
        );
        // without page marks there is no page map
        let plain = body_text(
            b"<w:document><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>",
            "d",
            None,
        )
        .unwrap();
        assert!(!paged(plain).paged);
    }
}
