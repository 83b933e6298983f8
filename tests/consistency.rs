//! Runs that never contradict themselves: properties every shipped scenario keeps on every
//! one of 200 seeds. Each asserts what a facilitator reading the journal would call a
//! contradiction (an organisation encrypted and unaware, a share of nothing, a ransom
//! note to a bank that was never encrypted, an objective left hanging at the end).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use rayon::prelude::*;

use common::{load_scenario, played};
use tabletop::scenario::{Guard, Scenario};
use tabletop::sim::journal::DetectionSource;
use tabletop::sim::{Entry, Event};

const SEEDS: u64 = 200;

const SCENARIOS: [&str; 7] = [
    "scenarios/ducksends.ron",
    "scenarios/crisis.ron",
    "scenarios/cross-border.ron",
    "scenarios/cvd.ron",
    "scenarios/file-transfer.ron",
    "scenarios/msp-ransomware.ron",
    "scenarios/package.ron",
];

/// Every shipped scenario is in `SCENARIOS`, so a new one cannot escape these properties.
#[test]
fn every_shipped_scenario_is_checked() {
    let mut shipped: Vec<String> = std::fs::read_dir(common::repo_path("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".ron"))
        .map(|name| format!("scenarios/{name}"))
        .collect();
    shipped.sort();
    let mut listed: Vec<String> = SCENARIOS.iter().map(|s| (*s).to_owned()).collect();
    listed.sort();
    assert_eq!(shipped, listed);
}

/// A shipped scenario's path, the scenario, and its journal on each seed.
type Played = (&'static str, Scenario, Vec<Vec<Entry>>);

/// Every shipped scenario played on every seed, once for all the properties (in parallel).
fn runs() -> &'static [Played] {
    static RUNS: OnceLock<Vec<Played>> = OnceLock::new();
    RUNS.get_or_init(|| {
        SCENARIOS
            .iter()
            .map(|path| {
                let scenario = load_scenario(path);
                let journals = (0..SEEDS)
                    .into_par_iter()
                    .map(|seed| played(&scenario, seed).journal().to_vec())
                    .collect();
                (*path, scenario, journals)
            })
            .collect()
    })
}

/// Hands every run's journal to `check`, which returns the contradictions it found; fails
/// listing the first few.
fn over_all_runs(property: &str, check: impl Fn(&Scenario, &[Entry]) -> Vec<String>) {
    let mut found = Vec::new();
    let mut count = 0;
    for (path, scenario, journals) in runs() {
        for (seed, journal) in journals.iter().enumerate() {
            count += 1;
            found.extend(
                check(scenario, journal)
                    .into_iter()
                    .map(|c| format!("{path} seed {seed}: {c}")),
            );
        }
    }
    assert!(
        found.is_empty(),
        "{property}: {} contradictions in {count} runs, first:\n{}",
        found.len(),
        found
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_encryption_or_outage_is_known_to_its_victim_the_same_minute() {
    over_all_runs("encrypted and unaware", |_, journal| {
        let mut aware: BTreeMap<(&str, &str), i64> = BTreeMap::new();
        let mut out = Vec::new();
        for e in journal {
            match &e.event {
                Event::Detected {
                    entity, campaign, ..
                } => {
                    aware.entry((&entity.id, &campaign.id)).or_insert(e.t);
                }
                Event::Impact {
                    entity,
                    campaign,
                    effect,
                    ..
                } if effect.announces_itself() => {
                    // Recorded after the impact in the same minute counts: the defence runs
                    // after the adversary within a minute.
                    let same_minute = journal.iter().any(|d| {
                        d.t == e.t
                            && matches!(&d.event, Event::Detected { entity: x, campaign: c, .. }
                                if x.id == entity.id && c.id == campaign.id)
                    });
                    if !same_minute && !aware.contains_key(&(&entity.id, &campaign.id)) {
                        out.push(format!(
                            "{} hit by {} at {} never aware",
                            entity.id,
                            effect.label(),
                            e.t
                        ));
                    }
                }
                _ => {}
            }
        }
        out
    });
    // The property is not vacuous: the shipped scenarios do encrypt and take systems down.
    let loud = runs()
        .iter()
        .flat_map(|(_, _, journals)| journals.iter().flatten())
        .filter(|e| matches!(&e.event, Event::Impact { effect, .. } if effect.announces_itself()))
        .count();
    assert!(loud > 0, "no encryption or outage in any shipped scenario");
}

#[test]
fn no_share_without_indicators() {
    over_all_runs("empty share", |_, journal| {
        journal
            .iter()
            .filter_map(|e| match &e.event {
                Event::Shared {
                    from,
                    to,
                    indicators,
                    ..
                } if indicators.is_empty() => Some(format!(
                    "#{} {} shares nothing with {}",
                    e.seq, from.id, to.id
                )),
                _ => None,
            })
            .collect()
    });
}

#[test]
fn whoever_reports_a_sighting_or_shares_an_indicator_knows_it() {
    over_all_runs("reporter does not know", |_, journal| {
        let mut known: BTreeSet<(&str, &str)> = BTreeSet::new();
        let mut out = Vec::new();
        for e in journal {
            let (from, indicators): (&str, Vec<&str>) = match &e.event {
                Event::IndicatorLearned {
                    actor, indicator, ..
                } => {
                    known.insert((&actor.id, &indicator.id));
                    continue;
                }
                Event::Sighting {
                    from, indicator, ..
                } => (&from.id, vec![&indicator.id]),
                Event::Shared {
                    from, indicators, ..
                } => (&from.id, indicators.iter().map(|i| &*i.id).collect()),
                _ => continue,
            };
            for indicator in indicators {
                if !known.contains(&(from, indicator)) {
                    out.push(format!(
                        "#{} {from} passes {indicator} unknown to it",
                        e.seq
                    ));
                }
            }
        }
        out
    });
}

/// Whether `guard` held of `addressee` before journal line `seq`, from the journal alone.
fn held(guard: &Guard, addressee: &str, journal: &[Entry], seq: u64) -> bool {
    let who = guard.entity().unwrap_or(addressee);
    let before = journal.iter().take_while(|e| e.seq < seq);
    let campaign_ok = |c: &str| guard.campaign().is_none_or(|g| g == c);
    let compromised: BTreeSet<&str> = before
        .clone()
        .filter_map(|e| match &e.event {
            Event::StageCompleted {
                entity, campaign, ..
            } if &*entity.id == who && campaign_ok(&campaign.id) => Some(&*campaign.id),
            _ => None,
        })
        .collect();
    match guard {
        Guard::Compromised { .. } => !compromised.is_empty(),
        Guard::NotContained { .. } => compromised.iter().any(|c| {
            !before.clone().any(|e| match &e.event {
                Event::Contained {
                    entity, campaign, ..
                }
                | Event::StageBlocked {
                    entity, campaign, ..
                } => &*entity.id == who && &*campaign.id == *c,
                _ => false,
            })
        }),
        Guard::Hit { effect, .. } => before.clone().any(|e| {
            matches!(&e.event, Event::Impact { entity, effect: k, .. }
                if &*entity.id == who && k == effect)
        }),
    }
}

#[test]
fn no_guarded_inject_reaches_anyone_its_guard_does_not_hold_for() {
    let fired = std::cell::Cell::new(0_u32);
    over_all_runs("guard broken", |scenario, journal| {
        let mut out = Vec::new();
        for e in journal {
            let Event::InjectFired { inject, to, .. } = &e.event else {
                continue;
            };
            let Some(spec) = scenario.injects.iter().find(|i| i.id == *inject.id) else {
                continue;
            };
            if spec.only_if.is_empty() {
                continue;
            }
            fired.set(fired.get() + 1);
            for addressee in to {
                for guard in &spec.only_if {
                    if !held(guard, &addressee.id, journal, e.seq) {
                        out.push(format!(
                            "#{} {} reaches {}, but not: {}",
                            e.seq,
                            inject.id,
                            addressee.id,
                            guard.describe(&addressee.id)
                        ));
                    }
                }
            }
        }
        out
    });
    assert!(fired.get() > 0, "no guarded inject ever fired");
}

#[test]
fn customers_of_a_breached_supplier_learn_of_it_only_from_its_notice_or_the_news() {
    let noticed = std::cell::Cell::new(0_u32);
    over_all_runs("customer aware on its own", |_, journal| {
        // (customer, campaign) → the supplier it was breached at.
        let mut breached: BTreeMap<(&str, &str), &str> = BTreeMap::new();
        // (recipient, sender) of every report received so far.
        let mut told: BTreeSet<(&str, &str)> = BTreeSet::new();
        let mut out = Vec::new();
        for e in journal {
            match &e.event {
                Event::SupplierBreach {
                    campaign,
                    supplier,
                    customer,
                    ..
                } => {
                    breached.insert((&customer.id, &campaign.id), &supplier.id);
                }
                Event::ReportReceived { by, from, .. } => {
                    told.insert((&by.id, &from.id));
                }
                Event::Detected {
                    entity,
                    campaign,
                    source,
                    ..
                } => {
                    let Some(supplier) = breached.get(&(&*entity.id, &*campaign.id)) else {
                        continue;
                    };
                    let from_notice = *source == DetectionSource::SupplierNotice
                        && told.contains(&(&*entity.id, *supplier));
                    noticed.set(noticed.get() + u32::from(from_notice));
                    if !from_notice && *source != DetectionSource::Tip {
                        out.push(format!(
                            "#{} {} aware of {}'s breach by {}",
                            e.seq,
                            entity.id,
                            supplier,
                            source.label()
                        ));
                    }
                }
                _ => {}
            }
        }
        out
    });
    assert!(
        noticed.get() > 0,
        "no customer was ever told by its supplier"
    );
}

#[test]
fn nothing_is_pending_at_the_end() {
    over_all_runs("pending at the end", |scenario, journal| {
        let decided: BTreeMap<&str, usize> =
            journal.iter().fold(BTreeMap::new(), |mut decided, e| {
                if let Event::ObjectiveMet { objective, .. }
                | Event::ObjectiveMissed { objective, .. }
                | Event::ObjectiveNotTriggered { objective, .. } = &e.event
                {
                    *decided.entry(&*objective.id).or_default() += 1;
                }
                decided
            });
        scenario
            .objectives
            .iter()
            .filter(|o| decided.get(o.id.as_str()) != Some(&1))
            .map(|o| {
                format!(
                    "{} decided {} times",
                    o.id,
                    decided.get(o.id.as_str()).unwrap_or(&0)
                )
            })
            .collect()
    });
}
