"""JSON schemas (draft 2020-12) of spec.json, prediction.json and verdict.json: every field a reader uses is required, so that defaults are filled when a file is written and never restated when it is read."""

from __future__ import annotations

NUMBER_OR_NULL = {"type": ["number", "null"]}
PAIR_OR_NULL = {"oneOf": [{"type": "null"}, {"type": "array", "items": NUMBER_OR_NULL, "minItems": 2, "maxItems": 2}]}
OUTCOME = {"enum": ["pass", "fail", "inconclusive", "error"]}
SCALE = {"enum": ["smoke", "full", "test"]}
NAME = {"type": "string", "minLength": 1}


def _object(properties: dict, optional: tuple[str, ...] = ()) -> dict:
    return {"type": "object", "properties": properties,
            "required": [k for k in properties if k not in optional], "additionalProperties": False}


SPEC = _object({
    "claim": NAME, "run": NAME, "experiment": NAME, "scale": SCALE, "base_seed": {"type": "integer", "minimum": 0},
    "seed": {"type": "integer", "minimum": 0}, "device": {"enum": ["auto", "cpu", "cuda"]},
    "threads": {"type": "integer", "minimum": 1},
    "params": {"type": "object", "required": ["n_seeds"], "properties": {"n_seeds": {"type": "integer", "minimum": 1}}},
})

GRID = _object({
    "x": NAME,
    "x_values": {"type": "array", "items": {"type": "number"}, "minItems": 1},
    "values": {"type": "array", "items": NUMBER_OR_NULL},  # null: a pole (JSON has no infinity)
    "in_window": {"type": "array", "items": {"type": "boolean"}},
    "series": {"oneOf": [{"type": "null"}, _object({"name": NAME, "values": {"type": "array", "items": {"type": "number"}}})]},
})

PREDICTED_CHECK = _object({
    "name": NAME, "kind": NAME, "run": NAME, "metric": NAME, "x": NAME, "description": {"type": "string"},
    "expression": {"type": "string"},  # sympy srepr, parseable by sympy.sympify
    "latex": {"type": "string"},
    "symbols": {"type": "array", "items": {"type": "string"}},
    "derived": {"type": "object"},  # the kind's number: {} for a curve, {name, value, latex, ...} otherwise
    "tolerance": {"type": "number", "minimum": 0},
    "tolerance_reason": {"type": "string"},
    "role": {"enum": ["theory", "identity"]},
    "tuned": {"type": "string"},
    "reduce": {"enum": ["mean", "median", "max", "min"]},
    "scale": {"enum": ["relative", "absolute", "log"]},
    "options": {"type": "object"},  # the kind's options, defaults filled (theory/kinds/<kind>.py OPTIONS)
    "window": PAIR_OR_NULL,
    "marks": {"type": "array", "items": _object({"label": {"type": "string"}, "value": {"type": "number"}})},
    "exclude": {"type": "array", "items": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}},
    "crossing": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["symbol", "values", "level_values", "grid"]}]},
    "grid": GRID,
    "dense": {"oneOf": [{"type": "null"}, _object({"x": {"type": "array"}, "values": {"type": "array"},
                                                   "series": {"type": "array"}})]},
})

SOURCE = _object({"notes": NAME, "where": {"type": "string"}, "citation": {"type": "string"},
                  "bibliography": {"type": "string"}})  # the notes' entry in the report's bibliography

PREDICTION = _object({
    "claim": NAME, "short_id": NAME, "family": NAME, "family_title": NAME, "family_rank": {"type": "integer"},
    "family_intro": {"type": "string"},
    "title": NAME, "control": {"type": "boolean"}, "contradicts": {"type": "string"},
    "near_miss": {"type": "boolean"},
    "expected": {"enum": ["pass", "fail"]},
    "statement": {"type": "string"}, "source": SOURCE, "reference": {"type": "string"}, "notes": {"type": "string"},
    "errata": {"type": "array", "items": _object({k: {"type": "string"} for k in ("kind", "notes_say", "correction",
                                                                                  "reference")})},
    "protocol": {"type": "string"}, "scale": SCALE, "n_seeds": {"type": "integer", "minimum": 1},
    "overlay_runs": {"type": "boolean"},
    "traces": {"type": "array", "items": {"type": "object", "required": ["run", "x", "metrics", "title", "events", "grid",
                                                                         "logx", "logy", "ylabel"]}},
    "runs": {"type": "object", "additionalProperties": {"type": "object", "required": ["n_seeds"]}},
    "checks": {"type": "array", "items": PREDICTED_CHECK, "minItems": 1},
})

CHECK_RESULT = {
    "type": "object",
    "required": ["name", "kind", "run", "metric", "x", "tolerance", "table", "n_seeds", "reduce", "scale", "options",
                 "series", "outcome", "estimate", "ci", "predicted", "message", "role", "interval", "resolution",
                 "ci_to_band", "censored", "band"],
    "properties": {"outcome": OUTCOME, "estimate": NUMBER_OR_NULL, "ci": PAIR_OR_NULL, "predicted": NUMBER_OR_NULL,
                   "tolerance": {"type": "number"}, "table": {"type": "array"}, "message": {"type": "string"},
                   "role": {"enum": ["theory", "identity"]},
                   "interval": {"enum": ["exact", "every seed", "jackknife-t", "bootstrap", None]},
                   "resolution": {"type": "object", "required": ["value", "unit"]},
                   "ci_to_band": NUMBER_OR_NULL, "censored": {"type": "integer", "minimum": 0},
                   # [lo, hi] in the estimate's units, null for an open side; null when no band was reached (error).
                   "band": {"oneOf": [{"type": "null"}, {"type": "array", "items": NUMBER_OR_NULL, "minItems": 2,
                                                         "maxItems": 2}]}},
}

PROVENANCE = _object({
    "git_commit": {"type": "string"}, "git_dirty": {"type": ["boolean", "null"]},
    "packages": {"type": "object", "additionalProperties": {"type": "string"}},
    "python": {"type": "string"}, "platform": {"type": "string"}, "device": {"type": ["string", "null"]},
    "torch_threads": {"type": ["integer", "null"]}, "scale": {"oneOf": [SCALE, {"type": "null"}]},
    "base_seed": {"type": ["integer", "null"]},
    "seeds": {"type": "object", "additionalProperties": {"type": ["integer", "null"]}},
    "wall_time_s": {"type": "object", "additionalProperties": NUMBER_OR_NULL},
    "generated": {"type": "string"},
})

VERDICT = _object({
    # The claim's identity is null only when its prediction.json could not be read (outcome "error").
    "claim": NAME, "short_id": {"type": ["string", "null"]}, "family": {"type": ["string", "null"]},
    "title": {"type": ["string", "null"]}, "control": {"type": ["boolean", "null"]},
    "expected": {"enum": ["pass", "fail", None]},
    "outcome": OUTCOME, "estimate": NUMBER_OR_NULL, "ci": PAIR_OR_NULL, "predicted": NUMBER_OR_NULL,
    "tolerance": NUMBER_OR_NULL, "n_seeds": {"type": ["integer", "null"]}, "message": {"type": "string"},
    # The check behind the claim's numbers (the tightest with the claim's outcome) and its resolution.
    "headline": {"type": ["string", "null"]}, "resolution": {"type": ["object", "null"]},
    "checks": {"type": "array", "items": CHECK_RESULT},
    "provenance": PROVENANCE,
})

SCHEMAS = {"spec": SPEC, "prediction": PREDICTION, "verdict": VERDICT}
