"""What a build tells its caller: the :class:`BuildReport` (also written as ``report.json``) and
the :class:`BuildProgress` a progress callback receives."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class BuildReport:
    files: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    entries: int = 0            # entries seen in all files (papers + duplicates + skipped + filtered)
    papers: int = 0             # distinct papers
    duplicates: int = 0         # entries merged into a paper read before (same arXiv id, DOI or title)
    filtered: int = 0           # entries left out by a category filter (kg build --category)
    skipped: list[dict] = field(default_factory=list)   # {"source": "file:line", "reason": ...}
    readers: dict[str, str] = field(default_factory=dict)   # file → the reader that read it
    left_out: list[dict] = field(default_factory=list)  # files in folders not read: {"file", "reason"}
    warnings: list[dict] = field(default_factory=list)  # {"source": "file[:line]", "message": ...}
    triples: int = 0
    relations: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    min_confidence: float = 0.0
    seconds: dict[str, float] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    store: dict = field(default_factory=dict)   # what the build did to the persistent store (kg.build.store_build)

    @property
    def ok(self) -> bool:
        return self.papers > 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class BuildProgress:
    """What a store build's progress callback receives after each batch and at each stage."""

    stage: str                    # "reextract", "extract", "labels", "optimize", "outputs", "done"
    papers: int                   # distinct papers read from the input so far
    extracted: int                # papers extracted so far (new or re-extracted)
    fraction: float | None        # share of the work done, when it can be estimated
    seconds: float


ProgressCallback = Callable[[BuildProgress], None]
ProgressFn = Callable[[int], None]   # the in-memory build's: papers extracted so far
