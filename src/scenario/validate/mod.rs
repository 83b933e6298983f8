//! Semantic checks: every cross-reference resolves, every range makes sense, no trigger
//! waits on itself. Each problem names its item path; the loader adds line and column.
//!
//! One file per section of the scenario file, run in a fixed order (the order of the
//! diagnostics is part of their text). A reference is checked by one helper
//! (`require.rs`), so "no X; known: …" is worded in one place and its [`ProblemKind`]
//! tells callers an unknown id (with the near miss) from any other broken rule.

mod actor;
mod actors;
mod campaigns;
mod choice;
mod disclosure;
mod index;
mod injects;
mod network;
mod objectives;
mod patterns;
mod problem;
mod procedures;
mod range;
mod regimes;
mod require;
mod roles;
mod triggers;
mod vocabulary;

pub use actor::ActorKind;
pub use injects::check_inject;
pub use problem::{Finding, ProblemKind, Scope, Unknown};
pub use vocabulary::{Ids, Vocabulary};

use super::locate::ItemPath;
use super::model::{FORMAT_VERSION, Scenario};

use actors::{check_csirts, check_entities};
use campaigns::check_adversaries;
use disclosure::check_vulnerabilities;
use index::build_index;
use injects::check_injects;
use network::check_network;
use objectives::check_objectives;
use problem::Found;
use procedures::check_sops;
use regimes::check_regimes;
use roles::check_roles;
use triggers::check_trigger_cycles;

/// Every semantic problem of `scenario`, section by section, each at its item path.
pub fn validate(scenario: &Scenario) -> Vec<Finding> {
    let mut found = Found::new();
    let root = ItemPath::root();
    if scenario.version != FORMAT_VERSION {
        let message = if scenario.version > FORMAT_VERSION {
            format!(
                "format version {} is newer than this program reads ({FORMAT_VERSION}); update tabletop",
                scenario.version
            )
        } else {
            format!(
                "unknown format version {}; expected {FORMAT_VERSION}",
                scenario.version
            )
        };
        found.push((root.field("version"), message));
    }
    if scenario.name.trim().is_empty() {
        found.push((
            root.field("name"),
            "empty name; expected the exercise's title".into(),
        ));
    }
    if scenario.duration.minutes <= 0 {
        found.push((
            root.field("duration"),
            "zero duration; expected e.g. \"5d\"".into(),
        ));
    }
    let index = build_index(scenario, &mut found);
    check_regimes(scenario, &mut found);
    check_csirts(scenario, &index, &mut found);
    check_entities(scenario, &index, &mut found);
    check_adversaries(scenario, &index, &mut found);
    check_injects(scenario, &index, &mut found);
    check_objectives(scenario, &index, &mut found);
    check_trigger_cycles(scenario, &mut found);
    check_network(scenario, &index, &mut found);
    check_vulnerabilities(scenario, &index, &mut found);
    check_sops(scenario, &index, &mut found);
    check_roles(scenario, &index, &mut found);
    found.into_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ducksends() -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
        match crate::scenario::load_path(&path) {
            Ok((scenario, _)) => scenario,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn an_unknown_reference_is_typed_and_offers_the_near_miss() {
        let mut s = ducksends();
        s.injects[0].to.push("ncsc-nk".into());
        let found = validate(&s);
        assert_eq!(found.len(), 1, "{found:?}");
        let ProblemKind::Unknown(unknown) = &found[0].kind else {
            panic!("{found:?}");
        };
        assert_eq!((unknown.what, unknown.id.as_str()), ("actor", "ncsc-nk"));
        assert_eq!(unknown.near.as_deref(), Some("ncsc-nl"));
        assert!(
            found[0]
                .kind
                .to_string()
                .starts_with("no actor \"ncsc-nk\"; known: ")
        );
    }

    #[test]
    fn an_actor_of_the_wrong_kind_says_what_it_is() {
        let mut s = ducksends();
        s.injects[0].to.clear();
        s.injects[0].effects = vec![crate::scenario::InjectEffect::RaiseCrisis {
            csirt: "ducksends".into(),
            level: crate::scenario::CrisisLevel::Alert,
        }];
        let found = validate(&s);
        assert!(
            found.iter().any(|f| matches!(&f.kind,
                ProblemKind::WrongActor { id, is: ActorKind::Entity, wanted: "CSIRT", .. }
                    if id == "ducksends")),
            "{found:?}"
        );
    }

    #[test]
    fn check_inject_checks_a_composed_inject_as_the_msel_is_checked() {
        let s = ducksends();
        let mut found = problem::Found::new();
        let index = index::build_index(&s, &mut found);
        let mut inject = s.injects[0].clone();
        assert_eq!(check_inject(&index, &inject), []);
        inject.to = vec!["ncsc-nl".into(), "ncsc-nk".into()];
        let findings = check_inject(&index, &inject);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path.to_string(), "to[1]");
        assert!(
            matches!(&findings[0].kind, ProblemKind::Unknown(u) if u.near.as_deref() == Some("ncsc-nl"))
        );
    }
}
