//! The hostile-input corpus, generated at test time (the repository stays small).
//!
//! `generate(dir)` writes every case into `dir`; `CASES` says what each file is and what
//! `gongwen extract` must make of it. `GONGWEN_HOSTILE_DIR=DIR cargo test --test hostile
//! -- --ignored write_hostile_corpus` writes them into DIR for measuring by hand
//! (`scripts/hostile-rss.sh`).

use crate::common::zip_of;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the extractor must do with a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A clear error on stderr naming the file.
    Error,
    /// A JSON result (maybe with warnings).
    Output,
    /// Either, as long as it is bounded (reading depends on installed tools).
    Either,
}

pub struct Case {
    pub name: &'static str,
    pub what: &'static str,
    pub expect: Expect,
}

pub const CASES: &[Case] = &[
    Case {
        name: "good.txt",
        what: "a good notice (corpus/003)",
        expect: Expect::Output,
    },
    Case {
        name: "truncated.pdf",
        what: "a real text PDF cut in half",
        expect: Expect::Either,
    },
    Case {
        name: "encrypted.pdf",
        what: "a PDF with an /Encrypt dictionary and a wrong key",
        expect: Expect::Error,
    },
    Case {
        name: "pages-5000.pdf",
        what: "a PDF with 5,000 tiny pages",
        expect: Expect::Error,
    },
    Case {
        name: "bomb.docx",
        what: "a DOCX whose document.xml inflates 1000×",
        expect: Expect::Error,
    },
    Case {
        name: "traversal.docx",
        what: "a DOCX with ../, absolute and backslash entry names",
        expect: Expect::Output,
    },
    Case {
        name: "laughs.docx",
        what: "a DOCX with billion-laughs entities in document.xml",
        expect: Expect::Output,
    },
    Case {
        name: "line-100mb.txt",
        what: "a 100 MB sparse file, one line (over the 64 MB cap)",
        expect: Expect::Error,
    },
    Case {
        name: "line-60mb.txt",
        what: "a 60 MB line of notice text without a newline",
        expect: Expect::Error,
    },
    Case {
        name: "line-4mb.txt",
        what: "a 4 MB line of notice text (under the 16 MB text cap)",
        expect: Expect::Output,
    },
    Case {
        name: "line-cut.txt",
        what: "1 MB of UTF-8 cut inside its last char, no newline",
        expect: Expect::Output,
    },
    Case {
        name: "nul.txt",
        what: "a notice with a NUL byte every 500 bytes",
        expect: Expect::Output,
    },
    Case {
        name: "nul-heavy.txt",
        what: "a notice with NUL bytes between its chars",
        expect: Expect::Error,
    },
    Case {
        name: "mixed-encodings.txt",
        what: "UTF-8 and GBK bytes in one file",
        expect: Expect::Output,
    },
    Case {
        name: "outline-40.txt",
        what: "a notice nested 40 outline levels deep",
        expect: Expect::Output,
    },
    Case {
        name: "deadlines-10000.txt",
        what: "a notice with 10,000 deadlines",
        expect: Expect::Output,
    },
    Case {
        name: "junk.bin.txt",
        what: "64 KB of pseudo-random bytes",
        expect: Expect::Error,
    },
    Case {
        name: "empty.txt",
        what: "an empty file",
        expect: Expect::Error,
    },
];

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const HEADER: &str = "福建省市场监督管理局\n\n闽市监认证〔2024〕215号\n\n福建省市场监管局关于开展强制性产品认证监督检查的通知\n\n各设区市市场监管局：\n";
const FOOTER: &str =
    "联系人：林洁，联系电话：0591-87530956。\n\n福建省市场监督管理局\n2024年9月2日\n";

/// Write every case of [`CASES`] into `dir`.
pub fn generate(dir: &Path) {
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    let seed = root().join("corpus/003_50dae97726b0998a.txt");
    std::fs::copy(&seed, dir.join("good.txt")).unwrap();

    let pdf =
        std::fs::read(root().join("tests/fixtures/formats/003_50dae97726b0998a.pdf")).unwrap();
    w("truncated.pdf", &pdf[..pdf.len() / 2]);
    w("encrypted.pdf", &encrypted_pdf());
    w("pages-5000.pdf", &many_pages_pdf(5000));

    let zeros = vec![b' '; 16 * 1024 * 1024];
    w(
        "bomb.docx",
        &zip_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", &zeros),
        ]),
    );
    let body = docx_body(&format!(
        "{HEADER}请于2024年10月25日前报送自查报告。\n{FOOTER}"
    ));
    w(
        "traversal.docx",
        &zip_of(&[
            ("../../../../tmp/gongwen-evil.xml", b"<x/>"),
            ("/etc/gongwen-evil", b"x"),
            ("..\\..\\evil.xml", b"x"),
            ("word/../../evil.xml", b"x"),
            ("word/document.xml", body.as_bytes()),
        ]),
    );
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    laughs.push_str("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for i in 2..=9 {
        let p = format!("&lol{};", i - 1).repeat(10);
        laughs.push_str(&format!("<!ENTITY lol{i} \"{p}\">\n"));
    }
    laughs.push_str("]>\n");
    laughs.push_str(&docx_body(&format!(
        "{HEADER}&lol9;&lol9;&lol9;\n请于2024年10月25日前报送。\n{FOOTER}"
    )));
    w(
        "laughs.docx",
        &zip_of(&[("word/document.xml", laughs.as_bytes())]),
    );

    // sparse: 100 MB of nothing, never written
    let f = std::fs::File::create(dir.join("line-100mb.txt")).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let one_line = |name: &str, len: usize| {
        let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join(name)).unwrap());
        f.write_all(HEADER.replace('\n', "").as_bytes()).unwrap();
        let chunk =
            "一、加强检查。请于10月25日前报送材料，联系电话0591-87530956，抽查比例不低于10%。"
                .repeat(64);
        let mut written = HEADER.len();
        while written + chunk.len() <= len {
            f.write_all(chunk.as_bytes()).unwrap();
            written += chunk.len();
        }
        f.write_all(&chunk.as_bytes()[..len - written]).unwrap();
    };
    one_line("line-60mb.txt", 60 * 1024 * 1024);
    one_line("line-4mb.txt", 4 * 1024 * 1024);
    // cut after 2 bytes of a 3-byte char
    let text = HEADER.replace('\n', "")
        + &"请于10月25日前报送材料，联系电话0591-87530956。".repeat(20_000);
    let cut = text
        .char_indices()
        .find(|&(i, c)| i >= 1024 * 1024 && c.len_utf8() == 3)
        .unwrap()
        .0;
    w("line-cut.txt", &text.as_bytes()[..cut + 2]);

    let good = std::fs::read_to_string(&seed).unwrap();
    let mut sparse_nul = String::new();
    for c in good.chars() {
        sparse_nul.push(c);
        if sparse_nul.len() % 500 < c.len_utf8() {
            sparse_nul.push('\0');
        }
    }
    w("nul.txt", sparse_nul.as_bytes());
    let mut nul = Vec::new();
    for (i, line) in format!("{HEADER}请于10月25日前报送。\n{FOOTER}")
        .lines()
        .enumerate()
    {
        for (k, c) in line.chars().enumerate() {
            let mut b = [0; 4];
            nul.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            if (k + i) % 5 == 0 {
                nul.push(0);
            }
        }
        nul.extend_from_slice(b"\0\n");
    }
    w("nul-heavy.txt", &nul);

    let mut mixed = format!("{HEADER}一、请于2024年10月25日前报送。\n").into_bytes();
    let (gbk, _, _) =
        encoding_rs::GBK.encode("二、各地要在11月30日前完成整改，联系电话：0591-87530956。\n");
    mixed.extend_from_slice(&gbk);
    mixed.extend_from_slice(FOOTER.as_bytes());
    w("mixed-encodings.txt", &mixed);

    let mut deep = String::from(HEADER);
    let cn = ["一", "二", "三", "四", "五", "六", "七", "八"];
    for level in 0..40 {
        let k = level / 5;
        let marker = match level % 5 {
            0 => format!("{}、", cn[k]),
            1 => format!("（{}）", cn[k]),
            2 => format!("{}.", k + 1),
            3 => format!("（{}）", k + 1),
            _ => "①".to_string(),
        };
        deep.push_str(&format!(
            "{}{marker}第{level}层要求，请于10月{}日前报送。\n",
            "　".repeat(level),
            level % 28 + 1
        ));
    }
    deep.push_str(FOOTER);
    w("outline-40.txt", deep.as_bytes());

    let mut many = String::from(HEADER);
    many.push_str("一、工作要求\n");
    for i in 0..10_000 {
        many.push_str(&format!(
            "{}. 请第{i}组于{}月{}日前报送自查报告。\n",
            i % 99 + 1,
            i % 12 + 1,
            i % 28 + 1
        ));
    }
    many.push_str(FOOTER);
    w("deadlines-10000.txt", many.as_bytes());

    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let junk: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    w("junk.bin.txt", &junk);
    w("empty.txt", b"");
}

fn docx_body(text: &str) -> String {
    let mut s = String::from(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for line in text.lines() {
        s.push_str(&format!("<w:p><w:r><w:t>{line}</w:t></w:r></w:p>"));
    }
    s.push_str("</w:body></w:document>");
    s
}

/// A PDF from its objects (numbered from 1), with a correct cross-reference table.
fn pdf_of(objects: &[String], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// `n` pages, each showing one letter in Helvetica.
fn many_pages_pdf(n: usize) -> Vec<u8> {
    // 1 catalog, 2 pages, 3 font, 4 content, then the page objects
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", i + 5)).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let content = "BT /F1 12 Tf 72 720 Td (a) Tj ET";
    objects.push(format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    ));
    for _ in 0..n {
        objects.push(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
                .to_string(),
        );
    }
    pdf_of(&objects, "")
}

/// One page of text, encrypted with the standard handler under a key nobody has.
fn encrypted_pdf() -> Vec<u8> {
    let content = "BT /F1 12 Tf 72 720 Td (secret) Tj ET";
    let objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        format!(
            "<< /Filter /Standard /V 1 /R 2 /O <{}> /U <{}> /P -44 >>",
            "7a".repeat(32),
            "3c".repeat(32)
        ),
    ];
    pdf_of(
        &objects,
        "/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]",
    )
}
