//! Organisations, the authorities they report to, and their reporting duties.

use serde::{Deserialize, Serialize};

use super::Id;
use super::channel::Channel;
use super::sector::Sector;
use crate::scenario::time::Duration;
use crate::scenario::tlp::Tlp;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AuthorityKind {
    /// Receives DORA reports (e.g. the central bank).
    FinancialSupervisor,
    /// Receives GDPR Art. 33 breach notifications.
    DataProtection,
    /// A NIS2 competent authority.
    Nis2Authority,
    /// The police or a prosecutor: receives criminal complaints (fraud, extortion).
    LawEnforcement,
    /// A cyber insurer: its policy asks to be told of a claim within hours.
    Insurer,
}

impl AuthorityKind {
    pub const fn label(self) -> &'static str {
        match self {
            Self::FinancialSupervisor => "financial supervisor",
            Self::DataProtection => "data protection authority",
            Self::Nis2Authority => "NIS2 competent authority",
            Self::LawEnforcement => "law enforcement",
            Self::Insurer => "insurer",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub id: Id,
    pub name: String,
    pub kind: AuthorityKind,
    pub country: String,
    /// A CSIRT the authority forwards the reports it receives to.
    #[serde(default)]
    pub forwards_to: Option<Id>,
    /// How long forwarding takes. Defaults to 2h.
    #[serde(default = "default_forward_delay")]
    pub forward_delay: Duration,
}

fn default_forward_delay() -> Duration {
    Duration::hours(2)
}

/// NIS2 Art. 3 classification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Nis2Class {
    Essential,
    Important,
    /// Not in NIS2 scope.
    None,
}

impl Nis2Class {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Essential => "essential",
            Self::Important => "important",
            Self::None => "not in NIS2 scope",
        }
    }
}

/// How well an organisation sees and reacts to what happens in its network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Maturity {
    Low,
    Medium,
    High,
}

impl Maturity {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// e.g. "CISO".
    pub role: String,
    pub name: String,
}

/// An organisation the CSIRTs serve ("entity" in NIS2 words).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub id: Id,
    pub name: String,
    pub sector: Sector,
    pub country: String,
    pub class: Nis2Class,
    /// The CSIRT whose constituency it belongs to and which it informs of incidents.
    pub csirt: Id,
    #[serde(default)]
    pub people: Vec<Person>,
    pub monitoring: Maturity,
    /// Services reachable from the internet (e.g. "VPN").
    #[serde(default)]
    pub exposed: Vec<String>,
    /// Organisations it depends on; it is their customer.
    #[serde(default)]
    pub suppliers: Vec<Id>,
    /// Reporting duties and voluntary notifications, each to a named recipient.
    #[serde(default)]
    pub reporting: Vec<Obligation>,
    /// TLP marking it puts on the indicators in its reports. Defaults to GREEN; the victim
    /// context of a report is always AMBER+STRICT.
    #[serde(default = "tlp_green")]
    pub indicator_tlp: Tlp,
    /// Known-vulnerable exposed services: `(service, CVE id)`; the service must be in `exposed`.
    #[serde(default)]
    pub vulnerable: Vec<(String, String)>,
    /// Channels it is reached on, in order of preference: senders use the first one that is
    /// up at both ends. Defaults to portal, e-mail, phone (CSIRTs and authorities use that too).
    #[serde(default = "default_channels")]
    pub channels: Vec<Channel>,
    /// It holds personal data of its customers (a payroll provider, a file-transfer
    /// service): data stolen from it is a breach at each customer (the organisations that
    /// list it in `suppliers`) without any intrusion there, which they learn of from its
    /// notification (a report it owes them) or from the news (a tip). Left out of the
    /// encoding when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub holds_customer_data: bool,
    /// Customers it serves that the exercise counts rather than names, e.g.
    /// `[Customers(count: 300, sector: Other)]`: each group is one organisation in the
    /// simulation ("300 customers of Payflow"), a customer like a named one (a spreading
    /// stage and a breach of customer data reach it), whose figures the report gives.
    /// Left out of the encoding when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customers: Vec<Customers>,
}

/// A counted group of an organisation's customers, played as one organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customers {
    /// How many organisations the group stands for.
    pub count: u32,
    pub sector: Sector,
}

impl Organisation {
    /// The id the simulation gives its `n`-th counted group of customers (from 0):
    /// "payflow-customers", then "payflow-customers-2", ...
    pub fn customers_id(&self, n: usize) -> String {
        match n {
            0 => format!("{}-customers", self.id),
            _ => format!("{}-customers-{}", self.id, n + 1),
        }
    }

    /// The name of its `n`-th counted group, with its figure: "300 customers of Payflow".
    pub fn customers_name(&self, n: usize) -> String {
        let group = &self.customers[n];
        let noun = if group.count == 1 {
            "customer"
        } else {
            "customers"
        };
        let sector = match group.sector {
            Sector::Other => String::new(),
            sector => format!("{} ", sector.label()),
        };
        format!("{} {sector}{noun} of {}", group.count, self.name)
    }
}

fn default_channels() -> Vec<Channel> {
    vec![Channel::Portal, Channel::Email, Channel::Phone]
}

/// A reporting regime the organisation owes, and who receives its reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Obligation {
    /// NIS2 Art. 23: early warning within 24 h of awareness of a significant incident,
    /// notification within 72 h, final report within one month of the notification.
    Nis2 { to: Id },
    /// DORA Art. 19: initial notification within 4 h of classifying a major incident and at
    /// most 24 h after awareness, intermediate within 72 h of the initial, final within one
    /// month of the intermediate.
    Dora { to: Id },
    /// GDPR Art. 33: breach of personal data notified within 72 h of awareness.
    Gdpr { to: Id },
    /// A voluntary notification (e.g. to the sectoral CSIRT): an action, not a duty.
    Voluntary { to: Id },
    /// A regime by its id: one of the scenario's `regimes`, or a built-in one ("nis2",
    /// "dora", "gdpr"). Owing a regime to two authorities is two obligations.
    Owes { regime: Id, to: Id },
}

fn tlp_green() -> Tlp {
    Tlp::Green
}
