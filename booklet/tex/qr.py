"""QR codes as TeX rules: vector, exact, and made of nothing a program could inject.

segno (a maintained, dependency-free QR encoder) turns the URL into a matrix of modules; each row
becomes a line of black rules and kerns, one rule per run of dark modules, so a code prints crisp
at any size and holds no text of the URL at all. The quiet zone of four modules around it is part
of the box. `\\bkqrmodule` (booklet.sty) is the width of one module, set by the template.
"""

from __future__ import annotations

from functools import lru_cache

from .escape import TeX

QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 asks


@lru_cache(maxsize=4096)
def qr_tex(data: str) -> TeX:
    """DATA (a URL) as a QR code: a \\vbox of rules, `\\bkqrmodule` per module, quiet zone included."""
    import segno

    matrix = segno.make(data, error="m", micro=False).matrix
    size = len(matrix) + 2 * QUIET_ZONE
    rows = []
    for row in matrix:
        parts, run, dark = [], 0, None
        for module in [0] * QUIET_ZONE + list(row) + [0] * QUIET_ZONE:
            if module == dark:
                run += 1
                continue
            if run:
                parts.append(_run(run, dark))
            run, dark = 1, module
        parts.append(_run(run, dark))
        rows.append(r"\hbox{" + "".join(parts) + "}")
    blank = r"\kern" + f"{QUIET_ZONE}" + r"\bkqrmodule"
    # \bkqrsize (booklet.sty) is the printed width of the whole code, quiet zone included.
    return TeX(r"\vbox{\offinterlineskip\bkqrmodule=\dimexpr\bkqrsize/" + f"{size}" + r"\relax" + blank
               + "".join(rows) + blank + "}")


def uri_hex(url: str) -> TeX:
    """URL as the hex digits of a PDF string, for `\bkurl` (booklet.sty): TeX sees [0-9A-F] alone,
    so no character of a URL (# % & ~ _ \\) can be read as a command or break the link. Marked as
    TeX: hex digits need no escaping, and line-break hints inside them would corrupt the string."""
    return TeX(url.encode("utf-8").hex().upper())


def _run(count: int, dark) -> str:
    if dark:
        return r"\vrule width " + f"{count}" + r"\bkqrmodule height \bkqrmodule depth 0pt "
    return r"\kern" + f"{count}" + r"\bkqrmodule "
