"""The JSON Schema shipped for editors says the same as the loader."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from studynotes.load import notes as loader

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(resources.files("studynotes").joinpath("notes.schema.json").read_text(encoding="utf-8"))


def plain_data(value):
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", sorted((ROOT / "notes").glob("*.yaml")) + [ROOT / "tests/data/example.yaml"],
                         ids=lambda p: p.name)
def test_sample_notes_satisfy_the_schema(path):
    jsonschema.validate(plain_data(yaml.safe_load(path.read_text(encoding="utf-8"))), SCHEMA)


def test_schema_and_loader_allow_the_same_keys():
    d = SCHEMA["$defs"]
    assert set(SCHEMA["properties"]) == set(loader.TOPIC_KEYS)
    assert set(SCHEMA["required"]) == {k for k, req in loader.TOPIC_KEYS.items() if req}
    assert set(d["section"]["properties"]) == set(loader.SECTION_KEYS)
    assert set(d["subsection"]["properties"]) == set(loader.SECTION_KEYS) - {"sections"}
    assert set(d["point"]["oneOf"][1]["properties"]) == set(loader.POINT_KEYS)
    for name, keys in (("fact", loader.FACT_KEYS), ("event", loader.EVENT_KEYS), ("term", loader.TERM_KEYS),
                       ("card", loader.CARD_KEYS), ("table", loader.TABLE_KEYS)):
        assert set(d[name]["properties"]) == set(keys), name
        assert set(d[name]["required"]) == {k for k, req in keys.items() if req}, name


def test_schema_rejects_what_the_loader_rejects():
    bad = {"topic": "X", "sections": [{"title": "A", "pionts": ["x"]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"topic": "X", "id": "a/b", "sections": [{"title": "A", "points": ["x"]}]}, SCHEMA)
