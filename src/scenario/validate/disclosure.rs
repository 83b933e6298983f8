//! Vulnerabilities and their coordinated disclosure: CVE ids, the coordinator, and the
//! moments of the disclosure (report, advisory, proof of concept, the rest of a partial
//! fix), the deployments a partial fix covers and the indicators an advisory lists.

use std::collections::BTreeSet;

use crate::scenario::bounds;
use crate::scenario::locate::ItemPath;
use crate::scenario::model::{Disclosure, Scenario, Service};
use crate::scenario::time::{At, format_offset};

use super::actor::is_csirt;
use super::index::Index;
use super::problem::Found;
use super::require::{Wanted, list, require, require_actor, require_service};
use super::vocabulary::Vocabulary;

fn is_cve_id(text: &str) -> bool {
    let mut parts = text.split('-');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("CVE"), Some(year), Some(number), None)
            if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
                && number.len() >= 4 && number.bytes().all(|b| b.is_ascii_digit())
    )
}

/// Every vulnerability: a well-formed CVE id listed once, and its disclosure.
pub(super) fn check_vulnerabilities(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    let root = ItemPath::root();
    let mut cves = BTreeSet::new();
    for (i, vulnerability) in s.vulnerabilities.iter().enumerate() {
        let path = root.field("vulnerabilities").index(i);
        if !is_cve_id(&vulnerability.cve) {
            found.push((
                path.field("cve"),
                format!(
                    "\"{}\" is not a CVE id; expected e.g. \"CVE-2026-12345\"",
                    vulnerability.cve
                ),
            ));
        }
        if !cves.insert(vulnerability.cve.as_str()) {
            found.push((
                path.field("cve"),
                format!("\"{}\" is listed twice", vulnerability.cve),
            ));
        }
        if let Some(disclosure) = &vulnerability.disclosure {
            check_disclosure(
                s,
                index,
                found,
                &path.field("disclosure"),
                (&vulnerability.cve, disclosure),
            );
        }
    }
}

/// One disclosure: a coordinator that offers CVD, its moments within reach of the exercise
/// and in order, the deployments and indicators it names.
fn check_disclosure(
    s: &Scenario,
    index: &Index<'_>,
    found: &mut Found,
    path: &ItemPath,
    (cve, disclosure): (&str, &Disclosure),
) {
    require_actor(
        index,
        found,
        path.field("coordinator"),
        &disclosure.coordinator,
        "CSIRT",
        is_csirt,
    );
    require_service(
        index,
        found,
        &path.field("coordinator"),
        &disclosure.coordinator,
        Service::Cvd,
    );
    let end = s.duration.minutes;
    // Reported before T+0: the exercise opens with the embargo running.
    let earliest = -bounds::PLAYED_BEFORE_START;
    let moment = |found: &mut Found, field: &str, at: &At, what: &str| {
        let minute = at.resolve(&s.start);
        if minute < earliest || minute > end {
            found.push((
                path.field(field),
                format!(
                    "{at} is outside what the exercise can play; expected {what} between {} and the exercise's end, T+{}",
                    format_offset(earliest),
                    s.duration
                ),
            ));
        }
        minute
    };
    let reported = moment(found, "reported", &disclosure.reported, "the report");
    if let Some(at) = &disclosure.advisory {
        let advisory = moment(found, "advisory", at, "the advisory");
        if advisory < reported {
            found.push((
                path.field("advisory"),
                format!(
                    "{at} is before the vulnerability is reported ({}); expected the advisory after it",
                    disclosure.reported
                ),
            ));
        }
    }
    if let Some(at) = &disclosure.proof_of_concept {
        moment(found, "proof_of_concept", at, "the proof of concept");
    }
    if let Some(fix) = &disclosure.partial_fix {
        let fpath = path.field("partial_fix");
        if let Some(at) = &fix.rest {
            let rest = fpath.field("rest");
            let minute = at.resolve(&s.start);
            if minute < 0 || minute > end {
                found.push((
                    rest,
                    format!("{at} is outside the exercise (T+0 to T+{})", s.duration),
                ));
            }
        }
        let deployments: BTreeSet<&str> = s
            .entities
            .iter()
            .flat_map(|e| &e.vulnerable)
            .filter(|(_, c)| c == cve)
            .map(|(service, _)| service.as_str())
            .collect();
        if fix.covers.is_empty() {
            found.push((
                fpath.field("covers"),
                format!(
                    "a partial fix covers some deployments; expected some of {}",
                    list(deployments.iter().copied())
                ),
            ));
        }
        for (n, service) in fix.covers.iter().enumerate() {
            if !deployments.contains(service.as_str()) {
                found.push((
                    fpath.field("covers").index(n),
                    format!(
                        "no organisation has \"{service}\" vulnerable to {cve}; known: {}",
                        list(deployments.iter().copied())
                    ),
                ));
            }
        }
    }
    for (n, indicator) in disclosure.indicators.iter().enumerate() {
        require(
            found,
            &path.field("indicators").index(n),
            Wanted::named("indicator"),
            indicator,
            index.indicator_ids(),
        );
    }
}
