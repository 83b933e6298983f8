//! Compiling a validated scenario into a [`Plan`], one section at a time, in the order
//! later sections need: actors first (everything refers to them), then CSIRTs,
//! vulnerabilities, authorities, organisations and the relations derived from them,
//! campaigns, procedures, the MSEL, roles and objectives. A reference that does not
//! resolve is a [`PlanError`]: the validator should have caught it.

use std::collections::BTreeMap;

use super::super::rng::fingerprint;
use super::{
    ActorPlan, ActorRole, AuthorityPlan, CampaignPlan, CheckPlan, CsirtPlan, DisclosurePlan, Duty,
    EntityPlan, EscalationPlan, IndicatorPlan, ObjectivePlan, Plan, PlanError, RolePlan,
    RotationPlan, SpreadTarget, StageEffect, StagePlan, Variants, VulnerabilityPlan, ix,
};
use crate::scenario::{
    self, Channel, Check, Effect, ImpactKind, Maturity, Nis2Class, Scenario, Target, Tlp,
};

impl Plan {
    pub fn build(s: &Scenario) -> Result<Self, PlanError> {
        Self::build_with(s, &Variants::new())
    }

    /// Builds the plan playing the named variant of each procedure listed in `variants`.
    pub fn build_with(s: &Scenario, variants: &Variants) -> Result<Self, PlanError> {
        let mut plan = Self::empty(s);
        plan.compile_actors(s);
        plan.compile_csirts(s)?;
        plan.compile_vulnerabilities(s)?;
        plan.compile_authorities(s)?;
        plan.compile_regimes(s);
        plan.compile_entities(s)?;
        plan.derive_relations();
        plan.compile_campaigns(s)?;
        plan.compile_disclosures(s)?;
        plan.compile_sops(s, variants)?;
        plan.compile_msel(s)?;
        plan.compile_roles(s)?;
        plan.compile_objectives(s)?;
        Ok(plan)
    }

    /// A plan with the scenario's name and times, and nothing in it yet.
    fn empty(s: &Scenario) -> Self {
        Self {
            name: s.name.as_str().into(),
            start: s.start,
            end: s.duration.minutes,
            actors: Vec::new(),
            csirts: Vec::new(),
            authorities: Vec::new(),
            entities: Vec::new(),
            campaigns: Vec::new(),
            indicators: Vec::new(),
            injects: Vec::new(),
            objectives: Vec::new(),
            sops: Vec::new(),
            vulnerabilities: Vec::new(),
            cve_by_id: BTreeMap::new(),
            by_id: BTreeMap::new(),
            indicator_by_id: BTreeMap::new(),
            campaign_by_id: BTreeMap::new(),
            inject_by_id: BTreeMap::new(),
            objective_by_id: BTreeMap::new(),
            roles: Vec::new(),
            role_by_id: BTreeMap::new(),
            regimes: Vec::new(),
            csirt_of: Vec::new(),
        }
    }

    fn add_actor(&mut self, id: &str, name: &str, role: ActorRole) {
        let ix = ix(self.actors.len());
        self.actors.push(ActorPlan {
            id: id.into(),
            name: name.into(),
            key: fingerprint(id),
            role,
        });
        self.by_id.insert(id.to_owned(), ix);
    }

    /// Every actor, CSIRTs first, then authorities, then organisations: their indexes.
    fn compile_actors(&mut self, s: &Scenario) {
        for (i, c) in s.csirts.iter().enumerate() {
            self.add_actor(&c.id, &c.name, ActorRole::Csirt(ix(i)));
        }
        for (i, a) in s.authorities.iter().enumerate() {
            self.add_actor(&a.id, &a.name, ActorRole::Authority(ix(i)));
        }
        for (i, e) in s.entities.iter().enumerate() {
            self.add_actor(&e.id, &e.name, ActorRole::Entity(ix(i)));
        }
        // Counted groups of customers, after every named organisation, in file order.
        let mut next = s.entities.len();
        for e in &s.entities {
            for n in 0..e.customers.len() {
                self.add_actor(
                    &e.customers_id(n),
                    &e.customers_name(n),
                    ActorRole::Entity(ix(next)),
                );
                next += 1;
            }
        }
    }

    /// CSIRTs; their constituencies are derived later.
    fn compile_csirts(&mut self, s: &Scenario) -> Result<(), PlanError> {
        for c in &s.csirts {
            let peers = c
                .peers
                .iter()
                .map(|p| self.actor_ix(p))
                .collect::<Result<_, _>>()?;
            self.csirts.push(CsirtPlan {
                actor: self.actor_ix(&c.id)?,
                kind: c.kind,
                country: c.country.as_str().into(),
                analysts: c.analysts,
                hours: c.hours.clone(),
                clock: local_clock(s, c.time_zone),
                peers,
                constituency: Vec::new(),
                triage: c.triage,
                analysis: c.analysis,
                sharing: c.sharing,
                services: c.services.clone(),
                scan_every: c.scan_every.map(|d| d.minutes),
                escalation: c
                    .escalation
                    .iter()
                    .map(|e| EscalationPlan {
                        level: e.level,
                        when: e.when.clone(),
                        actions: e.actions.clone(),
                    })
                    .collect(),
            });
        }
        Ok(())
    }

    /// Vulnerabilities and their coordinated disclosure.
    fn compile_vulnerabilities(&mut self, s: &Scenario) -> Result<(), PlanError> {
        for v in &s.vulnerabilities {
            self.cve_by_id
                .insert(v.cve.clone(), ix(self.vulnerabilities.len()));
            let disclosure = match &v.disclosure {
                Some(d) => Some(DisclosurePlan {
                    coordinator: self.actor_ix(&d.coordinator)?,
                    reported: d.reported.resolve(&s.start),
                    embargo: d.embargo.minutes,
                    advisory: d.advisory.map(|at| at.resolve(&s.start)),
                    proof_of_concept: d.proof_of_concept.map(|at| at.resolve(&s.start)),
                    // Filled in by `compile_disclosures`, once organisations and
                    // indicators are known.
                    uncovered: Vec::new(),
                    rest_fixed: d
                        .partial_fix
                        .as_ref()
                        .and_then(|f| f.rest)
                        .map(|at| at.resolve(&s.start)),
                    indicators: Vec::new(),
                }),
                None => None,
            };
            self.vulnerabilities.push(VulnerabilityPlan {
                cve: v.cve.as_str().into(),
                disclosure,
            });
        }
        Ok(())
    }

    /// What a disclosure names among organisations and indicators: the deployments its
    /// partial fix leaves out, the indicators its advisory lists.
    fn compile_disclosures(&mut self, s: &Scenario) -> Result<(), PlanError> {
        for (v, vulnerability) in s.vulnerabilities.iter().enumerate() {
            let Some(d) = &vulnerability.disclosure else {
                continue;
            };
            let indicators = d
                .indicators
                .iter()
                .map(|i| self.indicator_ix(i))
                .collect::<Result<_, _>>()?;
            let mut uncovered = Vec::new();
            if let Some(fix) = &d.partial_fix {
                for e in &s.entities {
                    // Covered only if every deployment of it there is.
                    let left_out = e.vulnerable.iter().any(|(service, cve)| {
                        *cve == vulnerability.cve && !fix.covers.contains(service)
                    });
                    if left_out {
                        uncovered.push(self.actor_ix(&e.id)?);
                    }
                }
            }
            if let Some(plan) = self.vulnerabilities[v].disclosure.as_mut() {
                plan.indicators = indicators;
                plan.uncovered = uncovered;
            }
        }
        Ok(())
    }

    /// Authorities, and where they forward reports.
    fn compile_authorities(&mut self, s: &Scenario) -> Result<(), PlanError> {
        for a in &s.authorities {
            self.authorities.push(AuthorityPlan {
                actor: self.actor_ix(&a.id)?,
                kind: a.kind,
                forwards_to: a
                    .forwards_to
                    .as_deref()
                    .map(|f| self.actor_ix(f))
                    .transpose()?,
                forward_delay: a.forward_delay,
            });
        }
        Ok(())
    }

    /// Organisations: their CSIRT, suppliers, reporting duties and vulnerable services.
    fn compile_entities(&mut self, s: &Scenario) -> Result<(), PlanError> {
        for e in &s.entities {
            let actor = self.actor_ix(&e.id)?;
            let csirt = self.actor_ix(&e.csirt)?;
            let suppliers = e
                .suppliers
                .iter()
                .map(|p| self.actor_ix(p))
                .collect::<Result<_, _>>()?;
            let duties = e
                .reporting
                .iter()
                .map(|d| {
                    let duty = match d.regime() {
                        Some(id) => Duty::Regime(self.regime_ix(id)?),
                        None => Duty::Voluntary,
                    };
                    Ok((duty, self.actor_ix(d.to())?))
                })
                .collect::<Result<_, _>>()?;
            self.entities.push(EntityPlan {
                actor,
                sector: e.sector,
                class: e.class,
                csirt,
                monitoring: e.monitoring,
                suppliers,
                customers: Vec::new(),
                duties,
                indicator_tlp: e.indicator_tlp,
                country: e.country.as_str().into(),
                vulnerable: e
                    .vulnerable
                    .iter()
                    .map(|(_, cve)| self.cve_ix(cve))
                    .collect::<Result<_, _>>()?,
                channels: e.channels.clone(),
                holds_customer_data: e.holds_customer_data,
            });
        }
        for e in &s.entities {
            for (n, group) in e.customers.iter().enumerate() {
                self.entities.push(self.counted_customers(e, n, group)?);
            }
        }
        Ok(())
    }

    /// A counted group of `e`'s customers as one organisation, its figure in its name: in
    /// its supplier's country and constituency, outside NIS2 (small businesses, as a rule), of low monitoring
    /// maturity, reporting to nobody, reached on the usual channels.
    fn counted_customers(
        &self,
        e: &scenario::Organisation,
        n: usize,
        group: &scenario::Customers,
    ) -> Result<EntityPlan, PlanError> {
        Ok(EntityPlan {
            actor: self.actor_ix(&e.customers_id(n))?,
            sector: group.sector,
            class: Nis2Class::None,
            csirt: self.actor_ix(&e.csirt)?,
            monitoring: Maturity::Low,
            suppliers: vec![self.actor_ix(&e.id)?],
            customers: Vec::new(),
            duties: Vec::new(),
            indicator_tlp: Tlp::Green,
            country: e.country.as_str().into(),
            vulnerable: Vec::new(),
            channels: vec![Channel::Portal, Channel::Email, Channel::Phone],
            holds_customer_data: false,
        })
    }

    /// Derived relations: constituencies and customers, in scenario order.
    fn derive_relations(&mut self) {
        self.csirt_of = vec![None; self.actors.len()];
        for i in 0..self.entities.len() {
            let (actor, csirt) = (self.entities[i].actor, self.entities[i].csirt);
            if let Some(slot) = self.csirt_of.get_mut(actor as usize) {
                *slot = Some(csirt);
            }
            if let ActorRole::Csirt(c) = self.actor(csirt).role {
                self.csirts[c as usize].constituency.push(actor);
            }
            for s_ix in self.entities[i].suppliers.clone() {
                if let ActorRole::Entity(si) = self.actor(s_ix).role {
                    self.entities[si as usize].customers.push(actor);
                }
            }
        }
    }

    /// Campaigns with their indicators, targets, stages and rotation.
    fn compile_campaigns(&mut self, s: &Scenario) -> Result<(), PlanError> {
        for adversary in &s.adversaries {
            for campaign in &adversary.campaigns {
                let c_ix = ix(self.campaigns.len());
                self.campaign_by_id.insert(campaign.id.clone(), c_ix);
                for indicator in &campaign.indicators {
                    self.indicator_by_id
                        .insert(indicator.id.clone(), ix(self.indicators.len()));
                    self.indicators.push(IndicatorPlan {
                        id: indicator.id.as_str().into(),
                        value: indicator.value.as_str().into(),
                        campaign: c_ix,
                    });
                }
                let targets = self.resolve_targets(&campaign.targets)?;
                let stage_ix: BTreeMap<&str, usize> = campaign
                    .stages
                    .iter()
                    .enumerate()
                    .map(|(i, st)| (st.id.as_str(), i))
                    .collect();
                let stages = campaign
                    .stages
                    .iter()
                    .map(|stage| self.compile_stage(stage, &stage_ix, s))
                    .collect::<Result<_, _>>()?;
                let rotation = match &campaign.rotation {
                    Some(r) => Some(RotationPlan {
                        known_by: r.known_by,
                        delay: r.delay.minutes,
                        replace: r
                            .replace
                            .iter()
                            .map(|(old, new)| {
                                Ok((self.indicator_ix(old)?, self.indicator_ix(new)?))
                            })
                            .collect::<Result<_, PlanError>>()?,
                    }),
                    None => None,
                };
                self.campaigns.push(CampaignPlan {
                    id: campaign.id.as_str().into(),
                    key: fingerprint(&campaign.id),
                    adversary: adversary.name.as_str().into(),
                    capability: adversary.capability,
                    start: campaign.start.resolve(&s.start),
                    targets,
                    stages,
                    rotation,
                });
            }
        }
        Ok(())
    }

    /// One stage of a campaign; `stage_ix` finds a spread's entry stage by id.
    fn compile_stage(
        &self,
        stage: &scenario::Stage,
        stage_ix: &BTreeMap<&str, usize>,
        s: &Scenario,
    ) -> Result<StagePlan, PlanError> {
        let effect = match &stage.effect {
            Effect::None => StageEffect::None,
            Effect::CredentialTheft => StageEffect::CredentialTheft,
            Effect::DataTheft => StageEffect::Impact(ImpactKind::DataTheft),
            Effect::Fraud => StageEffect::Impact(ImpactKind::Fraud),
            Effect::Encryption => StageEffect::Impact(ImpactKind::Encryption),
            Effect::Outage => StageEffect::Impact(ImpactKind::Outage),
            Effect::Ddos => StageEffect::Impact(ImpactKind::Ddos),
            Effect::Spread { targets, entry } => {
                let mut resolved = Vec::new();
                for target in targets {
                    resolved.push(match target {
                        Target::Suppliers => SpreadTarget::Suppliers,
                        Target::Customers => SpreadTarget::Customers,
                        other => SpreadTarget::Entities(
                            self.resolve_targets(std::slice::from_ref(other))?,
                        ),
                    });
                }
                let entry = *stage_ix
                    .get(entry.as_str())
                    .ok_or_else(|| PlanError(format!("no stage \"{entry}\"")))?;
                StageEffect::Spread {
                    targets: resolved,
                    entry,
                }
            }
        };
        Ok(StagePlan {
            id: stage.id.as_str().into(),
            key: fingerprint(&stage.id),
            // A stage ATT&CK has no id for is journaled under its label.
            technique: match (stage.technique.as_str(), &stage.label) {
                ("", Some(label)) => label.as_str().into(),
                (technique, _) => technique.into(),
            },
            duration: stage.duration,
            not_before: stage.not_before.map(|at| at.resolve(&s.start)),
            indicators: stage
                .indicators
                .iter()
                .map(|i| self.indicator_ix(i))
                .collect::<Result<_, _>>()?,
            detection: stage.detection,
            effect,
            exploits: stage
                .exploits
                .as_deref()
                .map(|c| self.cve_ix(c))
                .transpose()?,
            also_exploits: stage
                .also_exploits
                .iter()
                .map(|c| self.cve_ix(c))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The MSEL: injects and objectives are indexed first, since an inject's trigger may
    /// name either.
    fn compile_msel(&mut self, s: &Scenario) -> Result<(), PlanError> {
        for (i, inject) in s.injects.iter().enumerate() {
            self.inject_by_id.insert(inject.id.clone(), ix(i));
        }
        for (i, objective) in s.objectives.iter().enumerate() {
            self.objective_by_id.insert(objective.id.clone(), ix(i));
        }
        for inject in &s.injects {
            let compiled = self.compile_inject(inject)?;
            self.injects.push(compiled);
        }
        Ok(())
    }

    /// Roles: their actor, and the actions open to them (listed, or all the actor may take).
    fn compile_roles(&mut self, s: &Scenario) -> Result<(), PlanError> {
        for role in &s.roles {
            let actor = self.actor_ix(&role.actor)?;
            let can = self.capacities(actor);
            let actions = match &role.actions {
                Some(listed) => listed.clone(),
                None => scenario::ActionKind::ALL
                    .into_iter()
                    .filter(|a| a.open_to(&role.actor, &can).is_ok())
                    .collect(),
            };
            self.role_by_id
                .insert(role.id.clone(), ix(self.roles.len()));
            self.roles.push(RolePlan {
                id: role.id.as_str().into(),
                title: role.title.as_str().into(),
                actor,
                decisions: role.decisions.iter().map(|d| d.as_str().into()).collect(),
                briefing: role.briefing.as_str().into(),
                actions,
            });
        }
        Ok(())
    }

    /// Objectives and their checks.
    fn compile_objectives(&mut self, s: &Scenario) -> Result<(), PlanError> {
        for objective in &s.objectives {
            let check = match &objective.check {
                Check::Deadline {
                    after,
                    expected,
                    within,
                } => CheckPlan::Deadline {
                    after: self.pattern(after)?,
                    expected: self.pattern(expected)?,
                    within: within.minutes,
                },
                Check::Coverage {
                    sector,
                    indicator,
                    after,
                    within,
                } => CheckPlan::Coverage {
                    members: self
                        .entities
                        .iter()
                        .filter(|e| e.sector == *sector)
                        .map(|e| e.actor)
                        .collect(),
                    indicator: self.indicator_ix(indicator)?,
                    after: self.pattern(after)?,
                    within: within.minutes,
                },
                Check::Absence(p) => CheckPlan::Absence(self.pattern(p)?),
                Check::Ordering { first, then } => CheckPlan::Ordering {
                    first: self.pattern(first)?,
                    then: self.pattern(then)?,
                },
            };
            self.objectives.push(ObjectivePlan {
                id: objective.id.as_str().into(),
                title: objective.title.as_str().into(),
                check,
            });
        }
        Ok(())
    }
}

/// The clock a CSIRT keeps its office hours by: the exercise's own when the scenario gives
/// no time zone; otherwise its zone's (the exercise's unless it names another), counted
/// from the UTC moment of T+0.
fn local_clock(s: &Scenario, own: Option<scenario::TimeZone>) -> scenario::LocalClock {
    match s.time_zone {
        None => scenario::LocalClock::Exercise(s.start),
        Some(exercise) => scenario::LocalClock::Zoned {
            zone: own.unwrap_or(exercise),
            start_utc: exercise.utc(&s.start),
        },
    }
}
