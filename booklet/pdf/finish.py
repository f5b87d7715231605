"""Document information and a stable file identifier for every PDF booklet writes.

The booklet and the combined chair sheets get theirs from pdfTeX itself (`as_pdftex`), so TeX's own
file is the finished file: no second pass through a PDF library that would rewrite a 300-page
booklet without its object streams (three times the size, several times slower to read). Files
that booklet assembles with pypdf (a session's sheet, the imposed booklet) are stamped with `stamp`.

Either way the strings are the program's exact text (no TeX escaping round trip) and the /ID is
derived from what the file is made of, so the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    moment: int  # seconds since the epoch: CreationDate and ModDate
    version: str = ""  # the program's version: an entry of its own, so that a print shop can see it

    def as_pdf_dict(self) -> dict[str, str]:
        stamp = datetime.fromtimestamp(self.moment, tz=timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
        entries = {"/Title": self.title, "/Author": self.author, "/Subject": self.subject,
                   "/Keywords": self.keywords, "/Creator": self.creator, "/Producer": self.creator,
                   "/CreationDate": stamp, "/ModDate": stamp}
        if self.version:
            entries["/Version"] = self.version
        return entries

    def as_hex(self) -> dict[str, str]:
        """The entries as PDF text strings in hex digits (key without its slash): what a tool outside
        Python writes into a file (pdfTeX, mutool), with no way to read the text as anything else."""
        return {key.lstrip("/"): _hex_text_string(value) for key, value in self.as_pdf_dict().items()}

    def as_pdftex(self) -> str:
        """The entries for pdfTeX's \\pdfinfo. Every value is a PDF hex string, so the author's text
        reaches TeX as hex digits only: nothing in it can be read as a TeX command."""
        return " ".join(f"/{key} <{value}>" for key, value in self.as_hex().items())


def _hex_text_string(value: str) -> str:
    """A PDF text string: ASCII as it is (it reads the same in PDFDocEncoding), else UTF-16BE with
    its byte order mark, as the PDF standard asks for text outside PDFDocEncoding."""
    data = value.encode("ascii") if value.isascii() else b"\xfe\xff" + value.encode("utf-16-be")
    return data.hex().upper()


def trailer_id_seed(key: str, job: str) -> str:
    """The seed pdfTeX's \\pdftrailerid turns into the file's /ID: KEY, a hash of everything the
    document is made from (its LaTeX, the styles, the options, the date), and its job name."""
    return hashlib.sha256(f"{key}\n{job}".encode()).hexdigest()


def file_id(info: DocumentInfo, seed: bytes) -> bytes:
    """A file identifier derived from SEED (what the file is made from) and its information."""
    digest = hashlib.md5(seed, usedforsecurity=False)
    digest.update(repr(sorted(info.as_pdf_dict().items())).encode())
    return digest.digest()


def stamp(writer: PdfWriter, info: DocumentInfo, seed: bytes) -> None:
    """Set INFO as the document information and an /ID derived from SEED and INFO."""
    writer.metadata = None
    writer.add_metadata(info.as_pdf_dict())
    identifier = ByteStringObject(file_id(info, seed))
    writer._ID = ArrayObject([identifier, identifier])  # pypdf writes whatever _ID holds as the trailer /ID


def write(writer: PdfWriter, target: Path) -> None:
    from ..publish import naming

    with naming(target), open(target, "wb") as handle:
        writer.write(handle)
