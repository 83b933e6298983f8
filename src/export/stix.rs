//! The STIX 2.1 bundle: who exports (an identity), indicators with STIX patterns, their
//! sightings with who saw them, relationships to ATT&CK attack-patterns, and the TLP 2.0
//! marking-definition objects every object refers to.
//!
//! TLP 2.0 is not predefined in STIX 2.1: its markings are the objects OASIS published with
//! the TLP 2.0 extension, reproduced here byte for byte with their fixed ids, and carried in
//! the bundle so every `object_marking_refs` resolves inside it. Every object says EXERCISE
//! in its `labels`.

use serde_json::{Value, json};

use super::gather::{Gathered, Indicator};
use super::ids::{SessionKey, rfc3339};
use super::observable::Observable;
use crate::scenario::Tlp;
use crate::scenario::time::format_offset;

/// The label on every exported object: exercise data, not for a production feed.
pub const EXERCISE_LABEL: &str = "EXERCISE";

/// The OASIS TLP 2.0 extension's definition id.
const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// The OASIS TLP 2.0 marking-definition id of a marking, and its `tlp_2_0` value.
pub const fn marking(tlp: Tlp) -> (&'static str, &'static str) {
    match tlp {
        Tlp::Clear => (
            "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
            "clear",
        ),
        Tlp::Green => (
            "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
            "green",
        ),
        Tlp::Amber => (
            "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
            "amber",
        ),
        Tlp::AmberStrict => (
            "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
            "amber+strict",
        ),
        Tlp::Red => (
            "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
            "red",
        ),
    }
}

/// The marking-definition object as OASIS published it.
fn marking_object(tlp: Tlp) -> Value {
    let (id, value) = marking(tlp);
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": id,
        "created": "2022-10-01T00:00:00.000Z",
        "name": tlp.label(),
        "extensions": {
            TLP2_EXTENSION: {
                "extension_type": "property-extension",
                "tlp_2_0": value,
            }
        }
    })
}

/// A string inside a STIX pattern: in single quotes, with `\` and `'` escaped.
fn quoted(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The STIX pattern of an indicator; `Err` says why it has none: its value is not what
/// its kind says, or STIX has no object for the kind (a bank account, an "other").
fn pattern(indicator: &Indicator) -> Result<String, String> {
    let value = quoted(&indicator.value);
    let (object, property) = match Observable::of(indicator.kind, &indicator.value) {
        Observable::Domain | Observable::Hostname => ("domain-name", "value".to_owned()),
        Observable::Ipv4 => ("ipv4-addr", "value".to_owned()),
        Observable::Ipv6 => ("ipv6-addr", "value".to_owned()),
        Observable::Url => ("url", "value".to_owned()),
        Observable::Email => ("email-addr", "value".to_owned()),
        Observable::Hash(hash) => ("file", format!("hashes.'{}'", hash.stix())),
        Observable::Account => ("user-account", "account_login".to_owned()),
        Observable::FilePath => return Ok(file_pattern(&indicator.value)),
        Observable::BankAccount { .. } | Observable::Other => {
            return Err(format!(
                "STIX 2.1 has no object for a {}",
                indicator.label.as_deref().unwrap_or(indicator.kind.label())
            ));
        }
        Observable::Unrecognised => {
            return Err(format!(
                "\"{}\" is not a {}, and STIX has no pattern for it",
                indicator.value,
                indicator.kind.label()
            ));
        }
    };
    Ok(format!("[{object}:{property} = {value}]"))
}

/// A file by its name, and by its directory when the value is a path (either slash).
fn file_pattern(path: &str) -> String {
    match path.rfind(['/', '\\']) {
        Some(at) if at > 0 && at + 1 < path.len() => format!(
            "[file:name = {} AND file:parent_directory_ref.path = {}]",
            quoted(&path[at + 1..]),
            quoted(&path[..at])
        ),
        _ => format!("[file:name = {}]", quoted(path)),
    }
}

/// A bundle and what it had to leave out, in words.
pub struct Bundle {
    pub text: String,
    pub left_out: Vec<String>,
}

/// Builds the objects of one export, each marked and labelled.
struct Builder<'a> {
    data: &'a Gathered,
    key: &'a SessionKey,
    scope: &'a str,
    author: String,
    objects: Vec<Value>,
    used: Vec<Tlp>,
}

impl Builder<'_> {
    fn id(&self, kind: &str, key: &str) -> String {
        format!(
            "{kind}--{}",
            self.key.uuid(self.scope, &format!("{kind}/{key}"))
        )
    }

    /// Adds `object` with the common properties: spec version, times, author, the
    /// EXERCISE label and `tlp`'s marking.
    fn push(&mut self, mut object: Value, created: i64, tlp: Tlp) {
        let time = rfc3339(&self.data.start, created);
        if let Some(map) = object.as_object_mut() {
            map.insert("spec_version".into(), json!("2.1"));
            map.insert("created".into(), json!(time));
            map.insert("modified".into(), json!(time));
            if map.get("type") != Some(&json!("identity"))
                || map.get("id") != Some(&json!(self.author))
            {
                map.insert("created_by_ref".into(), json!(self.author));
            }
            map.insert("labels".into(), json!([EXERCISE_LABEL]));
            map.insert("object_marking_refs".into(), json!([marking(tlp).0]));
        }
        if !self.used.contains(&tlp) {
            self.used.push(tlp);
        }
        self.objects.push(object);
    }
}

/// The STIX 2.1 bundle of `data`, ids derived from `key`.
pub fn write(data: &Gathered, key: &SessionKey) -> Bundle {
    let scope = data.role.as_deref().unwrap_or("");
    let overall = data.marking();
    let mut b = Builder {
        data,
        key,
        scope,
        author: String::new(),
        objects: Vec::new(),
        used: Vec::new(),
    };
    b.author = b.id("identity", &data.author.id);
    let whose = data.role.as_ref().map_or_else(
        || "exercise control's full picture".to_owned(),
        |role| format!("what {} (role {role}) knew", data.author.name),
    );
    let author = json!({
        "type": "identity",
        "id": b.author,
        "name": data.author.name,
        "description": format!("EXERCISE — {}: {whose} at {} (tabletop export; not for production use)", data.exercise, format_offset(data.at)),
        "identity_class": "organization",
    });
    b.push(author, 0, overall);
    let mut left_out = Vec::new();
    for indicator in &data.indicators {
        let pattern = match pattern(indicator) {
            Ok(pattern) => pattern,
            Err(why) => {
                left_out.push(format!("indicator {}: {why}", indicator.id));
                continue;
            }
        };
        let id = b.id("indicator", &indicator.id);
        let mut description = format!(
            "EXERCISE indicator {} ({}), learned {} under {}",
            indicator.id,
            indicator.kind.label(),
            format_offset(indicator.at),
            indicator.tlp.label()
        );
        if let Some(from) = &indicator.from {
            description.push_str(&format!(" from {from}"));
        }
        let object = json!({
            "type": "indicator",
            "id": id,
            "name": format!("EXERCISE {} {}", indicator.kind.label(), indicator.id),
            "description": description,
            "indicator_types": ["malicious-activity"],
            "pattern": pattern,
            "pattern_type": "stix",
            "valid_from": rfc3339(&data.start, indicator.at),
        });
        b.push(object, indicator.at, indicator.tlp);
        for sighting in data
            .sightings
            .iter()
            .filter(|s| s.indicator == indicator.id)
        {
            let reporter = b.id("identity", &sighting.reported_by.0);
            if !b.objects.iter().any(|o| o["id"] == json!(reporter)) {
                let who = json!({
                    "type": "identity",
                    "id": reporter,
                    "name": sighting.reported_by.1,
                    "identity_class": "organization",
                });
                b.push(who, 0, overall);
            }
            let object = json!({
                "type": "sighting",
                "id": b.id("sighting", &format!("{}/{}/{}", sighting.indicator, sighting.reported_by.0, sighting.first_seen)),
                "description": format!("EXERCISE sighting reported by {}, learned {}", sighting.reported_by.1, format_offset(sighting.learned_at)),
                "sighting_of_ref": id,
                "where_sighted_refs": [reporter],
                "first_seen": rfc3339(&data.start, sighting.first_seen),
                "count": 1,
            });
            b.push(object, sighting.learned_at, indicator.tlp);
        }
    }
    for technique in &data.techniques {
        let id = b.id("attack-pattern", &technique.id);
        let object = json!({
            "type": "attack-pattern",
            "id": id,
            "name": technique.id,
            "description": format!("EXERCISE: stages {}; completed {} times, detected {} times by {}", technique.stages.join(", "), technique.completed, technique.detected, format_offset(data.at)),
            // No `url`: STIX asks for a hash beside a URL, and a page has none to give.
            "external_references": [{
                "source_name": "mitre-attack",
                "external_id": technique.id,
            }],
        });
        b.push(object, 0, overall);
        for indicator in data
            .indicators
            .iter()
            .filter(|i| i.techniques.contains(&technique.id) && pattern(i).is_ok())
        {
            let object = json!({
                "type": "relationship",
                "id": b.id("relationship", &format!("{}/indicates/{}", indicator.id, technique.id)),
                "relationship_type": "indicates",
                "description": format!("EXERCISE: {} is left by a stage using {}", indicator.id, technique.id),
                "source_ref": b.id("indicator", &indicator.id),
                "target_ref": id,
            });
            b.push(object, indicator.at, indicator.tlp.strictest(overall));
        }
    }
    let mut used = b.used.clone();
    used.sort();
    let mut objects: Vec<Value> = used.into_iter().map(marking_object).collect();
    objects.append(&mut b.objects);
    let bundle = json!({
        "type": "bundle",
        "id": b.id("bundle", "bundle"),
        "objects": objects,
    });
    let mut text = serde_json::to_string_pretty(&bundle).expect("a JSON value serialises");
    text.push('\n');
    Bundle { text, left_out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::IndicatorKind;

    fn indicator(kind: IndicatorKind, value: &str) -> Indicator {
        Indicator {
            id: "i".into(),
            kind,
            value: value.into(),
            label: None,
            tlp: Tlp::Amber,
            at: 0,
            from: None,
            techniques: Vec::new(),
        }
    }

    #[test]
    fn patterns_quote_and_escape_values() {
        assert_eq!(
            pattern(&indicator(IndicatorKind::Domain, "it's.example"))
                .ok()
                .as_deref(),
            Some("[domain-name:value = 'it\\'s.example']")
        );
        assert_eq!(
            pattern(&indicator(IndicatorKind::FileHash, &"0".repeat(64)))
                .ok()
                .as_deref(),
            Some(format!("[file:hashes.'SHA-256' = '{}']", "0".repeat(64)).as_str())
        );
        assert!(pattern(&indicator(IndicatorKind::Ip, "nowhere")).is_err());
        assert_eq!(
            pattern(&indicator(
                IndicatorKind::FilePath,
                "C:\\Users\\Public\\loader.exe"
            ))
            .ok()
            .as_deref(),
            Some(
                "[file:name = 'loader.exe' AND file:parent_directory_ref.path = 'C:\\\\Users\\\\Public']"
            )
        );
        assert_eq!(
            pattern(&indicator(IndicatorKind::FilePath, "loader.exe"))
                .ok()
                .as_deref(),
            Some("[file:name = 'loader.exe']")
        );
        assert_eq!(
            pattern(&indicator(IndicatorKind::Account, "svc-backup"))
                .ok()
                .as_deref(),
            Some("[user-account:account_login = 'svc-backup']")
        );
        let bank = pattern(&indicator(IndicatorKind::BankAccount, "NL91ABNA0417164300"));
        assert_eq!(
            bank,
            Err("STIX 2.1 has no object for a bank account".to_owned())
        );
    }

    #[test]
    fn markings_are_the_oasis_tlp_2_objects() {
        let amber_strict = marking_object(Tlp::AmberStrict);
        assert_eq!(
            amber_strict["id"],
            "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
        );
        assert_eq!(amber_strict["name"], "TLP:AMBER+STRICT");
        assert_eq!(
            amber_strict["extensions"][TLP2_EXTENSION]["tlp_2_0"],
            "amber+strict"
        );
    }
}
