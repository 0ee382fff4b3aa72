//! Relay diff: the seed relay (宜春 relays 江西's notice, both in one file) must give exactly
//! the changes the texts state, and the three-level relay fixture one comparison per level.

mod common;

use gongwen::diff::{
    ContactsStatus, DateChange, RelayDiff, Side, Verdict, diff, html, pairs_in, render,
};

fn seed_diff() -> (gongwen::spec::Output, String) {
    gongwen::extract_path_with_text(&common::root().join("corpus/000_6ef2ac40ccdeb165.txt"))
        .unwrap()
}

fn pair<'a>(d: &'a RelayDiff, original_id: &str) -> &'a gongwen::diff::TaskPair {
    d.aligned
        .iter()
        .find(|p| p.original.id == original_id)
        .unwrap_or_else(|| panic!("original task {original_id} not aligned"))
}

/// (action, original date, relay date, days) of the deadline changes of a pair.
fn moves(p: &gongwen::diff::TaskPair) -> Vec<(String, String, String, i64)> {
    p.deadlines
        .iter()
        .filter(|c| matches!(c.change, DateChange::Tightened | DateChange::Loosened))
        .map(|c| {
            (
                c.action.clone().unwrap_or_default(),
                c.original.as_ref().unwrap().date.clone().unwrap(),
                c.relay.as_ref().unwrap().date.clone().unwrap(),
                c.days.unwrap(),
            )
        })
        .collect()
}

fn m(a: &str, o: &str, r: &str, d: i64) -> (String, String, String, i64) {
    (a.into(), o.into(), r.into(), d)
}

#[test]
fn seed_relay_changes_field_by_field() {
    let (out, text) = seed_diff();
    let pairs = pairs_in(&out);
    assert_eq!(pairs, [(0, 1)]);
    let d = diff(
        Side {
            out: &out,
            doc: 0,
            text: &text,
        },
        Side {
            out: &out,
            doc: 1,
            text: &text,
        },
    );
    assert_eq!(d.region.as_deref(), Some("宜春"));
    // five city tasks align to （一）–（五）
    let aligned: Vec<(&str, &str)> = d
        .aligned
        .iter()
        .map(|p| (p.original.id.as_str(), p.relay.id.as_str()))
        .collect();
    assert_eq!(
        aligned,
        [
            ("二.（一）", "一.1"),
            ("二.（二）", "一.2"),
            ("二.（三）", "一.3"),
            ("二.（四）", "一.4"),
            ("二.（五）", "一.5")
        ]
    );
    // （六） 认证机构 is omitted: it names 南昌 and 抚州 only
    assert_eq!(d.omitted.len(), 1);
    assert_eq!(d.omitted[0].task.id, "二.（六）");
    let reason = d.omitted[0].reason.as_deref().unwrap();
    assert!(
        reason.contains("南昌") && reason.contains("抚州"),
        "{reason}"
    );
    assert!(d.added.is_empty());

    assert_eq!(
        moves(pair(&d, "二.（一）")),
        [m("完成", "2023-09-30", "2023-09-09", -21)]
    );
    assert_eq!(
        moves(pair(&d, "二.（二）")),
        [
            m("完成", "2023-08-31", "2023-08-19", -12),
            m("报送", "2023-09-10", "2023-08-19", -22)
        ]
    );
    assert_eq!(
        moves(pair(&d, "二.（三）")),
        [m("完成", "2023-10-31", "2023-10-14", -17)]
    );
    assert_eq!(
        moves(pair(&d, "二.（四）")),
        [
            m("完成", "2023-08-31", "2023-08-19", -12),
            m("报送", "2023-09-10", "2023-08-19", -22)
        ]
    );
    assert_eq!(
        moves(pair(&d, "二.（五）")),
        [
            m("完成", "2023-09-30", "2023-09-16", -14),
            m("报送", "2023-10-10", "2023-09-16", -24)
        ]
    );
    for p in &d.aligned {
        for c in &p.deadlines {
            assert_eq!(
                c.change == DateChange::Tightened,
                c.days.is_some_and(|n| n < 0)
            );
        }
    }

    // ratios: the original's value for 宜春 against the city's
    let ratio = |id: &str| {
        let r = &pair(&d, id).ratios;
        let c = r.iter().find(|c| c.relay.is_some()).expect("a relay ratio");
        (
            c.original.as_ref().map(|x| x.value),
            c.relay.as_ref().map(|x| x.value),
            c.verdict,
        )
    };
    assert_eq!(
        ratio("二.（三）"),
        (Some(0.05), Some(0.05), Verdict::Consistent)
    );
    assert_eq!(
        ratio("二.（四）"),
        (Some(1.0), Some(1.0), Verdict::Consistent)
    );
    assert_eq!(
        ratio("二.（五）"),
        (Some(0.5), Some(0.5), Verdict::Consistent)
    );
    let r5 = pair(&d, "二.（五）")
        .ratios
        .iter()
        .find(|c| c.relay.is_some())
        .unwrap();
    assert_eq!(r5.original.as_ref().unwrap().regions, ["宜春"]);

    // quota （一） 50 家 → 2 家
    let q = &pair(&d, "二.（一）").quotas;
    assert_eq!(q.len(), 1);
    assert_eq!(
        q[0].original.as_ref().map(|x| (x.count, x.unit.as_str())),
        Some((50, "家"))
    );
    assert_eq!(
        q[0].relay.as_ref().map(|x| (x.count, x.unit.as_str())),
        Some((2, "家"))
    );

    assert_eq!(d.contacts.status, ContactsStatus::Replaced);
    assert_eq!(d.contacts.relay, ["闵振东", "蔡琍"]);
    assert_eq!(d.annexes.kept, [1, 2, 3, 4, 5]);
    assert!(d.annexes.dropped.is_empty());

    let table = render::table(&d);
    assert!(table.contains("tightened by 21 days"), "{table}");
    assert!(table.contains("omitted   二.（六）"), "{table}");
}

#[test]
fn diff_html_links_aligned_tasks_and_marks_changes() {
    let (out, text) = seed_diff();
    let (r, o) = (
        Side {
            out: &out,
            doc: 0,
            text: &text,
        },
        Side {
            out: &out,
            doc: 1,
            text: &text,
        },
    );
    let d = diff(r, o);
    let page = html::page(&[(&d, &r, &o)]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(
        page.contains("href=\"#o-task-二.（三）\""),
        "links to the original task"
    );
    assert!(
        page.contains("id=\"o-task-二.（三）\""),
        "anchor in the original text"
    );
    assert!(
        page.contains("id=\"r-task-一.3\""),
        "anchor in the relay text"
    );
    assert!(page.contains("class=\"deadline changed\"") || page.contains("changed"));
    assert!(page.contains("omitted"));
}

#[test]
fn three_level_relay_gives_one_comparison_per_level() {
    let out = common::corpus("f05_hn-youxian-relay-zhuzhou-relay-mine-flood-check.txt");
    assert_eq!(pairs_in(&out), [(0, 1), (1, 2)]);
}

#[test]
fn diff_json_matches_its_schema_shape() {
    let (out, text) = seed_diff();
    let d = diff(
        Side {
            out: &out,
            doc: 0,
            text: &text,
        },
        Side {
            out: &out,
            doc: 1,
            text: &text,
        },
    );
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["schema"], "gongwen.relay-diff/1");
    let back: RelayDiff = serde_json::from_value(json).unwrap();
    assert_eq!(back, d);
    let schema = serde_json::to_value(schemars::schema_for!(RelayDiff)).unwrap();
    for key in [
        "aligned", "omitted", "added", "contacts", "annexes", "region",
    ] {
        assert!(schema["properties"].get(key).is_some(), "{key} in schema");
    }
}

fn diff_of(relay: &str, original: Option<&str>) -> RelayDiff {
    let (out, text) = gongwen::extract_path_with_text(&common::root().join(relay)).unwrap();
    match original {
        None => {
            let (r, o) = pairs_in(&out)[0];
            diff(
                Side {
                    out: &out,
                    doc: r,
                    text: &text,
                },
                Side {
                    out: &out,
                    doc: o,
                    text: &text,
                },
            )
        }
        Some(dir) => {
            let mut outs = Vec::new();
            let mut paths: Vec<_> = std::fs::read_dir(common::root().join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            for p in paths {
                outs.push(gongwen::extract_path_with_text(&p).unwrap());
            }
            let plain: Vec<_> = outs.iter().map(|(o, _)| o.clone()).collect();
            let (f, d) = gongwen::diff::find_original(&out.documents[0], &plain).unwrap();
            diff(
                Side {
                    out: &out,
                    doc: 0,
                    text: &text,
                },
                Side {
                    out: &outs[f].0,
                    doc: d,
                    text: &outs[f].1,
                },
            )
        }
    }
}

/// A city relay that tightens one deadline, loosens another, keeps its own ratio row, cuts a
/// provincial quota to its share, adds a task of its own and drops one naming other cities.
#[test]
fn relay_that_loosens_a_deadline_and_adds_a_task() {
    let d = diff_of("corpus/f11_fj-quanzhou-relay-gas-cylinder-check.txt", None);
    assert_eq!(d.region.as_deref(), Some("泉州"));
    let aligned: Vec<(&str, &str)> = d
        .aligned
        .iter()
        .map(|p| (p.original.id.as_str(), p.relay.id.as_str()))
        .collect();
    assert_eq!(
        aligned,
        [
            ("一.（一）", "一.（二）"),
            ("一.（二）", "一.（三）"),
            ("一.（三）", "一.（四）")
        ]
    );
    assert_eq!(
        moves(pair(&d, "一.（一）")),
        [
            m("完成", "2024-08-31", "2024-08-20", -11),
            m("报送", "2024-09-10", "2024-09-05", -5)
        ]
    );
    assert_eq!(
        moves(pair(&d, "一.（二）")),
        [m("报送", "2024-10-10", "2024-10-15", 5)]
    );
    assert_eq!(
        pair(&d, "一.（二）").deadlines[1].change,
        DateChange::Loosened
    );
    let r = &pair(&d, "一.（二）").ratios[0];
    assert_eq!(
        r.original.as_ref().unwrap().regions,
        ["泉州", "厦门", "漳州"]
    );
    assert_eq!(r.verdict, Verdict::Consistent);
    assert!(
        r.relay.as_ref().unwrap().regions.is_empty(),
        "我市 is no place name"
    );
    let q = &pair(&d, "一.（三）").quotas[0];
    assert_eq!(
        (
            q.original.as_ref().unwrap().count,
            q.relay.as_ref().unwrap().count
        ),
        (30, 3)
    );
    assert_eq!(q.verdict, gongwen::diff::QuotaVerdict::Reduced);
    assert_eq!(d.omitted.len(), 1);
    assert_eq!(d.omitted[0].task.id, "一.（四）");
    assert_eq!(
        d.omitted[0].reason.as_deref(),
        Some("applies to 福州、莆田 only")
    );
    assert_eq!(d.added.len(), 1);
    assert_eq!(d.added[0].id, "一.（一）");
    assert_eq!(d.contacts.status, ContactsStatus::Replaced);
    assert_eq!(d.annexes.kept, [1, 2]);
}

/// A county relay in its own file: the original is found in a directory by the doc number
/// it forwards (another notice of the same issuer sits beside it).
#[test]
fn relay_finds_its_original_in_a_directory() {
    let d = diff_of(
        "tests/fixtures/relay/relay.txt",
        Some("tests/fixtures/relay/originals"),
    );
    assert_eq!(
        d.original.doc_number.as_deref(),
        Some("绵住建发〔2024〕42号")
    );
    assert_eq!(d.region.as_deref(), Some("三台"));
    assert_eq!(
        moves(pair(&d, "一.（一）")),
        [m("完成", "2024-07-31", "2024-07-20", -11)]
    );
    let r = &pair(&d, "一.（二）").ratios[0];
    assert_eq!(r.original.as_ref().unwrap().value, 0.3);
    assert_eq!(r.verdict, Verdict::Consistent);
    assert_eq!(d.omitted.len(), 1);
    assert_eq!(
        d.omitted[0].reason.as_deref(),
        Some("applies to 涪城、游仙 only")
    );
    assert!(d.added.is_empty());
}
