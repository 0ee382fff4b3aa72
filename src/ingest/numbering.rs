//! DOCX automatic numbering (`word/numbering.xml`): the labels Word draws before numbered
//! paragraphs (`一、`, `（一）`, `1.`), which are not in the text of `document.xml` but
//! carry the outline a notice's tasks are read from.
//!
//! A paragraph's `w:numPr` names a numbering instance (`w:numId`) and a level (`w:ilvl`);
//! the instance points at an abstract numbering whose level gives the format
//! (`w:numFmt`: decimal, chineseCounting, …), the label template (`w:lvlText`, `%1、`) and
//! the start value. Counters run per abstract numbering; a level's counter restarts when a
//! shallower level advances. Bullets give no label. A paragraph style may carry the
//! numbering instead (`word/styles.xml`: `w:style` → `w:numPr`, through `w:basedOn`).

use super::archive::{Xml, attr, local};
use quick_xml::events::Event;
use rustc_hash::{FxHashMap, FxHashSet};

const LEVELS: usize = 9;

#[derive(Debug, Clone)]
struct Level {
    format: String,
    template: String,
    start: u32,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            format: String::new(),
            template: String::new(),
            start: 1,
        }
    }
}

/// The numbering definitions of a document and the counters of the paragraphs read so far.
#[derive(Debug, Default)]
pub struct Numbering {
    /// numId → (abstractNumId, start overrides per level)
    nums: FxHashMap<String, (String, [Option<u32>; LEVELS])>,
    abstracts: FxHashMap<String, [Level; LEVELS]>,
    /// abstractNumId → the last value given at each level (None: not started)
    counters: FxHashMap<String, [Option<u32>; LEVELS]>,
    /// numIds whose start overrides were applied
    overridden: FxHashSet<String>,
    /// styleId → (numId, ilvl, basedOn) of paragraph styles
    styles: FxHashMap<String, StyleNumbering>,
}

#[derive(Debug, Clone, Default)]
struct StyleNumbering {
    num_id: Option<String>,
    ilvl: Option<usize>,
    based_on: Option<String>,
}

impl Numbering {
    /// Read `word/numbering.xml`.
    pub fn parse(xml: &[u8], entry: &str) -> Result<Numbering, String> {
        let mut reader = Xml::new(xml, entry);
        let mut n = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut level: Option<usize> = None;
        while let Some(event) = reader.next()? {
            match &event {
                Event::Start(e) | Event::Empty(e) => {
                    let name = local(e.name().as_ref()).to_string();
                    let val = || attr(e, "val").unwrap_or_default();
                    match name.as_str() {
                        "abstractNum" => {
                            let id = attr(e, "abstractNumId").unwrap_or_default();
                            n.abstracts.entry(id.clone()).or_default();
                            abstract_id = Some(id);
                        }
                        "num" => {
                            let id = attr(e, "numId").unwrap_or_default();
                            n.nums.entry(id.clone()).or_default();
                            num_id = Some(id);
                        }
                        "lvl" | "lvlOverride" => {
                            level = attr(e, "ilvl")
                                .and_then(|v| v.parse::<usize>().ok())
                                .filter(|&l| l < LEVELS);
                        }
                        "abstractNumId" => {
                            if let Some(num) = num_id.as_ref().and_then(|id| n.nums.get_mut(id)) {
                                num.0 = val();
                            }
                        }
                        "startOverride" => {
                            if let (Some(num), Some(l)) =
                                (num_id.as_ref().and_then(|id| n.nums.get_mut(id)), level)
                            {
                                num.1[l] = val().parse().ok();
                            }
                        }
                        "start" | "numFmt" | "lvlText" if num_id.is_none() => {
                            let lvl = abstract_id
                                .as_ref()
                                .and_then(|id| n.abstracts.get_mut(id))
                                .zip(level)
                                .map(|(levels, l)| &mut levels[l]);
                            if let Some(lvl) = lvl {
                                match name.as_str() {
                                    "start" => lvl.start = val().parse().unwrap_or(1),
                                    "numFmt" => lvl.format = val(),
                                    _ => lvl.template = val(),
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => match local(e.name().as_ref()) {
                    "abstractNum" => abstract_id = None,
                    "num" => num_id = None,
                    "lvl" | "lvlOverride" => level = None,
                    _ => {}
                },
                _ => {}
            }
        }
        Ok(n)
    }

    /// Add the numbering of paragraph styles from `word/styles.xml`.
    pub fn add_styles(&mut self, xml: &[u8], entry: &str) -> Result<(), String> {
        let mut reader = Xml::new(xml, entry);
        let mut current: Option<String> = None;
        while let Some(event) = reader.next()? {
            match &event {
                Event::Start(e) | Event::Empty(e) => {
                    let name = local(e.name().as_ref()).to_string();
                    if name == "style" {
                        current = attr(e, "styleId");
                        continue;
                    }
                    let Some(style) = current.as_ref() else {
                        continue;
                    };
                    let entry = self.styles.entry(style.clone()).or_default();
                    match name.as_str() {
                        "basedOn" => entry.based_on = attr(e, "val"),
                        "numId" => entry.num_id = attr(e, "val"),
                        "ilvl" => entry.ilvl = attr(e, "val").and_then(|v| v.parse().ok()),
                        _ => {}
                    }
                }
                Event::End(e) if local(e.name().as_ref()) == "style" => current = None,
                _ => {}
            }
        }
        Ok(())
    }

    /// The numbering a paragraph style gives (numId, level), following `basedOn`; None
    /// when it gives none or switches it off (numId 0).
    pub fn of_style(&self, style: &str) -> Option<(String, usize)> {
        let mut id = style;
        let mut level = None;
        for _ in 0..16 {
            let s = self.styles.get(id)?;
            level = level.or(s.ilvl);
            if let Some(num) = &s.num_id {
                return (num != "0").then(|| (num.clone(), level.unwrap_or(0)));
            }
            id = s.based_on.as_deref()?;
        }
        None
    }

    /// The label of the next paragraph numbered `num_id` at level `ilvl` (advancing the
    /// counters), or None for a bullet, an unknown numbering or numbering switched off.
    pub fn label(&mut self, num_id: &str, ilvl: usize) -> Option<String> {
        let ilvl = ilvl.min(LEVELS - 1);
        let (abstract_id, overrides) = self.nums.get(num_id)?;
        let levels = self.abstracts.get(abstract_id)?;
        let counters = self.counters.entry(abstract_id.clone()).or_default();
        if self.overridden.insert(num_id.to_string()) {
            for (l, o) in overrides.iter().enumerate() {
                if let Some(start) = o {
                    counters[l] = Some(start.saturating_sub(1));
                }
            }
        }
        let next = match counters[ilvl] {
            Some(v) => v + 1,
            None => levels[ilvl].start,
        };
        counters[ilvl] = Some(next);
        for deeper in counters.iter_mut().skip(ilvl + 1) {
            *deeper = None;
        }
        let level = &levels[ilvl];
        if level.format == "bullet" || level.format == "none" {
            return None;
        }
        // `%1、` `（%2）` `%1.%2`: each %k is level k's value in level k's format
        let mut label = String::new();
        let mut chars = level.template.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(k)) if (1..=LEVELS as u32).contains(&k) => {
                    chars.next();
                    let l = k as usize - 1;
                    let value = counters[l].unwrap_or(levels[l].start);
                    label.push_str(&format_value(value, &levels[l].format));
                }
                _ => label.push(c),
            }
        }
        (!label.trim().is_empty()).then_some(label)
    }
}

/// A counter value in a `w:numFmt`.
fn format_value(v: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "chineseLegalSimplified"
        | "ideographDigital"
        | "taiwaneseCounting" => chinese(v),
        "ideographTraditional" => nth("甲乙丙丁戊己庚辛壬癸", v),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => nth("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳", v),
        "decimalFullWidth" | "decimalFullWidth2" => v
            .to_string()
            .chars()
            .map(|d| char::from_u32(d as u32 - '0' as u32 + '０' as u32).unwrap_or(d))
            .collect(),
        "lowerLetter" => letter(v, b'a'),
        "upperLetter" => letter(v, b'A'),
        "lowerRoman" => roman(v).to_lowercase(),
        "upperRoman" => roman(v),
        _ => v.to_string(),
    }
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五.
fn chinese(v: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match v {
        0..=9 => D[v as usize].to_string(),
        10..=19 => format!("十{}", if v > 10 { D[(v % 10) as usize] } else { "" }),
        20..=99 => format!(
            "{}十{}",
            D[(v / 10) as usize],
            if !v.is_multiple_of(10) {
                D[(v % 10) as usize]
            } else {
                ""
            }
        ),
        100..=999 => {
            let rest = v % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", D[rest as usize]),
                10..=19 => format!("一{}", chinese(rest)),
                _ => chinese(rest),
            };
            format!("{}百{tail}", D[(v / 100) as usize])
        }
        _ => v.to_string(),
    }
}

fn nth(list: &str, v: u32) -> String {
    list.chars()
        .nth((v.max(1) - 1) as usize)
        .map(String::from)
        .unwrap_or_else(|| v.to_string())
}

fn letter(v: u32, base: u8) -> String {
    let v = v.max(1) - 1;
    let c = (base + (v % 26) as u8) as char;
    c.to_string().repeat(v as usize / 26 + 1)
}

fn roman(mut v: u32) -> String {
    const R: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (n, r) in R {
        while v >= n && s.len() < 32 {
            s.push_str(r);
            v -= n;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>"#;

    #[test]
    fn outline_labels_count_and_restart() {
        let mut n = Numbering::parse(NUMBERING.as_bytes(), "numbering.xml").unwrap();
        let got: Vec<Option<String>> = [(1, 0), (1, 1), (1, 1), (1, 2), (1, 0), (1, 1), (2, 0)]
            .iter()
            .map(|&(id, l)| n.label(&id.to_string(), l))
            .collect();
        let want = ["一、", "（一）", "（二）", "1.", "二、", "（一）"];
        for (g, w) in got.iter().zip(want) {
            assert_eq!(g.as_deref(), Some(w));
        }
        assert_eq!(got[6], None, "a bullet has no label");
        assert_eq!(n.label("3", 0).as_deref(), Some("五、"), "start override");
        assert_eq!(n.label("9", 0), None, "unknown numbering");
    }

    #[test]
    fn a_paragraph_style_carries_numbering() {
        let mut n = Numbering::parse(NUMBERING.as_bytes(), "numbering.xml").unwrap();
        let styles = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="H2"><w:basedOn w:val="H1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Plain"><w:pPr><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr></w:style>
</w:styles>"#;
        n.add_styles(styles.as_bytes(), "styles.xml").unwrap();
        assert_eq!(n.of_style("H1"), Some(("1".to_string(), 0)));
        assert_eq!(n.of_style("H2"), Some(("1".to_string(), 1)));
        assert_eq!(n.of_style("Plain"), None);
        assert_eq!(n.of_style("Missing"), None);
    }

    #[test]
    fn numeral_formats() {
        assert_eq!(chinese(10), "十");
        assert_eq!(chinese(12), "十二");
        assert_eq!(chinese(20), "二十");
        assert_eq!(chinese(105), "一百零五");
        assert_eq!(chinese(110), "一百一十");
        assert_eq!(format_value(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_value(2, "ideographTraditional"), "乙");
        assert_eq!(format_value(28, "lowerLetter"), "bb");
        assert_eq!(format_value(14, "upperRoman"), "XIV");
        assert_eq!(format_value(12, "decimalFullWidth"), "１２");
    }
}
