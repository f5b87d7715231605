import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on fixed examples (the same every run, so a red run is reproducible);
# a developer's run explores new random ones. HYPOTHESIS_PROFILE=ci locally repeats CI's.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# Let tests import their shared fixtures (seed_page) as plain modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def naic(tmp_path_factory):
    """The shipped NAIC program built once, with timing cards and kept TeX sources, for every test."""
    from pypdf import PdfReader

    from booklet.build import BuildOptions, build
    from booklet.pdf.text import SearchableText, page_texts

    out = tmp_path_factory.mktemp("naic")
    result = build(BuildOptions(program=ROOT / "data" / "naic2025.yaml", out=out, keep_tex=True,
                                time_cards=True))
    reader = PdfReader(out / "program.pdf")
    texts = page_texts(reader)
    return {"out": out, "result": result, "reader": reader, "texts": texts,
            "all": SearchableText("\n".join(texts)),
            "log": (out / "build" / "program.log").read_text(errors="replace"),
            "sheets_log": (out / "build" / "chair-sheets.log").read_text(errors="replace")}
