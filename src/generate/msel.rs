//! The master scenario events list (MSEL) and the objectives: injects and checks that
//! name the generated campaigns and organisations.

use rand::RngExt;

use crate::scenario::{
    Adversary, At, Channel, Check, Csirt, EventPattern, ImpactKind, Inject, InjectEffect, Message,
    Minute, Objective, ReportKind, When, Who,
};

use super::adversaries::CampaignInfo;
use super::draw::{STREAM_MSEL, chance, pick, stream};
use super::names::{COUNTRIES, national_id, sector_label};
use super::options::GenerateOptions;
use super::units::{DAY, HOUR, minutes};
use super::world::World;

pub(super) fn message(
    from: String,
    channel: Channel,
    subject: String,
    body: String,
) -> Option<Message> {
    Some(Message {
        from,
        channel,
        subject,
        body,
    })
}

pub(super) fn build_msel(
    options: &GenerateOptions,
    world: &World,
    adversaries: &[Adversary],
    campaigns: &[CampaignInfo],
) -> (Vec<Inject>, Vec<Objective>) {
    let mut rng = stream(options.seed, STREAM_MSEL);
    let end = Minute::from(options.days.max(1)) * DAY;
    let mut injects = Vec::new();
    let mut objectives = Vec::new();
    for c in campaigns {
        let focus = &world.info[c.focus];
        let adversary = &adversaries[c.adversary];
        let national = national_id(focus.country);

        // A helpdesk tip a few hours in: a chance to notice the campaign early.
        let tip_at = c.start + rng.random_range(HOUR..=8 * HOUR);
        if tip_at <= end && chance(&mut rng, 70) {
            injects.push(Inject {
                only_if: Vec::new(),
                optional: false,
                discussion: Vec::new(),
                id: format!("{}-tip", c.id),
                title: format!("{}: helpdesk reports odd activity", focus.name),
                when: When::At(At::Offset(tip_at)),
                to: vec![focus.id.clone()],
                message: message(
                    format!("{} IT helpdesk", focus.name),
                    Channel::Phone,
                    "Users report something odd".into(),
                    "Several colleagues called about unexpected log-in prompts and a slow file server. One of them clicked a link in a mail about an overdue invoice.".into(),
                ),
                effects: vec![InjectEffect::Tip {
                    entity: focus.id.clone(),
                    campaign: c.id.clone(),
                    chance_percent: rng.random_range(20..=50),
                }],
                expected: vec![
                    "The organisation investigates, opens an incident and classifies it".into(),
                    "The organisation informs its CSIRT".into(),
                ],
                question: None,
            });
        }

        // HSEEP contingency: the regulator or CSIRT asks for the report it has not seen.
        if let Some(report) = &focus.duty {
            let (asker, subject) = match report {
                ReportKind::DoraInitial => (
                    format!("Financial supervisor ({})", COUNTRIES[focus.country].1),
                    "Have you notified a major ICT incident?",
                ),
                _ => (
                    format!("{} duty officer", focus.csirt),
                    "Do you have an incident to report?",
                ),
            };
            injects.push(Inject {
                only_if: Vec::new(),
                optional: false,
                discussion: Vec::new(),
                id: format!("{}-reminder", c.id),
                title: format!("{}: reminder of the {}", focus.name, report.label()),
                when: When::Unless {
                    after: EventPattern::Detected(Who::Entity(focus.id.clone())),
                    expected: EventPattern::ReportSent { by: Who::Entity(focus.id.clone()), report: report.clone() },
                    within: minutes(20 * HOUR),
                },
                to: vec![focus.id.clone()],
                message: message(asker, Channel::Phone, subject.into(), format!(
                    "We hear about an incident at {} and have not received your report. When can we expect it?",
                    focus.name
                )),
                effects: vec![InjectEffect::Reminder { entity: focus.id.clone() }],
                expected: vec!["The organisation classifies the incident and sends the report at once".into()],
                question: None,
            });
        }

        // Cross-border: another national CSIRT has seen the campaign's first indicator.
        if world.countries > 1 && !c.first_indicator.is_empty() && chance(&mut rng, 60) {
            let other =
                (focus.country + 1 + rng.random_range(0..world.countries - 1)) % world.countries;
            let other_id = national_id(other);
            injects.push(Inject {
                only_if: Vec::new(),
                optional: false,
                discussion: Vec::new(),
                id: format!("{}-sighting", c.id),
                title: format!("{other_id}: {} seen abroad", c.first_indicator),
                when: When::After {
                    on: EventPattern::Detected(Who::Entity(focus.id.clone())),
                    delay: minutes(rng.random_range(2..=12) * HOUR),
                },
                to: vec![national.clone()],
                message: message(
                    format!("{other_id} duty officer"),
                    Channel::Email,
                    format!("Sighting: {} (TLP:AMBER)", c.first_indicator),
                    format!("An organisation in our constituency ({}) reports the same indicator, first seen two days ago.", COUNTRIES[other].1),
                ),
                effects: vec![InjectEffect::Sighting {
                    from: other_id.clone(),
                    to: national.clone(),
                    indicator: c.first_indicator.clone(),
                    first_seen: At::Offset(c.start - 2 * DAY),
                    place: format!("an organisation in the constituency of {other_id}"),
                }],
                expected: vec![format!("{national} links the sighting to the incident and answers within 24 h")],
                question: None,
            });
        }

        // The ransom note after the first encryption.
        if c.encrypts {
            let at = match c.sector_wave {
                Some(s) => Who::Sector(s),
                None => Who::Entity(focus.id.clone()),
            };
            injects.push(Inject {
                only_if: Vec::new(),
                optional: false,
                discussion: Vec::new(),
                id: format!("{}-ransom-note", c.id),
                title: format!("{}: ransom note", c.name),
                when: When::After {
                    on: EventPattern::Impact { at, effect: ImpactKind::Encryption },
                    delay: minutes(15),
                },
                to: vec![focus.id.clone(), focus.csirt.clone()],
                message: message(
                    adversary.name.clone(),
                    Channel::Email,
                    "Your files are encrypted".into(),
                    "Your servers are encrypted and we have copies of your data. Contact us within 48 hours.".into(),
                ),
                effects: Vec::new(),
                expected: vec!["The victim activates its crisis team and isolates affected systems".into()],
                question: None,
            });
        }

        // Objectives: the report in time, the sector warned, no encryption.
        match &focus.duty {
            Some(ReportKind::DoraInitial) => objectives.push(Objective {
                expect: None,
                id: format!("{}-dora", c.id),
                title: format!(
                    "{}: DORA initial notification within 4 h of classifying as major",
                    focus.name
                ),
                check: Check::Deadline {
                    after: EventPattern::Classified(Who::Entity(focus.id.clone())),
                    expected: EventPattern::ReportSent {
                        by: Who::Entity(focus.id.clone()),
                        report: ReportKind::DoraInitial,
                    },
                    within: minutes(4 * HOUR),
                },
            }),
            Some(report) => objectives.push(Objective {
                expect: None,
                id: format!("{}-early-warning", c.id),
                title: format!(
                    "{}: NIS2 early warning within 24 h of awareness",
                    focus.name
                ),
                check: Check::Deadline {
                    after: EventPattern::Detected(Who::Entity(focus.id.clone())),
                    expected: EventPattern::ReportSent {
                        by: Who::Entity(focus.id.clone()),
                        report: report.clone(),
                    },
                    within: minutes(DAY),
                },
            }),
            None => {}
        }
        if !c.first_indicator.is_empty() {
            objectives.push(Objective {
                expect: None,
                id: format!("{}-coverage", c.id),
                title: format!(
                    "Every {} organisation knows {} within 24 h of {} learning it",
                    sector_label(focus.sector),
                    c.first_indicator,
                    focus.csirt
                ),
                check: Check::Coverage {
                    sector: focus.sector,
                    indicator: c.first_indicator.clone(),
                    after: EventPattern::Knows {
                        actor: focus.csirt.clone(),
                        indicator: c.first_indicator.clone(),
                    },
                    within: minutes(DAY),
                },
            });
        }
        if c.encrypts {
            let at = c
                .sector_wave
                .map_or_else(|| Who::Entity(focus.id.clone()), Who::Sector);
            objectives.push(Objective {
                expect: None,
                id: format!("{}-no-encryption", c.id),
                title: match c.sector_wave {
                    Some(s) => format!(
                        "{}: no {} organisation is encrypted",
                        c.name,
                        sector_label(s)
                    ),
                    None => format!("{}: {} is not encrypted", c.name, focus.name),
                },
                check: Check::Absence(EventPattern::Impact {
                    at,
                    effect: ImpactKind::Encryption,
                }),
            });
        } else if c.data_theft {
            objectives.push(Objective {
                expect: None,
                id: format!("{}-no-data-theft", c.id),
                title: format!("{}: no data stolen from {}", c.name, focus.name),
                check: Check::Absence(EventPattern::Impact {
                    at: Who::Entity(focus.id.clone()),
                    effect: ImpactKind::DataTheft,
                }),
            });
        }
    }

    // Staff shortages: one every ten days at a CSIRT with more than one analyst.
    let staffed: Vec<&Csirt> = world.csirts.iter().filter(|c| c.analysts > 1).collect();
    if !staffed.is_empty() {
        for k in 0..(options.days / 10).max(1) {
            let csirt = *pick(&mut rng, &staffed);
            let at = rng.random_range(0..end);
            let days = rng.random_range(1..=3);
            injects.push(Inject {
                only_if: Vec::new(),
                optional: false,
                discussion: Vec::new(),
                id: format!("staff-{:02}-{}", k + 1, csirt.id),
                title: format!("{}: analysts off sick", csirt.name),
                when: When::At(At::Offset(at)),
                to: vec![csirt.id.clone()],
                message: message(
                    format!("{} team lead", csirt.id),
                    Channel::Phone,
                    "Analysts off sick".into(),
                    format!("Two analysts called in sick and will not be back for {days} days."),
                ),
                effects: vec![InjectEffect::StaffUnavailable {
                    csirt: csirt.id.clone(),
                    analysts: (csirt.analysts - 1).min(2),
                    duration: minutes(days * DAY),
                }],
                expected: vec![
                    "The CSIRT re-plans its queue and considers asking its national CSIRT for help"
                        .into(),
                ],
                question: None,
            });
        }
    }
    (injects, objectives)
}
