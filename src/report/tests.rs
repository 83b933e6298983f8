//! The report's data and rendering without files: empty sections explain themselves,
//! improvement-plan rows name who is responsible, and both formats render.

use std::path::{Path, PathBuf};

use super::{Baseline, Format, Inputs, Report, Tally, gather, render};
use crate::scenario::{Scenario, Tlp, load_path};
use crate::session::{Header, LoadedSession, SESSION_FORMAT};
use crate::sim::Simulation;

fn ducksends() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
    load_path(&path).expect("the shipped scenario loads").0
}

fn session(seed: u64) -> LoadedSession {
    LoadedSession {
        path: PathBuf::from("unit.session.ron"),
        header: Header {
            format: SESSION_FORMAT,
            program: "test".into(),
            scenario: "scenarios/ducksends.ron".into(),
            digest: "d".into(),
            seed,
            engine: 1,
            parent: None,
        },
        commands: Vec::new(),
        checkpoints: Vec::new(),
        end: None,
        hotwash: Vec::new(),
        warnings: Vec::new(),
        lines: 1,
        chained: true,
    }
}

fn report(scenario: &Scenario, sim: &Simulation, baseline: Option<&Baseline>) -> Report {
    let session = session(sim.seed());
    gather(&Inputs {
        session: &session,
        scenario,
        sim,
        checksums_verified: 0,
        tlp: Tlp::Green,
        baseline,
        parent: None,
        parent_unavailable: None,
    })
}

#[test]
fn a_session_not_yet_played_explains_every_empty_section() {
    let scenario = ducksends();
    let sim = Simulation::new(&scenario, 3).unwrap();
    let r = report(&scenario, &sim, None);
    assert!(!r.overview.finished);
    assert!(r.overview.recording.contains("The recording stops at T+0m"));
    for (section, reason) in [
        ("compliance", &r.compliance.empty),
        ("desks", &r.desks.empty),
        ("knowledge", &r.knowledge.empty),
        ("observations", &r.observations.empty),
        ("ratings", &r.ratings.empty),
        ("hot wash", &r.hotwash.empty),
        ("improvement plan", &r.improvement_plan.empty),
        ("baseline", &r.baseline.empty),
        ("comparison", &r.comparison.empty),
    ] {
        assert!(reason.is_some(), "{section} is empty without saying why");
    }
    assert_eq!(r.objectives.pending, r.objectives.rows.len());
    let markdown = render(&r, Format::Markdown).unwrap();
    for heading in markdown.match_indices("\n## ").map(|(i, _)| i) {
        let body = &markdown[heading + 4..];
        let body = body[body.find('\n').unwrap()..]
            .split("\n## ")
            .next()
            .unwrap();
        assert!(!body.trim().is_empty(), "a blank section at byte {heading}");
    }
    assert!(markdown.starts_with("**TLP:GREEN**"));
    let html = render(&r, Format::Html).unwrap();
    assert!(html.contains("No organisation detected an incident"));
    assert!(!html.contains("<figure"), "no chart without data");
}

#[test]
fn improvement_plan_rows_name_the_responsible_organisation() {
    let scenario = ducksends();
    let mut sim = Simulation::new(&scenario, 20).unwrap();
    sim.run_to_end();
    let r = report(&scenario, &sim, None);
    let responsible = |source: &str| {
        r.improvement_plan
            .rows
            .iter()
            .find(|row| row.source == source)
            .map(|row| row.responsible.as_str())
    };
    // A deadline objective: who must send the report.
    assert_eq!(responsible("objective obj-1"), Some("DuckSends"));
    // An absence objective over a sector: that sector's entities.
    assert_eq!(
        responsible("objective obj-4"),
        Some("Organisations of the finance sector")
    );
    let late: Vec<_> = r
        .compliance
        .rows
        .iter()
        .filter(|row| row.status == "late")
        .collect();
    assert!(!late.is_empty());
    for row in late {
        assert!(
            r.improvement_plan
                .rows
                .iter()
                .any(|ip| ip.responsible == row.entity && ip.issue.contains(row.report)),
            "{} {}",
            row.entity,
            row.report
        );
    }
    // Queue and knowledge charts exist once work and sharing happened.
    assert!(r.desks.queue_chart.is_some());
    assert!(r.knowledge.chart.is_some());
}

#[test]
fn the_baseline_says_where_the_session_stands() {
    let scenario = ducksends();
    let mut sim = Simulation::new(&scenario, 20).unwrap();
    sim.run_to_end();
    let ids: Vec<String> = sim
        .outcome()
        .objectives
        .iter()
        .map(|o| o.id.to_string())
        .collect();
    let baseline = Baseline {
        seeds: 0..4,
        objectives: ids
            .iter()
            .map(|id| {
                (
                    id.clone(),
                    Tally {
                        met: 1,
                        missed: 3,
                        pending: 0,
                    },
                )
            })
            .collect(),
    };
    let r = report(&scenario, &sim, Some(&baseline));
    assert_eq!(r.baseline.seeds.as_deref(), Some("seeds 0–3"));
    let row = |id: &str| r.baseline.rows.iter().find(|b| b.id == id).unwrap();
    // Met here, met in one run of four: better than the three that missed.
    assert_eq!(row("obj-2").hit_rate, "25%");
    assert_eq!(row("obj-2").standing, "better than 75% of baseline runs");
    // Missed here: worse than the one run that met it.
    assert_eq!(row("obj-1").standing, "worse than 25% of baseline runs");
}
