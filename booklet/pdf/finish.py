"""Last touches on a PDF that TeX made: document info and a stable file identifier.

Metadata is set here rather than through hyperref: the strings are the program's exact text
(no TeX escaping round trip), and the PDF's /ID is derived from the content, so the same inputs
give the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    moment: int  # seconds since the epoch: CreationDate and ModDate

    def as_pdf_dict(self) -> dict[str, str]:
        stamp = datetime.fromtimestamp(self.moment, tz=timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
        return {"/Title": self.title, "/Author": self.author, "/Subject": self.subject,
                "/Keywords": self.keywords, "/Creator": self.creator, "/Producer": self.creator,
                "/CreationDate": stamp, "/ModDate": stamp}


def stamp(writer: PdfWriter, info: DocumentInfo, seed: bytes) -> None:
    """Set INFO as the document information and an /ID derived from SEED and INFO."""
    writer.metadata = None
    writer.add_metadata(info.as_pdf_dict())
    digest = hashlib.md5(seed, usedforsecurity=False)
    digest.update(repr(sorted(info.as_pdf_dict().items())).encode())
    file_id = ByteStringObject(digest.digest())
    writer._ID = ArrayObject([file_id, file_id])  # pypdf writes whatever _ID holds as the trailer /ID


def write(writer: PdfWriter, target: Path) -> None:
    with open(target, "wb") as handle:
        writer.write(handle)


def finish_pdf(source: Path, target: Path, info: DocumentInfo) -> None:
    """Copy SOURCE to TARGET with INFO as its document information and a content-derived /ID."""
    writer = PdfWriter(clone_from=PdfReader(source))
    stamp(writer, info, source.read_bytes())
    write(writer, target)
