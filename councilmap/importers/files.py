"""Text of OParl `File` objects that are PDFs: downloaded with a size limit, read with pypdf.

The text feeds the paper's places (with less weight than its title). Whatever stops a file
from being read becomes a note on the file instead of an error for the run: too large, too
many pages (the first pages are read), no text layer (a scan), not a readable PDF.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from io import BytesIO

import httpx
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from councilmap import conf

# pypdf logs every odd construct of real-world PDFs as a warning; the note says what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class FileText:
    text: str
    note: str = ""  # why the text is empty or partial; "" when read in full


def is_pdf(raw: dict) -> bool:
    mime = str(raw.get("mimeType") or "").lower()
    name = str(raw.get("fileName") or raw.get("name") or "").lower()
    return "pdf" in mime or name.endswith(".pdf")


def pdf_text(data: bytes, *, max_pages: int | None = None) -> FileText:
    max_pages = max_pages or conf.COUNCILMAP_PDF_MAX_PAGES
    try:
        reader = PdfReader(BytesIO(data))
        pages = reader.pages
        count = len(pages)
        text = "\n".join((pages[i].extract_text() or "") for i in range(min(count, max_pages)))
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        return FileText("", f"kein lesbares PDF ({type(exc).__name__})")
    if not text.strip():
        return FileText("", "keine Textebene (gescanntes PDF?): Orte im Text nicht erkannt")
    note = f"nur die ersten {max_pages} von {count} Seiten gelesen" if count > max_pages else ""
    return FileText(text, note)


def download_pdf_text(client: httpx.Client, url: str, *, max_bytes: int | None = None) -> FileText:
    """Streams the file and stops at `max_bytes`: a huge scan never fills the memory."""
    max_bytes = max_bytes or conf.COUNCILMAP_PDF_MAX_BYTES
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                return FileText("", f"Datei nicht abrufbar (HTTP {response.status_code})")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                return FileText("", f"Datei zu groß ({int(declared) // 1024} KB), nicht gelesen")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    return FileText("", f"Datei zu groß (> {max_bytes // 1024} KB), nicht gelesen")
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        return FileText("", f"Datei nicht abrufbar ({type(exc).__name__})")
    return pdf_text(b"".join(chunks))
