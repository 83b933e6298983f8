"""Checks a tabletop export with tools nobody here wrote (issue 19).

    check_export.py misp|stix|navigator FILE...

misp:      PyMISP's own JSON schema of the MISP format (schema-lax.json, shipped with PyMISP)
           validates the file, then MISPEvent.load reads it; the event must be unpublished,
           distribution 0, every attribute to_ids false with a type and category PyMISP
           knows, one TLP tag each, and the exercise tag.
stix:      stix2-validator in strict mode (warnings are errors) reports nothing; stix2 parses
           the bundle without allow_custom; every object's markings resolve to a TLP 2.0
           marking-definition in the bundle, and every object carries the EXERCISE label.
navigator: mitreattack-python's Layer loads the layer in strict mode without a complaint
           (it prints its complaints instead of raising, so any output fails) and gives back
           the same techniques and scores.

Prints one JSON summary per file on stdout, one a line (what the Rust tests compare);
exits 1 with every file's problems on stderr.

PyMISP's MISPEvent.load(validate=True) is deprecated and validates nothing any more (it
warns and loads), hence the explicit validation against the schema PyMISP ships.
"""

import contextlib
import io
import json
import os
import sys

EXERCISE_TAG = "tabletop:exercise"
TLP_TAGS = ["tlp:clear", "tlp:green", "tlp:amber", "tlp:amber+strict", "tlp:red"]
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"


def check_misp(text, problems):
    import jsonschema
    import pymisp
    from pymisp import MISPEvent

    data = json.loads(text)
    schema_path = os.path.join(os.path.dirname(pymisp.__file__), "data", "schema-lax.json")
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    for error in jsonschema.Draft4Validator(schema).iter_errors(data):
        problems.append(f"schema: {'/'.join(map(str, error.path))}: {error.message}")

    event = MISPEvent()
    event.load(text)
    describe = event.describe_types
    if event.published:
        problems.append("the event is published")
    if int(event.distribution) != 0:
        problems.append(f"distribution {event.distribution}, not 0 (your organisation only)")
    event_tags = [t.name for t in event.tags]
    if EXERCISE_TAG not in event_tags:
        problems.append("the event has no exercise tag")
    event_tlp = [t for t in event_tags if t in TLP_TAGS]
    if len(event_tlp) != 1:
        problems.append(f"the event has TLP tags {event_tlp}, not one")
    attributes = []
    sightings = 0
    for attribute in event.attributes:
        if attribute.to_ids:
            problems.append(f"{attribute.value}: to_ids is true")
        if attribute.type not in describe["types"]:
            problems.append(f"{attribute.value}: type {attribute.type} unknown to PyMISP")
        elif attribute.category not in describe["category_type_mappings"] or attribute.type not in describe["category_type_mappings"][attribute.category]:
            problems.append(f"{attribute.value}: type {attribute.type} not in category {attribute.category}")
        tags = [t.name for t in attribute.tags]
        tlp = [t for t in tags if t in TLP_TAGS]
        if len(tlp) != 1:
            problems.append(f"{attribute.value}: TLP tags {tlp}, not one")
        elif event_tlp and TLP_TAGS.index(tlp[0]) > TLP_TAGS.index(event_tlp[0]):
            problems.append(f"{attribute.value}: {tlp[0]} is stricter than the event's {event_tlp[0]}")
        if EXERCISE_TAG not in tags:
            problems.append(f"{attribute.value}: no exercise tag")
        sightings += len(attribute.sightings)
        attributes.append({"value": attribute.value, "type": attribute.type, "tlp": tlp[0] if tlp else None})
    # The event as PyMISP writes it back: it must still be JSON.
    json.loads(event.to_json())
    return {
        "attributes": attributes,
        "sightings": sightings,
        "tags": event_tags,
        "galaxy_clusters": sum(len(g.clusters) for g in event.galaxies),
    }


def check_stix(text, problems):
    import stix2
    from stix2validator import ValidationOptions, validate_string

    results = validate_string(text, ValidationOptions(version="2.1", strict=True))
    # A string is one bundle: its results, or a file's results of several objects.
    for result in getattr(results, "object_results", None) or [results]:
        for error in result.errors or []:
            problems.append(f"stix2-validator: {result.object_id}: {error}")
        for warning in result.warnings or []:
            problems.append(f"stix2-validator (strict): {result.object_id}: {warning}")
    if not results.is_valid:
        problems.append("stix2-validator: not valid")

    bundle = stix2.parse(text, allow_custom=False)
    store = stix2.MemoryStore(bundle.objects)
    counts = {}
    patterns = []
    markings = {}
    for obj in bundle.objects:
        counts[obj.type] = counts.get(obj.type, 0) + 1
        if obj.type == "marking-definition":
            if TLP2_EXTENSION not in obj.get("extensions", {}):
                problems.append(f"{obj.id}: not a TLP 2.0 marking")
            continue
        refs = obj.get("object_marking_refs", [])
        if len(refs) != 1:
            problems.append(f"{obj.id}: {len(refs)} markings, not one")
        for ref in refs:
            marking = store.get(ref)
            if marking is None or marking.type != "marking-definition":
                problems.append(f"{obj.id}: marking {ref} does not resolve in the bundle")
            else:
                markings[obj.id] = marking.name
        if "EXERCISE" not in obj.get("labels", []):
            problems.append(f"{obj.id}: no EXERCISE label")
        if obj.type == "indicator":
            patterns.append({"pattern": obj.pattern, "tlp": markings.get(obj.id)})
        if obj.type == "sighting" and store.get(obj.sighting_of_ref) is None:
            problems.append(f"{obj.id}: sighting of {obj.sighting_of_ref}, not in the bundle")
        if obj.type == "relationship":
            for ref in (obj.source_ref, obj.target_ref):
                if store.get(ref) is None:
                    problems.append(f"{obj.id}: {ref} not in the bundle")
    return {"counts": counts, "indicators": patterns}


def check_navigator(text, problems):
    from mitreattack.navlayers import Layer

    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        layer = Layer(strict=True)
        layer.from_str(text)
        loaded = layer.to_dict()
    if said.getvalue().strip():
        problems.append(f"mitreattack-python: {said.getvalue().strip()}")
    if loaded is None:
        problems.append("mitreattack-python did not load the layer")
        return {}
    original = json.loads(text)
    if "EXERCISE" not in loaded.get("name", "") or "EXERCISE" not in loaded.get("description", ""):
        problems.append("the layer's name and description do not both say EXERCISE")
    scores = {t["techniqueID"]: t.get("score") for t in loaded.get("techniques", [])}
    expected = {t["techniqueID"]: t.get("score") for t in original.get("techniques", [])}
    if scores != expected:
        problems.append(f"techniques read back {scores}, written {expected}")
    return {"techniques": scores, "domain": loaded.get("domain")}


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("misp", "stix", "navigator"):
        print(__doc__, file=sys.stderr)
        return 2
    check = {"misp": check_misp, "stix": check_stix, "navigator": check_navigator}[sys.argv[1]]
    failed = False
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        problems = []
        summary = check(text, problems)
        for problem in problems:
            print(f"{path}: {problem}", file=sys.stderr)
        failed = failed or bool(problems)
        print(json.dumps(summary, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
