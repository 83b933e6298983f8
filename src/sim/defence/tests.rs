//! What an organisation does about an intrusion, tested on the testkit's bank: tips,
//! impacts that announce themselves, its own investigation, reports owed, containment.
use crate::scenario::{Difficulty, Effect, InjectEffect, Maturity, Obligation, ReportKind};
use crate::sim::adversary::detection_ppm;
use crate::sim::journal::{DetectionSource, Event};
use crate::sim::testkit::{self, Bench, CAMPAIGN, CSIRT, ENTITY, inject, minutes_of, of_kind};

/// The bank's monitoring barely sees the stage (so the tip is what makes it aware), the
/// stage has `effect`, and a certain tip arrives at T+15m, while the stage is under way.
fn tipped(effect: Effect) -> crate::scenario::Scenario {
    let mut s = testkit::scenario();
    s.entities[0].monitoring = Maturity::Low;
    s.entities[0].reporting = vec![Obligation::Nis2 { to: CSIRT.into() }];
    let stage = &mut s.adversaries[0].campaigns[0].stages[0];
    stage.detection = Difficulty::VeryHard;
    stage.effect = effect;
    let tip = InjectEffect::Tip {
        entity: ENTITY.into(),
        campaign: CAMPAIGN.into(),
        chance_percent: 100,
    };
    s.injects.push(inject("helpdesk", "T+15m", vec![tip]));
    s
}

#[test]
fn an_indicator_known_before_the_stage_raises_the_chance_to_detect_it() {
    let bench = Bench::new(&testkit::scenario());
    let (campaign, bank) = (bench.ix(CAMPAIGN), bench.ix(ENTITY));
    let unknown = detection_ppm(&bench.plan, campaign, bank, 0, false);
    let known = detection_ppm(&bench.plan, campaign, bank, 0, true);
    assert!(known > unknown, "{known} > {unknown}");
}

#[test]
fn a_certain_tip_makes_the_organisation_aware() {
    let sim = testkit::play(&tipped(Effect::None));
    let detected = of_kind(&sim, "detected");
    assert_eq!(detected.len(), 1);
    assert!(matches!(
        detected[0].event,
        Event::Detected {
            source: DetectionSource::Tip,
            ..
        }
    ));
}

#[test]
fn a_tip_about_a_campaign_that_finished_here_still_lands() {
    let mut s = tipped(Effect::None);
    // The one stage ends within 2 h; the tip comes a day later.
    s.injects[0].when = crate::scenario::When::At(testkit::at("T+1d"));
    let sim = testkit::play(&s);
    let detected = of_kind(&sim, "detected");
    assert!(
        matches!(&detected[..], [e] if e.t == 1441 && matches!(e.event,
            Event::Detected { source: DetectionSource::Tip, .. })),
        "{detected:?}"
    );
}

#[test]
fn encryption_makes_its_victim_aware_the_same_minute() {
    let mut s = tipped(Effect::Encryption);
    s.injects.clear();
    let sim = testkit::play(&s);
    let impact = of_kind(&sim, "impact");
    let detected = of_kind(&sim, "detected");
    assert_eq!(impact.len(), 1);
    assert!(
        matches!(&detected[..], [e] if e.t == impact[0].t && matches!(e.event,
            Event::Detected { source: DetectionSource::Impact, .. })),
        "{detected:?}"
    );
}

#[test]
fn an_aware_organisation_learns_its_own_indicators() {
    let sim = testkit::play(&tipped(Effect::None));
    let own = of_kind(&sim, "indicator_learned")
        .into_iter()
        .filter(|e| {
            matches!(&e.event, Event::IndicatorLearned { actor, from: None, .. }
                if &*actor.id == ENTITY)
        })
        .count();
    assert_eq!(own, 1);
}

#[test]
fn a_major_incident_under_nis2_owes_an_early_warning_within_24_hours() {
    let sim = testkit::play(&tipped(Effect::Encryption));
    let aware = of_kind(&sim, "detected")[0].t;
    let due: Vec<(ReportKind, i64)> = of_kind(&sim, "report_due")
        .iter()
        .filter_map(|e| match &e.event {
            Event::ReportDue { report, due, .. } => Some((report.clone(), *due)),
            _ => None,
        })
        .collect();
    assert!(
        due.contains(&(ReportKind::Nis2EarlyWarning, aware + 1440)),
        "{due:?}"
    );
}

#[test]
fn a_minor_incident_owes_no_report() {
    let sim = testkit::play(&tipped(Effect::None));
    assert_eq!(of_kind(&sim, "classified").len(), 1);
    assert!(of_kind(&sim, "report_due").is_empty());
}

#[test]
fn an_aware_organisation_contains_the_intrusion() {
    let sim = testkit::play(&tipped(Effect::None));
    let detected = of_kind(&sim, "detected")[0].t;
    let contained = of_kind(&sim, "contained");
    assert_eq!(contained.len(), 1);
    assert!(contained[0].t > detected);
}

/// The bank's players decide at T+5m, before the ransomware makes it aware, not to send
/// the NIS2 early warning (and nothing else).
fn withheld() -> crate::scenario::Scenario {
    let mut s = tipped(Effect::Encryption);
    s.injects.clear();
    let decision = InjectEffect::WithholdReport {
        entity: ENTITY.into(),
        report: ReportKind::Nis2EarlyWarning,
    };
    s.injects.push(inject("not-major", "T+5m", vec![decision]));
    s
}

fn sent(sim: &crate::sim::Simulation) -> Vec<ReportKind> {
    of_kind(sim, "report_sent")
        .iter()
        .filter_map(|e| match &e.event {
            Event::ReportSent { report, .. } => Some(report.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_withheld_report_is_not_sent_and_its_deadline_passes_as_a_choice() {
    let sim = testkit::play(&withheld());
    assert_eq!(
        minutes_of(&sim, "report_withheld"),
        [6],
        "the minute after the inject"
    );
    let sent = sent(&sim);
    assert!(!sent.contains(&ReportKind::Nis2EarlyWarning), "{sent:?}");
    assert!(
        sent.contains(&ReportKind::Nis2Notification),
        "only the one report is withheld: {sent:?}"
    );
    let overdue: Vec<ReportKind> = of_kind(&sim, "report_overdue")
        .iter()
        .filter_map(|e| match &e.event {
            Event::ReportOverdue { report, .. } => Some(report.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(overdue, [ReportKind::Nis2EarlyWarning]);
}

#[test]
fn a_player_who_sends_a_withheld_report_reverses_the_decision() {
    let mut s = withheld();
    s.roles.push(crate::scenario::Role {
        id: "ciso".into(),
        title: "Bank CISO".into(),
        actor: ENTITY.into(),
        decisions: Vec::new(),
        briefing: String::new(),
        actions: None,
    });
    // Once the incident is classified, the early warning is owed and the player sends it.
    let plain = testkit::play(&s);
    let owed = of_kind(&plain, "report_due")[0].t;
    let report = crate::sim::Command::Act {
        role: "ciso".into(),
        action: crate::sim::PlayerAction::Report {
            incident: 1,
            report: ReportKind::Nis2EarlyWarning,
        },
    };
    let sim = testkit::play_with(&s, &[(owed + 10, report)]);
    assert_eq!(minutes_of(&sim, "report_reconsidered"), [owed + 10]);
    assert!(sent(&sim).contains(&ReportKind::Nis2EarlyWarning));
    assert!(of_kind(&sim, "report_overdue").is_empty());
}

#[test]
fn a_new_marking_goes_with_what_the_organisation_reports() {
    let mut s = tipped(Effect::Encryption);
    s.injects.clear();
    let marking = InjectEffect::ShareMarking {
        entity: ENTITY.into(),
        tlp: crate::scenario::Tlp::Clear,
    };
    s.injects.push(inject("open-up", "T+5m", vec![marking]));
    let sim = testkit::play(&s);
    assert_eq!(
        minutes_of(&sim, "marking_changed"),
        [6],
        "the minute after the inject"
    );
    let at_csirt: Vec<crate::scenario::Tlp> = of_kind(&sim, "indicator_learned")
        .iter()
        .filter_map(|e| match &e.event {
            Event::IndicatorLearned {
                actor,
                from: Some(from),
                tlp,
                ..
            } if &*actor.id == CSIRT && &*from.id == ENTITY => Some(*tlp),
            _ => None,
        })
        .collect();
    assert!(!at_csirt.is_empty(), "the bank reported its indicators");
    assert!(
        at_csirt.iter().all(|t| *t == crate::scenario::Tlp::Clear),
        "{at_csirt:?}"
    );
}

#[test]
fn a_stage_due_while_the_systems_are_offline_fails_and_they_come_back() {
    let mut s = tipped(Effect::Encryption);
    s.injects.clear();
    let offline = InjectEffect::TakeOffline {
        entity: ENTITY.into(),
        duration: testkit::duration("6h"),
    };
    s.injects
        .push(inject("pull-the-plug", "T+5m", vec![offline]));
    let sim = testkit::play(&s);
    assert_eq!(minutes_of(&sim, "taken_offline"), [6]);
    assert_eq!(minutes_of(&sim, "stage_failed_offline").len(), 1);
    assert!(
        of_kind(&sim, "impact").is_empty(),
        "the ransomware never ran"
    );
    assert_eq!(minutes_of(&sim, "back_online"), [6 + 360]);
}

/// A cyber-insurance rule the scenario defines, owed by the bank to its insurer and to the
/// police: a claim notice within 8 h of the encryption's classification, a claim file a
/// week after the notice.
fn claims() -> crate::scenario::Scenario {
    use crate::scenario::{
        Authority, AuthorityKind, Clock, Deadline, Duration, ImpactKind, Recipient, Regime,
        RegimeReport, ReportPhase, Trigger,
    };
    let mut s = tipped(Effect::Encryption);
    s.injects.clear();
    // Quick enough to write the notice within its 8 hours.
    s.entities[0].monitoring = Maturity::High;
    for (id, kind) in [
        ("insurer", AuthorityKind::Insurer),
        ("police", AuthorityKind::LawEnforcement),
    ] {
        s.authorities.push(Authority {
            id: id.into(),
            name: id.into(),
            kind,
            country: "NL".into(),
            forwards_to: None,
            forward_delay: Duration::hours(2),
        });
    }
    let notice = ReportKind::Defined("Claim notice".into());
    s.regimes.push(Regime {
        id: "claims".into(),
        name: "Cyber policy".into(),
        goes_to: vec![
            Recipient::Authority(AuthorityKind::Insurer),
            Recipient::Authority(AuthorityKind::LawEnforcement),
        ],
        starts: vec![Trigger::Impact(ImpactKind::Encryption)],
        reports: vec![
            RegimeReport {
                report: notice.clone(),
                due: vec![Deadline {
                    within: Duration::hours(8),
                    from: Clock::Classification,
                }],
                phase: ReportPhase::Initial,
            },
            RegimeReport {
                report: ReportKind::Defined("Claim file".into()),
                due: vec![Deadline {
                    within: Duration::hours(7 * 24),
                    from: Clock::Sent(notice),
                }],
                phase: ReportPhase::Intermediate,
            },
        ],
        sectors: Vec::new(),
    });
    s.entities[0].reporting = ["insurer", "police"]
        .map(|to| Obligation::Owes {
            regime: "claims".into(),
            to: to.into(),
        })
        .to_vec();
    s
}

/// `(report, recipient, minute)` of every event of `kind` about a report.
fn reports(sim: &crate::sim::Simulation, kind: &str) -> Vec<(String, String, i64)> {
    of_kind(sim, kind)
        .iter()
        .filter_map(|e| match &e.event {
            Event::ReportDue { report, to, .. } | Event::ReportSent { report, to, .. } => {
                Some((report.label().to_owned(), to.id.to_string(), e.t))
            }
            Event::ReportReceived { report, by, .. } => {
                Some((report.label().to_owned(), by.id.to_string(), e.t))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_regime_the_scenario_defines_is_owed_and_sent_to_each_of_its_recipients() {
    let s = claims();
    assert!(
        crate::scenario::validate::validate(&s).is_empty(),
        "{:?}",
        crate::scenario::validate::validate(&s)
    );
    let sim = testkit::play(&s);
    let classified = of_kind(&sim, "classified")[0].t;
    let due = reports(&sim, "report_due");
    assert_eq!(
        due[..2],
        [
            ("Claim notice".into(), "insurer".into(), classified),
            ("Claim notice".into(), "police".into(), classified),
        ],
        "{due:?}"
    );
    let sent = reports(&sim, "report_sent");
    let notices: Vec<&(String, String, i64)> =
        sent.iter().filter(|r| r.0 == "Claim notice").collect();
    assert_eq!(notices.len(), 2, "one copy to each recipient: {sent:?}");
    assert_eq!(notices[0].2, notices[1].2, "written once, sent to both");
    assert!(notices[0].2 <= classified + 8 * 60, "on time: {sent:?}");
    // The claim file's clock starts for each recipient when the notice is sent.
    let files: Vec<&(String, String, i64)> = due.iter().filter(|r| r.0 == "Claim file").collect();
    assert_eq!(files.len(), 2, "{due:?}");
    assert!(files.iter().all(|r| r.2 == notices[0].2));
    let received: Vec<String> = reports(&sim, "report_received")
        .into_iter()
        .filter(|r| r.0 == "Claim notice")
        .map(|r| r.1)
        .collect();
    assert_eq!(received, ["insurer", "police"]);
    assert!(of_kind(&sim, "report_overdue").is_empty());
}

#[test]
fn a_regime_can_send_its_report_to_a_bank_which_learns_what_it_carries() {
    use crate::scenario::{
        Clock, Deadline, Duration, ImpactKind, Recipient, Regime, RegimeReport, ReportPhase,
        Sector, Trigger,
    };
    // A payment fraud must be reported to the receiving bank, so it can freeze the money.
    let mut s = tipped(Effect::Fraud);
    let mut receiving = testkit::organisation(&s, "receiving-bank");
    receiving.reporting.clear();
    s.entities.push(receiving);
    s.regimes.push(Regime {
        id: "recall".into(),
        name: "Payment recall".into(),
        goes_to: vec![Recipient::Organisation(Sector::Finance)],
        starts: vec![Trigger::Impact(ImpactKind::Fraud)],
        reports: vec![RegimeReport {
            report: ReportKind::Defined("Recall request".into()),
            due: vec![Deadline {
                within: Duration::hours(2),
                from: Clock::Awareness,
            }],
            phase: ReportPhase::Initial,
        }],
        sectors: vec![Sector::Finance],
    });
    s.entities[0].reporting = vec![Obligation::Owes {
        regime: "recall".into(),
        to: "receiving-bank".into(),
    }];
    assert!(crate::scenario::validate::validate(&s).is_empty());
    let sim = testkit::play(&s);
    let sent = reports(&sim, "report_sent");
    assert!(
        matches!(&sent[..], [(report, to, _)] if report == "Recall request" && to == "receiving-bank"),
        "{sent:?}"
    );
    let learned = of_kind(&sim, "indicator_learned").iter().any(|e| {
        matches!(&e.event, Event::IndicatorLearned { actor, from: Some(from), .. }
            if &*actor.id == "receiving-bank" && &*from.id == ENTITY)
    });
    assert!(
        learned,
        "the bank learns the indicators the request carries"
    );
}
