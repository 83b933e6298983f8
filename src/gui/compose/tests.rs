use super::*;
use crate::sim::Plan;

fn plan() -> Plan {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
    let (scenario, _) = crate::scenario::load_path(&path).unwrap();
    Plan::build(&scenario).unwrap()
}

/// A draft with the title every inject needs, so each test shows the problem it is about.
fn titled() -> AdHocDraft {
    AdHocDraft {
        title: "ad-hoc test".into(),
        ..AdHocDraft::default()
    }
}

#[test]
fn every_effect_is_checked_against_the_plan() {
    let plan = plan();
    let good = [
        AdHocDraft {
            kind: EffectKind::Tip,
            entity: "ducksends".into(),
            campaign: "molting".into(),
            ..titled()
        },
        AdHocDraft {
            kind: EffectKind::StaffUnavailable,
            csirt: "fin-csirt".into(),
            ..titled()
        },
        AdHocDraft {
            kind: EffectKind::Sighting,
            from: "be-csirt".into(),
            recipient: "ncsc-nl".into(),
            indicator: "phish-domain".into(),
            first_seen: "T+0".into(),
            ..titled()
        },
        AdHocDraft {
            kind: EffectKind::Reminder,
            entity: "ducksends".into(),
            ..titled()
        },
        AdHocDraft {
            kind: EffectKind::ChannelDown,
            actor: "zilverbank".into(),
            ..titled()
        },
        AdHocDraft {
            kind: EffectKind::RaiseCrisis,
            csirt: "ncsc-nl".into(),
            to: "ncsc-nl".into(),
            ..titled()
        },
    ];
    for draft in &good {
        let inject = draft.build("adhoc-1", 60, &plan).unwrap();
        assert_eq!(inject.effects.len(), 1);
        compiles(&inject, &plan).unwrap();
    }
    let bad = [
        (
            AdHocDraft {
                kind: EffectKind::Tip,
                entity: "fin-csirt".into(),
                campaign: "nope".into(),
                chance_percent: "150".into(),
                ..titled()
            },
            3,
        ),
        (
            AdHocDraft {
                kind: EffectKind::StaffUnavailable,
                csirt: "fin-csirt".into(),
                analysts: "9".into(),
                duration: "0m".into(),
                ..titled()
            },
            2,
        ),
        (
            AdHocDraft {
                kind: EffectKind::Sighting,
                from: "be-csirt".into(),
                recipient: "ncsc-nl".into(),
                indicator: "phish-domain".into(),
                first_seen: "T+3h".into(),
                ..titled()
            },
            1,
        ),
        (
            AdHocDraft {
                kind: EffectKind::RequestScan,
                csirt: "ducksends".into(),
                entity: "ducksends".into(),
                to: "ghost".into(),
                ..titled()
            },
            2,
        ),
    ];
    for (draft, problems) in &bad {
        let found = draft.build("adhoc-1", 60, &plan).unwrap_err();
        assert_eq!(found.len(), *problems, "{:?}: {found:?}", draft.kind);
    }
}

#[test]
fn reference_problems_name_the_field_and_offer_the_near_miss() {
    let plan = plan();
    let sighting = AdHocDraft {
        kind: EffectKind::Sighting,
        from: "be-csirt".into(),
        recipient: "ncsc-nk".into(),
        indicator: "phish-domian".into(),
        ..titled()
    };
    assert_eq!(
        sighting.build("adhoc-1", 60, &plan).unwrap_err(),
        [
            "recipient: no actor \"ncsc-nk\" in this scenario; did you mean \"ncsc-nl\"?",
            "indicator: no indicator \"phish-domian\" in this scenario; did you mean \"phish-domain\"?",
        ]
    );
    let crisis = AdHocDraft {
        kind: EffectKind::RaiseCrisis,
        csirt: "ducksends".into(),
        ..titled()
    };
    assert_eq!(
        crisis.build("adhoc-1", 60, &plan).unwrap_err(),
        ["csirt: \"ducksends\" is not a CSIRT"]
    );
}

#[test]
fn white_cell_messages_are_marked_exercise() {
    let plan = plan();
    let draft = WhiteCellDraft {
        to: "ducksends, zilverbank".into(),
        subject: "Comment on the outage?".into(),
        ..WhiteCellDraft::default()
    };
    let inject = draft.build("white-cell-1", 10, &plan).unwrap();
    let message = inject.message.unwrap();
    assert_eq!(message.subject, "[EXERCISE] Comment on the outage?");
    assert_eq!(inject.to, ["ducksends", "zilverbank"]);
    assert!(inject.effects.is_empty());
    let empty = WhiteCellDraft::default().build("white-cell-2", 10, &plan);
    assert_eq!(empty.unwrap_err().len(), 2, "no recipient, no subject");
}
