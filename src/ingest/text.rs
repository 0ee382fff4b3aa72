//! Decoding text inputs: UTF-8 (± BOM), UTF-16 (BOM or NUL pattern), GB18030/GBK.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Decode bytes to text. Returns the text and the encoding's lowercase name, or why the
/// bytes are not text.
pub fn decode_text(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors && enc == UTF_8 {
            return Err("invalid UTF-8 after a UTF-8 byte-order mark".into());
        }
        return Ok((text.into_owned(), name_of(enc)));
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return Ok((text.into_owned(), name_of(enc)));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            check_textual(text)?;
            return Ok((text.to_owned(), "utf-8"));
        }
        // a UTF-8 file cut inside its last char: UTF-8, the broken char dropped
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
            let text = std::str::from_utf8(&bytes[..e.valid_up_to()]).expect("valid prefix");
            check_textual(text)?;
            return Ok((text.to_owned(), "utf-8"));
        }
        Err(_) => {}
    }
    if let Some(text) = mixed_utf8_gb18030(bytes) {
        check_textual(&text)?;
        return Ok((text, MIXED));
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"cn"), Utf8Detection::Allow);
    // GBK and GB2312 are subsets of GB18030: decode with the superset.
    let enc = if guess == encoding_rs::GBK || guess == GB18030 {
        GB18030
    } else {
        guess
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if enc != GB18030 && enc != encoding_rs::BIG5 {
        return Err(format!(
            "not UTF-8 and not a Chinese encoding (best guess {}): binary or unsupported text",
            enc.name()
        ));
    }
    let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
    if had_errors && replaced * 20 > text.chars().count().max(1) {
        return Err(format!(
            "invalid text: {replaced} undecodable sequences as {}",
            enc.name()
        ));
    }
    check_textual(&text)?;
    Ok((text.into_owned(), name_of(enc)))
}

/// The encoding name of a text whose lines are partly UTF-8, partly GB18030.
pub const MIXED: &str = "utf-8+gb18030";

/// A text pasted together from UTF-8 and GBK/GB18030 files: each line valid UTF-8 or
/// clean GB18030, and at least one of each holding non-ASCII text. None otherwise.
fn mixed_utf8_gb18030(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len() * 3 / 2);
    let (mut utf8, mut gb) = (0usize, 0usize);
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(t) => {
                utf8 += usize::from(!t.is_ascii());
                out.push_str(t);
            }
            Err(_) => {
                let (t, had_errors) = GB18030.decode_without_bom_handling(line);
                if had_errors {
                    return None;
                }
                gb += 1;
                out.push_str(&t);
            }
        }
    }
    (utf8 > 0 && gb > 0).then_some(out)
}

fn name_of(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "utf-8"
    } else if enc == UTF_16LE {
        "utf-16le"
    } else if enc == UTF_16BE {
        "utf-16be"
    } else if enc == GB18030 {
        "gb18030"
    } else if enc == encoding_rs::BIG5 {
        "big5"
    } else {
        "other"
    }
}

/// UTF-16 without a BOM shows as NUL in every other byte of ASCII-range text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_nul * 10 >= pairs * 3 && even_nul * 20 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 3 && odd_nul * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Text has few control characters; binary junk that happens to decode does not.
fn check_textual(text: &str) -> Result<(), String> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(65536) {
        total += 1;
        // controls are C0, DEL and C1 (U+0080–U+009F): all below U+00A0
        if c < '\u{a0}'
            && (c < ' ' || ('\u{7f}'..'\u{a0}').contains(&c))
            && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')
        {
            control += 1;
        }
    }
    if control * 100 > total.max(1) {
        return Err(format!(
            "binary data: {control} control characters in the first {total}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode_text("通知".as_bytes()).unwrap(),
            ("通知".into(), "utf-8")
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("通知".as_bytes());
        assert_eq!(decode_text(&bom).unwrap(), ("通知".into(), "utf-8"));
    }

    #[test]
    fn gb18030_detected() {
        let (bytes, _, _) =
            GB18030.encode("江西省市场监督管理局关于开展2023年认证监督检查工作的通知");
        let (text, enc) = decode_text(&bytes).unwrap();
        assert_eq!(enc, "gb18030");
        assert!(text.starts_with("江西省"));
    }

    #[test]
    fn utf16_le_with_and_without_bom() {
        let units: Vec<u8> = "通知 2023"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend_from_slice(&units);
        assert_eq!(decode_text(&with_bom).unwrap().1, "utf-16le");
        let ascii: Vec<u8> = "notice 2023 text"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode_text(&ascii).unwrap().1, "utf-16le");
    }

    #[test]
    fn utf8_cut_inside_its_last_char_stays_utf8() {
        let bytes = "关于开展检查的通知".as_bytes();
        let (text, enc) = decode_text(&bytes[..bytes.len() - 1]).unwrap();
        assert_eq!((text.as_str(), enc), ("关于开展检查的通", "utf-8"));
    }

    #[test]
    fn mixed_utf8_and_gbk_lines_are_each_decoded() {
        let mut bytes = "一、请于10月25日前报送。\n".as_bytes().to_vec();
        let (gbk, _, _) = encoding_rs::GBK.encode("二、各地要在11月30日前完成整改。\n");
        bytes.extend_from_slice(&gbk);
        bytes.extend_from_slice("三、联系人：林洁\n".as_bytes());
        let (text, enc) = decode_text(&bytes).unwrap();
        assert_eq!(enc, MIXED);
        assert_eq!(
            text,
            "一、请于10月25日前报送。\n二、各地要在11月30日前完成整改。\n三、联系人：林洁\n"
        );
    }

    #[test]
    fn binary_junk_is_refused() {
        let junk: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 256) as u8).collect();
        assert!(decode_text(&junk).is_err());
        assert!(decode_text(b"abc\0\0\0\0def\0\0ghi\x01\x02\x03").is_err());
    }
}
