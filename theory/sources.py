"""The lecture notes the claims come from, cited by author, title, year and section (the report's bibliography)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Notes:
    """One set of lecture notes or slides."""

    key: str
    authors: str
    title: str
    year: int
    kind: str  # "class notes", "slides"

    def at(self, where: str) -> Source:
        """A place in these notes: a section number, a slide title, a remark."""
        return Source(self, where)

    def __str__(self) -> str:
        return f"{self.authors} ({self.year}), {self.title} ({self.kind})"


@dataclass(frozen=True)
class Source:
    notes: Notes
    where: str

    def __str__(self) -> str:
        return f"{self.notes.authors} ({self.notes.year}), {self.notes.title}, {self.where}"

    def as_json(self) -> dict:
        return {"notes": self.notes.key, "where": self.where, "citation": str(self), "bibliography": str(self.notes)}


LELARGE_2024 = Notes("lelarge2024", "Lelarge, Vie & Scaman", "Deep Learning, class notes of the ENS course", 2024,
                     "class notes")
DOBRIBAN_2019 = Notes("dobriban2019", "Dobriban", "Notes for Stat 991: Topics in Deep Learning", 2019, "class notes")
MASSIAS_2025 = Notes("massias2025", "Massias", "Deep learning 1/2", 2025, "slides")
SCAMAN_2023 = Notes("scaman2023", "Scaman", "Mathematics of Deep Learning", 2023, "slides")

ALL = (LELARGE_2024, DOBRIBAN_2019, MASSIAS_2025, SCAMAN_2023)
