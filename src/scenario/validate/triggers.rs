//! Triggers that wait on each other: no inject or objective may wait on itself.

use std::collections::{BTreeMap, BTreeSet};

use crate::scenario::locate::ItemPath;
use crate::scenario::model::{Check, EventPattern, Scenario, When};

use super::problem::Found;

/// A trigger node: an inject or an objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Node<'a> {
    Inject(&'a str),
    Objective(&'a str),
}

fn pattern_dependencies<'a>(pattern: &'a EventPattern, into: &mut Vec<Node<'a>>) {
    match pattern {
        EventPattern::Inject(id) => into.push(Node::Inject(id)),
        EventPattern::ObjectiveMet(id) | EventPattern::ObjectiveMissed(id) => {
            into.push(Node::Objective(id));
        }
        _ => {}
    }
}

/// Injects triggered by injects or objectives, and objectives judged on injects, must not
/// wait on themselves: such a trigger could never fire.
pub(super) fn check_trigger_cycles(s: &Scenario, found: &mut Found) {
    let mut edges: BTreeMap<Node<'_>, Vec<Node<'_>>> = BTreeMap::new();
    let mut paths: BTreeMap<Node<'_>, ItemPath> = BTreeMap::new();
    for (i, inject) in s.injects.iter().enumerate() {
        let node = Node::Inject(&inject.id);
        let mut deps = Vec::new();
        match &inject.when {
            When::At(_) => {}
            When::After { on, .. } => pattern_dependencies(on, &mut deps),
            When::Unless {
                after, expected, ..
            } => {
                pattern_dependencies(after, &mut deps);
                pattern_dependencies(expected, &mut deps);
            }
        }
        edges.insert(node, deps);
        paths.insert(
            node,
            ItemPath::root().field("injects").index(i).field("when"),
        );
    }
    for (i, objective) in s.objectives.iter().enumerate() {
        let node = Node::Objective(&objective.id);
        let mut deps = Vec::new();
        match &objective.check {
            Check::Deadline {
                after, expected, ..
            } => {
                pattern_dependencies(after, &mut deps);
                pattern_dependencies(expected, &mut deps);
            }
            Check::Coverage { after, .. } => pattern_dependencies(after, &mut deps),
            Check::Absence(p) => pattern_dependencies(p, &mut deps),
            Check::Ordering { first, then } => {
                pattern_dependencies(first, &mut deps);
                pattern_dependencies(then, &mut deps);
            }
        }
        edges.insert(node, deps);
        paths.insert(
            node,
            ItemPath::root().field("objectives").index(i).field("check"),
        );
    }
    // Iterative depth-first search; each cycle is reported once, at its smallest member.
    let mut done: BTreeSet<Node<'_>> = BTreeSet::new();
    let mut reported: BTreeSet<Vec<Node<'_>>> = BTreeSet::new();
    for &start in edges.keys() {
        if done.contains(&start) {
            continue;
        }
        let mut stack: Vec<(Node<'_>, usize)> = vec![(start, 0)];
        let mut on_stack: Vec<Node<'_>> = vec![start];
        while let Some((node, next)) = stack.last_mut() {
            let deps = edges.get(node).map_or(&[][..], Vec::as_slice);
            if let Some(&dep) = deps.get(*next) {
                *next += 1;
                if let Some(at) = on_stack.iter().position(|n| *n == dep) {
                    let mut cycle = on_stack[at..].to_vec();
                    let smallest = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, n)| **n)
                        .map_or(0, |(i, _)| i);
                    cycle.rotate_left(smallest);
                    if reported.insert(cycle.clone()) {
                        let names: Vec<String> = cycle
                            .iter()
                            .chain(std::iter::once(&cycle[0]))
                            .map(|n| match n {
                                Node::Inject(id) => format!("inject \"{id}\""),
                                Node::Objective(id) => format!("objective \"{id}\""),
                            })
                            .collect();
                        if let Some(path) = paths.get(&cycle[0]) {
                            found.push((
                                path.clone(),
                                format!(
                                    "trigger cycle: {}; none of them can ever fire",
                                    names.join(" → ")
                                ),
                            ));
                        }
                    }
                } else if !done.contains(&dep) && edges.contains_key(&dep) {
                    stack.push((dep, 0));
                    on_stack.push(dep);
                }
            } else {
                done.insert(*node);
                stack.pop();
                on_stack.pop();
            }
        }
    }
}
