"""The report's context: counts, abstract, families, references and provenance summed up over all claims."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable

from reports.fmt import CI_LABEL, DASH
from reports.model import OUTCOMES


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _join(items: list[str]) -> str:
    items = list(items)
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _unique(values: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v is None or v == "":
            continue
        s = str(v)
        if s not in out:
            out.append(s)
    return out


def build_context(claims: list[dict]) -> dict:
    """Everything the templates show besides each claim's own fields (sets each claim's ``ref_index``)."""
    real = [c for c in claims if not c["control"]]
    controls = [c for c in claims if c["control"]]
    counts = {o: sum(1 for c in real if c["outcome"] == o) for o in OUTCOMES}
    ctrl_ok = sum(1 for c in controls if c["outcome"] == "fail")
    rank = {c["family"]: c["family_rank"] for c in claims}
    families = sorted(rank, key=lambda f: (rank[f], f))
    green = bool(claims) and all(c["outcome"] == "pass" for c in real) and all(
        c["outcome"] == "fail" for c in controls)

    # references, numbered in alphabetical order; the lecture notes the claims come from, listed apart
    refs = sorted(_unique(c["reference"] for c in claims))
    lecture_notes = sorted(_unique(c["notes_entry"] for c in claims))
    for c in claims:
        c["ref_index"] = refs.index(c["reference"]) + 1 if c["reference"] in refs else None

    provs = [c["provenance_raw"] for c in claims]
    packages: dict[str, list[str]] = {}
    for pv in provs:
        for k, v in pv["packages"].items():
            packages.setdefault(str(k), [])
            if str(v) not in packages[str(k)]:
                packages[str(k)].append(str(v))
    commits = _unique(pv["git_commit"] for pv in provs)
    dirty_vals = [pv["git_dirty"] for pv in provs if pv["git_dirty"] is not None]
    gen_times = sorted(_unique(pv["generated"] for pv in provs))

    abstract = []
    abstract.append(
        f"This report checks {_plural(len(claims), 'claim')} from deep-learning theory by experiment: "
        f"{_plural(len(real), 'real claim')} and {_plural(len(controls), 'negative control')}, "
        f"covering the {_plural(len(families), 'family', 'families')} {_join(families)}.")
    abstract.append(
        f"Of the real claims, {counts['pass']} passed, {counts['fail']} failed, "
        f"{counts['inconclusive']} were inconclusive and {counts['error']} ended in an error.")
    identity_only = [c for c in real if c["evidence"] == "identity"]
    theory_checks = [k for c in real for k in c["checks"] if k["role"] == "theory"]
    identity_checks = [k for c in real for k in c["checks"] if k["role"] == "identity"]
    abstract.append(
        f"Counted apart: {sum(k['outcome'] == 'pass' for k in theory_checks)} of {len(theory_checks)} checks of real "
        f"claims test the theory and passed; {sum(k['outcome'] == 'pass' for k in identity_checks)} of "
        f"{len(identity_checks)} are identity or implementation checks (they hold for correct code whatever the "
        f"theory says) and passed" + (
            f"; {_plural(len(identity_only), 'claim')} ({_join([c['short_id'] for c in identity_only])}) "
            f"{'consists' if len(identity_only) == 1 else 'consist'} of such checks only and "
            f"{'is' if len(identity_only) == 1 else 'are'} not counted as verified theory." if identity_only else "."))
    if controls:
        abstract.append(
            f"{ctrl_ok} of {len(controls)} negative controls (deliberately wrong predictions) "
            f"failed as expected.")
    abstract.append(
        "The suite is green: every real claim passed and every negative control failed."
        if green else
        "The suite is not green: not every real claim passed and/or not every negative control failed.")

    errata = [{**e, "claim": c["id"], "short_id": c["short_id"], "where": c["source"]} for c in claims
              for e in c.get("errata") or []]
    if errata:
        abstract.append(
            f"{_plural(len(errata), 'place')} where the lecture notes are wrong, loose or imprecise "
            f"{'is' if len(errata) == 1 else 'are'} listed as errata, each with its correction and the claim whose "
            f"experiment shows it.")

    fams = []
    for f in families:
        members = [c for c in claims if c["family"] == f]
        heading = next((c["family_title"] for c in members if c["family_title"]), f)
        intro = next((c.get("family_intro") for c in members if c.get("family_intro")), "")
        fams.append({"name": f, "heading": heading, "intro": intro, "claims": members})

    return {
        "title": "Deep-learning theory, checked by experiment",
        "ci_label": CI_LABEL,
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "scale": ", ".join(_unique(list(c["scale"] for c in claims) +
                                   [pv["scale"] for pv in provs])) or DASH,
        "git_commit": ", ".join(commits) or DASH,
        "git_dirty": ("yes" if any(dirty_vals) else "no") if dirty_vals else DASH,
        "results_generated": (gen_times[0] if len(gen_times) == 1 else
                              f"{gen_times[0]} \u2013 {gen_times[-1]}") if gen_times else DASH,
        "abstract": " ".join(abstract),
        "green": green,
        "n_claims": len(claims),
        "n_real": len(real),
        "n_controls": len(controls),
        "counts": counts,
        "identity_only": identity_only,
        "ctrl_ok": ctrl_ok,
        "claims": claims,
        "real": real,
        "controls": controls,
        "families": fams,
        "errata": errata,
        "glance_caption": (
            f"Results at a glance: every check of the {_plural(len(claims), 'claim')} ({len(real)} real, "
            f"{len(controls)} negative controls in italics), as its deviation from the prediction in units of its "
            f"tolerance band (grey, [-1, 1]) with {CI_LABEL}, coloured by the check's outcome. Circles are two-sided "
            f"checks; a triangle is an inequality, its bound at the band's edge and its relative slack inward; a "
            f"diamond is an exact check; open markers are identity checks; an arrow at the edge lies beyond 4 "
            f"half-widths. A real claim's checks should lie in the band, a control's outside it."),
        "references": refs,
        "lecture_notes": lecture_notes,
        "packages": [(k, ", ".join(v)) for k, v in sorted(packages.items())],
        "devices": _unique(pv["device"] for pv in provs),
        "threads": ", ".join(_unique(pv["torch_threads"] for pv in provs)) or DASH,
        "pythons": ", ".join(_unique(pv["python"] for pv in provs)) or DASH,
        "platforms": _unique(pv["platform"] for pv in provs),
        "base_seeds": ", ".join(_unique(pv["base_seed"] for pv in provs)) or DASH,
    }

