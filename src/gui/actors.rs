//! The exercise's actors as the console draws them: by index, with their links and their
//! place on the situation map. Built once when an exercise opens; the cast never changes.

use std::collections::BTreeMap;

use crate::scenario::{CsirtKind, Scenario, Sector};
use crate::sim::Simulation;
use crate::sim::view::ActorKind;

use super::layout::{MapLayout, NodeInfo};

/// An actor as the map and the filters need it.
#[derive(Clone, Debug)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    pub sector: Option<Sector>,
    pub country: String,
    pub national: bool,
}

#[derive(Clone, Debug)]
pub struct Actors {
    pub nodes: Vec<Node>,
    pub by_id: BTreeMap<String, u32>,
    /// (from, to, kind) by actor index: "reports to", "peer", "supplies", "forwards to".
    pub links: Vec<(u32, u32, &'static str)>,
    pub layout: MapLayout,
}

impl Actors {
    pub fn new(sim: &Simulation, scenario: &Scenario) -> Self {
        let network = sim.network_view();
        let authority_country: BTreeMap<&str, &str> = scenario
            .authorities
            .iter()
            .map(|a| (a.id.as_str(), a.country.as_str()))
            .collect();
        let national: Vec<&str> = scenario
            .csirts
            .iter()
            .filter(|c| c.kind == CsirtKind::National)
            .map(|c| c.id.as_str())
            .collect();
        let nodes: Vec<Node> = network
            .actors
            .iter()
            .map(|node| Node {
                id: node.id.to_string(),
                name: node.name.to_string(),
                kind: node.kind,
                sector: node.sector,
                country: if node.country.is_empty() {
                    authority_country
                        .get(&*node.id)
                        .map_or_else(String::new, |c| (*c).to_owned())
                } else {
                    node.country.to_string()
                },
                national: national.contains(&&*node.id),
            })
            .collect();
        // Actor indices come from the plan, whose size the loader bounds far below u32.
        let by_id: BTreeMap<String, u32> = nodes
            .iter()
            .zip(0u32..)
            .map(|(n, i)| (n.id.clone(), i))
            .collect();
        let links = network
            .links
            .iter()
            .filter_map(|(a, b, kind)| Some((*by_id.get(&**a)?, *by_id.get(&**b)?, *kind)))
            .collect();
        let layout = MapLayout::new(
            &nodes
                .iter()
                .map(|n| NodeInfo {
                    kind: n.kind,
                    sector: n.sector,
                    country: n.country.clone(),
                })
                .collect::<Vec<_>>(),
        );
        Self {
            nodes,
            by_id,
            links,
            layout,
        }
    }

    pub fn node(&self, ix: u32) -> Option<&Node> {
        self.nodes.get(ix as usize)
    }

    /// Which actors are organisations, by index (the feed tracks their states).
    pub fn is_entity(&self) -> Vec<bool> {
        self.nodes
            .iter()
            .map(|n| n.kind == ActorKind::Entity)
            .collect()
    }
}
