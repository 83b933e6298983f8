//! Objectives: each one's standing, the evidence it cites, its ratings.

#[allow(
    clippy::wildcard_imports,
    reason = "the door's imports are this room's vocabulary"
)]
use super::*;

pub(super) fn objectives(
    plan: &Plan,
    journal: &[Entry],
    outcome: &Outcome,
    finished: bool,
) -> Objectives {
    let mut ratings: BTreeMap<&str, Vec<&'static str>> = BTreeMap::new();
    for entry in journal {
        if let Event::Rated {
            objective, rating, ..
        } = &entry.event
        {
            ratings
                .entry(&objective.id)
                .or_default()
                .push(rating.letter());
        }
    }
    let cite = |seqs: &[u64]| -> Vec<EventLine> {
        seqs.iter()
            .filter_map(|&seq| journal.get(usize::try_from(seq).ok()?))
            .map(|e| line(plan, e))
            .collect()
    };
    let rows: Vec<ObjectiveRow> = outcome
        .objectives
        .iter()
        .map(|o| {
            let (decided, reason, evidence) = match &o.verdict {
                Verdict::Met { at, evidence } => (Some(when(plan, *at)), None, cite(evidence)),
                Verdict::Missed {
                    at,
                    evidence,
                    reason,
                } => (
                    Some(when(plan, *at)),
                    Some((*reason).to_owned()),
                    cite(evidence),
                ),
                Verdict::Pending => (None, o.standing(finished).reason, Vec::new()),
            };
            ObjectiveRow {
                id: o.id.to_string(),
                title: o.title.to_string(),
                verdict: o.standing(finished).word,
                decided,
                reason,
                evidence,
                ratings: ratings.get(&*o.id).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let count = |v: &str| rows.iter().filter(|r| r.verdict == v).count();
    Objectives {
        met: count("met"),
        missed: count("missed"),
        pending: count("pending") + count("open at the end"),
        not_triggered: count("not triggered"),
        empty: rows
            .is_empty()
            .then(|| "The scenario defines no objectives.".to_owned()),
        rows,
    }
}
