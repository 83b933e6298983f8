//! A scenario's own reporting regimes: each has an id no other regime has, something to
//! start its clock, someone to receive its reports, and reports with a deadline each; a
//! report that follows another names an earlier report of the same regime.

use std::collections::BTreeMap;

use crate::scenario::locate::ItemPath;
use crate::scenario::model::{Clock, ReportKind, Scenario};
use crate::scenario::regimes;
use crate::scenario::spelling::ron_word;

use super::problem::Found;

pub(super) fn check_regimes(s: &Scenario, found: &mut Found) {
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut reports: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, regime) in s.regimes.iter().enumerate() {
        let path = ItemPath::root().field("regimes").index(i);
        if regime.id.trim().is_empty() {
            found.push((
                path.field("id"),
                "empty id; expected e.g. \"uk-gdpr\"".into(),
            ));
        } else if regimes::built_in().iter().any(|b| b.id == regime.id) {
            found.push((
                path.field("id"),
                format!(
                    "\"{}\" is a built-in regime; give yours another id, e.g. \"{}-national\"",
                    regime.id, regime.id
                ),
            ));
        } else if let Some(first) = ids.insert(&regime.id, i) {
            found.push((
                path.field("id"),
                format!(
                    "regime \"{}\" is already defined at regimes[{first}]",
                    regime.id
                ),
            ));
        }
        if regime.name.trim().is_empty() {
            found.push((
                path.field("name"),
                "empty name; expected the rule as the report names it, e.g. \"UK GDPR Art. 33\""
                    .into(),
            ));
        }
        for (field, empty, example) in [
            (
                "goes_to",
                regime.goes_to.is_empty(),
                "[Authority(DataProtection)]",
            ),
            ("starts", regime.starts.is_empty(), "[Impact(DataTheft)]"),
            (
                "reports",
                regime.reports.is_empty(),
                "[(report: Defined(\"…\"), due: [(within: \"72h\", from: Awareness)])]",
            ),
        ] {
            if empty {
                found.push((
                    path.field(field),
                    format!("empty list; expected e.g. {field}: {example}"),
                ));
            }
        }
        for (j, report) in regime.reports.iter().enumerate() {
            let rpath = path.field("reports").index(j);
            match &report.report {
                ReportKind::Defined(name) if name.trim().is_empty() => found.push((
                    rpath.field("report"),
                    "empty report name; expected e.g. Defined(\"UK GDPR breach notification\")"
                        .into(),
                )),
                ReportKind::Defined(name) => {
                    if let Some((r, n)) = reports.insert(name, (i, j)) {
                        found.push((
                            rpath.field("report"),
                            format!("report \"{name}\" is already defined at regimes[{r}].reports[{n}]"),
                        ));
                    }
                }
                built_in => found.push((
                    rpath.field("report"),
                    format!(
                        "{} is a built-in report; a scenario's regime names its own, e.g. Defined(\"{}\")",
                        ron_word(built_in),
                        built_in.label()
                    ),
                )),
            }
            if report.due.is_empty() {
                found.push((
                    rpath.field("due"),
                    "no deadline; expected e.g. due: [(within: \"72h\", from: Awareness)]".into(),
                ));
            }
            let follows: Vec<&ReportKind> = report
                .due
                .iter()
                .filter_map(|d| match &d.from {
                    Clock::Sent(earlier) => Some(earlier),
                    Clock::Awareness | Clock::Classification => None,
                })
                .collect();
            if follows.len() > 1 {
                found.push((
                    rpath.field("due"),
                    "counts from two sent reports; a report follows one earlier report".into(),
                ));
            }
            for earlier in follows {
                if !regime.reports[..j].iter().any(|r| r.report == *earlier) {
                    found.push((
                        rpath.field("due"),
                        format!(
                            "Sent({}) names no earlier report of this regime; a report follows one listed before it",
                            ron_word(earlier)
                        ),
                    ));
                }
            }
        }
    }
}
