//! Every fictitious name and label the generator writes: countries, organisations,
//! people, CSIRT ids, campaign code names, adversaries and indicator values.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::scenario::{AdversaryIntent, IndicatorKind, Sector};

use super::draw::pick;

/// ISO 3166 code, name, relative number of organisations.
pub(super) const COUNTRIES: [(&str, &str, u32); 8] = [
    ("NL", "Netherlands", 18),
    ("BE", "Belgium", 12),
    ("DE", "Germany", 30),
    ("FR", "France", 26),
    ("LU", "Luxembourg", 4),
    ("AT", "Austria", 10),
    ("DK", "Denmark", 7),
    ("IE", "Ireland", 6),
];

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

/// A sector as the generator's names use it: "Sectoral CSIRT for other sectors".
pub(super) fn sector_label(sector: Sector) -> &'static str {
    match sector {
        Sector::Other => "other sectors",
        s => s.label(),
    }
}

/// The second half of an organisation's name, by sector.
pub(super) fn name_suffixes(sector: Sector) -> &'static [&'static str] {
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

pub(super) const NAME_PREFIXES: [&str; 24] = [
    "Zilver", "Tulip", "Polder", "Noord", "Delta", "Kestrel", "Amber", "Linden", "Meridian",
    "Harbour", "Oak", "Beacon", "Falcon", "Granite", "Heron", "Iris", "Juniper", "Larch", "Maple",
    "Nimbus", "Orchid", "Pioneer", "Quarry", "Rhine",
];

pub(super) const FIRST_NAMES: [&str; 20] = [
    "Nessie", "Pieter", "Ilse", "Sanne", "Marloes", "Ruben", "Anna", "Lukas", "Chloé", "Emil",
    "Sofie", "Jonas", "Léa", "Finn", "Aoife", "Mathis", "Freja", "Noah", "Camille", "Jan",
];

pub(super) const LAST_NAMES: [&str; 20] = [
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

pub(super) fn exposed_services(sector: Sector) -> &'static [&'static str] {
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

pub(super) const COMMON_SERVICES: [&str; 4] = [
    "VPN",
    "e-mail gateway",
    "remote desktop gateway",
    "web site",
];

pub(super) fn national_id(country: usize) -> String {
    format!("csirt-{}", COUNTRIES[country].0.to_ascii_lowercase())
}

pub(super) fn sectoral_id(country: usize, sector: Sector) -> String {
    format!(
        "csirt-{}-{}",
        COUNTRIES[country].0.to_ascii_lowercase(),
        sector_slug(sector)
    )
}

pub(super) fn supervisor_id(country: usize) -> String {
    format!("fsa-{}", COUNTRIES[country].0.to_ascii_lowercase())
}

pub(super) fn dpa_id(country: usize) -> String {
    format!("dpa-{}", COUNTRIES[country].0.to_ascii_lowercase())
}

pub(super) fn sector_index(sector: Sector) -> usize {
    Sector::ALL
        .iter()
        .position(|s| *s == sector)
        .unwrap_or(Sector::ALL.len() - 1)
}

/// Campaign code names.
pub(super) const CODE_NAMES: [&str; 32] = [
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
pub(super) const ADVERSARIES: [(&str, &str, AdversaryIntent); 10] = [
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
pub(super) struct Observables {
    pub(super) ips: u32,
    pub(super) domains: u32,
}

impl Observables {
    pub(super) fn value(
        &mut self,
        rng: &mut ChaCha8Rng,
        kind: IndicatorKind,
        domain: &str,
    ) -> String {
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
            // Kinds the generator's techniques never leave behind; values of their shape.
            IndicatorKind::FilePath => format!("C:\\Users\\Public\\{}.exe", pick(rng, &WORDS)),
            IndicatorKind::Hostname => format!("{}-01.{domain}", pick(rng, &WORDS)),
            IndicatorKind::Account => format!("svc-{}", pick(rng, &WORDS)),
            IndicatorKind::BankAccount => format!(
                "NL{:02}TEST{:010}",
                rng.random_range(10..99),
                rng.random_range(0..10_000_000_000_u64)
            ),
            IndicatorKind::Other => pick(rng, &WORDS).to_string(),
        }
    }
}

pub(super) fn kind_slug(kind: IndicatorKind) -> &'static str {
    match kind {
        IndicatorKind::Domain => "domain",
        IndicatorKind::Ip => "ip",
        IndicatorKind::Url => "url",
        IndicatorKind::FileHash => "hash",
        IndicatorKind::Email => "email",
        IndicatorKind::FilePath => "path",
        IndicatorKind::Hostname => "host",
        IndicatorKind::Account => "account",
        IndicatorKind::BankAccount => "bank-account",
        IndicatorKind::Other => "other",
    }
}
