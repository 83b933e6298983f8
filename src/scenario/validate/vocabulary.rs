//! What an inject's references are checked against: actors with their kind, campaigns,
//! indicators, and the services each CSIRT offers. The validator's index is one
//! vocabulary; the console implements it over a running exercise's plan, so an inject
//! composed during the exercise meets the same rules as the MSEL's.

use std::collections::{BTreeMap, BTreeSet};

use crate::scenario::model::Service;

use super::actor::ActorKind;
use super::index::Index;

/// The ids one kind of reference may name, looked up without a scan.
pub trait Ids {
    fn has(&self, id: &str) -> bool;
    /// Every id, in order.
    fn ids(&self) -> impl Iterator<Item = &str>;
}

impl Ids for BTreeSet<&str> {
    fn has(&self, id: &str) -> bool {
        self.contains(id)
    }
    fn ids(&self) -> impl Iterator<Item = &str> {
        self.iter().copied()
    }
}

impl<V> Ids for BTreeMap<&str, V> {
    fn has(&self, id: &str) -> bool {
        self.contains_key(id)
    }
    fn ids(&self) -> impl Iterator<Item = &str> {
        self.keys().copied()
    }
}

impl<V> Ids for BTreeMap<String, V> {
    fn has(&self, id: &str) -> bool {
        self.contains_key(id)
    }
    fn ids(&self) -> impl Iterator<Item = &str> {
        self.keys().map(String::as_str)
    }
}

/// The names an inject may use, by kind.
pub trait Vocabulary {
    /// The kind of actor `id` names, if any.
    fn actor_kind(&self, id: &str) -> Option<ActorKind>;
    /// Every actor id with its kind, in id order (for "known: …" hints).
    fn actors_by_id(&self) -> impl Iterator<Item = (&str, ActorKind)>;
    fn campaign_ids(&self) -> &impl Ids;
    fn indicator_ids(&self) -> &impl Ids;
    /// The CVE ids of the scenario's `vulnerabilities`.
    fn cve_ids(&self) -> &impl Ids;
    /// The names of the reports the scenario's own regimes define (`Defined("…")`).
    fn defined_reports(&self) -> impl Iterator<Item = &str>;
    /// Whether CSIRT `csirt` offers `service`; None when `csirt` names no CSIRT.
    fn csirt_offers(&self, csirt: &str, service: Service) -> Option<bool>;
}

impl Vocabulary for Index<'_> {
    fn actor_kind(&self, id: &str) -> Option<ActorKind> {
        self.actors.get(id).copied()
    }
    fn actors_by_id(&self) -> impl Iterator<Item = (&str, ActorKind)> {
        self.actors.iter().map(|(id, kind)| (id.as_ref(), *kind))
    }
    fn campaign_ids(&self) -> &impl Ids {
        &self.campaigns
    }
    fn indicator_ids(&self) -> &impl Ids {
        &self.indicators
    }
    fn cve_ids(&self) -> &impl Ids {
        &self.cves
    }
    fn defined_reports(&self) -> impl Iterator<Item = &str> {
        self.reports.iter().copied()
    }
    fn csirt_offers(&self, csirt: &str, service: Service) -> Option<bool> {
        self.services
            .get(csirt)
            .map(|services| services.contains(&service))
    }
}
