"""OParl files that are PDFs, read from a real HTTP server on 127.0.0.1: text with pypdf, a
size and page limit, a clear note for a scan without text layer; file text weighs less than
the title."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest
from django.test import override_settings
from pypdf import PdfWriter

from councilmap.geocoding import TEXT_WEIGHT, paper_placement
from councilmap.importers.files import pdf_text
from councilmap.importers.loader import HttpSource


def pdf_with_text(*pages: str) -> bytes:
    """A small PDF with a Helvetica text layer, one page per string, written by hand."""
    objects: list = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "",  # the page tree, once the pages are numbered
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 50 700 Td ({text}) Tj ET".encode("cp1252")
        page = len(objects) + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {page + 1} 0 R"
            " /Resources << /Font << /F1 3 0 R >> >> >>"
        )
        objects.append((f"<< /Length {len(stream)} >>\nstream\n", stream))
        kids.append(f"{page} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode()
        out += obj[0].encode() + obj[1] + b"\nendstream" if isinstance(obj, tuple) else obj.encode()
        out += b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return bytes(out)


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def file_server():
    files = {
        "/vorlage.pdf": pdf_with_text("Sanierung der Zülpicher Straße", "Anlage: Lageplan"),
        "/scan.pdf": blank_pdf(),
        "/kaputt.pdf": b"%PDF-1.4 this is not a PDF",
        "/gross.pdf": pdf_with_text(*["Seite"] * 40),
    }

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            data = files.get(self.path)
            self.send_response(200 if data is not None else 404)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(data or b"")))
            self.end_headers()
            self.wfile.write(data or b"")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def read(base: str, path: str, **extra):
    source = HttpSource(base + "/oparl/system")
    return source.file_text({"downloadUrl": base + path, "mimeType": "application/pdf", **extra})


def test_a_pdfs_text_is_read_from_the_server(file_server):
    found = read(file_server, "/vorlage.pdf")
    assert "Zülpicher Straße" in found.text and "Lageplan" in found.text
    assert found.note == ""


def test_a_scan_without_text_layer_gets_a_clear_note(file_server):
    found = read(file_server, "/scan.pdf")
    assert found.text == "" and "keine Textebene" in found.note


def test_a_broken_or_missing_file_is_a_note_not_an_error(file_server):
    assert "kein lesbares PDF" in read(file_server, "/kaputt.pdf").note
    assert "HTTP 404" in read(file_server, "/fehlt.pdf").note


@override_settings(COUNCILMAP_PDF_MAX_BYTES=2_000)
def test_a_file_over_the_size_limit_is_not_downloaded(file_server):
    found = read(file_server, "/gross.pdf")
    assert found.text == "" and "zu groß" in found.note


@override_settings(COUNCILMAP_PDF_MAX_PAGES=5)
def test_only_the_first_pages_are_read(file_server):
    found = pdf_text(pdf_with_text(*[f"Seite {n}" for n in range(1, 11)]))
    assert "Seite 5" in found.text and "Seite 6" not in found.text
    assert found.note == "nur die ersten 5 von 10 Seiten gelesen"


def test_other_files_are_not_downloaded(file_server):
    assert read(file_server, "/vorlage.pdf", mimeType="text/html", fileName="x.html") is None


@pytest.mark.django_db
def test_a_place_in_the_file_text_weighs_less_than_in_the_title():
    from_title = paper_placement(name="Sanierung der Zülpicher Straße")
    from_text = paper_placement(name="Mitteilung der Verwaltung",
                                text="Sanierung der Zülpicher Straße")
    [title_place], [text_place] = from_title.places, from_text.places
    assert text_place.confidence == pytest.approx(title_place.confidence * TEXT_WEIGHT, abs=0.01)
