//! How knowledge of each indicator spread, defanged for the page.

#[allow(
    clippy::wildcard_imports,
    reason = "the door's imports are this room's vocabulary"
)]
use super::*;

pub(super) fn knowledge(sim: &Simulation, scenario: &Scenario) -> Knowledge {
    let plan = sim.plan();
    let journal = sim.journal();
    let mut values: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for adversary in &scenario.adversaries {
        for campaign in &adversary.campaigns {
            for i in &campaign.indicators {
                values.insert(i.id.as_str(), (i.kind.label().to_owned(), defang(&i.value)));
            }
        }
    }
    let mut learnings: Vec<Vec<(Minute, Learning)>> = vec![Vec::new(); plan.indicators.len()];
    for entry in journal {
        if let Event::IndicatorLearned {
            actor,
            indicator,
            from,
            tlp,
            ..
        } = &entry.event
            && let Some(list) = learnings.get_mut(indicator.ix as usize)
        {
            list.push((
                entry.t,
                Learning {
                    when: when(plan, entry.t),
                    actor: narrate::actor(plan, actor),
                    from: from
                        .as_ref()
                        .map_or_else(|| "own detection".to_owned(), |f| narrate::actor(plan, f)),
                    tlp: tlp.label(),
                },
            ));
        }
    }
    let mut indicators = Vec::new();
    let mut never_known = Vec::new();
    let mut series = Vec::new();
    for (plan_indicator, list) in plan.indicators.iter().zip(learnings) {
        let id = plan_indicator.id.to_string();
        if list.is_empty() {
            never_known.push(id);
            continue;
        }
        let mut changes: Vec<(Minute, i64)> = Vec::new();
        for (n, (t, _)) in list.iter().enumerate() {
            let count = i64::try_from(n + 1).unwrap_or(i64::MAX);
            match changes.last_mut() {
                Some((last, v)) if *last == *t => *v = count,
                _ => changes.push((*t, count)),
            }
        }
        series.push(Steps {
            label: id.clone(),
            changes,
        });
        let (kind, value) = values.get(id.as_str()).cloned().unwrap_or_default();
        indicators.push(IndicatorSpread {
            knowers: list.len(),
            learnings: list.into_iter().map(|(_, l)| l).collect(),
            id,
            kind,
            value,
        });
    }
    let refused = journal
        .iter()
        .filter(|e| matches!(e.event, Event::ShareRefused { .. }))
        .map(|e| line(plan, e))
        .collect();
    let actors = plan.actors.len();
    let chart = (!series.is_empty()).then(|| {
        step_chart(
            "Actors knowing each indicator",
            "Step chart: for each indicator, how many actors of the exercise knew it at each moment.",
            "actors knowing",
            &series,
            played_to(sim),
            i64::try_from(actors).unwrap_or(i64::MAX),
        )
    });
    let empty = indicators.is_empty().then(|| {
        if plan.indicators.is_empty() {
            "The scenario defines no indicators.".to_owned()
        } else {
            "No actor learned any indicator: no intrusion was detected and nothing was shared."
                .to_owned()
        }
    });
    Knowledge {
        actors,
        indicators,
        never_known,
        refused,
        chart,
        empty,
    }
}

/// Defangs an observable the way CSIRTs write them in reports, so that no reader's tool
/// turns it into a live link: `evil[.]com`, `hxxps://`, `user[@]evil[.]com`.
pub(super) fn defang(value: &str) -> String {
    value
        .replace("http", "hxxp")
        .replace('.', "[.]")
        .replace('@', "[@]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observables_are_defanged() {
        assert_eq!(
            defang("ducksends-secure-login.com"),
            "ducksends-secure-login[.]com"
        );
        assert_eq!(defang("https://a.b/x"), "hxxps://a[.]b/x");
        assert_eq!(defang("41d3f785"), "41d3f785");
    }
}
