//! Character classes shared by the stages.

/// A Han ideograph (CJK Unified Ideographs and extensions, compatibility ideographs, 〇).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2EBEF | 0x30000..=0x3134F)
        || c == '〇'
}

/// CJK and full-width punctuation, quotes and brackets.
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·' | '•' | '─')
}

/// Han or CJK punctuation: text where spaces are never meaningful inside a word.
pub fn is_cjkish(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// Horizontal whitespace of any width (not line breaks).
pub fn is_hspace(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\u{3000}' | '\u{00A0}' | '\u{2002}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}'
    )
}

/// Invisible format characters that carry nothing (zero-width space, BOM, soft hyphen).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Full-width ASCII letters, digits and the few symbols that matter inside values
/// (phones, emails, numbers) become ASCII; other punctuation is left as written.
pub fn fold_width(c: char) -> char {
    match c {
        '０'..='９'
        | 'Ａ'..='Ｚ'
        | 'ａ'..='ｚ'
        | '＠'
        | '．'
        | '－'
        | '／'
        | '＿'
        | '＋'
        | '％' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Remove all whitespace (values such as titles are written without inner spaces).
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .collect()
}

/// Chinese numeral value of one character (〇一二…九十百千), `None` otherwise.
pub fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | 'О' | 'O' | '○' => 0,
        '一' | '壹' => 1,
        '二' | '贰' | '两' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Value of a Chinese numeral up to 9999 (`十五`, `二十三`, `一百零五`) or of Arabic digits.
pub fn parse_number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total = 0u32;
    let mut current: Option<u32> = None;
    for c in s.chars() {
        let unit = match c {
            '十' | '拾' => 10,
            '百' | '佰' => 100,
            '千' | '仟' => 1000,
            _ => {
                current = Some(current.unwrap_or(0) * 10 + cn_digit(c)?);
                continue;
            }
        };
        total += current.unwrap_or(1) * unit;
        current = None;
    }
    Some(total + current.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(parse_number("十"), Some(10));
        assert_eq!(parse_number("十五"), Some(15));
        assert_eq!(parse_number("二十三"), Some(23));
        assert_eq!(parse_number("三十一"), Some(31));
        assert_eq!(parse_number("二〇二三"), Some(2023));
        assert_eq!(parse_number("一百零五"), Some(105));
        assert_eq!(parse_number("42"), Some(42));
        assert_eq!(parse_number("x"), None);
    }

    #[test]
    fn width_folding() {
        assert_eq!(
            "０７９１－８６３５５６３５"
                .chars()
                .map(fold_width)
                .collect::<String>(),
            "0791-86355635"
        );
        assert_eq!(fold_width('（'), '（');
    }
}
