"""Where the benchmarks find the project, the shared corpus and their results."""

import os
from pathlib import Path

from bench.errors import CorpusMissing

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = PROJECT_ROOT / "bench" / "results"
CORPUS_ENV = "CHARTDB_MCP_CORPUS"


def corpus_dir() -> Path:
    """The shared corpus: `$CHARTDB_MCP_CORPUS`, else `<project root>/../shared/corpus`."""
    override = os.environ.get(CORPUS_ENV)
    return Path(override) if override else PROJECT_ROOT.parent / "shared" / "corpus"


def corpus_file(relative: str) -> Path:
    """A file of the corpus by its path inside it; raises `CorpusMissing` if absent."""
    path = corpus_dir() / relative
    if not path.is_file():
        raise CorpusMissing(
            f"The corpus file {relative!r} is not at {path}; "
            f"set ${CORPUS_ENV} to the corpus folder."
        )
    return path
