//! `scenarios/README.md`, the scenario format reference, stays true to the code:
//!
//! 1. every fenced ```` ```ron TYPE ```` example in it parses as the type its fence names
//!    (a complete `Scenario` is also validated), and a mistake is reported with the
//!    README's own line number;
//! 2. every field of every scenario struct and every variant of every scenario enum has an
//!    entry in it, and no entry names a field or variant that no longer exists.
//!
//! The convention the second test enforces (also stated in the README's "How to read this
//! reference"):
//!
//! - a *section* starts at a Markdown heading whose text begins with a type name in
//!   backticks, e.g. ``### `Csirt` — a CSIRT``, and runs to the next heading of any level;
//! - in the section of a struct, each field `f` has a table row beginning ``| `f` |``;
//! - in the section of an enum, each variant `V` has a table row beginning ``| `V` |``, and
//!   that row names each field `f` of a struct variant in backticks (`` `f` ``);
//! - every row beginning ``| `x` |`` in a type's section names one of its fields or variants.
//!
//! The field and variant names come from the code itself, traced with `serde-reflection`:
//! the serialization of [`SAMPLE`] (a scenario that uses every field) gives every struct and
//! its fields; tracing the deserialization of each enum then gives all its variants, those
//! the sample does not use included.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::de::DeserializeOwned;
use serde_reflection::{ContainerFormat, Registry, Samples, Tracer, TracerConfig, VariantFormat};
use tabletop::scenario::*;

const README: &str = "scenarios/README.md";

fn readme() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/README.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {README}: {e}"))
}

// ---------------------------------------------------------------------------------------
// 1. The examples parse
// ---------------------------------------------------------------------------------------

/// A fenced block of the README: the line of its opening fence (1-based), its info string
/// after "ron", and its text.
struct Example {
    fence_line: usize,
    kind: String,
    text: String,
}

/// Every ```` ```ron ```` block of `text`, or the line of an unclosed one.
fn ron_examples(text: &str) -> Result<Vec<Example>, String> {
    let mut examples = Vec::new();
    let mut open: Option<Example> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                if let Some(info) = trimmed.strip_prefix("```ron") {
                    open = Some(Example {
                        fence_line: n + 1,
                        kind: info.trim().to_owned(),
                        text: String::new(),
                    });
                }
            }
            Some(example) => {
                if trimmed.starts_with("```") {
                    examples.extend(open.take());
                } else {
                    example.text.push_str(line);
                    example.text.push('\n');
                }
            }
        }
    }
    match open {
        Some(example) => Err(format!(
            "{README}:{}: the ```ron block is never closed",
            example.fence_line
        )),
        None => Ok(examples),
    }
}

/// Deserializes a fragment as `T` the way scenario files are read (implicit `Some`).
fn fragment<T: DeserializeOwned>(example: &Example) -> Result<(), String> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<T>(&example.text)
        .map(|_| ())
        .map_err(|e| {
            let at = e.span.start;
            format!(
                "{README}:{}:{}: ```ron {}: {}",
                example.fence_line + at.line.max(1),
                at.col,
                example.kind,
                e.code
            )
        })
}

/// A complete scenario: parsed and validated like a scenario file.
fn complete(example: &Example) -> Result<(), String> {
    parse(README, example.text.as_bytes())
        .map(|_| ())
        .map_err(|diagnostics| {
            let mut out = String::new();
            for p in &diagnostics.problems {
                let item = if p.item.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", p.item)
                };
                let _ = writeln!(
                    out,
                    "{README}:{}:{}: ```ron Scenario: {item}{}",
                    example.fence_line + p.position.line,
                    p.position.col,
                    p.message
                );
            }
            out.trim_end().to_owned()
        })
}

/// Checks one example as the type its fence names; `None` if the name is not known here.
fn check_example(example: &Example) -> Option<Result<(), String>> {
    if example.kind == "Scenario" {
        return Some(complete(example));
    }
    // Each type may also be written as a list, e.g. ```ron Vec<Obligation>.
    macro_rules! as_type {
        ($($t:ident),* $(,)?) => {
            match example.kind.as_str() {
                $(
                    k if k == stringify!($t) => Some(fragment::<$t>(example)),
                    k if k == concat!("Vec<", stringify!($t), ">") => Some(fragment::<Vec<$t>>(example)),
                )*
                _ => None,
            }
        };
    }
    as_type!(
        // Structs.
        Csirt,
        SharingPolicy,
        Escalation,
        Authority,
        Organisation,
        Customers,
        Person,
        Vulnerability,
        Disclosure,
        PartialFix,
        Adversary,
        Campaign,
        Indicator,
        Rotation,
        Stage,
        Sop,
        Step,
        Decision,
        DecisionOption,
        Inject,
        Message,
        Question,
        Answer,
        Discussion,
        Objective,
        Role,
        Regime,
        RegimeReport,
        Deadline,
        // Enums.
        CsirtKind,
        Sector,
        Service,
        Hours,
        CrisisLevel,
        CrisisTrigger,
        CrisisAction,
        AuthorityKind,
        Nis2Class,
        Maturity,
        Obligation,
        Channel,
        AdversaryIntent,
        IndicatorKind,
        Target,
        Difficulty,
        Effect,
        SopTrigger,
        Action,
        Recipients,
        When,
        Guard,
        InjectEffect,
        EventPattern,
        Who,
        ReportKind,
        ImpactKind,
        Check,
        Expect,
        ActionKind,
        Recipient,
        Trigger,
        Clock,
        ReportPhase,
        // Values.
        Duration,
        DurationRange,
        At,
        WallClock,
        ClockTime,
        TimeZone,
        Weekday,
        Tlp,
        String,
    )
}

#[test]
fn every_ron_example_in_the_reference_parses() {
    let text = readme();
    let examples = ron_examples(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        examples.len() >= 10,
        "{README} has only {} ```ron examples; expected one per item",
        examples.len()
    );
    let mut failures = Vec::new();
    for example in &examples {
        if example.kind.is_empty() {
            failures.push(format!(
                "{README}:{}: ```ron without a type: write the type the example is, e.g. ```ron Csirt (or ```ron Scenario for a complete file)",
                example.fence_line
            ));
            continue;
        }
        match check_example(example) {
            Some(Ok(())) => {}
            Some(Err(e)) => failures.push(e),
            None => failures.push(format!(
                "{README}:{}: ```ron {}: no such scenario type here; use a type of tabletop::scenario (or Vec<TYPE>), and add a new type to `check_example` in tests/reference.rs",
                example.fence_line, example.kind
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} ```ron examples in {README} do not parse:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
}

#[test]
fn a_typo_in_an_example_is_reported_at_its_readme_line() {
    let text = "intro\n\n```ron Csirt\nCsirt(\n    id: \"x\",\n    analyts: 3,\n)\n```\n";
    let examples = ron_examples(text).expect("closed");
    assert_eq!(examples.len(), 1);
    let error = check_example(&examples[0])
        .expect("Csirt is a known type")
        .expect_err("`analyts` is not a field");
    assert!(
        error.starts_with(&format!("{README}:6:")),
        "expected the error at line 6: {error}"
    );
    assert!(error.contains("analyts"), "{error}");
}

// ---------------------------------------------------------------------------------------
// 2. The reference covers every field and variant
// ---------------------------------------------------------------------------------------

/// A scenario that gives every field a value (no `None`, no empty list) and uses every
/// variant whose content is a duration, an exercise time or a clock time: the tracer can
/// only invent empty strings, which those types refuse, so it takes them from here.
///
/// When the drift test says a container holds an unknown format, a field added to the
/// format has no value here: give it one. It need not make sense as an exercise; it is
/// not validated.
const SAMPLE: &str = r#"
Scenario(
    version: 1,
    name: "sample",
    summary: "every field used",
    start: "2026-03-13 16:30",
    time_zone: "Europe/Amsterdam",
    duration: "5d",
    csirts: [
        Csirt(
            id: "fin-csirt", name: "Financial CSIRT", kind: Sectoral, sector: Finance,
            country: "NL", analysts: 3,
            hours: Office(open: "09:00", close: "17:00", days: [Mon, Fri], on_call: "2h"),
            time_zone: "Europe/Helsinki",
            peers: ["ncsc"], triage: ("30m", "1h"), analysis: ("2h", "6h"),
            sharing: (constituency: Amber, csirts: Green),
            services: [Analysis, Warnings, IncidentResponse, Scanning, Cvd, Network],
            scan_every: "1d",
            escalation: [
                Escalation(level: Alert,
                           when: EntitiesHit(count: 2, sector: Finance, essential_only: true),
                           actions: [CrisisTeam(extra_analysts: 2), InformNetwork, PublicCommunication]),
            ],
        ),
    ],
    authorities: [
        Authority(id: "dnb", name: "Supervisor", kind: FinancialSupervisor, country: "NL",
                  forwards_to: "fin-csirt", forward_delay: "2h"),
    ],
    entities: [
        Organisation(
            id: "bank", name: "Bank", sector: Finance, country: "NL", class: Essential,
            csirt: "fin-csirt", people: [Person(role: "CISO", name: "A")], monitoring: High,
            exposed: ["VPN"], suppliers: ["cloud"], reporting: [Dora(to: "dnb")],
            indicator_tlp: Green,
            vulnerable: [("VPN", "CVE-2026-0001"), ("VPN", "CVE-2026-0002")],
            channels: [Portal, Email], holds_customer_data: true,
            customers: [Customers(count: 3, sector: Finance)],
        ),
    ],
    adversaries: [
        Adversary(id: "crew", name: "Crew", intent: Financial, capability: Medium, campaigns: [
            Campaign(
                id: "c", name: "C", start: "T+0", targets: [Entity("bank")],
                // Every indicator labelled: the tracer needs every field of every instance.
                indicators: [Indicator(id: "d", kind: Domain, value: "x.example", label: "lure"),
                             Indicator(id: "d2", kind: Domain, value: "y.example", label: "lure")],
                stages: [
                    Stage(id: "s", name: "S", technique: "T1566", label: "phishing", duration: ("1h", "2h"),
                          not_before: "Mon 03:00", indicators: ["d"], detection: Moderate,
                          effect: Spread(targets: [Suppliers], entry: "s"),
                          exploits: "CVE-2026-0001", also_exploits: ["CVE-2026-0002"]),
                ],
                rotation: Rotation(known_by: 3, delay: "12h", replace: [("d", "d2")]),
            ),
        ]),
    ],
    vulnerabilities: [
        Vulnerability(cve: "CVE-2026-0001", product: "VPN", vendor: "V",
                      disclosure: Disclosure(coordinator: "fin-csirt", reported: "T+1h", embargo: "2d",
                                             advisory: "T+2d", proof_of_concept: "T+1d",
                                             partial_fix: PartialFix(covers: ["VPN"], rest: "T+3d"),
                                             indicators: ["d"])),
        Vulnerability(cve: "CVE-2026-0002", product: "VPN", vendor: "V"),
    ],
    sops: [
        Sop(
            id: "intake", variant: "analyse-first", title: "Intake", owner: "fin-csirt",
            trigger: Report(major_only: true),
            steps: [
                Step(id: "triage", action: Triage, role: "duty officer", duration: ("15m", "30m"),
                     after: ["triage"], deadline: "1h", on_call: true),
                Step(id: "decide", action: Decide(Decision(
                    prompt: "Share now?",
                    options: [DecisionOption(id: "yes", label: "Share", actions: [Analyse])],
                    default: "yes", timeout: "1h"))),
            ],
        ),
    ],
    injects: [
        // Every inject optional: the tracer needs every field of every instance it sees.
        Inject(id: "at", title: "At", when: At("T+1h"), to: ["bank"], optional: true,
               only_if: [Compromised(entity: "bank", campaign: "c"),
                         NotContained(entity: "bank", campaign: "c"),
                         Hit(entity: "bank", effect: Encryption)],
               message: Message(from: "helpdesk", channel: Phone, subject: "s", body: "b"),
               effects: [
                   Tip(entity: "bank", campaign: "c", chance_percent: 40),
                   StaffUnavailable(csirt: "fin-csirt", analysts: 1, duration: "1d"),
                   Sighting(from: "fin-csirt", to: "fin-csirt", indicator: "d", first_seen: "T-30h", place: "p"),
                   Reminder(entity: "bank"),
                   ChannelDown(actor: "bank", channel: Email, duration: "6h"),
                   RequestScan(csirt: "fin-csirt", entity: "bank"),
                   RaiseCrisis(csirt: "fin-csirt", level: Crisis),
                   PatchNow(entity: "bank", cve: "CVE-2026-0001"),
                   ContainNow(entity: "bank", campaign: "c"),
                   WithholdReport(entity: "bank", report: DoraInitial),
                   ShareMarking(entity: "bank", tlp: Green),
                   TakeOffline(entity: "bank", duration: "6h"),
               ],
               expected: ["something"],
               question: Question(prompt: "What now?",
                                  options: [Answer(id: "a", label: "A", effects: [Reminder(entity: "bank")])],
                                  default: "a", timeout: "1h"),
               discussion: [Discussion(id: "d", prompt: "Who decides?",
                                       options: [Answer(id: "a", label: "A", effects: [Reminder(entity: "bank")])],
                                       default: "a", timeout: "1h")]),
        Inject(id: "after", title: "After", when: After(on: Detected(Any), delay: "2h"), optional: true,
               only_if: [Hit(entity: "bank", effect: Outage)],
               effects: [Reminder(entity: "bank")],
               discussion: [Discussion(id: "d", prompt: "Who speaks?", options: [Answer(id: "x", label: "X")], default: "x", timeout: "1h")]),
        Inject(id: "unless", title: "Unless", optional: true,
               when: Unless(after: Detected(Any), expected: Inject("at"), within: "20h"),
               only_if: [Compromised(entity: "bank", campaign: "c")],
               effects: [Reminder(entity: "bank")],
               discussion: [Discussion(id: "d", prompt: "Who speaks?", options: [Answer(id: "x", label: "X")], default: "x", timeout: "1h")]),
    ],
    objectives: [
        Objective(id: "o1", title: "Deadline", check: Deadline(
            after: Detected(Entity("bank")), expected: ReportSent(by: Sector(Finance), report: DoraInitial), within: "4h"),
            expect: AtLeast(90)),
        Objective(id: "o2", title: "Coverage", check: Coverage(
            sector: Finance, indicator: "d", after: Knows(actor: "fin-csirt", indicator: "d"), within: "12h"),
            expect: AtMost(20)),
        Objective(id: "o3", title: "Absence", check: Absence(Impact(at: Any, effect: Encryption)),
            expect: AtLeast(50)),
        Objective(id: "o4", title: "Ordering", check: Ordering(
            first: CrisisRaised(csirt: "fin-csirt", level: Alert), then: NthImpact(effect: Encryption, count: 2)),
            expect: AtLeast(10)),
    ],
    roles: [
        Role(id: "duty", title: "Duty officer", actor: "fin-csirt", decisions: ["intake/decide", "at"],
             briefing: "b", actions: [Share, RaiseCrisis]),
    ],
    regimes: [
        Regime(id: "bank-rule", name: "Banking rule", goes_to: [Authority(FinancialSupervisor)],
               starts: [Significant], sectors: [Finance],
               reports: [
                   RegimeReport(report: Defined("Bank notice"),
                                due: [Deadline(within: "2h", from: Awareness)], phase: Final),
               ]),
    ],
)
"#;

/// Strings the tracer may offer for a string it must invent: one of each custom string
/// type (duration, exercise time, clock time, wall clock). Each enum is traced with the
/// first that works for it.
const INVENTED_STRINGS: [&str; 5] = ["1h", "T+1h", "09:00", "2026-03-13 16:30", "UTC"];

fn sample() -> Scenario {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(SAMPLE)
        .unwrap_or_else(|e| {
            panic!("SAMPLE in tests/reference.rs is not a scenario ({e}); update it to the format")
        })
}

/// A tracer that has seen `SAMPLE` serialized, inventing `string` where it must.
fn tracer_with_sample(scenario: &Scenario, string: &str) -> (Tracer, Samples) {
    let config = TracerConfig::default()
        .record_samples_for_tuple_structs(true)
        .default_string_value(string.to_owned());
    let mut tracer = Tracer::new(config);
    let mut samples = Samples::new();
    tracer
        .trace_value(&mut samples, scenario)
        .unwrap_or_else(|e| panic!("tracing the serialization of SAMPLE failed: {e}"));
    (tracer, samples)
}

/// Traces the deserialization of the enum called `name`, all its variants; `None` if
/// the name is not one of the enums listed here.
fn trace_enum(
    tracer: &mut Tracer,
    samples: &Samples,
    name: &str,
) -> Option<serde_reflection::Result<()>> {
    macro_rules! trace {
        ($($t:ident),* $(,)?) => {
            match name {
                $(stringify!($t) => Some(tracer.trace_type::<$t>(samples).map(|_| ())),)*
                _ => None,
            }
        };
    }
    trace!(
        CsirtKind,
        Sector,
        Service,
        Hours,
        CrisisLevel,
        CrisisTrigger,
        CrisisAction,
        AuthorityKind,
        Nis2Class,
        Maturity,
        Obligation,
        Channel,
        AdversaryIntent,
        IndicatorKind,
        Target,
        Difficulty,
        Effect,
        SopTrigger,
        Action,
        Recipients,
        When,
        Guard,
        InjectEffect,
        EventPattern,
        Who,
        ReportKind,
        ImpactKind,
        Check,
        Expect,
        ActionKind,
        Recipient,
        Trigger,
        Clock,
        ReportPhase,
        Weekday,
        Tlp,
    )
}

/// What the reference must document about one container.
#[derive(Debug, Default, PartialEq, Eq)]
enum Shape {
    /// Named fields.
    Struct(BTreeSet<String>),
    /// Variants, each with the names of its fields (empty unless a struct variant).
    Enum(BTreeMap<String, BTreeSet<String>>),
    /// A tuple or newtype struct (e.g. `DurationRange`): nothing named to document.
    #[default]
    Unnamed,
}

fn shape(format: &ContainerFormat) -> Shape {
    match format {
        ContainerFormat::Struct(fields) => {
            Shape::Struct(fields.iter().map(|f| f.name.clone()).collect())
        }
        ContainerFormat::Enum(variants) => Shape::Enum(
            variants
                .values()
                .map(|v| {
                    let fields = match &v.value {
                        VariantFormat::Struct(fields) => {
                            fields.iter().map(|f| f.name.clone()).collect()
                        }
                        _ => BTreeSet::new(),
                    };
                    (v.name.clone(), fields)
                })
                .collect(),
        ),
        _ => Shape::Unnamed,
    }
}

/// Adds what `registry` knows to `into`: fields and variants accumulate.
fn merge(into: &mut BTreeMap<String, Shape>, registry: &Registry) {
    for (name, format) in registry {
        let new = shape(format);
        let entry = into.entry(name.clone()).or_default();
        match (entry, new) {
            (Shape::Struct(have), Shape::Struct(more)) => have.extend(more),
            (Shape::Enum(have), Shape::Enum(more)) => {
                for (variant, fields) in more {
                    have.entry(variant).or_default().extend(fields);
                }
            }
            (entry @ Shape::Unnamed, new) => *entry = new,
            _ => {}
        }
    }
}

/// Whether a field holds an integer (also inside an option or a list).
fn is_integer(format: &serde_reflection::Format) -> bool {
    use serde_reflection::Format;
    match format {
        Format::U8
        | Format::U16
        | Format::U32
        | Format::U64
        | Format::U128
        | Format::I8
        | Format::I16
        | Format::I32
        | Format::I64
        | Format::I128 => true,
        Format::Option(inner) | Format::Seq(inner) => is_integer(inner),
        _ => false,
    }
}

/// The integer fields `registry` knows: ("Csirt", "analysts"), ("InjectEffect::Tip",
/// "chance_percent").
fn integers_in(registry: &Registry) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (name, format) in registry {
        match format {
            ContainerFormat::Struct(fields) => {
                for f in fields.iter().filter(|f| is_integer(&f.value)) {
                    found.insert((name.clone(), f.name.clone()));
                }
            }
            ContainerFormat::Enum(variants) => {
                for v in variants.values() {
                    if let VariantFormat::Struct(fields) = &v.value {
                        for f in fields.iter().filter(|f| is_integer(&f.value)) {
                            found.insert((format!("{name}::{}", v.name), f.name.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Every container reachable from `Scenario`, with its fields or all its variants, and
/// what kept the trace from being complete (each a reason for the test to fail).
fn scenario_format() -> (BTreeMap<String, Shape>, Vec<String>) {
    let (containers, problems, _) = scenario_format_with_integers();
    (containers, problems)
}

/// (container, field) names, e.g. ("Csirt", "analysts").
type Fields = BTreeSet<(String, String)>;

/// As [`scenario_format`], with every integer field of the format.
fn scenario_format_with_integers() -> (BTreeMap<String, Shape>, Vec<String>, Fields) {
    let mut integers = BTreeSet::new();
    let scenario = sample();
    let mut problems = Vec::new();
    // Serialization: every struct and its fields, and the variants SAMPLE uses. Names are
    // taken even if SAMPLE leaves a field empty; the types behind it would be missed, so
    // that is a problem too.
    let (tracer, _) = tracer_with_sample(&scenario, "");
    let registry = match tracer.registry() {
        Ok(registry) => registry,
        Err(e) => {
            problems.push(format!(
                "SAMPLE in tests/reference.rs leaves part of the format untraced ({e}): give \
                 every field of that container a value in SAMPLE (not None, not [])"
            ));
            tracer_with_sample(&scenario, "").0.registry_unchecked()
        }
    };
    let mut containers = BTreeMap::new();
    merge(&mut containers, &registry);
    integers.extend(integers_in(&registry));
    // Deserialization of each enum: all its variants, those SAMPLE does not use included.
    // Enums first met inside such variants are traced in turn.
    let mut traced = BTreeSet::new();
    loop {
        let pending: Vec<String> = containers
            .iter()
            .filter(|(name, shape)| matches!(shape, Shape::Enum(_)) && !traced.contains(*name))
            .map(|(name, _)| name.clone())
            .collect();
        if pending.is_empty() {
            return (containers, problems, integers);
        }
        for name in pending {
            traced.insert(name.clone());
            let mut errors = Vec::new();
            for string in INVENTED_STRINGS {
                let (mut tracer, samples) = tracer_with_sample(&scenario, string);
                let result = trace_enum(&mut tracer, &samples, &name);
                // Variant names are recorded before their content is traced: even a failed
                // trace names every variant it reached.
                let registry = tracer.registry_unchecked();
                merge(&mut containers, &registry);
                integers.extend(integers_in(&registry));
                match result {
                    None => {
                        errors.push(format!(
                            "enum `{name}` is part of the scenario format but tests/reference.rs \
                             cannot trace it: add `{name}` to `trace_enum` and `check_example`"
                        ));
                        break;
                    }
                    Some(Ok(())) => {
                        errors.clear();
                        break;
                    }
                    Some(Err(e)) => errors.push(format!("with \"{string}\": {e}")),
                }
            }
            match errors.len() {
                0 => {}
                1 if errors[0].starts_with("enum") => problems.append(&mut errors),
                _ => problems.push(format!(
                    "cannot trace every variant of `{name}` ({}): use each of its variants that \
                     holds a duration or a time in SAMPLE in tests/reference.rs",
                    errors.join("; ")
                )),
            }
        }
    }
}

/// A reference section: the type its heading names, the line of the heading, and the
/// table rows under it as (name in the first cell, the whole row).
#[derive(Debug, Default)]
struct Section {
    line: usize,
    rows: Vec<(String, String)>,
}

/// The sections of the README by type name. A heading names a type if its text begins
/// with the name in backticks; a row is an entry if it begins with ``| `name` |``.
fn sections(text: &str) -> BTreeMap<String, Section> {
    let mut out: BTreeMap<String, Section> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut in_code = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let hashes = line.len() - line.trim_start_matches('#').len();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            let title = line[hashes..].trim();
            current = title
                .strip_prefix('`')
                .and_then(|rest| rest.split_once('`'))
                .map(|(name, _)| name.to_owned());
            if let Some(name) = &current {
                out.entry(name.clone()).or_default().line = n + 1;
            }
            continue;
        }
        let (Some(name), Some(rest)) = (&current, line.strip_prefix("| `")) else {
            continue;
        };
        if let Some((entry, after)) = rest.split_once('`')
            && after.trim_start().starts_with('|')
            && let Some(section) = out.get_mut(name)
        {
            section.rows.push((entry.to_owned(), line.to_owned()));
        }
    }
    out
}

/// What the README lacks, and what it documents that no longer exists.
fn drift(format: &BTreeMap<String, Shape>, text: &str) -> (Vec<String>, Vec<String>) {
    let sections = sections(text);
    let empty = Section::default();
    let mut missing = Vec::new();
    let mut stale = Vec::new();
    for (name, shape) in format {
        let section = sections.get(name);
        let where_ = match section {
            Some(s) => format!("under the heading `{name}` ({README}:{})", s.line),
            None => format!("under a heading `{name}` (none in {README})"),
        };
        let section = section.unwrap_or(&empty);
        let rows: BTreeMap<&str, &str> = section
            .rows
            .iter()
            .map(|(entry, row)| (entry.as_str(), row.as_str()))
            .collect();
        let known: BTreeSet<&str> = match shape {
            Shape::Struct(fields) => {
                for field in fields {
                    if !rows.contains_key(field.as_str()) {
                        missing.push(format!("{name}.{field}: no row | `{field}` | {where_}"));
                    }
                }
                fields.iter().map(String::as_str).collect()
            }
            Shape::Enum(variants) => {
                for (variant, fields) in variants {
                    match rows.get(variant.as_str()) {
                        None => missing.push(format!(
                            "{name}::{variant}: no row | `{variant}` | {where_}"
                        )),
                        Some(row) => {
                            for field in fields {
                                if !row.contains(&format!("`{field}`")) {
                                    missing.push(format!(
                                        "{name}::{variant}.{field}: the row | `{variant}` | {where_} does not name `{field}`"
                                    ));
                                }
                            }
                        }
                    }
                }
                variants.keys().map(String::as_str).collect()
            }
            Shape::Unnamed => continue,
        };
        for (entry, _) in &section.rows {
            if !known.contains(entry.as_str()) {
                stale.push(format!(
                    "{name}: the row | `{entry}` | {where_} names no field or variant of `{name}`"
                ));
            }
        }
    }
    (missing, stale)
}

#[test]
fn the_reference_documents_every_field_and_variant() {
    let (format, problems) = scenario_format();
    // The trace reaches the whole format, the parts SAMPLE does not use included.
    for expected in [
        "Scenario",
        "Csirt",
        "Hours",
        "Organisation",
        "Stage",
        "Effect",
        "InjectEffect",
        "Guard",
        "EventPattern",
        "Check",
        "Tlp",
        "Role",
        "ActionKind",
        "Question",
        "Answer",
    ] {
        assert!(
            format.contains_key(expected),
            "the trace misses `{expected}`"
        );
    }
    let (missing, stale) = drift(&format, &readme());
    let mut report = String::new();
    if !missing.is_empty() {
        let _ = writeln!(
            report,
            "{README} has no reference entry for {} item(s) of the scenario format:",
            missing.len()
        );
        for m in &missing {
            let _ = writeln!(report, "  {m}");
        }
    }
    if !stale.is_empty() {
        let _ = writeln!(
            report,
            "{README} documents {} item(s) the scenario format no longer has:",
            stale.len()
        );
        for s in &stale {
            let _ = writeln!(report, "  {s}");
        }
    }
    for p in &problems {
        let _ = writeln!(report, "{p}");
    }
    assert!(
        report.is_empty(),
        "{report}(convention: see \"How to read this reference\" in {README})"
    );
}

#[test]
fn the_drift_check_names_exactly_what_is_missing() {
    let mut format = BTreeMap::new();
    format.insert(
        "Person".to_owned(),
        Shape::Struct(["role", "name"].map(String::from).into()),
    );
    format.insert(
        "Hours".to_owned(),
        Shape::Enum(BTreeMap::from([
            ("Always".to_owned(), BTreeSet::new()),
            (
                "Office".to_owned(),
                ["open", "close"].map(String::from).into(),
            ),
        ])),
    );
    let text = "### `Person`\n\n| field | type |\n|---|---|\n| `role` | text |\n| `nmae` | text |\n\n\
                ### `Hours` — when\n\n| `Office` | `open` … |\n";
    let (missing, stale) = drift(&format, text);
    assert_eq!(
        missing,
        [
            format!("Hours::Always: no row | `Always` | under the heading `Hours` ({README}:8)"),
            format!(
                "Hours::Office.close: the row | `Office` | under the heading `Hours` ({README}:8) does not name `close`"
            ),
            format!("Person.name: no row | `name` | under the heading `Person` ({README}:1)"),
        ]
    );
    assert_eq!(
        stale,
        [format!(
            "Person: the row | `nmae` | under the heading `Person` ({README}:1) names no field or variant of `Person`"
        )]
    );
}

#[test]
fn every_integer_field_of_the_format_has_a_stated_bound() {
    let (_, problems, integers) = scenario_format_with_integers();
    assert!(problems.is_empty(), "{problems:?}");
    let bounded: BTreeSet<(String, String)> = tabletop::scenario::bounds::FIELDS
        .iter()
        .map(|(container, field, _)| ((*container).to_owned(), (*field).to_owned()))
        .collect();
    let unbounded: Vec<_> = integers.difference(&bounded).collect();
    assert!(
        unbounded.is_empty(),
        "integer fields without a bound in src/scenario/bounds.rs FIELDS: {unbounded:?}"
    );
    let stale: Vec<_> = bounded.difference(&integers).collect();
    assert!(
        stale.is_empty(),
        "FIELDS names fields the format no longer has: {stale:?}"
    );
}
