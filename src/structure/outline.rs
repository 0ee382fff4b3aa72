//! Outline markers of a 公文 body: 一、 （一） 1. （1） ①, one nom parser per construct.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while_m_n, take_while1},
    character::complete::{char, one_of, space0},
    combinator::{not, peek, recognize},
    sequence::{delimited, terminated},
};

/// The level of an outline marker, outermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// `一、`
    Section = 1,
    /// `（一）` or `(一)`
    Sub = 2,
    /// `1.` `1、` `1．`
    Item = 3,
    /// `（1）` or `(1)`
    SubItem = 4,
    /// `①`
    Circled = 5,
}

/// A parsed marker: its level, its canonical label (`一`, `（三）`, `2`, `（1）`, `①`) and
/// its length in bytes in the line (trailing spaces included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub level: Level,
    pub label: String,
    pub len: usize,
}

fn is_cn_numeral(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// `一、` (grammar: 汉字数字 + 、 or ．).
fn section(i: &str) -> IResult<&str, &str> {
    terminated(take_while_m_n(1, 3, is_cn_numeral), one_of("、．.")).parse(i)
}

/// `（一）` / `(一)`.
fn sub(i: &str) -> IResult<&str, &str> {
    delimited(
        one_of("（("),
        take_while_m_n(1, 3, is_cn_numeral),
        one_of("）)"),
    )
    .parse(i)
}

/// `1.` `1、` `1．` (not `1.5`, not a date `1月`).
fn item(i: &str) -> IResult<&str, &str> {
    terminated(
        take_while_m_n(1, 2, |c: char| c.is_ascii_digit()),
        terminated(one_of(".、．"), not(peek(one_of("0123456789")))),
    )
    .parse(i)
}

/// `（1）` / `(1)`.
fn sub_item(i: &str) -> IResult<&str, &str> {
    delimited(
        one_of("（("),
        take_while1(|c: char| c.is_ascii_digit()),
        one_of("）)"),
    )
    .parse(i)
}

fn circled(i: &str) -> IResult<&str, &str> {
    recognize(one_of("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")).parse(i)
}

/// Parse an outline marker at the start of `line` (leading spaces allowed).
pub fn marker(line: &str) -> Option<Marker> {
    let start = line.len() - line.trim_start().len();
    let rest = &line[start..];
    let (level, label, after) = if let Ok((after, n)) = section(rest) {
        (Level::Section, n.to_string(), after)
    } else if let Ok((after, n)) = sub(rest) {
        (Level::Sub, format!("（{n}）"), after)
    } else if let Ok((after, n)) = item(rest) {
        (Level::Item, n.trim_start_matches('0').to_string(), after)
    } else if let Ok((after, n)) = sub_item(rest) {
        (Level::SubItem, format!("（{n}）"), after)
    } else if let Ok((after, n)) = circled(rest) {
        (Level::Circled, n.to_string(), after)
    } else {
        return None;
    };
    let label = if label.is_empty() {
        "0".to_string()
    } else {
        label
    };
    let after_space: IResult<&str, &str> = space0(after);
    let after = after_space.map(|(a, _)| a).unwrap_or(after);
    let after = after.trim_start_matches('\u{3000}');
    Some(Marker {
        level,
        label,
        len: line.len() - after.len(),
    })
}

/// `第X条` / `第X章` article markers of rules issued with a 印发 notice.
pub fn article(line: &str) -> Option<&str> {
    let r: IResult<&str, &str> = delimited(
        char('第'),
        take_while1(|c: char| is_cn_numeral(c) || "百零〇".contains(c) || c.is_ascii_digit()),
        alt((tag("条"), tag("章"))),
    )
    .parse(line.trim_start());
    r.ok().map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Option<(Level, String, &str)> {
        marker(s).map(|m| (m.level, m.label, &s[m.len..]))
    }

    #[test]
    fn markers_and_leftover() {
        assert_eq!(
            m("一、检查目的"),
            Some((Level::Section, "一".into(), "检查目的"))
        );
        assert_eq!(
            m("十二、其他"),
            Some((Level::Section, "十二".into(), "其他"))
        );
        assert_eq!(
            m("（三）开展管理体系"),
            Some((Level::Sub, "（三）".into(), "开展管理体系"))
        );
        assert_eq!(
            m("(一) 是否存在"),
            Some((Level::Sub, "（一）".into(), "是否存在"))
        );
        assert_eq!(
            m("1. 检查对象"),
            Some((Level::Item, "1".into(), "检查对象"))
        );
        assert_eq!(
            m("3．装修垃圾"),
            Some((Level::Item, "3".into(), "装修垃圾"))
        );
        assert_eq!(
            m("2、教学成果"),
            Some((Level::Item, "2".into(), "教学成果"))
        );
        assert_eq!(
            m("（2）报送"),
            Some((Level::SubItem, "（2）".into(), "报送"))
        );
        assert_eq!(m("②其他"), Some((Level::Circled, "②".into(), "其他")));
    }

    #[test]
    fn not_markers() {
        assert_eq!(marker("1.5倍"), None);
        assert_eq!(marker("9月底前"), None);
        assert_eq!(marker("2023年"), None);
        assert_eq!(marker("一是对强制性"), None);
        assert_eq!(marker("（附件1）"), None);
    }

    #[test]
    fn articles() {
        assert_eq!(article("第十二条 本办法"), Some("十二"));
        assert_eq!(article("第一章 总则"), Some("一"));
        assert_eq!(article("第一组"), None);
    }
}
