//! The same notice in every format gives the same facts as its text; readers fail with
//! clear errors on hostile input. Fixtures: `tests/fixtures/formats/` (made by
//! `scripts/make-fixtures.py` from `corpus/*.txt`).

mod common;

use common::*;
use gongwen::spec::{Document, Format, Output};
use std::path::PathBuf;

const NOTICES: &[&str] = &[
    "003_50dae97726b0998a",
    "f01_zj-cert-fire-ebike-check",
    "f07_wz-crane-check-annex-table",
];

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/formats").join(name)
}

/// The facts the formats must agree on, per document.
#[derive(Debug, PartialEq)]
struct Facts {
    doc_number: Option<String>,
    title: Option<String>,
    issue_date: Option<String>,
    phones: Vec<String>,
    emails: Vec<String>,
    deadlines: Vec<String>,
}

fn facts(d: &Document) -> Facts {
    let mut deadlines: Vec<String> = d
        .tasks
        .iter()
        .flat_map(|t| t.deadlines.iter().filter_map(|x| x.date.clone()))
        .collect();
    deadlines.sort();
    deadlines.dedup();
    Facts {
        doc_number: number(d).map(String::from),
        title: d.title.as_ref().map(|t| t.value.clone()),
        issue_date: d.issue_date.as_ref().map(|t| t.value.clone()),
        phones: phones(d),
        emails: emails(d),
        deadlines,
    }
}

fn all_facts(out: &Output) -> Vec<Facts> {
    out.documents.iter().map(facts).collect()
}

/// Is OCR available? Without it the OCR tests are skipped, except in CI.
fn tesseract() -> bool {
    let ok = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("chi_sim"));
    if !ok && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI needs tesseract with chi_sim: scripts/setup.sh installs it");
    }
    if !ok {
        eprintln!("skipped: tesseract with chi_sim is not installed (scripts/setup.sh)");
    }
    ok
}

#[test]
fn every_text_format_gives_the_facts_of_the_text() {
    for notice in NOTICES {
        let txt = corpus(&format!("{notice}.txt"));
        let want = all_facts(&txt);
        for (ext, format) in [
            ("pdf", Format::Pdf),
            ("docx", Format::Docx),
            ("ofd", Format::Ofd),
            ("html", Format::Html),
        ] {
            let out = extract(&fixture(&format!("{notice}.{ext}")));
            assert_eq!(out.source.format, format, "{notice}.{ext}");
            assert!(!out.source.ocr, "{notice}.{ext}");
            assert_eq!(all_facts(&out), want, "{notice}.{ext} vs {notice}.txt");
        }
    }
}

#[test]
fn pdf_pages_are_mapped() {
    let out = extract(&fixture("003_50dae97726b0998a.pdf"));
    assert_eq!(out.source.pages, Some(3));
    let starts = out.source.page_starts.clone().expect("page starts");
    assert_eq!(starts.len(), 3);
    assert_eq!(starts[0], 0);
    assert!(starts.windows(2).all(|w| w[0] < w[1]));
    let d = &out.documents[0];
    let number = d.doc_number.as_ref().unwrap();
    assert_eq!(out.source.page_of(number.span.start()), Some(1));
    let contact = &d.contacts[0];
    assert_eq!(out.source.page_of(contact.span.start()), Some(3));
    // every value carries its page beside its span; a text layer has no OCR confidence
    assert_eq!(number.origin.page, Some(1));
    assert_eq!(contact.origin.page, Some(3));
    assert_eq!(d.annexes.last().unwrap().origin.page, Some(3));
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(json["documents"][0]["doc_number"]["page"], 1);
    assert!(
        json["documents"][0]["doc_number"]
            .get("ocr_confidence")
            .is_none()
    );
    // a text input has no page map, and its JSON has no page_starts or page key
    let txt = corpus("003_50dae97726b0998a.txt");
    assert_eq!(txt.source.page_starts, None);
    assert_eq!(
        txt.documents[0].doc_number.as_ref().unwrap().origin,
        Default::default()
    );
    let json = serde_json::to_value(&txt).unwrap();
    assert!(json["source"].get("page_starts").is_none());
    assert!(json["documents"][0]["doc_number"].get("page").is_none());
}

#[test]
fn docx_page_breaks_give_values_their_page() {
    // Word records where pages fell (here an explicit break and a last-rendered one):
    // the text is paged there, and each value knows its page
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let body = [
        p("浙江省市场监督管理局关于开展电梯安全检查的通知"),
        p("各市市场监管局："),
        p("一、请于9月30日前完成检查。"),
        "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>".to_string(),
        p("二、10月15日前报送总结。"),
        "<w:p><w:r><w:lastRenderedPageBreak/><w:t>联系人：张明远，电话：0571-87654321。</w:t></w:r></w:p>".to_string(),
        p("浙江省市场监督管理局"),
        p("2024年6月5日"),
    ]
    .concat();
    let xml = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let docx = zip_of(&[("word/document.xml", xml.as_bytes())]);
    let ex = gongwen::ingest::ingest_bytes(&docx, "paged.docx").expect("docx");
    assert_eq!(ex.format, Format::Docx);
    assert_eq!(ex.pages, Some(3));
    let out = gongwen::extract_extracted("paged.docx", &ex);
    let d = &out.documents[0];
    assert_eq!(d.title.as_ref().unwrap().origin.page, Some(1));
    let pages: Vec<Option<u32>> = d
        .tasks
        .iter()
        .flat_map(|t| t.deadlines.iter().map(|x| x.origin.page))
        .collect();
    assert_eq!(pages, [Some(1), Some(2)]);
    assert_eq!(d.contacts[0].origin.page, Some(3));
}

#[test]
fn docx_automatic_numbering_gives_the_outline() {
    // the outline labels (一、 （一） 1.) come from word/numbering.xml, not the text: the
    // tasks read from a numbered DOCX are those of the same notice typed out
    let numbering = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>"#;
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    // level 0 numbered on the paragraph, level 1 through its style (styles.xml, basedOn)
    let n = |lvl: u8, t: &str| match lvl {
        0 => format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
        ),
        _ => {
            format!(r#"<w:p><w:pPr><w:pStyle w:val="Sub"/></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#)
        }
    };
    let styles = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:styleId="Outline"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style><w:style w:styleId="Sub"><w:basedOn w:val="Outline"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style></w:styles>"#;
    let lines = [
        (None, "浙江省市场监督管理局关于开展电梯安全检查的通知"),
        (None, "各市市场监管局："),
        (Some(0), "检查安排"),
        (Some(1), "自查阶段。8月底前完成自查。"),
        (
            Some(1),
            "抽查阶段。抽查比例不低于5%，9月10日前报送统计表（附件1）。",
        ),
        (Some(0), "工作要求"),
        (Some(1), "加强组织领导。"),
        (None, "附件：1. 统计表"),
        (None, "浙江省市场监督管理局"),
        (None, "2024年6月5日"),
    ];
    let body: String = lines
        .iter()
        .map(|&(lvl, t)| lvl.map_or_else(|| p(t), |l| n(l, t)))
        .collect();
    let xml = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let docx = zip_of(&[
        ("word/document.xml", xml.as_bytes()),
        ("word/numbering.xml", numbering.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
    ]);
    let ex = gongwen::ingest::ingest_bytes(&docx, "numbered.docx").expect("docx");
    assert!(
        ex.text.contains("一、检查安排\n（一）自查阶段"),
        "{}",
        ex.text
    );
    assert!(
        ex.text.contains("二、工作要求\n（一）加强组织领导"),
        "{}",
        ex.text
    );
    let from_docx = gongwen::extract_extracted("numbered.docx", &ex);
    let typed = [
        "浙江省市场监督管理局关于开展电梯安全检查的通知",
        "各市市场监管局：",
        "一、检查安排",
        "（一）自查阶段。8月底前完成自查。",
        "（二）抽查阶段。抽查比例不低于5%，9月10日前报送统计表（附件1）。",
        "二、工作要求",
        "（一）加强组织领导。",
        "附件：1. 统计表",
        "浙江省市场监督管理局",
        "2024年6月5日",
    ]
    .join("\n");
    let from_text = gongwen::extract_text("typed.txt", &typed);
    assert_eq!(all_facts(&from_docx), all_facts(&from_text));
    let ids: Vec<&str> = from_docx.documents[0]
        .tasks
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    assert!(ids.contains(&"一.（二）"), "{ids:?}");
}

#[test]
fn html_page_drops_navigation_and_footer() {
    let ex = gongwen::ingest::ingest_path(&fixture("f01_zj-cert-fire-ebike-check.html")).unwrap();
    assert_eq!(ex.encoding.as_deref(), Some("gb18030"), "declared gb2312");
    for junk in [
        "首页",
        "当前位置",
        "版权",
        "0591-88888888",
        "相关文章",
        "打印本页",
    ] {
        assert!(!ex.text.contains(junk), "{junk} in the text");
    }
}

#[test]
fn docx_table_rows_are_tab_separated() {
    let out = extract(&fixture("f07_wz-crane-check-annex-table.docx"));
    let table = out.documents[0]
        .annexes
        .iter()
        .find_map(|a| a.table.clone())
        .expect("annex table from the DOCX table");
    assert_eq!(table.columns[0], "县（市、区）");
}

#[test]
fn real_pdf_gives_the_facts_of_its_text_version() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("corpus/pdf");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let pdf = entry.path();
        if pdf.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let stem = pdf.file_stem().unwrap().to_string_lossy().to_string();
        let txt = shared.join("corpus/dev").join(format!("{stem}.txt"));
        if !txt.exists() {
            continue;
        }
        let (a, b) = (extract(&pdf), extract(&txt));
        assert_eq!(a.source.format, Format::Pdf);
        let (fa, fb) = (all_facts(&a), all_facts(&b));
        assert_eq!(fa.len(), fb.len(), "{stem}");
        for (x, y) in fa.iter().zip(&fb) {
            assert_eq!(
                (&x.doc_number, &x.title, &x.issue_date),
                (&y.doc_number, &y.title, &y.issue_date),
                "{stem}"
            );
        }
    }
}

#[test]
fn scanned_pdf_is_read_with_ocr() {
    if !tesseract() {
        return;
    }
    let notice = "f01_zj-cert-fire-ebike-check";
    let out = extract(&fixture(&format!("{notice}.scan.pdf")));
    assert!(out.source.ocr);
    assert_eq!(out.source.pages, Some(2));
    assert!(
        out.warnings.iter().any(|w| w.code == "ocr"),
        "{:?}",
        out.warnings
    );
    let got = facts(&out.documents[0]);
    let want = facts(&corpus(&format!("{notice}.txt")).documents[0]);
    assert_eq!(got.doc_number, want.doc_number);
    assert_eq!(got.title, want.title);
    assert_eq!(got.issue_date, want.issue_date);
    assert_eq!(got.phones, want.phones);
    assert_eq!(got.emails, want.emails);
    assert_eq!(got.deadlines, want.deadlines);
    // recognised values carry the recogniser's confidence and their page
    let d = &out.documents[0];
    let number = d.doc_number.as_ref().unwrap();
    assert_eq!(number.origin.page, Some(1));
    assert!(number.origin.ocr_confidence.is_some_and(|c| c <= 100));
    assert_eq!(d.contacts[0].origin.page, Some(2));
    // and values read with low confidence are flagged, each with its span
    for w in out
        .warnings
        .iter()
        .filter(|w| w.code == "ocr-low-confidence")
    {
        assert!(w.span.is_some(), "{w:?}");
    }
}

#[test]
fn scanned_mailbox_is_read_again_on_its_own() {
    if !tesseract() {
        return;
    }
    // page-level recognition of this 300 dpi scan reads `fjrzjc` as `frzjc`; the word read
    // again alone (rule ocr_reread) gives the mailbox
    let out = extract(&fixture("003_50dae97726b0998a.scan.pdf"));
    let d = &out.documents[0];
    assert_eq!(d.contacts[0].emails, ["fjrzjc@163.com"]);
}

#[test]
fn scanned_image_is_read_with_ocr() {
    if !tesseract() {
        return;
    }
    let out = extract(&fixture("003_50dae97726b0998a.png"));
    assert_eq!(out.source.format, Format::Image);
    assert!(out.source.ocr);
    let d = &out.documents[0];
    assert_eq!(
        d.title.as_ref().map(|t| t.value.as_str()),
        Some("福建省市场监管局关于开展强制性产品认证监督检查的通知")
    );
    // the year brackets are corrected, and the province abbreviation OCR gets wrong
    // (闽 → 赣/间) is the provincial issuer's own
    let n = d.doc_number.as_ref().expect("doc number");
    assert_eq!(n.value, "闽市监认证〔2024〕215号");
    assert!(out.warnings.iter().any(|w| w.code == "ocr-corrected"));
}

#[test]
fn scanned_pdf_doc_number_gets_the_issuers_province() {
    if !tesseract() {
        return;
    }
    let out = extract(&fixture("003_50dae97726b0998a.scan.pdf"));
    let n = out.documents[0].doc_number.as_ref().expect("doc number");
    assert_eq!(n.value, "闽市监认证〔2024〕215号");
    assert_eq!(n.prefix, "闽市监认证");
}

#[test]
fn missing_ocr_tools_name_the_debian_packages() {
    let empty = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("gongwen")
        .unwrap()
        .env("PATH", empty.path())
        .arg("extract")
        .arg(fixture("003_50dae97726b0998a.png"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("003_50dae97726b0998a.png")
            && err.contains("tesseract-ocr tesseract-ocr-chi-sim poppler-utils"),
        "{err}"
    );
}

// ---- hostile input: bounded, and a clear error naming the file ----

fn ingest_err(bytes: &[u8], name: &str) -> String {
    let err = gongwen::ingest::ingest_bytes(bytes, name)
        .err()
        .unwrap_or_else(|| panic!("{name} was accepted"))
        .to_string();
    assert!(err.starts_with(&format!("{name}: ")), "{err}");
    err
}

const DOCX_BODY: &str = r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>关于开展检查的通知</w:t></w:r></w:p></w:body></w:document>"#;

#[test]
fn zip_bomb_is_refused() {
    let zeros = vec![0u8; 8 * 1024 * 1024];
    let bomb = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", &zeros),
    ]);
    assert!(bomb.len() < 100 * 1024);
    let err = ingest_err(&bomb, "bomb.docx");
    assert!(err.contains("zip bomb"), "{err}");
}

#[test]
fn too_many_entries_are_refused() {
    let names: Vec<String> = (0..10_001).map(|i| format!("f{i}")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let err = ingest_err(&zip_of(&entries), "many.docx");
    assert!(err.contains("entries"), "{err}");
}

#[test]
fn path_traversal_entries_are_ignored() {
    let evil = zip_of(&[
        ("../../word/document.xml", b"<x/>"),
        ("word/document.xml", DOCX_BODY.as_bytes()),
    ]);
    let ex = gongwen::ingest::ingest_bytes(&evil, "evil.docx").unwrap();
    assert_eq!(ex.text, "关于开展检查的通知\n");
    assert!(ex.warnings.iter().any(|w| w.code == "archive-unsafe-names"));
    // an OFD whose DocRoot points outside the archive
    let ofd = zip_of(&[(
        "OFD.xml",
        b"<ofd:OFD xmlns:ofd=\"o\"><ofd:DocBody><ofd:DocRoot>../../etc/passwd</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
    )]);
    let err = ingest_err(&ofd, "evil.ofd");
    assert!(err.contains("leaves the archive"), "{err}");
}

#[test]
fn deeply_nested_xml_is_refused() {
    let deep = format!(
        "<w:document xmlns:w=\"w\"><w:body>{}</w:body></w:document>",
        "<w:p>".repeat(5000)
    );
    let err = ingest_err(
        &zip_of(&[("word/document.xml", deep.as_bytes())]),
        "deep.docx",
    );
    assert!(err.contains("nested deeper"), "{err}");
}

#[test]
fn other_archives_and_legacy_word_are_refused() {
    let err = ingest_err(&zip_of(&[("a.txt", b"hello")]), "other.zip");
    assert!(err.contains("neither DOCX"), "{err}");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend_from_slice(&[0u8; 512]);
    let err = ingest_err(&ole, "old.doc");
    assert!(err.contains("save as DOCX or PDF"), "{err}");
}

#[test]
fn huge_image_is_refused_before_ocr() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&30_000u32.to_be_bytes());
    png.extend_from_slice(&30_000u32.to_be_bytes());
    png.extend_from_slice(&[8, 0, 0, 0, 0, 0, 0, 0, 0]);
    let err = ingest_err(&png, "huge.png");
    assert!(err.contains("megapixels"), "{err}");
}

#[test]
fn broken_pdf_is_an_error_not_a_panic() {
    let mut junk = b"%PDF-1.7\n".to_vec();
    junk.extend((0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    let err = ingest_err(&junk, "junk.pdf");
    assert!(err.contains("PDF"), "{err}");
}
