//! Synthetic scenarios of any size, for stress tests and benchmarks
//! (`tabletop generate --entities N [--days D] [--seed S] [--idle I]`).
//!
//! The generated world looks like a small European CSIRT landscape:
//!
//! - N organisations spread over every NIS2 sector of [`Sector::ALL`] and over 1 to 8
//!   countries (more countries as N grows), each with a NIS2 class, a monitoring maturity,
//!   exposed services, a contact person and suppliers. Suppliers are always earlier
//!   organisations (mostly ICT and digital-infrastructure providers), so the supply chain
//!   is a DAG.
//! - Per country a national CSIRT (24/7, peer of the other national CSIRTs), a sectoral
//!   CSIRT for every sector with at least ten organisations in that country (office hours
//!   with on-call, peer of its national CSIRT), a financial supervisor (forwarding DORA
//!   reports to the financial CSIRT) and a data-protection authority. Organisations belong
//!   to their sectoral CSIRT where there is one, to the national CSIRT otherwise.
//! - Reporting duties as the law has them: DORA to the supervisor plus a voluntary
//!   notification to the CSIRT for finance, NIS2 to the CSIRT for other essential and
//!   important entities, GDPR to the data-protection authority where personal data is
//!   typical, voluntary notification for some entities out of NIS2 scope.
//! - Adversaries (more with N and days) with campaigns started over the whole exercise,
//!   each a chain of 4 to 8 ATT&CK techniques leaving indicators; ransomware and wiper
//!   campaigns end in encryption, some campaigns spread to suppliers or customers (one
//!   hop), hacktivists sometimes hit a whole sector.
//! - An MSEL per campaign (helpdesk tips, supervisor reminders as HSEEP contingencies,
//!   cross-border sightings, ransom notes) and staff shortages, plus objectives (reporting
//!   deadlines, warning coverage of a sector, no encryption) that name real ids.
//!
//! The output depends only on the options: every draw comes from ChaCha8 streams seeded
//! with the options' seed, one stream per part of the world, and nothing iterates a hash
//! map. The organisations and CSIRTs depend on (entities, seed) only, so the same seed
//! gives the same world for any number of days.
//!
//! One file per part: `options` what to make, `draw` the random streams, `units` minutes
//! and clock times, `names` every fictitious name and label, `world` the organisations and
//! CSIRTs, `idle` the organisations the story never reaches, `techniques` the ATT&CK table, `adversaries` the campaigns, `msel` the injects
//! and objectives, `output` the RON text. This file puts them together.

mod adversaries;
mod draw;
mod idle;
mod msel;
mod names;
mod options;
mod output;
mod techniques;
mod units;
mod world;

pub use options::GenerateOptions;
pub use output::to_ron;

use crate::scenario::{ClockTime, CsirtKind, Duration, FORMAT_VERSION, Role, Scenario, WallClock};

use adversaries::build_adversaries;
use idle::{build_idle, keep_waves_at_home};
use msel::build_msel;
use names::COUNTRIES;
use world::{World, build_world};

/// Wall-clock start of every generated exercise: a Monday morning.
const START: &str = "2026-03-02 08:00";

/// A synthetic scenario with `options.entities` organisations over `options.days` days.
pub fn generate(options: &GenerateOptions) -> Scenario {
    let start = WallClock::parse(START).unwrap_or(WallClock {
        day: 0,
        time: ClockTime { minute_of_day: 0 },
    });
    let world = build_world(options);
    let (mut adversaries, campaigns) = build_adversaries(options, &world, &start);
    let (injects, objectives) = build_msel(options, &world, &adversaries, &campaigns);
    let World {
        countries,
        mut csirts,
        authorities,
        mut entities,
        ..
    } = world;
    let codes: Vec<&str> = COUNTRIES[..countries].iter().map(|c| c.0).collect();
    // One player seat per national CSIRT: its duty officer.
    let roles = csirts
        .iter()
        .filter(|c| c.kind == CsirtKind::National)
        .map(|c| Role {
            id: format!("{}-duty", c.id),
            title: format!("{} duty officer", c.name),
            actor: c.id.clone(),
            decisions: Vec::new(),
            briefing: format!(
                "You are the duty officer of {}: you warn your constituency, work with your peers and decide on the national crisis level.",
                c.name
            ),
            actions: None,
        })
        .collect();
    let (observers, idle) = build_idle(options, entities.len());
    if !idle.is_empty() {
        keep_waves_at_home(&mut adversaries, &entities);
    }
    let (active, active_csirts) = (entities.len(), csirts.len());
    csirts.extend(observers);
    entities.extend(idle);
    Scenario {
        version: FORMAT_VERSION,
        name: format!(
            "Generated: {} entities, {} days, seed {}",
            options.entities, options.days, options.seed
        ),
        summary: format!(
            "A synthetic exercise for stress tests and benchmarks: {active} organisations in {} ({}), {} CSIRTs, {} adversaries running {} campaigns over {} days.{}",
            if countries == 1 {
                "one country"
            } else {
                "several countries"
            },
            codes.join(", "),
            active_csirts,
            adversaries.len(),
            campaigns.len(),
            options.days,
            if options.idle == 0 {
                String::new()
            } else {
                format!(
                    " {} more organisations in observer countries that the story never reaches.",
                    options.idle
                )
            },
        ),
        start,
        duration: Duration::days(i64::from(options.days.max(1))),
        csirts,
        authorities,
        entities,
        adversaries,
        vulnerabilities: Vec::new(),
        sops: Vec::new(),
        injects,
        objectives,
        roles,
        regimes: Vec::new(),
        time_zone: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{AdversaryIntent, Campaign, Effect, Sector, parse};

    fn round_trip(entities: u32, days: u32, seed: u64) -> (Scenario, String) {
        let options = GenerateOptions {
            entities,
            days,
            seed,
            idle: 0,
        };
        let scenario = generate(&options);
        let text = to_ron(&scenario, &options).expect("serialises");
        assert!(text.starts_with("#![enable(implicit_some)]\n"));
        assert!(text.contains(&format!(
            "generated by tabletop generate --entities {entities} --days {days} --seed {seed}"
        )));
        match parse("generated.ron", text.as_bytes()) {
            Ok(parsed) => (parsed, text),
            Err(diagnostics) => panic!("{diagnostics}"),
        }
    }

    #[test]
    fn short_exercises_name_only_adversaries_that_act() {
        // Two days leave most of 10,000 organisations' adversaries without a campaign.
        for (entities, days) in [(10_000, 2), (300, 1), (50, 2)] {
            let (s, _) = round_trip(entities, days, 0);
            assert!(
                s.adversaries.iter().all(|a| !a.campaigns.is_empty()),
                "{entities} × {days} d"
            );
            assert!(!s.adversaries.is_empty(), "{entities} × {days} d");
        }
    }

    #[test]
    fn one_entity_round_trips() {
        let (s, _) = round_trip(1, 30, 0);
        assert_eq!(s.entities.len(), 1);
        assert!(s.adversaries.iter().all(|a| !a.campaigns.is_empty()));
    }

    #[test]
    fn thirty_seven_entities_round_trip() {
        let (s, _) = round_trip(37, 30, 7);
        assert_eq!(s.entities.len(), 37);
        assert_eq!(s.entities[36].id, "entity-00037");
        // Every sector is present once N covers them.
        for sector in Sector::ALL {
            assert!(s.entities.iter().any(|e| e.sector == sector), "{sector:?}");
        }
    }

    #[test]
    fn two_thousand_entities_round_trip() {
        let (s, _) = round_trip(2000, 30, 1);
        assert_eq!(s.entities.len(), 2000);
        assert!(s.csirts.iter().any(|c| c.kind == CsirtKind::Sectoral));
        assert!(s.injects.len() > 10 && s.objectives.len() > 10);
    }

    #[test]
    fn short_and_long_exercises_round_trip() {
        round_trip(5, 1, 3);
        round_trip(300, 2, 4);
        round_trip(50, 365, 5);
    }

    #[test]
    fn the_same_options_give_the_same_file() {
        let options = GenerateOptions {
            entities: 500,
            days: 14,
            seed: 42,
            idle: 0,
        };
        let a = to_ron(&generate(&options), &options).expect("serialises");
        let b = to_ron(&generate(&options), &options).expect("serialises");
        assert_eq!(a, b);
        let other_options = GenerateOptions {
            seed: 43,
            ..options
        };
        let other = to_ron(&generate(&other_options), &other_options).expect("serialises");
        assert_ne!(a, other);
    }

    #[test]
    fn the_world_does_not_depend_on_the_days() {
        let short = generate(&GenerateOptions {
            entities: 300,
            days: 10,
            seed: 9,
            idle: 0,
        });
        let long = generate(&GenerateOptions {
            entities: 300,
            days: 60,
            seed: 9,
            idle: 0,
        });
        let ids = |s: &Scenario| {
            s.entities
                .iter()
                .map(|e| (e.id.clone(), e.csirt.clone(), e.suppliers.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&short), ids(&long));
    }

    #[test]
    fn suppliers_form_a_dag() {
        let s = generate(&GenerateOptions {
            entities: 1000,
            days: 30,
            seed: 2,
            idle: 0,
        });
        for (i, e) in s.entities.iter().enumerate() {
            for supplier in &e.suppliers {
                let j = s
                    .entities
                    .iter()
                    .position(|x| &x.id == supplier)
                    .expect("supplier exists");
                assert!(j < i, "{} supplies {}", supplier, e.id);
            }
        }
    }

    /// Runs a generated scenario to the end and counts its journal events.
    fn events(entities: u32, days: u32) -> usize {
        let scenario = generate(&GenerateOptions {
            entities,
            days,
            seed: 0,
            idle: 0,
        });
        let mut sim = crate::sim::Simulation::new(&scenario, 0).expect("builds");
        sim.run_to_end();
        sim.journal().len()
    }

    #[test]
    fn a_thousand_entities_keep_the_engine_busy() {
        // 10,000 organisations give more than 100,000 events; 1,000 about a tenth of that.
        assert!(events(1000, 30) >= 10_000);
    }

    /// `cargo test --release --lib -- --ignored ten_thousand` (about a second in release).
    #[test]
    #[ignore = "slow in debug builds"]
    fn ten_thousand_entities_give_a_hundred_thousand_events() {
        assert!(events(10_000, 30) >= 100_000);
    }

    #[test]
    fn campaigns_are_four_to_eight_stages_and_some_encrypt() {
        let s = generate(&GenerateOptions {
            entities: 1000,
            days: 30,
            seed: 0,
            idle: 0,
        });
        let campaigns: Vec<&Campaign> = s
            .adversaries
            .iter()
            .flat_map(|a| a.campaigns.iter())
            .collect();
        assert!(campaigns.iter().all(|c| (4..=8).contains(&c.stages.len())));
        // Every ransomware chain still ends in encryption, however many options it drew.
        for a in &s.adversaries {
            for c in &a.campaigns {
                if a.intent == AdversaryIntent::Financial {
                    let last = c.stages.last().map(|st| &st.effect);
                    assert_eq!(last, Some(&Effect::Encryption), "{}", c.id);
                }
            }
        }
        assert!(
            campaigns
                .iter()
                .any(|c| c.stages.iter().any(|st| st.effect == Effect::Encryption))
        );
        assert!(campaigns.iter().any(|c| {
            c.stages
                .iter()
                .any(|st| matches!(st.effect, Effect::Spread { .. }))
        }));
    }
}
