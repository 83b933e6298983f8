//! The ATT&CK Navigator layer (layer format 4.5): the campaigns' techniques, each scored by
//! how often its stages were detected, with how often they completed beside it.
//!
//! The layer format has no published JSON schema; this follows the Navigator's
//! `layerFormatv4_5.md`, and the tests load it with mitreattack-python's layer tools.

use serde_json::json;

use super::gather::Gathered;
use super::stix::EXERCISE_LABEL;
use crate::scenario::time::format_offset;

/// The layer of `data`'s techniques. Its name and description say EXERCISE, and its
/// metadata carries the export's TLP marking.
pub fn write(data: &Gathered) -> String {
    let max = data
        .techniques
        .iter()
        .map(|t| t.detected)
        .max()
        .unwrap_or(0)
        .max(1);
    let techniques: Vec<_> = data
        .techniques
        .iter()
        .map(|t| {
            json!({
                "techniqueID": t.id,
                "score": t.detected,
                "comment": format!("EXERCISE: detected {} times, completed {} times by {}; stages {}", t.detected, t.completed, format_offset(data.at), t.stages.join(", ")),
                "enabled": true,
                "metadata": [
                    { "name": "detected", "value": t.detected.to_string() },
                    { "name": "completed", "value": t.completed.to_string() },
                ],
                "showSubtechniques": false,
            })
        })
        .collect();
    let layer = json!({
        "name": format!("{EXERCISE_LABEL} — {}: techniques by detections at {}", data.exercise, format_offset(data.at)),
        "versions": { "layer": "4.5", "navigator": "5.1.0", "attack": "16" },
        "domain": "enterprise-attack",
        "description": format!("{EXERCISE_LABEL} data from a tabletop session, not for production use: the campaigns' techniques, scored by how often their stages were detected by {}.", format_offset(data.at)),
        "sorting": 3,
        "hideDisabled": false,
        "techniques": techniques,
        "gradient": { "colors": ["#ffffff", "#ff6666"], "minValue": 0, "maxValue": max },
        "legendItems": [],
        "metadata": [
            { "name": "marking", "value": EXERCISE_LABEL },
            { "name": "TLP", "value": data.marking().label() },
        ],
        "showTacticRowBackground": false,
        "selectTechniquesAcrossTactics": true,
        "selectSubtechniquesWithParent": false,
    });
    let mut text = serde_json::to_string_pretty(&layer).expect("a JSON value serialises");
    text.push('\n');
    text
}
