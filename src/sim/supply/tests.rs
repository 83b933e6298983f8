//! Supply chains: a payroll supplier's breach reaches its customers without any intrusion
//! at them, and they learn of it only from the supplier's notice or the news.

use crate::scenario::{Customers, Minute, Obligation, Recipient, Scenario, Sector, parse};
use crate::sim::Simulation;
use crate::sim::journal::{DetectionSource, Event};
use crate::sim::narrate;
use crate::sim::testkit;

/// A payroll provider holding two customers' staff data; a campaign steals it. The
/// provider owes its customers a breach notice within 24 hours of becoming aware; a
/// third organisation is not its customer.
const PAYROLL: &str = r#"Scenario(
    version: 1,
    name: "Payroll breach",
    start: "2026-03-16 09:00",
    duration: "5d",
    csirts: [
        Csirt(id: "ncsc", name: "National CSIRT", kind: National, country: "NL", analysts: 4,
              hours: Always),
    ],
    entities: [
        Organisation(id: "payroll", name: "Payroll Provider", sector: DigitalProviders,
                     country: "NL", class: Important, csirt: "ncsc", monitoring: High,
                     holds_customer_data: true,
                     reporting: [Owes(regime: "processor-notice", to: "airline"),
                                 Owes(regime: "processor-notice", to: "retailer")]),
        Organisation(id: "airline", name: "Airline", sector: Transport, country: "NL",
                     class: Essential, csirt: "ncsc", monitoring: Medium,
                     suppliers: ["payroll"]),
        Organisation(id: "retailer", name: "Retailer", sector: Manufacturing, country: "NL",
                     class: None, csirt: "ncsc", monitoring: Low, suppliers: ["payroll"]),
        Organisation(id: "bystander", name: "Bystander", sector: Transport, country: "NL",
                     class: Important, csirt: "ncsc", monitoring: Medium),
    ],
    adversaries: [
        Adversary(id: "crew", name: "Example Crew", intent: Financial, capability: Medium,
            campaigns: [
                Campaign(id: "theft", name: "Data theft", targets: [Entity("payroll")],
                    indicators: [Indicator(id: "shell", kind: FilePath, value: "human9.aspx")],
                    stages: [
                        Stage(id: "exploit", name: "Exploit", technique: "T1190",
                              duration: ("1h", "3h"), indicators: ["shell"], detection: Hard),
                        Stage(id: "exfil", name: "Exfiltration", technique: "T1567",
                              duration: ("2h", "6h"), detection: Moderate, effect: DataTheft),
                    ],
                ),
            ],
        ),
    ],
    regimes: [
        Regime(
            id: "processor-notice",
            name: "GDPR Art. 33(2) processor notice",
            goes_to: [Organisation(Transport), Organisation(Manufacturing)],
            starts: [Impact(DataTheft)],
            reports: [(report: Defined("Breach notice to controller"),
                       due: [(within: "24h", from: Awareness)])],
        ),
    ],
)"#;

fn payroll() -> Scenario {
    match parse("payroll", PAYROLL.as_bytes()) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

fn seeded(s: &Scenario, seed: u64) -> Simulation {
    let mut sim = Simulation::new(&testkit::checked(s), seed).expect("the scenario plays");
    sim.run_to_end();
    sim
}

/// When `entity` became aware of an incident, and how.
fn detected(sim: &Simulation, entity: &str) -> Option<(Minute, DetectionSource)> {
    sim.journal().iter().find_map(|e| match &e.event {
        Event::Detected {
            entity: who,
            source,
            ..
        } if &*who.id == entity => Some((e.t, *source)),
        _ => None,
    })
}

/// When `by` received a report from `from`.
fn received(sim: &Simulation, by: &str, from: &str) -> Option<Minute> {
    sim.journal().iter().find_map(|e| match &e.event {
        Event::ReportReceived { by: b, from: f, .. } if &*b.id == by && &*f.id == from => Some(e.t),
        _ => None,
    })
}

#[test]
fn a_breach_at_the_supplier_is_an_impact_at_each_customer_without_an_intrusion() {
    let sim = testkit::play(&payroll());
    let breached: Vec<&str> = sim
        .journal()
        .iter()
        .filter_map(|e| match &e.event {
            Event::SupplierBreach {
                supplier, customer, ..
            } if &*supplier.id == "payroll" => Some(&*customer.id),
            _ => None,
        })
        .collect();
    assert_eq!(breached, ["airline", "retailer"]);
    let impacted: Vec<&str> = sim
        .journal()
        .iter()
        .filter_map(|e| match &e.event {
            Event::Impact { entity, .. } => Some(&*entity.id),
            _ => None,
        })
        .collect();
    assert_eq!(impacted, ["payroll", "airline", "retailer"]);
    // Nothing of the campaign ran at the customers.
    assert!(sim.journal().iter().all(|e| !matches!(
        &e.event,
        Event::StageCompleted { entity, .. } if &*entity.id != "payroll"
    )));
}

#[test]
fn customers_learn_of_the_breach_only_from_the_suppliers_notice() {
    let s = payroll();
    let mut told = 0;
    for seed in 0..200 {
        let sim = seeded(&s, seed);
        for customer in ["airline", "retailer"] {
            let Some((at, source)) = detected(&sim, customer) else {
                continue;
            };
            assert_eq!(
                source,
                DetectionSource::SupplierNotice,
                "seed {seed}: {customer}"
            );
            let notice = received(&sim, customer, "payroll");
            assert!(
                notice.is_some_and(|n| n <= at),
                "seed {seed}: {customer} aware at {at} before the notice ({notice:?})"
            );
            told += 1;
        }
        assert_eq!(detected(&sim, "bystander"), None, "seed {seed}");
    }
    assert!(
        told > 100,
        "customers were told in only {told} cases of 400"
    );
}

#[test]
fn the_news_makes_a_customer_aware_before_any_notice() {
    let mut s = payroll();
    // The supplier never notices; a journalist calls the retailer on day 2.
    s.entities[0].monitoring = crate::scenario::Maturity::Low;
    s.adversaries[0].campaigns[0].stages[1].detection = crate::scenario::Difficulty::VeryHard;
    s.injects.push(testkit::inject(
        "leak-site",
        "T+2d",
        vec![crate::scenario::InjectEffect::Tip {
            entity: "retailer".into(),
            campaign: "theft".into(),
            chance_percent: 100,
        }],
    ));
    let sim = testkit::play(&s);
    let (at, source) = detected(&sim, "retailer").expect("the retailer learns from the news");
    // The tip lands the minute after the inject.
    assert_eq!(source, DetectionSource::Tip);
    assert!((2 * 1440..=2 * 1440 + 1).contains(&at), "{at}");
}

#[test]
fn a_customer_made_aware_owes_its_own_reports() {
    let mut s = payroll();
    s.entities[1].reporting = vec![crate::scenario::Obligation::Gdpr { to: "dpa".into() }];
    s.authorities.push(crate::scenario::Authority {
        id: "dpa".into(),
        name: "Data protection authority".into(),
        kind: crate::scenario::AuthorityKind::DataProtection,
        country: "NL".into(),
        forwards_to: None,
        forward_delay: testkit::duration("2h"),
    });
    let mut reported = 0;
    for seed in 0..50 {
        let sim = seeded(&s, seed);
        if let Some((aware, _)) = detected(&sim, "airline") {
            let at = received(&sim, "dpa", "airline");
            assert!(at.is_none_or(|t| t > aware), "seed {seed}");
            reported += usize::from(at.is_some());
        }
    }
    assert!(
        reported > 10,
        "the airline reported its breach in {reported} of 50 seeds"
    );
}

#[test]
fn a_counted_group_of_customers_is_one_organisation_with_its_figure() {
    let mut s = payroll();
    s.entities[0].customers = vec![Customers {
        count: 300,
        sector: Sector::Other,
    }];
    s.entities[0].reporting.push(Obligation::Owes {
        regime: "processor-notice".into(),
        to: "payroll-customers".into(),
    });
    s.regimes[0]
        .goes_to
        .push(Recipient::Organisation(Sector::Other));
    let (mut breached, mut told) = (0, 0);
    for seed in 0..200 {
        let sim = seeded(&s, seed);
        // Where the supplier stopped the theft in time, nobody's data went.
        let Some(breach) = sim.journal().iter().find(|e| {
            matches!(&e.event, Event::SupplierBreach { customer, .. } if &*customer.id == "payroll-customers")
        }) else {
            continue;
        };
        breached += 1;
        assert_eq!(
            narrate::describe(sim.plan(), breach),
            "300 customers of Payroll Provider's data is stolen from its supplier Payroll Provider"
        );
        if let Some((at, source)) = detected(&sim, "payroll-customers") {
            assert_eq!(source, DetectionSource::SupplierNotice, "seed {seed}");
            assert!(
                received(&sim, "payroll-customers", "payroll").is_some_and(|n| n <= at),
                "seed {seed}"
            );
            told += 1;
        }
    }
    assert!(
        breached > 100,
        "the group's data went in only {breached} of 200 seeds"
    );
    assert!(
        told > 50,
        "the group was told in only {told} of {breached} breaches"
    );
}
