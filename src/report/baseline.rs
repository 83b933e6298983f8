//! The baseline: the same scenario played over many seeds with no commands at all, so an
//! evaluator can tell skill from luck ("this session met obj-3, which only 34% of
//! unguided runs do").

use std::ops::Range;

use crate::scenario::Scenario;
use crate::sim::{BuildError, Simulation, Verdict};

/// How often one objective was met, missed or left pending over the baseline runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub met: u64,
    pub missed: u64,
    pub pending: u64,
}

impl Tally {
    pub fn runs(&self) -> u64 {
        self.met + self.missed + self.pending
    }
}

/// Objective tallies over a range of seeds, in the scenario's objective order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Baseline {
    pub seeds: Range<u64>,
    pub objectives: Vec<(String, Tally)>,
}

/// Plays `scenario` once per seed in `seeds`, to the end, without commands.
pub fn play(scenario: &Scenario, seeds: Range<u64>) -> Result<Baseline, BuildError> {
    let mut objectives: Vec<(String, Tally)> = Vec::new();
    for seed in seeds.clone() {
        let mut sim = Simulation::new(scenario, seed)?;
        sim.run_to_end();
        let outcome = sim.outcome();
        if objectives.is_empty() {
            objectives = outcome
                .objectives
                .iter()
                .map(|o| (o.id.to_string(), Tally::default()))
                .collect();
        }
        for ((_, tally), objective) in objectives.iter_mut().zip(&outcome.objectives) {
            match objective.verdict {
                Verdict::Met { .. } => tally.met += 1,
                Verdict::Missed { .. } => tally.missed += 1,
                Verdict::Pending => tally.pending += 1,
            }
        }
    }
    Ok(Baseline { seeds, objectives })
}
