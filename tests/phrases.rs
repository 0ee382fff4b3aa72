//! The phrase table (`tests/data/phrases.toml`): real-world phrasings of deadlines, periods,
//! ratios and quotas, each read as one clause, must give exactly the listed values.

use gongwen::extract::dates::Date;
use gongwen::extract::tasks::clause_facts;
use gongwen::spec::RelativeUnit;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    phrase: Vec<Phrase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Phrase {
    text: String,
    issue: Option<String>,
    year: Option<i32>,
    #[serde(default)]
    deadlines: Vec<String>,
    #[serde(default)]
    relative: Vec<(u32, String)>,
    #[serde(default)]
    rrules: Vec<String>,
    #[serde(default)]
    periods: Vec<(String, String)>,
    #[serde(default)]
    ratios: Vec<(f64, Vec<String>)>,
    #[serde(default)]
    quotas: Vec<(u32, String)>,
}

fn date(s: &str) -> Date {
    let p: Vec<u32> = s.split('-').map(|x| x.parse().unwrap()).collect();
    Date::new(p[0] as i32, p[1], p[2]).unwrap_or_else(|| panic!("bad date {s}"))
}

fn unit_name(u: RelativeUnit) -> &'static str {
    match u {
        RelativeUnit::WorkingDay => "working_day",
        RelativeUnit::Day => "day",
        RelativeUnit::Week => "week",
        RelativeUnit::Month => "month",
    }
}

#[test]
fn phrase_table() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/phrases.toml"),
    )
    .unwrap();
    let table: Table = toml::from_str(&text).unwrap();
    assert!(table.phrase.len() >= 80, "{} phrases", table.phrase.len());
    let mut failures = Vec::new();
    for p in &table.phrase {
        let f = clause_facts(&p.text, p.issue.as_deref().map(date), p.year);
        let deadlines: Vec<String> = f.deadlines.iter().filter_map(|d| d.date.clone()).collect();
        let relative: Vec<(u32, String)> = f
            .deadlines
            .iter()
            .filter_map(|d| d.relative.as_ref())
            .map(|r| (r.amount, unit_name(r.unit).to_string()))
            .collect();
        let rrules: Vec<String> = f.deadlines.iter().filter_map(|d| d.rrule.clone()).collect();
        let periods: Vec<(String, String)> = f
            .periods
            .iter()
            .map(|p| {
                (
                    p.start.clone().unwrap_or_default(),
                    p.end.clone().unwrap_or_default(),
                )
            })
            .collect();
        let ratios: Vec<(f64, Vec<String>)> = f
            .ratios
            .iter()
            .map(|r| (r.value, r.regions.clone()))
            .collect();
        let quotas: Vec<(u32, String)> =
            f.quotas.iter().map(|q| (q.count, q.unit.clone())).collect();
        let mut check = |what: &str, got: String, want: String| {
            if got != want {
                failures.push(format!("{:?}\n    {what}: got {got}, want {want}", p.text));
            }
        };
        check(
            "deadlines",
            format!("{deadlines:?}"),
            format!("{:?}", p.deadlines),
        );
        check(
            "relative",
            format!("{relative:?}"),
            format!("{:?}", p.relative),
        );
        check("rrules", format!("{rrules:?}"), format!("{:?}", p.rrules));
        check(
            "periods",
            format!("{periods:?}"),
            format!("{:?}", p.periods),
        );
        check("ratios", format!("{ratios:?}"), format!("{:?}", p.ratios));
        check("quotas", format!("{quotas:?}"), format!("{:?}", p.quotas));
    }
    assert!(
        failures.is_empty(),
        "{} of {} phrases wrong:\n{}",
        failures.len(),
        table.phrase.len(),
        failures.join("\n")
    );
}
