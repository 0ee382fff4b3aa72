//! Is a page's text usable? A text layer can be empty (a scan), garbled (a font without a
//! usable ToUnicode map gives private-use or Latin-1 junk), or fine.

use crate::chars::is_han;

/// Fewer visible chars than this on a page is "little text" (a scan, an image page).
const MIN_VISIBLE: usize = 20;

/// What a page's text looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quality {
    /// Nothing, or only a few chars (a page number): the page needs OCR.
    Little,
    /// Private-use chars, replacement chars or non-CJK letter soup: wrong font mapping.
    Garbled,
    /// Readable but with far fewer Han characters than a 公文 page: worth comparing with
    /// another reader, not worth OCR.
    LowCjk,
    /// Looks like the text of a notice.
    Good,
}

/// Judge a page's text.
pub fn judge(text: &str) -> Quality {
    let mut visible = 0usize;
    let mut han = 0usize;
    let mut junk = 0usize;
    let mut foreign = 0usize;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        visible += 1;
        if is_han(c) {
            han += 1;
        } else if is_private_use(c) || c == '\u{FFFD}' || (c.is_control() && c != '\u{c}') {
            junk += 1;
        } else if c.is_alphabetic() && !c.is_ascii() && !is_cjk_script(c) {
            foreign += 1;
        }
    }
    if visible < MIN_VISIBLE {
        Quality::Little
    } else if junk * 10 > visible || foreign * 3 > visible {
        Quality::Garbled
    } else if han * 5 < visible {
        Quality::LowCjk
    } else {
        Quality::Good
    }
}

/// The number of Han characters: between two usable texts of a page, more is better.
pub fn han_count(text: &str) -> usize {
    text.chars().filter(|&c| is_han(c)).count()
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

/// Kana, Hangul, bopomofo, full-width forms: CJK scripts that are not junk.
fn is_cjk_script(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x33FF | 0xAC00..=0xD7AF | 0xFF00..=0xFFEF | 0x2E80..=0x2FDF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_pages() {
        assert_eq!(judge("\n\n —1— \n"), Quality::Little);
        assert_eq!(
            judge("福建省市场监督管理局关于开展强制性产品认证监督检查的通知"),
            Quality::Good
        );
        assert_eq!(
            judge("\u{E001}\u{E002}\u{E003}\u{E004}".repeat(10).as_str()),
            Quality::Garbled
        );
        assert_eq!(
            judge("¸£½¨Ê¡ÊÐ³¡¼à¶½¹ÜÀí¾Ö¹ØÓÚ¿ªÕ¹Ç¿ÖÆÐÔ²úÆ·"),
            Quality::Garbled
        );
        assert_eq!(
            judge("Annual report of the inspection office, 2024"),
            Quality::LowCjk
        );
    }
}
