//! The reports one incident calls for, by report and recipient.
//!
//! One regime can be owed to two authorities (a cross-border breach notified to two
//! data-protection authorities), so a report is kept per recipient. The state hashes as
//! the map by report alone it was before, so a run with one recipient per report keeps its
//! checksums and recorded sessions replay.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use crate::scenario::{Minute, ReportKind};

use super::plan::ActorIx;

/// The state of one report an entity owes or chose to send.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReportState {
    pub to: ActorIx,
    pub due: Option<Minute>,
    pub sent: Option<Minute>,
}

/// An incident's reports, in report order and, for one report, recipient order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reports(BTreeMap<(ReportKind, ActorIx), ReportState>);

impl Reports {
    /// Whether the report to this recipient is already owed or sent.
    pub fn has(&self, report: &ReportKind, to: ActorIx) -> bool {
        self.0.contains_key(&(report.clone(), to))
    }

    pub fn insert(&mut self, report: ReportKind, state: ReportState) {
        self.0.insert((report, state.to), state);
    }

    /// The report to each of its recipients.
    pub fn of<'a>(&'a self, report: &'a ReportKind) -> impl Iterator<Item = &'a ReportState> {
        self.0
            .iter()
            .filter(move |((kind, _), _)| kind == report)
            .map(|(_, s)| s)
    }

    /// The report to each of its recipients, to change.
    pub fn of_mut<'a>(
        &'a mut self,
        report: &'a ReportKind,
    ) -> impl Iterator<Item = &'a mut ReportState> {
        self.0
            .iter_mut()
            .filter(move |((kind, _), _)| kind == report)
            .map(|(_, s)| s)
    }

    /// Every report with its state.
    pub fn iter(&self) -> impl Iterator<Item = (&ReportKind, &ReportState)> {
        self.0.iter().map(|((kind, _), s)| (kind, s))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Reports {
    type Item = (&'a ReportKind, &'a ReportState);
    type IntoIter = Box<dyn Iterator<Item = Self::Item> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl Hash for Reports {
    /// As `BTreeMap<ReportKind, ReportState>` hashes: its length, then each report and its
    /// state (which names the recipient).
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        for ((kind, _), s) in &self.0 {
            kind.hash(state);
            s.hash(state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::checksum::digest_of;

    #[test]
    fn one_recipient_per_report_hashes_as_the_map_by_report_did() {
        let state = |to| ReportState {
            to,
            due: Some(60),
            sent: None,
        };
        let mut reports = Reports::default();
        let mut before = BTreeMap::new();
        for (kind, to) in [(ReportKind::GdprBreach, 4), (ReportKind::DoraInitial, 2)] {
            reports.insert(kind.clone(), state(to));
            before.insert(kind, state(to));
        }
        assert_eq!(digest_of(&reports), digest_of(&before));
    }

    #[test]
    fn a_report_owed_to_two_authorities_is_kept_for_each() {
        let mut reports = Reports::default();
        for to in [7, 3] {
            reports.insert(
                ReportKind::GdprBreach,
                ReportState {
                    to,
                    due: None,
                    sent: None,
                },
            );
        }
        let to: Vec<ActorIx> = reports.of(&ReportKind::GdprBreach).map(|s| s.to).collect();
        assert_eq!(to, [3, 7]);
        assert!(reports.has(&ReportKind::GdprBreach, 7));
        assert!(!reports.has(&ReportKind::DoraInitial, 7));
    }
}
