//! DOCX: the paragraphs of `word/document.xml` (`w:p` with their `w:t` runs, `w:tab` as a
//! tab, `w:br`/`w:cr` as a line break), one line per paragraph; a table becomes one line
//! per row with tab-separated cells, which the annex-table code reads. Deleted revisions
//! (`w:delText`), field codes (`w:instrText`) and the fallback copy of alternate content
//! (`mc:Fallback`, a duplicate of text boxes) are not text.

use super::Pages;
use super::archive::{Archive, Xml, local, text_of};
use crate::error::Result;
use quick_xml::events::Event;

const DOCUMENT: &str = "word/document.xml";

/// Does the archive look like a DOCX?
pub fn is_docx(zip: &Archive) -> bool {
    zip.find(DOCUMENT).is_some()
}

/// Read the body text of a DOCX.
pub fn read(mut zip: Archive) -> Result<Pages> {
    let xml = zip.read(DOCUMENT)?;
    let text = body_text(&xml, DOCUMENT).map_err(|why| zip.error(why))?;
    if text.trim().is_empty() {
        return Err(zip.error("DOCX has no text in word/document.xml"));
    }
    let mut pages = Pages::single(text);
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

/// [`body_text`] for the fuzz targets.
pub(crate) fn fuzz_body_text(xml: &[u8]) -> Result<String, String> {
    body_text(xml, "fuzz.xml")
}

/// State of a table being read: cells of the current row.
#[derive(Default)]
struct Table {
    row: Vec<String>,
    cell: String,
}

/// The text of `word/document.xml`.
fn body_text(xml: &[u8], entry: &str) -> Result<String, String> {
    let mut reader = Xml::new(xml, entry);
    let mut out = String::new();
    // open paragraphs (a text box inside a run holds paragraphs of its own)
    let mut paras: Vec<String> = Vec::new();
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
                    "p" => paras.push(String::new()),
                    "t" => in_text = true,
                    "tbl" => tables.push(Table::default()),
                    "tab" | "br" | "cr" => push_break(&mut paras, &name, !tables.is_empty()),
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip > 0 {
                    continue;
                }
                let name = local(e.name().as_ref()).to_string();
                match name.as_str() {
                    "tab" | "br" | "cr" => push_break(&mut paras, &name, !tables.is_empty()),
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
                    "p" => {
                        let para = paras.pop().unwrap_or_default();
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
                            if tables.len() == 1 {
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
            body_text(xml.as_bytes(), "d").unwrap(),
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
            body_text(xml.as_bytes(), "d").unwrap(),
            "附件1\n序号\t单位\n1\t甲 公司\n"
        );
    }
}
