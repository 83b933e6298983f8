//! The reporting regimes a run plays: the built-in library and the scenario's own, each
//! report with the moment its clock opens resolved.

use super::{Name, Plan, PlanError};
use crate::scenario::{self, Clock, Deadline, ReportKind, ReportPhase, Scenario, Trigger};

/// Which regime, as a position in [`Plan::regimes`].
pub type RegimeIx = u32;

/// A regime as the simulation plays it.
#[derive(Clone, Debug)]
pub struct RegimePlan {
    pub id: Name,
    /// Its legal name, e.g. "NIS2 Art. 23".
    pub name: Name,
    pub starts: Vec<Trigger>,
    pub reports: Vec<ReportPlan>,
}

/// One report of a regime.
#[derive(Clone, Debug)]
pub struct ReportPlan {
    pub report: ReportKind,
    /// The earliest of these is the deadline.
    pub due: Vec<Deadline>,
    /// The earlier report whose sending opens this one's clock; `None`: it opens when the
    /// regime's clock starts.
    pub after: Option<ReportKind>,
    pub phase: ReportPhase,
}

/// What an organisation owes one recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duty {
    /// The reports of a regime.
    Regime(RegimeIx),
    /// A voluntary notification when it learns of an incident: an action, not a duty.
    Voluntary,
}

impl RegimePlan {
    fn compile(r: &scenario::Regime) -> Self {
        Self {
            id: r.id.as_str().into(),
            name: r.name.as_str().into(),
            starts: r.starts.clone(),
            reports: r
                .reports
                .iter()
                .map(|p| ReportPlan {
                    report: p.report.clone(),
                    due: p.due.clone(),
                    after: p.due.iter().find_map(|d| match &d.from {
                        Clock::Sent(report) => Some(report.clone()),
                        Clock::Awareness | Clock::Classification => None,
                    }),
                    phase: p.phase,
                })
                .collect(),
        }
    }
}

impl Plan {
    /// The built-in regimes, then the scenario's, in order.
    pub(super) fn compile_regimes(&mut self, s: &Scenario) {
        self.regimes = scenario::regimes::built_in()
            .iter()
            .chain(&s.regimes)
            .map(RegimePlan::compile)
            .collect();
    }

    /// The regime with this id.
    pub(super) fn regime_ix(&self, id: &str) -> Result<RegimeIx, PlanError> {
        self.regimes
            .iter()
            .position(|r| &*r.id == id)
            .map(super::ix)
            .ok_or_else(|| PlanError(format!("no reporting regime \"{id}\"")))
    }

    /// How much writing a report takes; `None` for a voluntary notification.
    pub fn report_phase(&self, report: &ReportKind) -> Option<ReportPhase> {
        self.regimes
            .iter()
            .flat_map(|r| &r.reports)
            .find(|p| p.report == *report)
            .map(|p| p.phase)
    }

    /// The legal name of the regime a report belongs to ("voluntary" for a voluntary one).
    pub fn regime_name(&self, report: &ReportKind) -> &str {
        self.regimes
            .iter()
            .find(|r| r.reports.iter().any(|p| p.report == *report))
            .map_or("voluntary", |r| &r.name)
    }
}
