//! Procedures (SOPs): owners, variants, step references, cycles, decisions, and deadlines
//! the quickest path could meet at all.

use std::collections::{BTreeMap, BTreeSet};

use crate::scenario::locate::ItemPath;
use crate::scenario::model::{Scenario, Service};

use super::actor::{ActorKind, is_any, is_csirt};
use super::choice::check_choice;
use super::index::Index;
use super::problem::{Found, Scope};
use super::range::check_range;
use super::require::{Wanted, require, require_actor, require_service};

/// Procedures: owners, variants, step references, cycles, decisions, and deadlines that
/// the quickest path through the procedure could meet at all.
pub(super) fn check_sops(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    use crate::scenario::model::{Action, Recipients};
    let mut variants: BTreeMap<(&str, Option<&str>), usize> = BTreeMap::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for sop in &s.sops {
        *counts.entry(sop.id.as_str()).or_default() += 1;
    }
    for (i, sop) in s.sops.iter().enumerate() {
        let path = ItemPath::root().field("sops").index(i);
        require_actor(
            index,
            found,
            path.field("owner"),
            &sop.owner,
            "CSIRT",
            is_csirt,
        );
        if counts.get(sop.id.as_str()).is_some_and(|n| *n > 1) && sop.variant.is_none() {
            found.push((
                path.field("variant"),
                format!(
                    "procedure \"{}\" has several variants: name each one",
                    sop.id
                ),
            ));
        }
        if let Some(first) = variants.insert((sop.id.as_str(), sop.variant.as_deref()), i) {
            found.push((
                path.field("variant"),
                format!("variant already defined by sops[{first}]"),
            ));
        }
        if sop.steps.is_empty() {
            found.push((
                path.field("steps"),
                "no steps; expected at least one Step(...)".into(),
            ));
        }
        let ids: BTreeMap<&str, usize> = sop
            .steps
            .iter()
            .enumerate()
            .map(|(n, st)| (st.id.as_str(), n))
            .collect();
        let mut seen = BTreeSet::new();
        for (n, step) in sop.steps.iter().enumerate() {
            let spath = path.field("steps").index(n);
            if !seen.insert(step.id.as_str()) {
                found.push((
                    spath.field("id"),
                    format!("duplicate step id \"{}\"", step.id),
                ));
            }
            check_range(found, spath.field("duration"), &step.duration, true);
            for (d, dep) in step.after.iter().enumerate() {
                let after = spath.field("after").index(d);
                let step_here = Wanted::within("step", &Scope::ThisProcedure)
                    .then("; the step could never start");
                if require(found, &after, step_here, dep, &ids) && dep == &step.id {
                    found.push((after, "a step cannot wait for itself".into()));
                }
            }
            let mut actions = vec![&step.action];
            if let Action::Decide(decision) = &step.action {
                check_choice(
                    found,
                    (&spath.field("action"), &spath.field("action")),
                    decision.options.iter().map(|o| o.id.as_str()),
                    &decision.default,
                    decision.timeout,
                );
                actions.extend(decision.options.iter().flat_map(|o| o.actions.iter()));
            }
            for action in actions {
                match action {
                    Action::ShareIndicators {
                        with: Recipients::Actors(ids),
                        ..
                    } => {
                        for id in ids {
                            require_actor(index, found, spath.field("action"), id, "actor", is_any);
                        }
                    }
                    Action::NotifyAuthority { to } => {
                        require_actor(index, found, spath.field("action"), to, "authority", |k| {
                            matches!(k, ActorKind::Authority(_))
                        });
                    }
                    Action::RequestScan => require_service(
                        index,
                        found,
                        &spath.field("action"),
                        &sop.owner,
                        Service::Scanning,
                    ),
                    _ => {}
                }
            }
        }
        // Cycles, then the quickest finish of every step against its deadline.
        let mut earliest: BTreeMap<usize, i64> = BTreeMap::new();
        let mut visiting = BTreeSet::new();
        for n in 0..sop.steps.len() {
            if quickest(sop, &ids, n, &mut earliest, &mut visiting).is_none() {
                found.push((
                    path.field("steps").index(n).field("after"),
                    format!(
                        "step \"{}\" is part of a dependency cycle and can never start",
                        sop.steps[n].id
                    ),
                ));
            }
        }
        for (n, step) in sop.steps.iter().enumerate() {
            if let (Some(deadline), Some(quickest)) = (step.deadline, earliest.get(&n))
                && deadline.minutes < *quickest
            {
                found.push((
                    path.field("steps").index(n).field("deadline"),
                    format!(
                        "deadline {deadline} is shorter than the quickest path to this step ({}); it can never be met",
                        crate::scenario::time::Duration::minutes(*quickest)
                    ),
                ));
            }
        }
    }
}

/// The quickest time from the start of `sop` to the end of step `n` (minimum durations
/// along the longest dependency chain), or None inside a cycle.
fn quickest(
    sop: &crate::scenario::model::Sop,
    ids: &BTreeMap<&str, usize>,
    n: usize,
    memo: &mut BTreeMap<usize, i64>,
    visiting: &mut BTreeSet<usize>,
) -> Option<i64> {
    if let Some(done) = memo.get(&n) {
        return Some(*done);
    }
    if !visiting.insert(n) {
        return None;
    }
    let step = &sop.steps[n];
    let mut start = 0;
    for dep in &step.after {
        if let Some(&d) = ids.get(dep.as_str())
            && d != n
        {
            start = start.max(quickest(sop, ids, d, memo, visiting)?);
        }
    }
    visiting.remove(&n);
    let end = start + step.duration.min().minutes;
    memo.insert(n, end);
    Some(end)
}
