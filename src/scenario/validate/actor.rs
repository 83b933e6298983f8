//! What kind of actor an id names: CSIRTs, authorities and entities share one set of ids,
//! and a reference may accept only some kinds.

use crate::scenario::model::AuthorityKind;

/// What kind of actor an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKind {
    Csirt,
    Authority(AuthorityKind),
    Entity,
}

impl ActorKind {
    /// "a CSIRT", "an entity", …: the kind as a message names it.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Csirt => "a CSIRT",
            Self::Authority(AuthorityKind::FinancialSupervisor) => "a financial supervisor",
            Self::Authority(AuthorityKind::DataProtection) => "a data-protection authority",
            Self::Authority(AuthorityKind::Nis2Authority) => "a NIS2 authority",
            Self::Authority(AuthorityKind::LawEnforcement) => "a law-enforcement authority",
            Self::Authority(AuthorityKind::Insurer) => "an insurer",
            Self::Entity => "an entity",
        }
    }
}

pub fn is_csirt(kind: ActorKind) -> bool {
    kind == ActorKind::Csirt
}

pub fn is_entity(kind: ActorKind) -> bool {
    kind == ActorKind::Entity
}

pub fn is_any(_: ActorKind) -> bool {
    true
}
