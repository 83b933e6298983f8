//! Synthetic scenarios of any size, for stress tests and benchmarks
//! (`tabletop generate --entities N [--days D] [--seed S]`).
//!
//! The generated world looks like a small European CSIRT landscape:
//!
//! - N organisations spread over every NIS2 sector of [`Sector::ALL`] and over 1 to 8
//!   countries (more countries as N grows), each with a NIS2 class, a monitoring maturity,
//!   exposed services, a contact person and suppliers. Suppliers are always earlier
//!   organisations (mostly ICT and digital-infrastructure providers), so the supply chain
//!   is a DAG.
//! - Per country a national CSIRT (24/7, peer of the other national CSIRTs), a sectoral
//!   CSIRT for every sector with at least ten organisations in that country (office hours
//!   with on-call, peer of its national CSIRT), a financial supervisor (forwarding DORA
//!   reports to the financial CSIRT) and a data-protection authority. Organisations belong
//!   to their sectoral CSIRT where there is one, to the national CSIRT otherwise.
//! - Reporting duties as the law has them: DORA to the supervisor plus a voluntary
//!   notification to the CSIRT for finance, NIS2 to the CSIRT for other essential and
//!   important entities, GDPR to the data-protection authority where personal data is
//!   typical, voluntary notification for some entities out of NIS2 scope.
//! - Adversaries (more with N and days) with campaigns started over the whole exercise,
//!   each a chain of 4 to 8 ATT&CK techniques leaving indicators; ransomware and wiper
//!   campaigns end in encryption, some campaigns spread to suppliers or customers (one
//!   hop), hacktivists sometimes hit a whole sector.
//! - An MSEL per campaign (helpdesk tips, supervisor reminders as HSEEP contingencies,
//!   cross-border sightings, ransom notes) and staff shortages, plus objectives (reporting
//!   deadlines, warning coverage of a sector, no encryption) that name real ids.
//!
//! The output depends only on the options: every draw comes from ChaCha8 streams seeded
//! with the options' seed, one stream per part of the world, and nothing iterates a hash
//! map. The organisations and CSIRTs depend on (entities, seed) only, so the same seed
//! gives the same world for any number of days.

use std::collections::BTreeSet;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::scenario::time::{MINUTES_PER_DAY, MINUTES_PER_HOUR};
use crate::scenario::{
    Adversary, AdversaryIntent, At, Authority, AuthorityKind, Campaign, Channel, Check, ClockTime,
    Csirt, CsirtKind, Difficulty, Duration, DurationRange, Effect, EventPattern, FORMAT_VERSION,
    Hours, ImpactKind, Indicator, IndicatorKind, Inject, InjectEffect, Maturity, Message, Minute,
    Nis2Class, Objective, Obligation, Organisation, Person, ReportKind, Role, Scenario, Sector,
    Service, SharingPolicy, Stage, Target, Tlp, WallClock, Weekday, When, Who,
};

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Number of organisations (NIS2 "entities").
    pub entities: u32,
    /// Length of the exercise in days.
    pub days: u32,
    /// Seed of the generator's random streams.
    pub seed: u64,
}

/// Wall-clock start of every generated exercise: a Monday morning.
const START: &str = "2026-03-02 08:00";

/// A (country, sector) gets its own sectoral CSIRT from this many organisations on.
const SECTORAL_MIN: usize = 10;

/// Independent random streams, one per part of the world: changing the number of days
/// changes the campaigns, never the organisations.
const STREAM_WORLD: u64 = 1;
const STREAM_ADVERSARIES: u64 = 2;
const STREAM_MSEL: u64 = 3;

const HOUR: Minute = MINUTES_PER_HOUR;
const DAY: Minute = MINUTES_PER_DAY;

/// ISO 3166 code, name, relative number of organisations.
const COUNTRIES: [(&str, &str, u32); 8] = [
    ("NL", "Netherlands", 18),
    ("BE", "Belgium", 12),
    ("DE", "Germany", 30),
    ("FR", "France", 26),
    ("LU", "Luxembourg", 4),
    ("AT", "Austria", 10),
    ("DK", "Denmark", 7),
    ("IE", "Ireland", 6),
];

/// Relative number of organisations per sector, in `Sector::ALL` order.
const SECTOR_WEIGHTS: [u32; 11] = [10, 6, 9, 12, 5, 6, 10, 10, 16, 6, 10];

fn sector_slug(sector: Sector) -> &'static str {
    match sector {
        Sector::Finance => "finance",
        Sector::Energy => "energy",
        Sector::Transport => "transport",
        Sector::Health => "health",
        Sector::Water => "water",
        Sector::DigitalInfrastructure => "digital-infrastructure",
        Sector::IctServices => "ict-services",
        Sector::PublicAdministration => "public-administration",
        Sector::Manufacturing => "manufacturing",
        Sector::DigitalProviders => "digital-providers",
        Sector::Other => "other",
    }
}

fn sector_label(sector: Sector) -> &'static str {
    match sector {
        Sector::Finance => "finance",
        Sector::Energy => "energy",
        Sector::Transport => "transport",
        Sector::Health => "health",
        Sector::Water => "drinking water",
        Sector::DigitalInfrastructure => "digital infrastructure",
        Sector::IctServices => "ICT services",
        Sector::PublicAdministration => "public administration",
        Sector::Manufacturing => "manufacturing",
        Sector::DigitalProviders => "digital providers",
        Sector::Other => "other sectors",
    }
}

/// The second half of an organisation's name, by sector.
fn name_suffixes(sector: Sector) -> &'static [&'static str] {
    match sector {
        Sector::Finance => &["Bank", "Pay", "Insurance", "Savings", "Clearing", "Capital"],
        Sector::Energy => &["Energy", "Power", "Grid", "Gas", "Wind"],
        Sector::Transport => &["Rail", "Airport", "Logistics", "Port", "Shipping"],
        Sector::Health => &["Hospital", "Clinic", "Care", "Labs", "Pharma"],
        Sector::Water => &["Water", "Waterworks", "Water Board"],
        Sector::DigitalInfrastructure => &["Cloud", "Data Centres", "DNS", "Exchange", "Networks"],
        Sector::IctServices => &["IT Services", "Managed Services", "Systems", "Hosting"],
        Sector::PublicAdministration => &["Municipality", "Agency", "Ministry", "Province"],
        Sector::Manufacturing => &["Manufacturing", "Machines", "Chemicals", "Foods", "Steel"],
        Sector::DigitalProviders => &["Marketplace", "Search", "Social", "Online"],
        Sector::Other => &["Post", "Research", "Waste", "Holdings"],
    }
}

const NAME_PREFIXES: [&str; 24] = [
    "Zilver", "Tulip", "Polder", "Noord", "Delta", "Kestrel", "Amber", "Linden", "Meridian",
    "Harbour", "Oak", "Beacon", "Falcon", "Granite", "Heron", "Iris", "Juniper", "Larch", "Maple",
    "Nimbus", "Orchid", "Pioneer", "Quarry", "Rhine",
];

const FIRST_NAMES: [&str; 20] = [
    "Nessie", "Pieter", "Ilse", "Sanne", "Marloes", "Ruben", "Anna", "Lukas", "Chloé", "Emil",
    "Sofie", "Jonas", "Léa", "Finn", "Aoife", "Mathis", "Freja", "Noah", "Camille", "Jan",
];

const LAST_NAMES: [&str; 20] = [
    "Woo",
    "van Dam",
    "Zilverberg",
    "Bloem",
    "Dijkstra",
    "Kas",
    "Peeters",
    "Schmidt",
    "Martin",
    "Hansen",
    "Janssens",
    "Weber",
    "Dubois",
    "Murphy",
    "Gruber",
    "Jensen",
    "Müller",
    "Leroy",
    "Byrne",
    "de Vries",
];

fn exposed_services(sector: Sector) -> &'static [&'static str] {
    match sector {
        Sector::Finance => &["internet banking", "payment API", "customer portal"],
        Sector::Energy | Sector::Water => &["SCADA remote access", "customer portal"],
        Sector::Transport => &["booking site", "fleet telematics portal"],
        Sector::Health => &["patient portal", "telehealth service"],
        Sector::DigitalInfrastructure | Sector::IctServices => &[
            "customer management portal",
            "remote monitoring and management",
            "API",
        ],
        Sector::PublicAdministration => &["citizen portal", "file exchange"],
        Sector::Manufacturing => &["supplier portal", "remote maintenance access"],
        Sector::DigitalProviders => &["web shop", "API", "customer portal"],
        Sector::Other => &["web site"],
    }
}

const COMMON_SERVICES: [&str; 4] = [
    "VPN",
    "e-mail gateway",
    "remote desktop gateway",
    "web site",
];

/// A keyed generator stream.
fn stream(seed: u64, part: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(part);
    rng
}

/// Index drawn with integer weights (no floating point).
fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    if total == 0 {
        return 0;
    }
    let mut roll = rng.random_range(0..total);
    for (i, w) in weights.iter().enumerate() {
        if roll < *w {
            return i;
        }
        roll -= w;
    }
    weights.len() - 1
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// True with `percent` % chance.
fn chance(rng: &mut ChaCha8Rng, percent: u32) -> bool {
    rng.random_range(0..100) < percent
}

/// Up to `k` distinct items of `pool`, in pool order.
fn sample(rng: &mut ChaCha8Rng, pool: &[usize], k: usize) -> Vec<usize> {
    let mut items = pool.to_vec();
    let k = k.min(items.len());
    for i in 0..k {
        let j = rng.random_range(i..items.len());
        items.swap(i, j);
    }
    items.truncate(k);
    items.sort_unstable();
    items
}

fn minutes(m: Minute) -> Duration {
    Duration::minutes(m)
}

fn range(min: Minute, max: Minute) -> DurationRange {
    DurationRange::new(minutes(min), minutes(max))
}

fn clock(text: &str) -> ClockTime {
    ClockTime::parse(text).unwrap_or(ClockTime { minute_of_day: 0 })
}

/// The facts about one organisation that later parts of the generator need.
struct EntityInfo {
    id: String,
    name: String,
    sector: Sector,
    country: usize,
    csirt: String,
    /// Its regulatory report to watch in objectives and contingencies.
    duty: Option<ReportKind>,
}

/// The world without adversaries: CSIRTs, authorities and organisations.
struct World {
    countries: usize,
    csirts: Vec<Csirt>,
    authorities: Vec<Authority>,
    entities: Vec<Organisation>,
    info: Vec<EntityInfo>,
}

fn national_id(country: usize) -> String {
    format!("csirt-{}", COUNTRIES[country].0.to_ascii_lowercase())
}

fn sectoral_id(country: usize, sector: Sector) -> String {
    format!(
        "csirt-{}-{}",
        COUNTRIES[country].0.to_ascii_lowercase(),
        sector_slug(sector)
    )
}

fn supervisor_id(country: usize) -> String {
    format!("fsa-{}", COUNTRIES[country].0.to_ascii_lowercase())
}

fn dpa_id(country: usize) -> String {
    format!("dpa-{}", COUNTRIES[country].0.to_ascii_lowercase())
}

fn country_count(entities: u32) -> usize {
    if entities < 3 {
        1
    } else {
        (3 + entities as usize / 500).min(COUNTRIES.len())
    }
}

fn build_world(options: &GenerateOptions) -> World {
    let mut rng = stream(options.seed, STREAM_WORLD);
    let n = options.entities as usize;
    let countries = country_count(options.entities);
    let width = n.to_string().len().max(5);
    let country_weights: Vec<u32> = COUNTRIES[..countries].iter().map(|c| c.2).collect();

    // Sector and country first: sectoral CSIRTs depend on how many organisations share both.
    // The first organisations cover every sector and every country once.
    let mut sectors = Vec::with_capacity(n);
    let mut homes = Vec::with_capacity(n);
    for i in 0..n {
        let sector = if i < Sector::ALL.len() {
            Sector::ALL[i]
        } else {
            Sector::ALL[weighted(&mut rng, &SECTOR_WEIGHTS)]
        };
        let country = if i < countries {
            i
        } else {
            weighted(&mut rng, &country_weights)
        };
        sectors.push(sector);
        homes.push(country);
    }
    let mut members = vec![[0usize; 11]; countries];
    for i in 0..n {
        members[homes[i]][sector_index(sectors[i])] += 1;
    }
    let has_sectoral = |country: usize, sector: Sector| {
        sector != Sector::Other && members[country][sector_index(sector)] >= SECTORAL_MIN
    };

    // CSIRTs: national first, then the country's sectoral CSIRTs, country by country.
    let mut csirts = Vec::new();
    for country in 0..countries {
        let (code, name, _) = COUNTRIES[country];
        let own: usize = members[country].iter().sum();
        let sectoral: Vec<Sector> = Sector::ALL
            .iter()
            .copied()
            .filter(|s| has_sectoral(country, *s))
            .collect();
        let peers: Vec<String> = (0..countries)
            .filter(|c| *c != country)
            .map(national_id)
            .collect();
        csirts.push(Csirt {
            id: national_id(country),
            name: format!("National CSIRT ({name})"),
            kind: CsirtKind::National,
            sector: None,
            country: code.into(),
            analysts: u32::try_from(4 + own / 250).unwrap_or(16).min(16),
            hours: Hours::Always,
            peers,
            triage: range(20, HOUR),
            analysis: *pick(
                &mut rng,
                &[range(2 * HOUR, 6 * HOUR), range(HOUR, 4 * HOUR)],
            ),
            sharing: SharingPolicy {
                constituency: Tlp::Amber,
                csirts: Tlp::Green,
            },
            services: standard_services(),
            scan_every: None,
            escalation: Vec::new(),
        });
        for sector in sectoral {
            let size = members[country][sector_index(sector)];
            let (open, close) = *pick(
                &mut rng,
                &[("09:00", "17:00"), ("08:00", "18:00"), ("08:30", "17:30")],
            );
            let on_call = *pick(&mut rng, &[30, HOUR, 2 * HOUR, 2 * HOUR, 4 * HOUR]);
            csirts.push(Csirt {
                id: sectoral_id(country, sector),
                name: format!("Sectoral CSIRT for {} ({code})", sector_label(sector)),
                kind: CsirtKind::Sectoral,
                sector: Some(sector),
                country: code.into(),
                analysts: u32::try_from(2 + size / 100).unwrap_or(6).min(6),
                hours: Hours::Office {
                    open: clock(open),
                    close: clock(close),
                    days: vec![
                        Weekday::Mon,
                        Weekday::Tue,
                        Weekday::Wed,
                        Weekday::Thu,
                        Weekday::Fri,
                    ],
                    on_call: Some(minutes(on_call)),
                },
                peers: vec![national_id(country)],
                triage: *pick(&mut rng, &[range(30, HOUR), range(15, 45)]),
                analysis: *pick(
                    &mut rng,
                    &[
                        range(2 * HOUR, 6 * HOUR),
                        range(4 * HOUR, 8 * HOUR),
                        range(HOUR, 3 * HOUR),
                    ],
                ),
                sharing: SharingPolicy {
                    constituency: if chance(&mut rng, 25) {
                        Tlp::Green
                    } else {
                        Tlp::Amber
                    },
                    csirts: Tlp::Green,
                },
                services: standard_services(),
                scan_every: None,
                escalation: Vec::new(),
            });
        }
    }

    // Authorities: a financial supervisor and a data-protection authority per country.
    let mut authorities = Vec::new();
    for (country, &(code, name, _)) in COUNTRIES.iter().enumerate().take(countries) {
        let finance_csirt = if has_sectoral(country, Sector::Finance) {
            sectoral_id(country, Sector::Finance)
        } else {
            national_id(country)
        };
        authorities.push(Authority {
            id: supervisor_id(country),
            name: format!("Financial supervisor ({name})"),
            kind: AuthorityKind::FinancialSupervisor,
            country: code.into(),
            forwards_to: Some(finance_csirt),
            forward_delay: minutes(rng.random_range(1..=4) * HOUR),
        });
        authorities.push(Authority {
            id: dpa_id(country),
            name: format!("Data-protection authority ({name})"),
            kind: AuthorityKind::DataProtection,
            country: code.into(),
            forwards_to: None,
            forward_delay: minutes(2 * HOUR),
        });
    }

    // Organisations.
    let mut entities = Vec::with_capacity(n);
    let mut info = Vec::with_capacity(n);
    let mut providers: Vec<usize> = Vec::new();
    for i in 0..n {
        let (sector, country) = (sectors[i], homes[i]);
        let code = COUNTRIES[country].0;
        let id = format!("entity-{:0width$}", i + 1);
        let name = format!(
            "{} {} {}",
            pick(&mut rng, &NAME_PREFIXES),
            pick(&mut rng, name_suffixes(sector)),
            i + 1
        );
        let class_weights: [u32; 3] = match sector {
            Sector::Finance => [30, 40, 30],
            Sector::Energy
            | Sector::Water
            | Sector::Health
            | Sector::Transport
            | Sector::DigitalInfrastructure => [55, 35, 10],
            Sector::PublicAdministration => [50, 30, 20],
            Sector::IctServices => [30, 50, 20],
            Sector::Manufacturing | Sector::DigitalProviders => [0, 70, 30],
            Sector::Other => [0, 10, 90],
        };
        let class = [Nis2Class::Essential, Nis2Class::Important, Nis2Class::None]
            [weighted(&mut rng, &class_weights)];
        let maturity_weights: [u32; 3] = match class {
            Nis2Class::Essential => [15, 50, 35],
            Nis2Class::Important => [35, 50, 15],
            Nis2Class::None => [60, 35, 5],
        };
        let monitoring = [Maturity::Low, Maturity::Medium, Maturity::High]
            [weighted(&mut rng, &maturity_weights)];
        let csirt = if has_sectoral(country, sector) {
            sectoral_id(country, sector)
        } else {
            national_id(country)
        };

        let mut exposed: Vec<String> = Vec::new();
        for _ in 0..rng.random_range(1..=3) {
            let service = if chance(&mut rng, 50) {
                *pick(&mut rng, exposed_services(sector))
            } else {
                *pick(&mut rng, &COMMON_SERVICES)
            };
            if !exposed.iter().any(|s| s == service) {
                exposed.push(service.into());
            }
        }

        // Suppliers: earlier organisations only, so the supply chain has no cycles.
        let mut suppliers: Vec<String> = Vec::new();
        if i > 0 {
            let wanted = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3]
                [rng.random_range(0..20)];
            let mut chosen = BTreeSet::new();
            for _ in 0..wanted {
                let supplier = if !providers.is_empty() && chance(&mut rng, 70) {
                    *pick(&mut rng, &providers)
                } else {
                    rng.random_range(0..i)
                };
                chosen.insert(supplier);
            }
            suppliers = chosen
                .iter()
                .map(|s| format!("entity-{:0width$}", s + 1))
                .collect();
        }
        if matches!(
            sector,
            Sector::IctServices | Sector::DigitalInfrastructure | Sector::DigitalProviders
        ) {
            providers.push(i);
        }

        // Reporting duties.
        let mut reporting = Vec::new();
        let duty = match (sector, class) {
            (Sector::Finance, _) => {
                reporting.push(Obligation::Dora {
                    to: supervisor_id(country),
                });
                Some(ReportKind::DoraInitial)
            }
            (_, Nis2Class::Essential | Nis2Class::Important) => {
                reporting.push(Obligation::Nis2 { to: csirt.clone() });
                Some(ReportKind::Nis2EarlyWarning)
            }
            (_, Nis2Class::None) => None,
        };
        let personal_data = matches!(
            sector,
            Sector::Finance
                | Sector::Health
                | Sector::PublicAdministration
                | Sector::DigitalProviders
                | Sector::IctServices
        );
        if chance(&mut rng, if personal_data { 85 } else { 30 }) {
            reporting.push(Obligation::Gdpr {
                to: dpa_id(country),
            });
        }
        if sector == Sector::Finance || (class == Nis2Class::None && chance(&mut rng, 50)) {
            reporting.push(Obligation::Voluntary { to: csirt.clone() });
        }
        let indicator_tlp = [Tlp::Green, Tlp::Amber, Tlp::AmberStrict, Tlp::Clear]
            [weighted(&mut rng, &[80, 12, 5, 3])];
        let role = if class == Nis2Class::None {
            "IT manager"
        } else {
            "CISO"
        };
        let person = Person {
            role: role.into(),
            name: format!(
                "{} {}",
                pick(&mut rng, &FIRST_NAMES),
                pick(&mut rng, &LAST_NAMES)
            ),
        };
        info.push(EntityInfo {
            id: id.clone(),
            name: name.clone(),
            sector,
            country,
            csirt: csirt.clone(),
            duty,
        });
        entities.push(Organisation {
            id,
            name,
            sector,
            country: code.into(),
            class,
            csirt,
            people: vec![person],
            monitoring,
            exposed,
            suppliers,
            reporting,
            indicator_tlp,
            vulnerable: Vec::new(),
            channels: vec![Channel::Portal, Channel::Email, Channel::Phone],
        });
    }
    World {
        countries,
        csirts,
        authorities,
        entities,
        info,
    }
}

/// What every generated CSIRT offers: the format's default set (NIS2 Art. 11(3) b, c, f).
fn standard_services() -> Vec<Service> {
    vec![
        Service::Analysis,
        Service::Warnings,
        Service::IncidentResponse,
        Service::Network,
    ]
}

fn sector_index(sector: Sector) -> usize {
    Sector::ALL
        .iter()
        .position(|s| *s == sector)
        .unwrap_or(Sector::ALL.len() - 1)
}

/// One step of an attack chain before it becomes a `Stage`.
#[derive(Clone, Copy)]
struct Step {
    slug: &'static str,
    name: &'static str,
    technique: &'static str,
    duration: (Minute, Minute),
    detection: Difficulty,
    effect: Fx,
    /// Kinds of indicators the step leaves.
    leaves: &'static [IndicatorKind],
    /// Whether the step can carry a campaign to suppliers or customers.
    spreads: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fx {
    None,
    CredentialTheft,
    DataTheft,
    Fraud,
    Encryption,
    Outage,
    Ddos,
}

const fn step(
    slug: &'static str,
    name: &'static str,
    technique: &'static str,
    duration: (Minute, Minute),
    detection: Difficulty,
    effect: Fx,
    leaves: &'static [IndicatorKind],
) -> Step {
    Step {
        slug,
        name,
        technique,
        duration,
        detection,
        effect,
        leaves,
        spreads: false,
    }
}

const fn spreading(step: Step) -> Step {
    Step {
        spreads: true,
        ..step
    }
}

use Difficulty::{Easy, Hard, Moderate, VeryHard};
use IndicatorKind::{Domain, Email, FileHash, Ip, Url};

const PHISH_LINK: Step = step(
    "phish-link",
    "Spear-phishing link to a fake login page",
    "T1566.002",
    (15, 4 * HOUR),
    Moderate,
    Fx::None,
    &[Domain, Email],
);
const PHISH_ATTACHMENT: Step = step(
    "phish-attachment",
    "Spear-phishing attachment",
    "T1566.001",
    (30, 6 * HOUR),
    Moderate,
    Fx::None,
    &[Email, FileHash],
);
const EXPLOIT_PUBLIC: Step = step(
    "exploit-public-app",
    "Exploit of a public-facing application",
    "T1190",
    (HOUR, 12 * HOUR),
    Hard,
    Fx::None,
    &[Ip, Url],
);
const REMOTE_SERVICES: Step = step(
    "vpn-access",
    "Log-in to external remote services (VPN)",
    "T1133",
    (HOUR, 8 * HOUR),
    Hard,
    Fx::None,
    &[Ip],
);
const SCANNING: Step = step(
    "scanning",
    "Vulnerability scanning of exposed services",
    "T1595.002",
    (2 * HOUR, DAY),
    Easy,
    Fx::None,
    &[Ip],
);
const SUPPLY_CHAIN: Step = step(
    "poisoned-update",
    "Compromised software update",
    "T1195.002",
    (4 * HOUR, 2 * DAY),
    VeryHard,
    Fx::None,
    &[FileHash, Domain],
);
const POWERSHELL: Step = step(
    "powershell-loader",
    "PowerShell loader",
    "T1059.001",
    (30, 3 * HOUR),
    Moderate,
    Fx::None,
    &[FileHash],
);
const SCHEDULED_TASK: Step = step(
    "scheduled-task",
    "Persistence by scheduled task",
    "T1053.005",
    (HOUR, 6 * HOUR),
    Hard,
    Fx::None,
    &[FileHash],
);
const WEB_C2: Step = step(
    "web-c2",
    "Command and control over HTTPS",
    "T1071.001",
    (2 * HOUR, 12 * HOUR),
    VeryHard,
    Fx::None,
    &[Domain, Ip],
);
const LSASS: Step = step(
    "lsass-dump",
    "Credential dumping from LSASS memory",
    "T1003.001",
    (HOUR, 8 * HOUR),
    Hard,
    Fx::CredentialTheft,
    &[FileHash],
);
const PASSWORD_SPRAY: Step = step(
    "password-spraying",
    "Password spraying against the mail service",
    "T1110.003",
    (2 * HOUR, DAY),
    Moderate,
    Fx::CredentialTheft,
    &[Ip],
);
const VALID_ACCOUNTS: Step = step(
    "valid-accounts",
    "Log-in with stolen credentials",
    "T1078",
    (30, 4 * HOUR),
    Hard,
    Fx::CredentialTheft,
    &[Ip],
);
const RDP: Step = spreading(step(
    "rdp-lateral",
    "Lateral movement over RDP",
    "T1021.001",
    (4 * HOUR, DAY),
    Moderate,
    Fx::None,
    &[],
));
const SMB: Step = spreading(step(
    "smb-lateral",
    "Lateral movement over admin shares",
    "T1021.002",
    (4 * HOUR, DAY),
    Hard,
    Fx::None,
    &[FileHash],
));
const TRUSTED: Step = spreading(step(
    "trusted-relationship",
    "Abuse of a trusted relationship with partners",
    "T1199",
    (6 * HOUR, 2 * DAY),
    VeryHard,
    Fx::None,
    &[],
));
const INTERNAL_PHISH: Step = spreading(step(
    "internal-phish",
    "Internal spear-phishing from hijacked mailboxes",
    "T1534",
    (6 * HOUR, DAY),
    Hard,
    Fx::None,
    &[FileHash],
));
const TOOL_TRANSFER: Step = spreading(step(
    "tool-transfer",
    "Lateral tool transfer",
    "T1570",
    (2 * HOUR, 12 * HOUR),
    Moderate,
    Fx::None,
    &[FileHash],
));
const DEPLOY_TOOLS: Step = step(
    "deploy-tools",
    "Software-deployment tools taken over",
    "T1072",
    (2 * HOUR, 8 * HOUR),
    Moderate,
    Fx::None,
    &[],
);
const IMPAIR: Step = step(
    "impair-defences",
    "Security tools disabled",
    "T1562.001",
    (30, 3 * HOUR),
    Moderate,
    Fx::None,
    &[],
);
const MAILBOX: Step = step(
    "mailbox-access",
    "Collection from mailboxes",
    "T1114.002",
    (HOUR, 6 * HOUR),
    Hard,
    Fx::DataTheft,
    &[Ip],
);
const LOCAL_DATA: Step = step(
    "local-data",
    "Collection of documents from file servers",
    "T1005",
    (2 * HOUR, DAY),
    VeryHard,
    Fx::None,
    &[],
);
const EXFIL_C2: Step = step(
    "exfiltration",
    "Exfiltration over the C2 channel",
    "T1041",
    (2 * HOUR, 12 * HOUR),
    Hard,
    Fx::DataTheft,
    &[Ip],
);
const EXFIL_CLOUD: Step = step(
    "exfil-cloud",
    "Exfiltration to cloud storage",
    "T1567.002",
    (HOUR, 8 * HOUR),
    Moderate,
    Fx::DataTheft,
    &[Url],
);
const FRAUD: Step = step(
    "payment-fraud",
    "Payment fraud from hijacked accounts",
    "T1657",
    (2 * HOUR, 12 * HOUR),
    Moderate,
    Fx::Fraud,
    &[],
);
const INHIBIT: Step = step(
    "inhibit-recovery",
    "Backups and shadow copies deleted",
    "T1490",
    (30, 2 * HOUR),
    Moderate,
    Fx::None,
    &[],
);
const RANSOMWARE: Step = step(
    "ransomware",
    "Ransomware: data encrypted for impact",
    "T1486",
    (30, 2 * HOUR),
    Easy,
    Fx::Encryption,
    &[FileHash],
);
const WIPER: Step = step(
    "wiper",
    "Data destruction",
    "T1485",
    (30, 2 * HOUR),
    Easy,
    Fx::Outage,
    &[],
);
const DEFACEMENT: Step = step(
    "defacement",
    "Defacement of the public web site",
    "T1491.002",
    (HOUR, 6 * HOUR),
    Easy,
    Fx::Outage,
    &[Url],
);
const DDOS: Step = step(
    "ddos",
    "Network denial of service",
    "T1498",
    (HOUR, 6 * HOUR),
    Easy,
    Fx::Ddos,
    &[Ip],
);
const FLOOD: Step = step(
    "app-flood",
    "Application-layer flood",
    "T1499.002",
    (HOUR, 6 * HOUR),
    Easy,
    Fx::Outage,
    &[Ip],
);

/// Which organisations a campaign's kind prefers.
fn focus_sectors(intent: AdversaryIntent) -> &'static [Sector] {
    match intent {
        AdversaryIntent::Financial => &[
            Sector::Finance,
            Sector::Health,
            Sector::Manufacturing,
            Sector::IctServices,
        ],
        AdversaryIntent::Espionage => &[
            Sector::PublicAdministration,
            Sector::DigitalInfrastructure,
            Sector::Energy,
            Sector::IctServices,
        ],
        AdversaryIntent::Disruption => &[
            Sector::Energy,
            Sector::Water,
            Sector::Transport,
            Sector::Health,
        ],
        AdversaryIntent::Hacktivism => &[
            Sector::PublicAdministration,
            Sector::Finance,
            Sector::Transport,
        ],
    }
}

/// A chain of 4 to 8 steps for a campaign of `intent`.
fn chain(rng: &mut ChaCha8Rng, intent: AdversaryIntent, via_supplier: bool) -> Vec<Step> {
    let mut steps = Vec::new();
    match intent {
        AdversaryIntent::Financial => {
            steps.push(*pick(
                rng,
                &[
                    PHISH_LINK,
                    PHISH_ATTACHMENT,
                    EXPLOIT_PUBLIC,
                    REMOTE_SERVICES,
                ],
            ));
            if chance(rng, 60) {
                steps.push(POWERSHELL);
            }
            steps.push(*pick(rng, &[LSASS, VALID_ACCOUNTS]));
            if chance(rng, 35) {
                // Business e-mail compromise on the way.
                steps.push(MAILBOX);
                steps.push(FRAUD);
            }
            steps.push(*pick(rng, &[RDP, SMB, INTERNAL_PHISH]));
            if chance(rng, 50) {
                steps.push(EXFIL_CLOUD);
            }
            steps.push(*pick(rng, &[DEPLOY_TOOLS, INHIBIT]));
            steps.push(RANSOMWARE);
        }
        AdversaryIntent::Espionage => {
            steps.push(if via_supplier {
                SUPPLY_CHAIN
            } else {
                *pick(rng, &[PHISH_ATTACHMENT, EXPLOIT_PUBLIC])
            });
            steps.push(WEB_C2);
            if chance(rng, 50) {
                steps.push(SCHEDULED_TASK);
            }
            steps.push(*pick(rng, &[LSASS, PASSWORD_SPRAY]));
            steps.push(*pick(rng, &[SMB, TRUSTED]));
            steps.push(*pick(rng, &[MAILBOX, LOCAL_DATA]));
            steps.push(EXFIL_C2);
        }
        AdversaryIntent::Disruption => {
            steps.push(*pick(
                rng,
                &[REMOTE_SERVICES, EXPLOIT_PUBLIC, PASSWORD_SPRAY],
            ));
            steps.push(VALID_ACCOUNTS);
            steps.push(*pick(rng, &[TOOL_TRANSFER, TRUSTED]));
            if chance(rng, 60) {
                steps.push(IMPAIR);
            }
            // A wiper dressed up as ransomware, then destruction.
            steps.push(RANSOMWARE);
            steps.push(WIPER);
        }
        AdversaryIntent::Hacktivism => {
            steps.push(SCANNING);
            steps.push(EXPLOIT_PUBLIC);
            steps.push(DEFACEMENT);
            steps.push(DDOS);
            if chance(rng, 50) {
                steps.push(FLOOD);
            }
        }
    }
    // Never the same technique twice in a chain (stage ids must be unique).
    let mut seen = BTreeSet::new();
    steps.retain(|s| seen.insert(s.slug));
    // At most 8 stages: drop optional steps after initial access, never the impact at the
    // end (only a ransomware chain with every option reaches 9; it loses its loader).
    while steps.len() > 8 {
        steps.remove(1);
    }
    steps
}

/// Campaign code names.
const CODE_NAMES: [&str; 32] = [
    "Molting",
    "Low Tide",
    "Paper Trail",
    "Grey Dawn",
    "Salt Marsh",
    "Night Ferry",
    "Glass Owl",
    "Cold Harbour",
    "Long Dyke",
    "Quiet Lock",
    "Red Lantern",
    "Blue Heron",
    "Iron Gate",
    "Dry Dock",
    "Copper Wire",
    "Slow Burn",
    "Silent Bell",
    "Broken Mill",
    "Fog Bank",
    "High Water",
    "Amber Road",
    "Black Tulip",
    "Spring Flood",
    "Windmill",
    "Storm Surge",
    "Frost Line",
    "Lighthouse",
    "Sandbank",
    "Eel Trap",
    "North Sea",
    "Cross Wind",
    "Canal Lock",
];

/// Adversary id, name, intent.
const ADVERSARIES: [(&str, &str, AdversaryIntent); 10] = [
    ("quacksmith", "Quacksmith", AdversaryIntent::Financial),
    ("grey-heron", "Grey Heron", AdversaryIntent::Espionage),
    ("rust-mole", "Rust Mole", AdversaryIntent::Disruption),
    ("loud-gull", "Loud Gull", AdversaryIntent::Hacktivism),
    ("velvet-lynx", "Velvet Lynx", AdversaryIntent::Financial),
    ("paper-crane", "Paper Crane", AdversaryIntent::Espionage),
    ("night-otter", "Night Otter", AdversaryIntent::Financial),
    ("iron-stork", "Iron Stork", AdversaryIntent::Disruption),
    ("static-wasp", "Static Wasp", AdversaryIntent::Hacktivism),
    ("cold-viper", "Cold Viper", AdversaryIntent::Espionage),
];

const WORDS: [&str; 16] = [
    "secure", "login", "verify", "update", "portal", "account", "support", "invoice", "cloud",
    "sync", "cdn", "office", "auth", "mail", "docs", "pay",
];

const TLDS: [&str; 5] = ["com", "net", "org", "info", "eu"];

/// Generates indicator values; counters keep IPs distinct within the documentation ranges
/// for the first 762 addresses.
struct Observables {
    ips: u32,
    domains: u32,
}

impl Observables {
    fn value(&mut self, rng: &mut ChaCha8Rng, kind: IndicatorKind, domain: &str) -> String {
        match kind {
            IndicatorKind::Ip => {
                let n = self.ips;
                self.ips += 1;
                let net = ["192.0.2", "198.51.100", "203.0.113"][(n / 254 % 3) as usize];
                format!("{net}.{}", n % 254 + 1)
            }
            IndicatorKind::Domain => {
                self.domains += 1;
                format!(
                    "{}-{}-{}.{}",
                    pick(rng, &WORDS),
                    pick(rng, &WORDS),
                    self.domains,
                    pick(rng, &TLDS)
                )
            }
            IndicatorKind::Url => format!(
                "https://{domain}/{}/{}.php",
                pick(rng, &WORDS),
                pick(rng, &WORDS)
            ),
            IndicatorKind::Email => format!(
                "{}@{domain}",
                pick(
                    rng,
                    &["billing", "it-support", "hr", "no-reply", "ceo-office"]
                )
            ),
            IndicatorKind::FileHash => (0..4)
                .map(|_| format!("{:016x}", rng.random::<u64>()))
                .collect(),
        }
    }
}

fn kind_slug(kind: IndicatorKind) -> &'static str {
    match kind {
        IndicatorKind::Domain => "domain",
        IndicatorKind::Ip => "ip",
        IndicatorKind::Url => "url",
        IndicatorKind::FileHash => "hash",
        IndicatorKind::Email => "email",
    }
}

/// Facts about a generated campaign that the MSEL and the objectives refer to.
struct CampaignInfo {
    id: String,
    name: String,
    adversary: usize,
    start: Minute,
    /// The organisation the MSEL is about: the first named target.
    focus: usize,
    /// The sector attacked as a whole, if any.
    sector_wave: Option<Sector>,
    first_indicator: String,
    encrypts: bool,
    data_theft: bool,
}

fn campaign_count(options: &GenerateOptions) -> usize {
    let log = (u64::from(options.entities) + 1).ilog2() as usize;
    let days = options.days.max(1) as usize;
    (days * (2 + log) / 12).max(2)
}

fn adversary_count(options: &GenerateOptions) -> usize {
    (2 + options.entities as usize / 2000 + options.days as usize / 15).clamp(2, ADVERSARIES.len())
}

/// First night from Saturday to Monday at 03:00 at least a day after `from`.
fn weekend_night(start: &WallClock, from: Minute) -> Minute {
    let t0 = from + DAY;
    let base = t0 - start.plus(t0).time.minute_of_day + 3 * HOUR;
    (0..9)
        .map(|k| base + k * DAY)
        .find(|c| *c >= t0 && matches!(start.plus(*c).weekday(), Weekday::Sat | Weekday::Sun))
        .unwrap_or(t0)
}

fn build_adversaries(
    options: &GenerateOptions,
    world: &World,
    start: &WallClock,
) -> (Vec<Adversary>, Vec<CampaignInfo>) {
    let mut rng = stream(options.seed, STREAM_ADVERSARIES);
    let n = world.info.len();
    let end = Minute::from(options.days.max(1)) * DAY;
    let count = adversary_count(options);
    let mut adversaries: Vec<Adversary> = ADVERSARIES[..count]
        .iter()
        .map(|(id, name, intent)| Adversary {
            id: (*id).into(),
            name: (*name).into(),
            intent: *intent,
            capability: [Maturity::Low, Maturity::Medium, Maturity::High][weighted(
                &mut rng,
                match intent {
                    AdversaryIntent::Espionage => &[0, 40, 60],
                    AdversaryIntent::Hacktivism => &[60, 40, 0],
                    _ => &[20, 60, 20],
                },
            )],
            campaigns: Vec::new(),
        })
        .collect();
    let by_sector: Vec<Vec<usize>> = Sector::ALL
        .iter()
        .map(|s| (0..n).filter(|i| world.info[*i].sector == *s).collect())
        .collect();
    let providers: Vec<usize> = (0..n)
        .filter(|i| {
            matches!(
                world.info[*i].sector,
                Sector::IctServices | Sector::DigitalInfrastructure
            )
        })
        .collect();
    let everyone: Vec<usize> = (0..n).collect();
    let mut observables = Observables { ips: 0, domains: 0 };
    let mut infos = Vec::new();
    // Campaigns start over the whole exercise but leave at least two days (or half of a
    // short exercise) to play out.
    let latest = if end > 4 * DAY {
        end - 2 * DAY
    } else {
        end / 2
    };
    let campaigns = campaign_count(options);
    for c in 0..campaigns {
        let a = c % count;
        let (adv_id, _, intent) = ADVERSARIES[a];
        let number = adversaries[a].campaigns.len() + 1;
        let id = format!("{adv_id}-{number:02}");
        let name = if c < CODE_NAMES.len() {
            CODE_NAMES[c].to_string()
        } else {
            format!(
                "{} {}",
                CODE_NAMES[c % CODE_NAMES.len()],
                c / CODE_NAMES.len() + 1
            )
        };
        let start_at = rng.random_range(0..=latest);

        // Targets: a whole sector across Europe (hacktivists' DDoS lists, sometimes), every
        // organisation of one sector in one country (a national wave), a software supplier
        // (espionage, sometimes) or some organisations of the preferred sectors, often of
        // one country.
        let focus_list = focus_sectors(intent);
        let wave_sector = *pick(&mut rng, focus_list);
        let wave_country = rng.random_range(0..world.countries);
        let roll = rng.random_range(0..100);
        let (sector_wave, national_wave) = match intent {
            AdversaryIntent::Hacktivism if roll < 35 => (Some(wave_sector), false),
            AdversaryIntent::Hacktivism if roll < 70 => (None, true),
            AdversaryIntent::Financial if roll < 10 => (None, true),
            _ => (None, false),
        };
        let sector_wave = sector_wave.filter(|s| !by_sector[sector_index(*s)].is_empty());
        let national: Vec<usize> = by_sector[sector_index(wave_sector)]
            .iter()
            .copied()
            .filter(|i| world.info[*i].country == wave_country)
            .collect();
        let national_wave = national_wave && !national.is_empty();
        let via_supplier =
            intent == AdversaryIntent::Espionage && !providers.is_empty() && chance(&mut rng, 35);
        let named: Vec<usize> = if let Some(s) = sector_wave {
            by_sector[sector_index(s)].iter().copied().take(1).collect()
        } else if national_wave {
            national
        } else if via_supplier {
            let k = 1 + rng.random_range(0..=n / 2000);
            sample(&mut rng, &providers, k)
        } else {
            let k = 1 + rng.random_range(0..=n / 150);
            let country = rng.random_range(0..world.countries);
            let one_country = chance(&mut rng, 50);
            let mut pool: Vec<usize> = focus_list
                .iter()
                .flat_map(|s| by_sector[sector_index(*s)].iter().copied())
                .filter(|i| !one_country || world.info[*i].country == country)
                .collect();
            pool.sort_unstable();
            if pool.len() < k {
                pool = focus_list
                    .iter()
                    .flat_map(|s| by_sector[sector_index(*s)].iter().copied())
                    .collect();
                pool.sort_unstable();
            }
            if pool.is_empty() {
                pool = everyone.clone();
            }
            sample(&mut rng, &pool, k)
        };
        let targets = match sector_wave {
            Some(s) => vec![Target::Sector(s)],
            None => named
                .iter()
                .map(|i| Target::Entity(world.info[*i].id.clone()))
                .collect(),
        };

        // Stages and the indicators they leave.
        let steps = chain(&mut rng, intent, via_supplier);
        let spread_at = if chance(&mut rng, 60) {
            steps
                .iter()
                .position(|s| s.spreads)
                .filter(|p| p + 1 < steps.len())
        } else {
            None
        };
        let mut indicators: Vec<Indicator> = Vec::new();
        let mut main_domain = String::new();
        let mut stages = Vec::new();
        for (s, st) in steps.iter().enumerate() {
            let mut left = Vec::new();
            for kind in st.leaves {
                let reuse: Vec<usize> = indicators
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.kind == *kind)
                    .map(|(k, _)| k)
                    .collect();
                let existing =
                    if !reuse.is_empty() && (indicators.len() >= 6 || chance(&mut rng, 40)) {
                        Some(*pick(&mut rng, &reuse))
                    } else {
                        None
                    };
                let ix = match existing {
                    Some(ix) => ix,
                    None if indicators.len() < 6 => {
                        let same = indicators.iter().filter(|i| i.kind == *kind).count() + 1;
                        if main_domain.is_empty()
                            && matches!(kind, IndicatorKind::Url | IndicatorKind::Email)
                        {
                            main_domain = observables.value(&mut rng, IndicatorKind::Domain, "");
                        }
                        let value = observables.value(&mut rng, *kind, &main_domain);
                        if *kind == IndicatorKind::Domain && same == 1 {
                            main_domain.clone_from(&value);
                        }
                        indicators.push(Indicator {
                            id: format!("{id}-{}-{same}", kind_slug(*kind)),
                            kind: *kind,
                            value,
                        });
                        indicators.len() - 1
                    }
                    None => continue,
                };
                let ind_id = indicators[ix].id.clone();
                if !left.contains(&ind_id) {
                    left.push(ind_id);
                }
            }
            let effect = if spread_at == Some(s) {
                let toward =
                    if st.slug == "trusted-relationship" || via_supplier || chance(&mut rng, 50) {
                        Target::Customers
                    } else {
                        Target::Suppliers
                    };
                Effect::Spread {
                    targets: vec![toward],
                    entry: format!("s{}-{}", s + 2, steps[s + 1].slug),
                }
            } else {
                match st.effect {
                    Fx::None => Effect::None,
                    Fx::CredentialTheft => Effect::CredentialTheft,
                    Fx::DataTheft => Effect::DataTheft,
                    Fx::Fraud => Effect::Fraud,
                    Fx::Encryption => Effect::Encryption,
                    Fx::Outage => Effect::Outage,
                    Fx::Ddos => Effect::Ddos,
                }
            };
            // Ransomware gangs like weekend nights.
            let not_before = if st.effect == Fx::Encryption
                && intent == AdversaryIntent::Financial
                && chance(&mut rng, 50)
            {
                let night = weekend_night(start, start_at);
                if night < end {
                    Some(At::Offset(night))
                } else {
                    None
                }
            } else {
                None
            };
            stages.push(Stage {
                id: format!("s{}-{}", s + 1, st.slug),
                name: st.name.into(),
                technique: st.technique.into(),
                duration: range(st.duration.0, st.duration.1),
                not_before,
                indicators: left,
                detection: st.detection,
                effect,
                exploits: None,
            });
        }
        let first_indicator = stages
            .iter()
            .flat_map(|s| s.indicators.iter())
            .next()
            .cloned()
            .or_else(|| indicators.first().map(|i| i.id.clone()))
            .unwrap_or_default();
        let encrypts = stages.iter().any(|s| s.effect == Effect::Encryption);
        let data_theft = stages.iter().any(|s| s.effect == Effect::DataTheft);
        infos.push(CampaignInfo {
            id: id.clone(),
            name: name.clone(),
            adversary: a,
            start: start_at,
            focus: named.first().copied().unwrap_or(0),
            sector_wave,
            first_indicator,
            encrypts,
            data_theft,
        });
        adversaries[a].campaigns.push(Campaign {
            id,
            name,
            start: At::Offset(start_at),
            targets,
            indicators,
            stages,
            rotation: None,
        });
    }
    // A short exercise may leave some adversaries without a campaign; a scenario may not
    // name an adversary that does nothing, so they go, and the campaigns follow the renumbering.
    let mut renumbered = vec![usize::MAX; adversaries.len()];
    let mut kept = 0;
    for (a, adversary) in adversaries.iter().enumerate() {
        if !adversary.campaigns.is_empty() {
            renumbered[a] = kept;
            kept += 1;
        }
    }
    for info in &mut infos {
        info.adversary = renumbered[info.adversary];
    }
    adversaries.retain(|a| !a.campaigns.is_empty());
    (adversaries, infos)
}

fn report_label(report: ReportKind) -> &'static str {
    match report {
        ReportKind::DoraInitial => "DORA initial notification",
        ReportKind::Nis2EarlyWarning => "NIS2 early warning",
        _ => "report",
    }
}

fn message(from: String, channel: Channel, subject: String, body: String) -> Option<Message> {
    Some(Message {
        from,
        channel,
        subject,
        body,
    })
}

fn build_msel(
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
        if let Some(report) = focus.duty {
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
                id: format!("{}-reminder", c.id),
                title: format!("{}: reminder of the {}", focus.name, report_label(report)),
                when: When::Unless {
                    after: EventPattern::Detected(Who::Entity(focus.id.clone())),
                    expected: EventPattern::ReportSent { by: Who::Entity(focus.id.clone()), report },
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
        match focus.duty {
            Some(ReportKind::DoraInitial) => objectives.push(Objective {
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
                id: format!("{}-early-warning", c.id),
                title: format!(
                    "{}: NIS2 early warning within 24 h of awareness",
                    focus.name
                ),
                check: Check::Deadline {
                    after: EventPattern::Detected(Who::Entity(focus.id.clone())),
                    expected: EventPattern::ReportSent {
                        by: Who::Entity(focus.id.clone()),
                        report,
                    },
                    within: minutes(DAY),
                },
            }),
            None => {}
        }
        if !c.first_indicator.is_empty() {
            objectives.push(Objective {
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

/// A synthetic scenario with `options.entities` organisations over `options.days` days.
pub fn generate(options: &GenerateOptions) -> Scenario {
    let start = WallClock::parse(START).unwrap_or(WallClock {
        day: 0,
        time: ClockTime { minute_of_day: 0 },
    });
    let world = build_world(options);
    let (adversaries, campaigns) = build_adversaries(options, &world, &start);
    let (injects, objectives) = build_msel(options, &world, &adversaries, &campaigns);
    let World {
        countries,
        csirts,
        authorities,
        entities,
        ..
    } = world;
    let codes: Vec<&str> = COUNTRIES[..countries].iter().map(|c| c.0).collect();
    // One player seat per national CSIRT: its duty officer.
    let roles = csirts
        .iter()
        .filter(|c| c.kind == CsirtKind::National)
        .map(|c| Role {
            id: format!("{}-duty", c.id),
            title: format!("{} duty officer", c.name),
            actor: c.id.clone(),
            decisions: Vec::new(),
            briefing: format!(
                "You are the duty officer of {}: you warn your constituency, work with your peers and decide on the national crisis level.",
                c.name
            ),
            actions: None,
        })
        .collect();
    Scenario {
        version: FORMAT_VERSION,
        name: format!(
            "Generated: {} entities, {} days, seed {}",
            options.entities, options.days, options.seed
        ),
        summary: format!(
            "A synthetic exercise for stress tests and benchmarks: {} organisations in {} ({}), {} CSIRTs, {} adversaries running {} campaigns over {} days.",
            entities.len(),
            if countries == 1 {
                "one country"
            } else {
                "several countries"
            },
            codes.join(", "),
            csirts.len(),
            adversaries.len(),
            campaigns.len(),
            options.days,
        ),
        start,
        duration: Duration::days(i64::from(options.days.max(1))),
        csirts,
        authorities,
        entities,
        adversaries,
        vulnerabilities: Vec::new(),
        sops: Vec::new(),
        injects,
        objectives,
        roles,
    }
}

/// The scenario as a RON file: the `implicit_some` header, a comment saying how it was
/// made, then the pretty-printed scenario, tidied to read like a hand-written file.
pub fn to_ron(scenario: &Scenario) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .indentor("    ");
    let body = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .to_string_pretty(scenario, config)?;
    let mut out = String::with_capacity(body.len() + 300);
    out.push_str("#![enable(implicit_some)]\n");
    out.push_str(&format!("// {}\n", origin(scenario)));
    out.push_str(&format!("// {}\n", scenario.summary));
    out.push_str(&tidy(&body));
    out.push('\n');
    Ok(out)
}

/// Lines longer than this are not made by joining.
const LINE_LIMIT: usize = 110;

/// Fields whose `None` is their default: left out, as a designer would.
const DEFAULT_NONE: [&str; 9] = [
    "sector",
    "forwards_to",
    "not_before",
    "message",
    "on_call",
    "effect",
    "scan_every",
    "exploits",
    "rotation",
];

/// Lists whose empty value is their default: left out too.
const DEFAULT_EMPTY: [&str; 4] = ["escalation", "vulnerable", "vulnerabilities", "suppliers"];

/// Whether a line sets a field to its default `None` or empty list.
fn is_default(trimmed: &str) -> bool {
    let value = |fields: &[&str], values: &[&str]| {
        fields.iter().any(|f| {
            trimmed
                .strip_prefix(f)
                .is_some_and(|rest| values.contains(&rest))
        })
    };
    value(&DEFAULT_NONE, &[": None,", ": r#None,"]) || value(&DEFAULT_EMPTY, &[": [],"])
}

/// Makes ron's one-item-per-line output read like a hand-written scenario: small
/// structures and lists on one line, default `None`s left out, no type names where a
/// designer writes none. Works on whole lines only: ron escapes line breaks inside strings,
/// and a line that is part of a string value always ends in `"` or `",`.
fn tidy(body: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for raw in body.lines() {
        if is_default(raw.trim_start()) {
            continue;
        }
        let line = raw
            .replace(": r#None,", ": None,")
            .replace(": DurationRange(", ": (")
            .replace(": SharingPolicy(", ": (");
        let trimmed = line.trim();
        if trimmed.starts_with(')') || trimmed.starts_with(']') {
            if let Some(start) = open.pop() {
                let items: Vec<&str> = out[start + 1..].iter().map(|l| l.trim()).collect();
                let mut joined = out[start].clone();
                joined.push_str(&items.join(" "));
                if joined.ends_with(',') && !items.is_empty() {
                    joined.pop();
                }
                joined.push_str(trimmed);
                if joined.len() <= LINE_LIMIT {
                    out.truncate(start);
                    out.push(joined);
                    continue;
                }
            }
            out.push(line);
        } else {
            let opens = trimmed.ends_with('(') || trimmed.ends_with('[');
            out.push(line);
            if opens {
                open.push(out.len() - 1);
            }
        }
    }
    out.join("\n")
}

/// "generated by tabletop generate --entities N --days D --seed S", read back from the name.
fn origin(scenario: &Scenario) -> String {
    let numbers: Vec<&str> = scenario
        .name
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    match numbers.as_slice() {
        [n, d, s] if scenario.name.starts_with("Generated: ") => {
            format!("generated by tabletop generate --entities {n} --days {d} --seed {s}")
        }
        _ => "generated by tabletop generate".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;

    fn round_trip(entities: u32, days: u32, seed: u64) -> (Scenario, String) {
        let options = GenerateOptions {
            entities,
            days,
            seed,
        };
        let scenario = generate(&options);
        let text = to_ron(&scenario).expect("serialises");
        assert!(text.starts_with("#![enable(implicit_some)]\n"));
        assert!(text.contains(&format!(
            "generated by tabletop generate --entities {entities} --days {days} --seed {seed}"
        )));
        match parse("generated.ron", text.as_bytes()) {
            Ok(parsed) => (parsed, text),
            Err(diagnostics) => panic!("{diagnostics}"),
        }
    }

    #[test]
    fn short_exercises_name_only_adversaries_that_act() {
        // Two days leave most of 10,000 organisations' adversaries without a campaign.
        for (entities, days) in [(10_000, 2), (300, 1), (50, 2)] {
            let (s, _) = round_trip(entities, days, 0);
            assert!(
                s.adversaries.iter().all(|a| !a.campaigns.is_empty()),
                "{entities} × {days} d"
            );
            assert!(!s.adversaries.is_empty(), "{entities} × {days} d");
        }
    }

    #[test]
    fn one_entity_round_trips() {
        let (s, _) = round_trip(1, 30, 0);
        assert_eq!(s.entities.len(), 1);
        assert!(s.adversaries.iter().all(|a| !a.campaigns.is_empty()));
    }

    #[test]
    fn thirty_seven_entities_round_trip() {
        let (s, _) = round_trip(37, 30, 7);
        assert_eq!(s.entities.len(), 37);
        assert_eq!(s.entities[36].id, "entity-00037");
        // Every sector is present once N covers them.
        for sector in Sector::ALL {
            assert!(s.entities.iter().any(|e| e.sector == sector), "{sector:?}");
        }
    }

    #[test]
    fn two_thousand_entities_round_trip() {
        let (s, _) = round_trip(2000, 30, 1);
        assert_eq!(s.entities.len(), 2000);
        assert!(s.csirts.iter().any(|c| c.kind == CsirtKind::Sectoral));
        assert!(s.injects.len() > 10 && s.objectives.len() > 10);
    }

    #[test]
    fn short_and_long_exercises_round_trip() {
        round_trip(5, 1, 3);
        round_trip(300, 2, 4);
        round_trip(50, 365, 5);
    }

    #[test]
    fn the_same_options_give_the_same_file() {
        let options = GenerateOptions {
            entities: 500,
            days: 14,
            seed: 42,
        };
        let a = to_ron(&generate(&options)).expect("serialises");
        let b = to_ron(&generate(&options)).expect("serialises");
        assert_eq!(a, b);
        let other = to_ron(&generate(&GenerateOptions {
            seed: 43,
            ..options
        }))
        .expect("serialises");
        assert_ne!(a, other);
    }

    #[test]
    fn the_world_does_not_depend_on_the_days() {
        let short = generate(&GenerateOptions {
            entities: 300,
            days: 10,
            seed: 9,
        });
        let long = generate(&GenerateOptions {
            entities: 300,
            days: 60,
            seed: 9,
        });
        let ids = |s: &Scenario| {
            s.entities
                .iter()
                .map(|e| (e.id.clone(), e.csirt.clone(), e.suppliers.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&short), ids(&long));
    }

    #[test]
    fn suppliers_form_a_dag() {
        let s = generate(&GenerateOptions {
            entities: 1000,
            days: 30,
            seed: 2,
        });
        for (i, e) in s.entities.iter().enumerate() {
            for supplier in &e.suppliers {
                let j = s
                    .entities
                    .iter()
                    .position(|x| &x.id == supplier)
                    .expect("supplier exists");
                assert!(j < i, "{} supplies {}", supplier, e.id);
            }
        }
    }

    /// Runs a generated scenario to the end and counts its journal events.
    fn events(entities: u32, days: u32) -> usize {
        let scenario = generate(&GenerateOptions {
            entities,
            days,
            seed: 0,
        });
        let mut sim = crate::sim::Simulation::new(&scenario, 0).expect("builds");
        sim.run_to_end();
        sim.journal().len()
    }

    #[test]
    fn a_thousand_entities_keep_the_engine_busy() {
        // 10,000 organisations give more than 100,000 events; 1,000 about a tenth of that.
        assert!(events(1000, 30) >= 10_000);
    }

    /// `cargo test --release --lib -- --ignored ten_thousand` (about a second in release).
    #[test]
    #[ignore = "slow in debug builds"]
    fn ten_thousand_entities_give_a_hundred_thousand_events() {
        assert!(events(10_000, 30) >= 100_000);
    }

    #[test]
    fn campaigns_are_four_to_eight_stages_and_some_encrypt() {
        let s = generate(&GenerateOptions {
            entities: 1000,
            days: 30,
            seed: 0,
        });
        let campaigns: Vec<&Campaign> = s
            .adversaries
            .iter()
            .flat_map(|a| a.campaigns.iter())
            .collect();
        assert!(campaigns.iter().all(|c| (4..=8).contains(&c.stages.len())));
        // Every ransomware chain still ends in encryption, however many options it drew.
        for a in &s.adversaries {
            for c in &a.campaigns {
                if a.intent == AdversaryIntent::Financial {
                    let last = c.stages.last().map(|st| &st.effect);
                    assert_eq!(last, Some(&Effect::Encryption), "{}", c.id);
                }
            }
        }
        assert!(
            campaigns
                .iter()
                .any(|c| c.stages.iter().any(|st| st.effect == Effect::Encryption))
        );
        assert!(campaigns.iter().any(|c| {
            c.stages
                .iter()
                .any(|st| matches!(st.effect, Effect::Spread { .. }))
        }));
    }
}
