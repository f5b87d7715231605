import sys
from pathlib import Path

import pytest

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
