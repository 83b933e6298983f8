//! What a CSIRT passes on: feedback to whoever informed it, indicators shared onward to
//! its constituency and peers with the context it added, public advisories. The marking
//! an indicator was received under decides whether it may go (TLP), and a refusal is
//! journaled once per (indicator, recipient).

use std::collections::BTreeSet;

use super::super::ctx::Ctx;
use super::super::journal::Event;
use super::super::knowledge::marked;
use super::super::plan::{ActorIx, IndicatorIx, Plan};
use super::super::state::{Case, Desk, Knowledge, Marked, Parcel};
use crate::scenario::{Relation, Service, Tlp};

/// Answers whoever informed the CSIRT with what it can share about the case.
pub fn feedback(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    knowledge: &Knowledge,
    to: ActorIx,
    related: &[IndicatorIx],
) {
    let plan = ctx.plan;
    let Some(profile) = plan.csirt(csirt) else {
        return;
    };
    let rel = plan.relation(csirt, to);
    let policy = match rel {
        Relation::Constituent => profile.sharing.constituency,
        Relation::Community => profile.sharing.csirts,
    };
    let indicators: Vec<Marked> = marked(knowledge, related)
        .into_iter()
        .filter(|m| {
            knowledge
                .indicators
                .get(&m.indicator)
                .is_some_and(|l| l.from != Some(to))
                && m.tlp.permits(rel)
        })
        .map(|m| Marked {
            tlp: m.tlp.strictest(policy),
            context: m.context.sanitised(),
            ..m
        })
        .collect();
    ctx.journal.record(
        ctx.now,
        Event::Feedback {
            from: plan.actor_ref(csirt),
            to: plan.actor_ref(to),
            indicators: indicators
                .iter()
                .map(|m| plan.indicator_ref(m.indicator))
                .collect(),
        },
    );
    if !indicators.is_empty() {
        let parcel = Parcel::Share {
            from: csirt,
            indicators,
            warning: false,
            hits: Vec::new(),
        };
        ctx.post
            .send(ctx.agenda, ctx.journal, ctx.now, csirt, to, parcel);
    }
}

/// Shares sanitised indicators with the constituency (as warnings, if the CSIRT offers
/// them) and with peer CSIRTs (if it takes part in the network).
pub fn share_onward(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &Knowledge,
    case: &Case,
    related: &[IndicatorIx],
) {
    let Some(profile) = ctx.plan.csirt(csirt) else {
        return;
    };
    let mut recipients = Vec::new();
    if profile.offers(Service::Warnings) {
        recipients.extend(
            profile
                .constituency
                .iter()
                .map(|r| (*r, true, profile.sharing.constituency)),
        );
    }
    if profile.offers(Service::Network) {
        recipients.extend(
            profile
                .peers
                .iter()
                .map(|r| (*r, false, profile.sharing.csirts)),
        );
    }
    recipients.retain(|(r, _, _)| *r != case.from && Some(*r) != case.reporter);
    share_with(ctx, csirt, desk, knowledge, &recipients, related);
}

/// Shares `related` with each recipient. Each (indicator, recipient) pair is passed once,
/// and again only when the CSIRT has added context since; the marking the CSIRT received
/// an indicator under decides whether it may go (a refusal is journaled once per pair).
pub fn share_with(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &Knowledge,
    recipients: &[(ActorIx, bool, Tlp)],
    related: &[IndicatorIx],
) {
    let plan = ctx.plan;
    let hits = hits(plan, knowledge, related);
    // What the CSIRT holds of each indicator, looked up once for all recipients (a
    // national CSIRT warns thousands).
    let held: Vec<_> = related
        .iter()
        .filter_map(|&indicator| {
            let learned = knowledge.indicators.get(&indicator)?;
            Some((indicator, learned, learned.context.sanitised()))
        })
        .collect();
    for &(recipient, warning, policy) in recipients {
        let rel = plan.relation(csirt, recipient);
        let mut parcel = Vec::new();
        let mut marking = Tlp::Clear;
        for &(indicator, learned, context) in &held {
            if learned.from == Some(recipient) {
                continue;
            }
            // Passed again only with context the recipient has not had.
            let Some(sent_before) =
                desk.passed_on
                    .put_unless((indicator, recipient), context, |&sent| {
                        sent.merged(context) == sent
                    })
            else {
                continue;
            };
            match learned.marking_for(rel, policy) {
                Ok(tlp) => {
                    marking = marking.strictest(tlp);
                    parcel.push(Marked {
                        indicator,
                        tlp,
                        context,
                    });
                }
                Err(held) if sent_before.is_none() => {
                    ctx.journal.record(
                        ctx.now,
                        Event::ShareRefused {
                            from: plan.actor_ref(csirt),
                            to: plan.actor_ref(recipient),
                            indicator: plan.indicator_ref(indicator),
                            tlp: held,
                            reason: held.refusal(),
                        },
                    );
                }
                Err(_) => {}
            }
        }
        // Other CSIRTs also hear of incidents they have not heard of from us (sectoral
        // context, victims not named), even when no indicator is new to them.
        let new_hits: Vec<(ActorIx, u32)> = if plan.csirt(recipient).is_some() {
            hits.iter()
                .copied()
                .filter(|(victim, campaign)| {
                    desk.hits_passed
                        .insert((*victim, *campaign, recipient), ())
                        .is_none()
                })
                .collect()
        } else {
            Vec::new()
        };
        if parcel.is_empty() && new_hits.is_empty() {
            continue;
        }
        // Nothing left to pass but news of incidents: that is not a share (an objective
        // that asks for a share is not met by it), and is journaled as what it is.
        let event = if parcel.is_empty() {
            Event::IncidentsPassedOn {
                from: plan.actor_ref(csirt),
                to: plan.actor_ref(recipient),
                incidents: super::super::plan::ix(new_hits.len()),
            }
        } else {
            Event::Shared {
                from: plan.actor_ref(csirt),
                to: plan.actor_ref(recipient),
                indicators: parcel
                    .iter()
                    .map(|m| plan.indicator_ref(m.indicator))
                    .collect(),
                tlp: marking,
                warning,
            }
        };
        ctx.journal.record(ctx.now, event);
        let hits = new_hits;
        let parcel = Parcel::Share {
            from: csirt,
            indicators: parcel,
            warning,
            hits,
        };
        ctx.post
            .send(ctx.agenda, ctx.journal, ctx.now, csirt, recipient, parcel);
    }
}

/// A public advisory: every organisation in the CSIRT's country learns those of
/// `indicators` that may go to anyone (CLEAR or GREEN, or the CSIRT's own).
pub fn publish(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &Knowledge,
    indicators: &[IndicatorIx],
) {
    let plan = ctx.plan;
    let Some(country) = plan.csirt(csirt).map(|c| c.country.clone()) else {
        return;
    };
    let public: Vec<IndicatorIx> = indicators
        .iter()
        .copied()
        .filter(|i| {
            knowledge
                .indicators
                .get(i)
                .is_some_and(|l| l.tlp <= Tlp::Green || l.from.is_none())
        })
        .collect();
    let recipients: Vec<_> = plan
        .entities
        .iter()
        .filter(|e| e.country == country)
        .map(|e| (e.actor, true, Tlp::Clear))
        .collect();
    share_with(ctx, csirt, desk, knowledge, &recipients, &public);
}

/// The incidents `knowledge` holds for the campaigns of `indicators`, to pass on without
/// the victims' identity (sectoral context).
fn hits(plan: &Plan, knowledge: &Knowledge, indicators: &[IndicatorIx]) -> Vec<(ActorIx, u32)> {
    let campaigns: BTreeSet<_> = indicators
        .iter()
        .map(|i| plan.indicators[*i as usize].campaign)
        .collect();
    knowledge
        .incidents
        .keys()
        .filter(|(_, c)| campaigns.contains(c))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::state::{Context, Learned};
    use crate::sim::testkit::{self, Bench, CSIRT, ENTITY, INDICATOR};

    /// The CSIRT holds the indicator, received from the bank under `tlp`; a second
    /// organisation, "shop", is in its constituency.
    fn holding(tlp: Tlp) -> (Bench, Knowledge) {
        let mut s = testkit::scenario();
        let shop = testkit::organisation(&s, "shop");
        s.entities.push(shop);
        let bench = Bench::new(&s);
        let mut knowledge = Knowledge::default();
        knowledge.indicators.insert(
            bench.ix(INDICATOR),
            Learned {
                at: 0,
                from: Some(bench.ix(ENTITY)),
                tlp,
                context: Context::default(),
            },
        );
        (bench, knowledge)
    }

    fn warn_shop(bench: &mut Bench, desk: &mut Desk, knowledge: &Knowledge) {
        let (csirt, shop, indicator) = (bench.ix(CSIRT), bench.ix("shop"), bench.ix(INDICATOR));
        share_with(
            &mut bench.ctx(),
            csirt,
            desk,
            knowledge,
            &[(shop, true, Tlp::Amber)],
            &[indicator],
        );
    }

    #[test]
    fn a_red_indicator_is_refused_to_a_recipient_not_named_once_per_recipient() {
        let (mut bench, knowledge) = holding(Tlp::Red);
        let mut desk = Desk::new(4);
        warn_shop(&mut bench, &mut desk, &knowledge);
        warn_shop(&mut bench, &mut desk, &knowledge);
        assert_eq!(bench.kinds(), ["share_refused"]);
    }

    #[test]
    fn a_green_indicator_goes_to_the_constituency_under_the_csirts_policy() {
        let (mut bench, knowledge) = holding(Tlp::Green);
        let mut desk = Desk::new(4);
        warn_shop(&mut bench, &mut desk, &knowledge);
        let shared: Vec<Tlp> = bench
            .journal
            .entries()
            .iter()
            .filter_map(|e| match e.event {
                Event::Shared { tlp, .. } => Some(tlp),
                _ => None,
            })
            .collect();
        assert_eq!(shared, [Tlp::Amber]);
    }

    #[test]
    fn an_indicator_is_passed_to_a_recipient_once_unless_context_was_added() {
        let (mut bench, mut knowledge) = holding(Tlp::Green);
        let mut desk = Desk::new(4);
        warn_shop(&mut bench, &mut desk, &knowledge);
        warn_shop(&mut bench, &mut desk, &knowledge);
        assert_eq!(bench.kinds(), ["shared"]);
        let indicator = bench.ix(INDICATOR);
        knowledge
            .indicators
            .update(&indicator, |l| l.context.adversarial = true);
        warn_shop(&mut bench, &mut desk, &knowledge);
        assert_eq!(bench.kinds(), ["shared", "shared"]);
    }
}
