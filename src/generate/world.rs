//! The world without adversaries: organisations, CSIRTs and authorities of 1 to 8
//! countries, drawn from the world stream only so that the days never change them.

use std::collections::BTreeSet;

use rand::RngExt;

use crate::scenario::{
    Authority, AuthorityKind, Channel, Csirt, CsirtKind, Hours, Maturity, Nis2Class, Obligation,
    Organisation, Person, ReportKind, Sector, Service, SharingPolicy, Tlp, Weekday,
};

use super::draw::{STREAM_WORLD, chance, pick, stream, weighted};
use super::names::{
    COMMON_SERVICES, COUNTRIES, FIRST_NAMES, LAST_NAMES, NAME_PREFIXES, dpa_id, exposed_services,
    name_suffixes, national_id, sector_index, sector_label, sectoral_id, supervisor_id,
};
use super::options::GenerateOptions;
use super::units::{HOUR, clock, minutes, range};

/// A (country, sector) gets its own sectoral CSIRT from this many organisations on.
const SECTORAL_MIN: usize = 10;

/// Relative number of organisations per sector, in `Sector::ALL` order.
pub(super) const SECTOR_WEIGHTS: [u32; 11] = [10, 6, 9, 12, 5, 6, 10, 10, 16, 6, 10];

/// The facts about one organisation that later parts of the generator need.
pub(super) struct EntityInfo {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) sector: Sector,
    pub(super) country: usize,
    pub(super) csirt: String,
    /// Its regulatory report to watch in objectives and contingencies.
    pub(super) duty: Option<ReportKind>,
}

/// The world without adversaries: CSIRTs, authorities and organisations.
pub(super) struct World {
    pub(super) countries: usize,
    pub(super) csirts: Vec<Csirt>,
    pub(super) authorities: Vec<Authority>,
    pub(super) entities: Vec<Organisation>,
    pub(super) info: Vec<EntityInfo>,
}

fn country_count(entities: u32) -> usize {
    if entities < 3 {
        1
    } else {
        (3 + entities as usize / 500).min(COUNTRIES.len())
    }
}

pub(super) fn build_world(options: &GenerateOptions) -> World {
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
            time_zone: None,
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
                time_zone: None,
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
            holds_customer_data: false,
            customers: Vec::new(),
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
