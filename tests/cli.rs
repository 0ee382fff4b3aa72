//! The command line: exit codes, errors that name the file, batches that go on.

use assert_cmd::Command;
use std::io::Write;

fn gongwen() -> Command {
    Command::cargo_bin("gongwen").unwrap()
}

fn seed() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/003_50dae97726b0998a.txt")
}

#[test]
fn extract_prints_one_json_object() {
    let out = gongwen().arg("extract").arg(seed()).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "gongwen.task-spec/1");
    assert_eq!(
        v["documents"][0]["doc_number"]["value"],
        "闽市监认证〔2024〕215号"
    );
    assert_eq!(v["source"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn stdin_is_read_with_dash() {
    let text = std::fs::read(seed()).unwrap();
    let out = gongwen()
        .args(["extract", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"]["path"], "-");
}

#[test]
fn batch_goes_on_past_bad_files_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8])] = &[
        ("empty.txt", b""),
        ("renamed-pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        ("renamed-zip.txt", b"PK\x03\x04\x14\x00\x00\x00"),
        (
            "junk.txt",
            &[
                0u8, 159, 146, 150, 1, 2, 3, 0, 0, 255, 254, 0, 7, 8, 9, 0, 0, 0, 0, 17,
            ],
        ),
    ];
    for (name, bytes) in cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    std::fs::copy(seed(), dir.path().join("good.txt")).unwrap();
    let outdir = dir.path().join("out/");
    let out = gongwen()
        .arg("extract")
        .arg(dir.path())
        .arg("-o")
        .arg(&outdir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for (name, _) in cases {
        assert!(err.contains(name), "error names {name}: {err}");
    }
    assert!(err.contains("empty file") && err.contains("PDF"), "{err}");
    assert!(
        outdir.join("good.json").exists(),
        "the good file is still written"
    );
    assert_eq!(
        err.lines().count(),
        cases.len(),
        "one line per failure: {err}"
    );
}

#[test]
fn huge_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    let start = std::time::Instant::now();
    let out = gongwen().arg("extract").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("limit"));
    assert!(start.elapsed().as_secs() < 5);
}

#[test]
fn usage_error_exits_2() {
    assert_eq!(
        gongwen().arg("extract").output().unwrap().status.code(),
        Some(2)
    );
    assert_eq!(
        gongwen()
            .args(["extract", "--format", "xml", "a.txt"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        gongwen().arg("frobnicate").output().unwrap().status.code(),
        Some(2)
    );
}

#[test]
fn missing_file_names_the_file() {
    let out = gongwen()
        .args(["extract", "/nonexistent/notice.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/notice.txt"));
}

#[test]
fn text_prints_the_extracted_text() {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    let (bytes, _, _) = encoding_rs::GB18030.encode("关于开展检查的通知\n9 月底前完成");
    f.write_all(&bytes).unwrap();
    let out = gongwen().arg("text").arg(f.path()).output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "关于开展检查的通知\n9 月底前完成"
    );
}

#[test]
fn schema_is_valid_json_with_the_spec_keys() {
    let out = gongwen().arg("schema").output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = v.to_string();
    for key in [
        "documents",
        "doc_number",
        "addressees",
        "deadlines",
        "contacts",
        "annexes",
        "warnings",
    ] {
        assert!(s.contains(key), "{key}");
    }
}

fn corpus(name: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name)
}

#[test]
fn diff_of_a_relay_with_its_original_in_one_file() {
    let out = gongwen()
        .args(["diff", "-f", "json"])
        .arg(corpus("000_6ef2ac40ccdeb165.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "gongwen.relay-diff/1");
    assert_eq!(v["aligned"].as_array().unwrap().len(), 5);
}

#[test]
fn diff_without_an_original_says_what_to_give() {
    let out = gongwen().arg("diff").arg(seed()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("003_50dae97726b0998a.txt") && err.contains("second argument"),
        "{err}"
    );
}

#[test]
fn extract_html_review_page_highlights_values() {
    let out = gongwen()
        .args(["extract", "-f", "html"])
        .arg(seed())
        .output()
        .unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(
        page.contains("<mark class=\"header\""),
        "doc number highlighted"
    );
    assert!(page.contains("class=\"task deadline\"") || page.contains("deadline"));
    assert!(
        page.contains("\"schema\": \"gongwen.task-spec/1\""),
        "JSON beside the text"
    );
}

#[test]
fn ics_and_csv_gather_every_input() {
    let out = gongwen()
        .args(["extract", "-f", "ics"])
        .arg(seed())
        .arg(corpus("000_6ef2ac40ccdeb165.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.matches("BEGIN:VCALENDAR").count(),
        1,
        "one calendar for the batch"
    );
    let out = gongwen()
        .args(["extract", "-f", "csv"])
        .arg(seed())
        .arg(corpus("000_6ef2ac40ccdeb165.txt"))
        .output()
        .unwrap();
    assert!(out.stdout.starts_with("\u{feff}file,".as_bytes()));
}

#[test]
fn pdf_text_layer_is_read_in_a_bounded_child_process() {
    let pdf = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats/003_50dae97726b0998a.pdf");
    let library = gongwen::extract_path(&pdf).unwrap();
    // the command line reads the text layer in its child process: same output
    let out = gongwen().arg("extract").arg(&pdf).output().unwrap();
    assert!(out.status.success());
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut lib = serde_json::to_value(&library).unwrap();
    lib["source"]["path"] = cli["source"]["path"].clone();
    assert_eq!(cli, lib);
    // a child that takes too long is killed: poppler reads the PDF instead, with a warning
    let out = gongwen()
        .arg("extract")
        .arg(&pdf)
        .env("GONGWEN_PDF_EXTRACT_LIMIT_MS", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["documents"][0]["doc_number"]["value"],
        "闽市监认证〔2024〕215号"
    );
    let warning = &v["warnings"][0];
    assert_eq!(warning["code"], "pdf-text-fallback");
    assert!(
        warning["message"].as_str().unwrap().contains("took longer"),
        "{warning}"
    );
}
