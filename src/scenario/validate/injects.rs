//! The MSEL: when each inject fires, whom it reaches and what its effects name.

use crate::scenario::bounds;
use crate::scenario::locate::ItemPath;
use crate::scenario::model::{Inject, InjectEffect, Scenario, Service, When};

use super::actor::{is_any, is_csirt, is_entity};
use super::choice::check_choice;
use super::index::Index;
use super::patterns::check_pattern;
use super::problem::{Finding, Found};
use super::require::{
    Wanted, require, require_actor, require_campaign, require_cve, require_report, require_service,
};
use super::vocabulary::Vocabulary;

/// The problems of one inject's references against `vocabulary`: its recipients, then its
/// effects, checked as the MSEL's injects are. For an inject composed while the exercise
/// runs; item paths are the inject's own (`to[1]`, `effects[0]`).
pub fn check_inject(vocabulary: &impl Vocabulary, inject: &Inject) -> Vec<Finding> {
    let mut found = Found::new();
    let root = ItemPath::root();
    for (n, to) in inject.to.iter().enumerate() {
        require_actor(
            vocabulary,
            &mut found,
            root.field("to").index(n),
            to,
            "actor",
            is_any,
        );
    }
    for (n, effect) in inject.effects.iter().enumerate() {
        check_effect(
            vocabulary,
            &mut found,
            &root.field("effects").index(n),
            effect,
        );
    }
    check_guards(vocabulary, &mut found, &root, inject);
    check_discussion(vocabulary, &mut found, &root, inject);
    found.into_vec()
}

pub(super) fn check_injects(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    let end = s.duration.minutes;
    for (i, inject) in s.injects.iter().enumerate() {
        let path = ItemPath::root().field("injects").index(i);
        let wpath = path.field("when");
        match &inject.when {
            When::At(at) => {
                let t = at.resolve(&s.start);
                if t > end {
                    found.push((
                        wpath,
                        format!("{at} is after the end of the exercise (T+{})", s.duration),
                    ));
                } else if t < 0 {
                    found.push((wpath, format!("{at} is before the exercise starts")));
                }
            }
            When::After { on, delay } => {
                check_pattern(index, found, &wpath, on);
                if delay.minutes > end {
                    found.push((
                        wpath,
                        format!("delay {delay} is longer than the exercise ({})", s.duration),
                    ));
                }
            }
            When::Unless {
                after,
                expected,
                within,
            } => {
                check_pattern(index, found, &wpath, after);
                check_pattern(index, found, &wpath, expected);
                if within.minutes == 0 {
                    found.push((
                        wpath,
                        "zero `within`; expected the time the players have, e.g. \"20h\"".into(),
                    ));
                }
            }
        }
        for (n, to) in inject.to.iter().enumerate() {
            require_actor(index, found, path.field("to").index(n), to, "actor", is_any);
        }
        if inject.message.is_none()
            && inject.effects.is_empty()
            && inject.question.is_none()
            && inject.discussion.is_empty()
        {
            found.push((
                path.clone(),
                "an inject needs a message, effects or a question".into(),
            ));
        }
        for (n, effect) in inject.effects.iter().enumerate() {
            check_effect(index, found, &path.field("effects").index(n), effect);
        }
        check_guards(index, found, &path, inject);
        if let Some(question) = &inject.question {
            let qpath = path.field("question");
            if inject.to.is_empty() {
                found.push((
                    qpath.clone(),
                    "a question needs someone to ask: add the actors it is for to `to`".into(),
                ));
            }
            check_choice(
                found,
                (&qpath, &qpath.field("default")),
                question.options.iter().map(|o| o.id.as_str()),
                &question.default,
                question.timeout,
            );
            for (o, option) in question.options.iter().enumerate() {
                for (n, effect) in option.effects.iter().enumerate() {
                    let epath = qpath.field("options").index(o).field("effects").index(n);
                    check_effect(index, found, &epath, effect);
                }
            }
        }
        check_discussion(index, found, &path, inject);
    }
}

/// Discussion questions: someone to ask, distinct ids, a prompt, time to answer; a question
/// with options is a choice (a default among them), a free-text one has no default.
fn check_discussion(index: &impl Vocabulary, found: &mut Found, path: &ItemPath, inject: &Inject) {
    let copies = inject.discussion.len().saturating_mul(inject.to.len());
    if let Some(message) = bounds::over(
        u32::try_from(copies).unwrap_or(u32::MAX),
        bounds::DISCUSSION_COPIES,
        "copies of discussion questions (questions × addressees)",
    ) {
        found.push((path.field("discussion"), message));
        return;
    }
    let mut ids = std::collections::BTreeSet::new();
    for (q, question) in inject.discussion.iter().enumerate() {
        let qpath = path.field("discussion").index(q);
        if q == 0 && inject.to.is_empty() {
            found.push((
                qpath.clone(),
                "a discussion question is asked of each addressee, and the inject has none; add the actors it is for to `to`".into(),
            ));
        }
        if !ids.insert(question.id.as_str()) {
            found.push((
                qpath.field("id"),
                format!(
                    "question \"{}\" appears twice in this inject; expected distinct ids",
                    question.id
                ),
            ));
        }
        if question.prompt.trim().is_empty() {
            found.push((
                qpath.field("prompt"),
                "empty prompt; expected the question the players discuss".into(),
            ));
        }
        match &question.default {
            _ if !question.is_free_text() => {
                let Some(default) = &question.default else {
                    found.push((
                        qpath.clone(),
                        "a question with options needs `default`: the answer an addressee gives by not answering in time".into(),
                    ));
                    continue;
                };
                check_choice(
                    found,
                    (&qpath, &qpath.field("default")),
                    question.options.iter().map(|o| o.id.as_str()),
                    default,
                    question.timeout,
                );
                for (o, option) in question.options.iter().enumerate() {
                    for (n, effect) in option.effects.iter().enumerate() {
                        let epath = qpath.field("options").index(o).field("effects").index(n);
                        check_effect(index, found, &epath, effect);
                    }
                }
            }
            Some(_) => found.push((
                qpath.field("default"),
                "a free-text question has no default (an unanswered one is journaled as unanswered); remove `default` or give `options`".into(),
            )),
            None if question.timeout.minutes == 0 => found.push((
                qpath.clone(),
                "zero timeout; expected the time each addressee has, e.g. \"30m\"".into(),
            )),
            None => {}
        }
    }
}

/// A guard names an organisation (or none: each addressee) and a campaign that exist.
fn check_guards(index: &impl Vocabulary, found: &mut Found, path: &ItemPath, inject: &Inject) {
    for (n, guard) in inject.only_if.iter().enumerate() {
        let gpath = path.field("only_if").index(n);
        if let Some(entity) = guard.entity() {
            require_actor(index, found, gpath.clone(), entity, "entity", is_entity);
        } else if inject.to.is_empty() {
            found.push((
                gpath.clone(),
                "a guard without `entity` is asked of each addressee, and the inject has none; name the entity or add `to`".into(),
            ));
        }
        if let Some(campaign) = guard.campaign() {
            require_campaign(index, found, &gpath, campaign);
        }
    }
}

fn check_effect(
    index: &impl Vocabulary,
    found: &mut Found,
    path: &ItemPath,
    effect: &InjectEffect,
) {
    match effect {
        InjectEffect::Tip {
            entity,
            campaign,
            chance_percent,
        } => {
            require_actor(index, found, path.clone(), entity, "entity", is_entity);
            require_campaign(index, found, path, campaign);
            if *chance_percent > 100 {
                found.push((
                    path.clone(),
                    format!("chance_percent {chance_percent} is more than 100"),
                ));
            }
        }
        InjectEffect::StaffUnavailable {
            csirt,
            analysts,
            duration,
        } => {
            require_actor(index, found, path.clone(), csirt, "CSIRT", is_csirt);
            if let Some(message) = bounds::over(*analysts, bounds::ANALYSTS, "analysts") {
                found.push((path.clone(), message));
            }
            if *analysts == 0 || duration.minutes == 0 {
                found.push((
                    path.clone(),
                    "expected at least 1 analyst for at least 1m".into(),
                ));
            }
        }
        InjectEffect::Sighting {
            from,
            to,
            indicator,
            ..
        } => {
            require_actor(index, found, path.clone(), from, "actor", is_any);
            require_actor(index, found, path.clone(), to, "actor", is_any);
            require(
                found,
                path,
                Wanted::named("indicator"),
                indicator,
                index.indicator_ids(),
            );
        }
        InjectEffect::Reminder { entity } => {
            require_actor(index, found, path.clone(), entity, "entity", is_entity)
        }
        InjectEffect::ChannelDown {
            actor, duration, ..
        } => {
            require_actor(index, found, path.clone(), actor, "actor", is_any);
            if duration.minutes == 0 {
                found.push((path.clone(), "zero duration; expected e.g. \"6h\"".into()));
            }
        }
        InjectEffect::RequestScan { csirt, entity } => {
            require_actor(index, found, path.clone(), csirt, "CSIRT", is_csirt);
            require_actor(index, found, path.clone(), entity, "entity", is_entity);
            require_service(index, found, path, csirt, Service::Scanning);
        }
        InjectEffect::RaiseCrisis { csirt, .. } => {
            require_actor(index, found, path.clone(), csirt, "CSIRT", is_csirt);
        }
        InjectEffect::ContainNow { entity, campaign } => {
            require_actor(index, found, path.clone(), entity, "entity", is_entity);
            require_campaign(index, found, path, campaign);
        }
        InjectEffect::PatchNow { entity, cve } => {
            require_actor(index, found, path.clone(), entity, "entity", is_entity);
            require_cve(index, found, path, cve);
        }
        InjectEffect::WithholdReport { entity, report } => {
            require_actor(index, found, path.clone(), entity, "entity", is_entity);
            require_report(index, found, path, report);
        }
        InjectEffect::ShareMarking { entity, .. } => {
            require_actor(index, found, path.clone(), entity, "entity", is_entity);
        }
        InjectEffect::TakeOffline { entity, duration } => {
            require_actor(index, found, path.clone(), entity, "entity", is_entity);
            if duration.minutes == 0 {
                found.push((
                    path.clone(),
                    "zero duration; expected how long the systems stay offline, e.g. \"6h\"".into(),
                ));
            }
        }
    }
}
