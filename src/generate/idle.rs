//! Organisations the story never reaches (`generate --idle N`): the world of a national or
//! EU exercise where most entities only watch. They are there to show that a run costs
//! what happens in it, not how many organisations it holds.
//!
//! They live in observer countries, apart from the exercising ones: each has a national
//! CSIRT that follows the exercise without taking part in the CSIRTs network for it (no
//! network service, no peers), so no indicator, warning or sighting reaches them. No
//! campaign, inject or objective names them and they supply nobody. They come from their
//! own random stream after the rest is built, so the exercising world, its campaigns and
//! its MSEL are the same with or without them.

use crate::scenario::{
    Adversary, Channel, Csirt, CsirtKind, Hours, Maturity, Nis2Class, Obligation, Organisation,
    Person, Service, SharingPolicy, Target, Tlp,
};

use super::draw::{STREAM_IDLE, pick, stream, weighted};
use super::names::{COMMON_SERVICES, FIRST_NAMES, LAST_NAMES, NAME_PREFIXES, name_suffixes};
use super::options::GenerateOptions;
use super::units::{HOUR, range};
use super::world::SECTOR_WEIGHTS;

/// Observer countries: code, name, relative number of organisations.
const OBSERVERS: [(&str, &str, u32); 8] = [
    ("PL", "Poland", 20),
    ("ES", "Spain", 24),
    ("IT", "Italy", 26),
    ("SE", "Sweden", 9),
    ("CZ", "Czechia", 8),
    ("PT", "Portugal", 7),
    ("FI", "Finland", 5),
    ("GR", "Greece", 6),
];

/// The observer countries' CSIRTs and `options.idle` organisations spread over them, with
/// ids after the `active` exercising organisations.
pub(super) fn build_idle(
    options: &GenerateOptions,
    active: usize,
) -> (Vec<Csirt>, Vec<Organisation>) {
    let n = options.idle as usize;
    if n == 0 {
        return (Vec::new(), Vec::new());
    }
    let mut rng = stream(options.seed, STREAM_IDLE);
    let countries = OBSERVERS.len().min(n);
    let weights: Vec<u32> = OBSERVERS[..countries].iter().map(|c| c.2).collect();
    let csirts = OBSERVERS[..countries]
        .iter()
        .map(|&(code, name, _)| Csirt {
            id: observer_id(code),
            name: format!("National CSIRT ({name}), observing"),
            kind: CsirtKind::National,
            sector: None,
            country: code.into(),
            analysts: 4,
            hours: Hours::Always,
            time_zone: None,
            peers: Vec::new(),
            triage: range(20, HOUR),
            analysis: range(2 * HOUR, 6 * HOUR),
            sharing: SharingPolicy {
                constituency: Tlp::Amber,
                csirts: Tlp::Green,
            },
            services: vec![
                Service::Analysis,
                Service::Warnings,
                Service::IncidentResponse,
            ],
            scan_every: None,
            escalation: Vec::new(),
        })
        .collect();
    let width = (active + n).to_string().len().max(5);
    let entities = (0..n)
        .map(|i| {
            // The first organisations cover every observer country once.
            let (code, _, _) = OBSERVERS[if i < countries {
                i
            } else {
                weighted(&mut rng, &weights)
            }];
            let sector = crate::scenario::Sector::ALL[weighted(&mut rng, &SECTOR_WEIGHTS)];
            let number = active + i + 1;
            let class = [Nis2Class::Essential, Nis2Class::Important, Nis2Class::None]
                [weighted(&mut rng, &[25, 45, 30])];
            let csirt = observer_id(code);
            let reporting = if class == Nis2Class::None {
                Vec::new()
            } else {
                vec![Obligation::Nis2 { to: csirt.clone() }]
            };
            Organisation {
                id: format!("entity-{number:0width$}"),
                name: format!(
                    "{} {} {number}",
                    pick(&mut rng, &NAME_PREFIXES),
                    pick(&mut rng, name_suffixes(sector))
                ),
                sector,
                country: code.into(),
                class,
                csirt,
                people: vec![Person {
                    role: "CISO".into(),
                    name: format!(
                        "{} {}",
                        pick(&mut rng, &FIRST_NAMES),
                        pick(&mut rng, &LAST_NAMES)
                    ),
                }],
                monitoring: [Maturity::Low, Maturity::Medium, Maturity::High]
                    [weighted(&mut rng, &[30, 50, 20])],
                exposed: vec![(*pick(&mut rng, &COMMON_SERVICES)).into()],
                suppliers: Vec::new(),
                reporting,
                indicator_tlp: Tlp::Green,
                vulnerable: Vec::new(),
                channels: vec![Channel::Portal, Channel::Email, Channel::Phone],
                holds_customer_data: false,
                customers: Vec::new(),
            }
        })
        .collect();
    (csirts, entities)
}

/// With observers present, a sector-wide wave names the exercising organisations of its
/// sector one by one, so that it stays in the exercising countries: the same victims in
/// the same order as `Target::Sector` gives without observers.
pub(super) fn keep_waves_at_home(adversaries: &mut [Adversary], active: &[Organisation]) {
    for campaign in adversaries.iter_mut().flat_map(|a| a.campaigns.iter_mut()) {
        campaign.targets = std::mem::take(&mut campaign.targets)
            .into_iter()
            .flat_map(|target| match target {
                Target::Sector(sector) => active
                    .iter()
                    .filter(|e| e.sector == sector)
                    .map(|e| Target::Entity(e.id.clone()))
                    .collect(),
                other => vec![other],
            })
            .collect();
    }
}

fn observer_id(code: &str) -> String {
    format!("csirt-{}", code.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_organisations_belong_to_observer_csirts_outside_the_network() {
        let options = GenerateOptions {
            entities: 50,
            days: 3,
            seed: 4,
            idle: 300,
        };
        let (csirts, entities) = build_idle(&options, 50);
        assert_eq!(entities.len(), 300);
        assert_eq!(entities[0].id, "entity-00051");
        assert_eq!(entities[299].id, "entity-00350");
        assert_eq!(csirts.len(), OBSERVERS.len());
        for csirt in &csirts {
            assert!(csirt.peers.is_empty(), "{} has peers", csirt.id);
            assert!(!csirt.services.contains(&Service::Network));
            assert!(
                entities.iter().any(|e| e.csirt == csirt.id),
                "{} has no constituency",
                csirt.id
            );
        }
        assert!(entities.iter().all(|e| e.suppliers.is_empty()));
    }

    /// The story is the same with observers: the same events in the same order, even with
    /// a sector-wide wave among the campaigns (which would reach the observers if it kept
    /// naming a sector). Only verdicts may differ: "every finance organisation knows X"
    /// counts the observers' finance organisations too, which never learn it.
    #[test]
    fn a_world_with_idle_organisations_plays_the_same_story() {
        let story = |idle: u32| {
            let scenario = super::super::generate(&GenerateOptions {
                entities: 400,
                days: 30,
                seed: 3,
                idle,
            });
            let mut sim =
                crate::sim::Simulation::new(&scenario, 1).expect("generated scenarios load");
            sim.run_to_end();
            let mut out = Vec::new();
            crate::sim::write_jsonl(sim.journal(), &mut out).expect("writes to memory");
            let lines: Vec<String> = String::from_utf8(out)
                .expect("the journal is UTF-8")
                .lines()
                .filter(|line| !line.contains(r#""kind":"objective_"#))
                // Verdicts move the sequence numbers of what follows them.
                .map(|line| {
                    line.split_once(r#","t":"#)
                        .map_or(line, |(_, rest)| rest)
                        .to_owned()
                })
                .collect();
            (scenario, lines)
        };
        let (alone, plain) = story(0);
        let (watched, with_idle) = story(3_000);
        assert!(
            alone
                .adversaries
                .iter()
                .flat_map(|a| &a.campaigns)
                .any(|c| c.targets.iter().any(|t| matches!(t, Target::Sector(_)))),
            "seed 3 has a sector-wide wave"
        );
        assert_eq!(watched.entities.len(), 3_400);
        assert!(plain.len() > 10_000, "the story has events");
        assert!(plain == with_idle, "the observers changed the story");
    }
}
