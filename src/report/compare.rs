//! A what-if branch beside its parent: which objectives changed verdict, and the first
//! journal line where the two runs part.

use crate::scenario::time::format_offset;
use crate::sim::{Entry, Event, Verdict};

use super::inputs::{Inputs, line, when};
use super::{Comparison, Divergence, VerdictChange};

fn verdict_text(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Met { at, .. } => format!("met at {}", format_offset(*at)),
        Verdict::Missed { at, .. } => format!("missed at {}", format_offset(*at)),
        Verdict::Pending => "pending".to_owned(),
    }
}

fn same_verdict(a: &Verdict, b: &Verdict) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// The index of the first journal line that differs, comparing the JSON Lines text the
/// journals are written as; None when they are identical. The opening line names the
/// seed, so a branch with a new seed is compared from the first line after it that
/// differs: the seed itself is stated apart.
pub fn first_difference(parent: &[Entry], branch: &[Entry]) -> Option<usize> {
    let text = |e: &Entry| match &e.event {
        Event::ExerciseStarted {
            scenario,
            start,
            end,
            ..
        } => format!(
            "{} {} exercise_started {scenario} {start} {end}",
            e.seq, e.t
        ),
        // Entries are written to the journal as JSON, so encoding them does not fail; if it
        // did, the error with the entry's place still tells two entries apart (an empty text
        // would make every such entry equal and hide the divergence).
        _ => serde_json::to_string(e)
            .unwrap_or_else(|err| format!("{} {} {} (unencodable: {err})", e.seq, e.t, e.kind())),
    };
    let common = parent.len().min(branch.len());
    (0..common)
        .find(|&i| text(&parent[i]) != text(&branch[i]))
        .or_else(|| (parent.len() != branch.len()).then_some(common))
}

pub(super) fn comparison(inputs: &Inputs<'_>) -> Comparison {
    let plan = inputs.sim.plan();
    let header_parent = inputs.session.header.parent.as_ref();
    let Some(parent) = &inputs.parent else {
        let empty = inputs.parent_unavailable.clone().unwrap_or_else(|| {
            "This session is not a what-if branch (its header names no parent), and no `--compare PARENT` was given.".to_owned()
        });
        return Comparison {
            parent: header_parent.map(|p| p.path.clone()),
            branch_at: header_parent.map(|p| when(plan, p.at)),
            notes: Vec::new(),
            objectives: Vec::new(),
            changed: 0,
            divergence: None,
            identical: false,
            empty: Some(empty),
        };
    };
    let mut notes = Vec::new();
    let parent_path = parent.session.path.display().to_string();
    match header_parent {
        Some(p) => {
            if p.seed == inputs.session.header.seed {
                notes.push(format!(
                    "The branch keeps the parent's seed ({}): both runs meet the same luck, so up to {} they are the same run and every difference after it comes from what was done differently.",
                    p.seed,
                    format_offset(p.at)
                ));
            } else {
                notes.push(format!(
                    "The branch plays with a new seed ({}, the parent's was {}): the parent's commands before {} were kept, but luck differs from T+0, so the runs can part before the branch time.",
                    inputs.session.header.seed,
                    p.seed,
                    format_offset(p.at)
                ));
            }
            if p.digest != parent.digest {
                notes.push(format!(
                    "The parent file changed since the branch was made (digest {} then, {} now), e.g. by hot-wash answers or resumed play; it is compared as it is now.",
                    p.digest, parent.digest
                ));
            }
        }
        None => notes.push(format!(
            "This session's header names no parent; it is compared with {parent_path} as asked."
        )),
    }
    let parent_outcome = parent.sim.outcome();
    let outcome = inputs.sim.outcome();
    let objectives: Vec<VerdictChange> = outcome
        .objectives
        .iter()
        .filter_map(|o| {
            let p = parent_outcome.objectives.iter().find(|p| p.id == o.id)?;
            Some(VerdictChange {
                id: o.id.to_string(),
                title: o.title.to_string(),
                parent: verdict_text(&p.verdict),
                branch: verdict_text(&o.verdict),
                changed: !same_verdict(&p.verdict, &o.verdict),
            })
        })
        .collect();
    let (parent_journal, journal) = (parent.sim.journal(), inputs.sim.journal());
    let divergence = first_difference(parent_journal, journal).map(|i| {
        let (p, b) = (parent_journal.get(i), journal.get(i));
        let t = p.into_iter().chain(b).map(|e| e.t).min().unwrap_or(0);
        Divergence {
            seq: u64::try_from(i).unwrap_or(u64::MAX),
            when: when(plan, t),
            parent: p.map(|e| line(parent.sim.plan(), e)),
            branch: b.map(|e| line(plan, e)),
        }
    });
    Comparison {
        parent: Some(parent_path),
        branch_at: header_parent.map(|p| when(plan, p.at)),
        notes,
        changed: objectives.iter().filter(|o| o.changed).count(),
        objectives,
        identical: divergence.is_none(),
        divergence,
        empty: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64, t: i64, author: &str) -> Entry {
        Entry {
            seq,
            t,
            event: Event::Observation {
                author: author.into(),
                text: "x".into(),
            },
        }
    }

    #[test]
    fn the_first_differing_line_is_found() {
        let a = vec![entry(0, 0, "a"), entry(1, 5, "b"), entry(2, 9, "c")];
        let mut b = a.clone();
        assert_eq!(first_difference(&a, &b), None);
        b[1] = entry(1, 5, "z");
        assert_eq!(first_difference(&a, &b), Some(1));
        assert_eq!(first_difference(&a, &a[..2]), Some(2));
        assert_eq!(first_difference(&a[..1], &a), Some(1));
    }

    #[test]
    fn the_seed_on_the_opening_line_is_not_a_divergence() {
        let start = |seed| Entry {
            seq: 0,
            t: 0,
            event: Event::ExerciseStarted {
                scenario: "s".into(),
                seed,
                start: "Fri".into(),
                end: 10,
            },
        };
        let (a, b) = (
            vec![start(1), entry(1, 5, "x")],
            vec![start(2), entry(1, 5, "y")],
        );
        assert_eq!(first_difference(&a, &b), Some(1));
    }
}
