//! Adversaries and their campaigns: which intent picks which techniques, whom a campaign
//! targets, when it starts and how it spreads.

use std::collections::BTreeSet;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::scenario::{
    Adversary, AdversaryIntent, At, Campaign, Effect, Indicator, IndicatorKind, Maturity, Minute,
    Sector, Stage, Target, WallClock, Weekday,
};

use super::draw::{STREAM_ADVERSARIES, chance, pick, sample, stream, weighted};
use super::names::{ADVERSARIES, CODE_NAMES, Observables, kind_slug, sector_index};
use super::options::GenerateOptions;
use super::techniques::{Fx, Technique, technique};
use super::units::{DAY, HOUR, range};
use super::world::World;

/// A technique of the catalogue, looked up while compiling.
macro_rules! t {
    ($slug:literal) => {
        const { technique($slug) }
    };
}

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
pub(super) fn chain(
    rng: &mut ChaCha8Rng,
    intent: AdversaryIntent,
    via_supplier: bool,
) -> Vec<Technique> {
    let mut steps = Vec::new();
    match intent {
        AdversaryIntent::Financial => {
            steps.push(*pick(
                rng,
                &[
                    t!("phish-link"),
                    t!("phish-attachment"),
                    t!("exploit-public-app"),
                    t!("vpn-access"),
                ],
            ));
            if chance(rng, 60) {
                steps.push(t!("powershell-loader"));
            }
            steps.push(*pick(rng, &[t!("lsass-dump"), t!("valid-accounts")]));
            if chance(rng, 35) {
                // Business e-mail compromise on the way.
                steps.push(t!("mailbox-access"));
                steps.push(t!("payment-fraud"));
            }
            steps.push(*pick(
                rng,
                &[t!("rdp-lateral"), t!("smb-lateral"), t!("internal-phish")],
            ));
            if chance(rng, 50) {
                steps.push(t!("exfil-cloud"));
            }
            steps.push(*pick(rng, &[t!("deploy-tools"), t!("inhibit-recovery")]));
            steps.push(t!("ransomware"));
        }
        AdversaryIntent::Espionage => {
            steps.push(if via_supplier {
                t!("poisoned-update")
            } else {
                *pick(rng, &[t!("phish-attachment"), t!("exploit-public-app")])
            });
            steps.push(t!("web-c2"));
            if chance(rng, 50) {
                steps.push(t!("scheduled-task"));
            }
            steps.push(*pick(rng, &[t!("lsass-dump"), t!("password-spraying")]));
            steps.push(*pick(rng, &[t!("smb-lateral"), t!("trusted-relationship")]));
            steps.push(*pick(rng, &[t!("mailbox-access"), t!("local-data")]));
            steps.push(t!("exfiltration"));
        }
        AdversaryIntent::Disruption => {
            steps.push(*pick(
                rng,
                &[
                    t!("vpn-access"),
                    t!("exploit-public-app"),
                    t!("password-spraying"),
                ],
            ));
            steps.push(t!("valid-accounts"));
            steps.push(*pick(
                rng,
                &[t!("tool-transfer"), t!("trusted-relationship")],
            ));
            if chance(rng, 60) {
                steps.push(t!("impair-defences"));
            }
            // A wiper dressed up as ransomware, then destruction.
            steps.push(t!("ransomware"));
            steps.push(t!("wiper"));
        }
        AdversaryIntent::Hacktivism => {
            steps.push(t!("scanning"));
            steps.push(t!("exploit-public-app"));
            steps.push(t!("defacement"));
            steps.push(t!("ddos"));
            if chance(rng, 50) {
                steps.push(t!("app-flood"));
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

/// Facts about a generated campaign that the MSEL and the objectives refer to.
pub(super) struct CampaignInfo {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) adversary: usize,
    pub(super) start: Minute,
    /// The organisation the MSEL is about: the first named target.
    pub(super) focus: usize,
    /// The sector attacked as a whole, if any.
    pub(super) sector_wave: Option<Sector>,
    pub(super) first_indicator: String,
    pub(super) encrypts: bool,
    pub(super) data_theft: bool,
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

pub(super) fn build_adversaries(
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
                            label: None,
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
                technique: st.attack_id.into(),
                label: None,
                duration: range(st.duration.0, st.duration.1),
                not_before,
                indicators: left,
                detection: st.detection,
                effect,
                exploits: None,
                also_exploits: Vec::new(),
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
