//! Adversaries and their campaigns: targets, stages, ATT&CK technique ids, indicators.

use std::collections::BTreeSet;

use crate::scenario::bounds;
use crate::scenario::locate::ItemPath;
use crate::scenario::model::{Effect, Scenario, Target};

use super::actor::is_entity;
use super::index::Index;
use super::problem::{Found, Scope};
use super::range::check_range;
use super::require::{Wanted, require, require_actor};
use crate::scenario::spelling::ron_word;

fn check_targets(
    index: &Index<'_>,
    found: &mut Found,
    path: &ItemPath,
    targets: &[Target],
    relative_allowed: bool,
) {
    if targets.is_empty() {
        found.push((
            path.clone(),
            "no targets; expected e.g. [Entity(\"ducksends\")] or [Sector(Finance)]".into(),
        ));
    }
    for (t, target) in targets.iter().enumerate() {
        let tpath = path.index(t);
        match target {
            Target::Entity(id) => require_actor(index, found, tpath, id, "entity", is_entity),
            Target::Sector(sector) => {
                if !index.sectors.contains(sector) {
                    found.push((tpath, format!("no entity in sector {}", ron_word(sector))));
                }
            }
            Target::Suppliers | Target::Customers if !relative_allowed => found.push((
                tpath,
                "Suppliers and Customers only make sense inside a Spread effect".into(),
            )),
            Target::Suppliers | Target::Customers => {}
        }
    }
}

pub(super) fn check_adversaries(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    let end = s.duration.minutes;
    for (a, adversary) in s.adversaries.iter().enumerate() {
        let apath = ItemPath::root().field("adversaries").index(a);
        if adversary.campaigns.is_empty() {
            found.push((
                apath.field("campaigns"),
                "no campaigns; an adversary needs at least one".into(),
            ));
        }
        for (c, campaign) in adversary.campaigns.iter().enumerate() {
            let cpath = apath.field("campaigns").index(c);
            if campaign.stages.is_empty() {
                found.push((
                    cpath.field("stages"),
                    "empty campaign: no stages; expected at least one Stage(...)".into(),
                ));
            }
            let start = campaign.start.resolve(&s.start);
            if start < -bounds::PLAYED_BEFORE_START || start > end {
                found.push((
                    cpath.field("start"),
                    format!(
                        "starts at {}; a campaign starts between {} (a compromise already under way when the exercise opens) and the exercise's end, T+{}",
                        campaign.start,
                        crate::scenario::time::format_offset(-bounds::PLAYED_BEFORE_START),
                        s.duration
                    ),
                ));
            }
            check_targets(
                index,
                found,
                &cpath.field("targets"),
                &campaign.targets,
                false,
            );
            for (n, indicator) in campaign.indicators.iter().enumerate() {
                let unlabelled = indicator
                    .label
                    .as_deref()
                    .is_none_or(|l| l.trim().is_empty());
                if indicator.kind == crate::scenario::IndicatorKind::Other && unlabelled {
                    found.push((
                        cpath.field("indicators").index(n).field("label"),
                        "an `Other` indicator needs a `label` saying what it is, e.g. label: \"SWIFT BIC\"".to_owned(),
                    ));
                }
            }
            let own: BTreeSet<&str> = campaign.indicators.iter().map(|i| i.id.as_str()).collect();
            let stages: BTreeSet<&str> = campaign.stages.iter().map(|st| st.id.as_str()).collect();
            for (st, stage) in campaign.stages.iter().enumerate() {
                let spath = cpath.field("stages").index(st);
                check_range(found, spath.field("duration"), &stage.duration, false);
                let labelled = stage.label.as_deref().is_some_and(|l| !l.trim().is_empty());
                if stage.technique.is_empty() && !labelled {
                    found.push((
                        spath.field("technique"),
                        "a stage needs its ATT&CK `technique` (e.g. \"T1566.002\") or, for a step ATT&CK has no id for, a `label` (e.g. label: \"physical break-in\")".to_owned(),
                    ));
                } else if !stage.technique.is_empty() && !is_technique_id(&stage.technique) {
                    found.push((
                        spath.field("technique"),
                        format!("\"{}\" is not an ATT&CK technique id; expected e.g. \"T1566\" or \"T1566.002\"", stage.technique),
                    ));
                }
                for (n, indicator) in stage.indicators.iter().enumerate() {
                    require(
                        found,
                        &spath.field("indicators").index(n),
                        Wanted::within("indicator", &Scope::ThisCampaign),
                        indicator,
                        &own,
                    );
                }
                if let Effect::Spread { targets, entry } = &stage.effect {
                    let epath = spath.field("effect");
                    check_targets(index, found, &epath.field("targets"), targets, true);
                    require(
                        found,
                        &epath.field("entry"),
                        Wanted::within("stage", &Scope::ThisCampaign),
                        entry,
                        &stages,
                    );
                }
            }
        }
    }
}

fn is_technique_id(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('T') else {
        return false;
    };
    let (main, sub) = rest
        .split_once('.')
        .map_or((rest, None), |(m, s)| (m, Some(s)));
    main.len() == 4
        && main.bytes().all(|b| b.is_ascii_digit())
        && sub.is_none_or(|s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
}
