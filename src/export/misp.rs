//! The MISP event (MISP core format, the JSON a MISP instance imports with "Add event from
//! JSON"): one event per export, an attribute per indicator with its sightings.
//!
//! Exercise data must never feed a production blocklist: the event is unpublished
//! (`published: false`), for the importing organisation only (distribution 0), every
//! attribute has `to_ids: false` (no IDS export), and the event carries an exercise tag
//! and says EXERCISE in its title.

use serde_json::{Value, json};

use super::gather::{Gathered, Indicator};
use super::ids::{SessionKey, date, epoch_seconds};
use super::observable::Observable;
use crate::scenario::Tlp;
use crate::scenario::time::format_offset;

/// The tag on every exported event: filter on it to keep exercises out of production feeds.
pub const EXERCISE_TAG: &str = "tabletop:exercise";

/// The MISP galaxy of ATT&CK techniques (the UUID MISP's galaxies give it).
const ATTACK_GALAXY_UUID: &str = "c4e851fa-775f-11e7-8163-b774922098cd";

/// The MISP `tlp` taxonomy tag of a marking (TLP 2.0 names).
pub const fn tlp_tag(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "tlp:clear",
        Tlp::Green => "tlp:green",
        Tlp::Amber => "tlp:amber",
        Tlp::AmberStrict => "tlp:amber+strict",
        Tlp::Red => "tlp:red",
    }
}

/// The MISP `rsit` taxonomy tag of an ENISA reference taxonomy `class/type`
/// (`fraud/phishing` → `rsit:fraud="phishing"`).
fn rsit_tag(taxonomy: &str) -> String {
    match taxonomy.split_once('/') {
        Some((class, kind)) => format!("rsit:{class}=\"{kind}\""),
        None => format!("rsit:{taxonomy}"),
    }
}

/// The MISP galaxy tag of an ATT&CK technique. MISP names its clusters "Name - T1234";
/// the scenario holds the id only, so the cluster is named by its id and carries it as
/// `external_id`.
fn attack_tag(technique: &str) -> String {
    format!("misp-galaxy:mitre-attack-pattern=\"{technique}\"")
}

/// The MISP category and type of an indicator, and a note when its value is not what its
/// kind says.
fn category_and_type(indicator: &Indicator) -> (&'static str, &'static str, Option<String>) {
    match Observable::of(indicator.kind, &indicator.value) {
        Observable::Domain => ("Network activity", "domain", None),
        Observable::Ipv4 | Observable::Ipv6 => ("Network activity", "ip-dst", None),
        Observable::Url => ("Network activity", "url", None),
        Observable::Email => ("Payload delivery", "email-src", None),
        Observable::Hash(hash) => ("Payload delivery", hash.misp(), None),
        Observable::FilePath => ("Artifacts dropped", "filename", None),
        Observable::Hostname => ("Network activity", "hostname", None),
        Observable::Account => ("Targeting data", "target-user", None),
        Observable::BankAccount { iban: true } => ("Financial fraud", "iban", None),
        Observable::BankAccount { iban: false } => ("Financial fraud", "bank-account-nr", None),
        Observable::Other => ("Other", "other", indicator.label.clone()),
        Observable::Unrecognised => (
            "Payload delivery",
            "other",
            Some(format!(
                "written as a {} in the scenario, but not one",
                indicator.kind.label()
            )),
        ),
    }
}

fn tags(names: impl IntoIterator<Item = String>) -> Value {
    Value::Array(
        names
            .into_iter()
            .map(|name| json!({ "name": name }))
            .collect(),
    )
}

fn attribute(data: &Gathered, key: &SessionKey, scope: &str, indicator: &Indicator) -> Value {
    let (category, kind, note) = category_and_type(indicator);
    let sightings: Vec<Value> = data
        .sightings
        .iter()
        .filter(|s| s.indicator == indicator.id)
        .map(|s| {
            json!({
                "uuid": key.uuid(scope, &format!("sighting/{}/{}/{}", s.indicator, s.reported_by.0, s.first_seen)),
                "date_sighting": epoch_seconds(&data.start, s.first_seen).to_string(),
                "type": "0",
                "source": format!("reported by {} (first seen {}, learned {})", s.reported_by.1, format_offset(s.first_seen), format_offset(s.learned_at)),
            })
        })
        .collect();
    let mut comment = format!(
        "EXERCISE indicator {} ({}), learned {}",
        indicator.id,
        indicator.kind.label(),
        format_offset(indicator.at)
    );
    if let Some(from) = &indicator.from {
        comment.push_str(&format!(" from {from}"));
    }
    if let Some(note) = note {
        comment.push_str(&format!("; {note}"));
    }
    let mut tag_names = vec![tlp_tag(indicator.tlp).to_owned(), EXERCISE_TAG.to_owned()];
    tag_names.extend(indicator.techniques.iter().map(|t| attack_tag(t)));
    let mut object = json!({
        "uuid": key.uuid(scope, &format!("indicator/{}", indicator.id)),
        "category": category,
        "type": kind,
        "value": indicator.value,
        "to_ids": false,
        "distribution": "5",
        "comment": comment,
        "timestamp": epoch_seconds(&data.start, indicator.at).to_string(),
        "disable_correlation": false,
        "Tag": tags(tag_names),
        "Sighting": sightings,
    });
    // The attribute was first seen when its earliest sighting was.
    let first_seen = data
        .sightings
        .iter()
        .filter(|s| s.indicator == indicator.id)
        .map(|s| s.first_seen)
        .min();
    if let (Some(first), Some(map)) = (first_seen, object.as_object_mut()) {
        map.insert("first_seen".into(), json!(iso_misp(&data.start, first)));
    }
    object
}

/// A moment as MISP writes `first_seen`: ISO 8601 with microseconds and the UTC offset.
fn iso_misp(start: &crate::scenario::WallClock, minute: crate::scenario::Minute) -> String {
    let stix = super::ids::rfc3339(start, minute);
    // "2026-03-13T16:30:00.000Z" → "2026-03-13T16:30:00.000000+00:00"
    format!("{}000+00:00", stix.trim_end_matches('Z'))
}

/// The MISP event JSON of `data`, ids derived from `key`.
pub fn write(data: &Gathered, key: &SessionKey) -> String {
    let scope = data.role.as_deref().unwrap_or("");
    let mut event_tags = vec![tlp_tag(data.marking()).to_owned(), EXERCISE_TAG.to_owned()];
    event_tags.extend(data.taxonomies.iter().map(|t| rsit_tag(t)));
    event_tags.extend(data.techniques.iter().map(|t| attack_tag(&t.id)));
    let clusters: Vec<Value> = data
        .techniques
        .iter()
        .map(|t| {
            json!({
                "uuid": key.uuid(scope, &format!("attack-pattern/{}", t.id)),
                "type": "mitre-attack-pattern",
                "value": t.id,
                "tag_name": attack_tag(&t.id),
                "description": format!("EXERCISE: stages {}; completed {} times, detected {} times by {}", t.stages.join(", "), t.completed, t.detected, format_offset(data.at)),
                "source": "tabletop scenario",
                "authors": ["tabletop"],
                "meta": { "external_id": [t.id] },
            })
        })
        .collect();
    let galaxies = if clusters.is_empty() {
        Vec::new()
    } else {
        vec![json!({
            "uuid": ATTACK_GALAXY_UUID,
            "name": "Attack Pattern",
            "type": "mitre-attack-pattern",
            "description": "ATT&CK Tactic",
            "GalaxyCluster": clusters,
        })]
    };
    let whose = data.role.as_ref().map_or_else(
        || "exercise control's full picture".to_owned(),
        |role| format!("what {} (role {role}) knew", data.author.name),
    );
    let event = json!({
        "Event": {
            "uuid": key.uuid(scope, "event"),
            "info": format!("EXERCISE — {}: {whose} at {} (tabletop export; not for production use)", data.exercise, format_offset(data.at)),
            "date": date(&data.start, data.at),
            "timestamp": epoch_seconds(&data.start, data.at).to_string(),
            "publish_timestamp": "0",
            "published": false,
            // 0: your organisation only.
            "distribution": "0",
            // 4: undefined.
            "threat_level_id": "4",
            // 2: analysis complete (the exercise's moment is over).
            "analysis": "2",
            "Orgc": {
                "uuid": key.uuid(scope, &format!("organisation/{}", data.author.id)),
                "name": data.author.name,
            },
            "Tag": tags(event_tags),
            "Galaxy": galaxies,
            "Attribute": data.indicators.iter().map(|i| attribute(data, key, scope, i)).collect::<Vec<_>>(),
        }
    });
    let mut text = serde_json::to_string_pretty(&event).expect("a JSON value serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_follow_the_misp_taxonomies() {
        assert_eq!(tlp_tag(Tlp::AmberStrict), "tlp:amber+strict");
        assert_eq!(rsit_tag("fraud/phishing"), "rsit:fraud=\"phishing\"");
        assert_eq!(
            attack_tag("T1566.002"),
            "misp-galaxy:mitre-attack-pattern=\"T1566.002\""
        );
    }
}
