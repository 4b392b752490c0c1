"""The live-endpoint path against a real HTTP server on 127.0.0.1: System -> Body -> paged
lists, `modified_since` filtering on the server side, a retried 503."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.utils.dateparse import parse_datetime

from councilmap.importers.loader import HttpSource, SourceError
from councilmap.importers.oparl import oparl_import
from councilmap.models import Paper

pytestmark = pytest.mark.django_db
PAGE_SIZE = 10


class OParlServer:
    """Serves the Köln demo fixtures as an OParl 1.1 server would."""

    def __init__(self, folder: Path) -> None:
        self.lists = {
            name: json.loads((folder / f"{name}s.json").read_text())["data"]
            for name in ("organization", "meeting", "paper")
        }
        self.body = json.loads((folder / "body.json").read_text())
        self.requests: list[str] = []
        self.fail_next = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.path)
                if server.fail_next:
                    server.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                status, payload = server.answer(self.path)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, path: str):
        url = urlparse(path)
        query = parse_qs(url.query)
        if url.path == "/oparl/system":
            return 200, {
                "id": self.url + "/oparl/system", "type": "https://schema.oparl.org/1.1/System",
                "oparlVersion": "https://schema.oparl.org/1.1/", "body": self.url + "/oparl/bodies",
            }
        if url.path == "/oparl/bodies":
            body = dict(self.body)
            for name in self.lists:
                body[name] = f"{self.url}/oparl/list/{name}"
            return 200, {"data": [body], "links": {}}
        if url.path.startswith("/oparl/list/"):
            name = url.path.rsplit("/", 1)[-1]
            items = self.lists[name]
            if "modified_since" in query:
                since = parse_datetime(query["modified_since"][0])
                items = [i for i in items if parse_datetime(i["modified"]) >= since]
            page = int(query.get("page", ["1"])[0])
            chunk = items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
            links = {}
            if page * PAGE_SIZE < len(items):
                rest = {k: v[0] for k, v in query.items() if k != "page"}
                rest["page"] = str(page + 1)
                links["next"] = f"{self.url}{url.path}?{urlencode(rest)}"
            return 200, {"data": chunk, "links": links}
        return 404, {"error": "not found"}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(fixtures_dir):
    with OParlServer(fixtures_dir / "oparl" / "koeln-demo") as srv:
        yield srv


def source(server):
    return HttpSource(server.url + "/oparl/system", backoff=0.01, timeout=5)


def test_live_import_follows_paging_then_fetches_only_changes(server):
    [run] = oparl_import(source=source(server))
    assert run.ok and Paper.objects.count() == 42
    assert run.report.counts["paper.created"] == 42
    assert sum("/list/paper" in r for r in server.requests) == 5  # 42 papers, 10 a page

    server.requests.clear()
    changed = server.lists["paper"][3]
    changed["name"] = "[Demo] Verkehrsberuhigung in der Zülpicher Straße (geändert)"
    changed["modified"] = "2099-01-01T00:00:00+01:00"
    [second] = oparl_import(source=source(server))
    assert all("modified_since=" in r for r in server.requests if "/list/" in r)
    assert second.report.counts["paper.updated"] == 1
    assert second.report.total("created") == 0
    assert Paper.objects.get(oparl_id=changed["id"]).name.endswith("(geändert)")


def test_transient_server_errors_are_retried(server):
    server.fail_next = 2
    [run] = oparl_import(source=source(server))
    assert run.ok and Paper.objects.count() == 42


def test_a_dead_server_is_recorded_not_raised(server):
    server.fail_next = 100
    [run] = oparl_import(source=HttpSource(server.url + "/oparl/system", retries=1, backoff=0.01))
    assert not run.ok and "gave up after 2 attempts" in run.errors[0]


def test_not_an_oparl_endpoint(server):
    with pytest.raises(SourceError, match="HTTP 404"):
        HttpSource(server.url + "/nothing", backoff=0.01).bodies()
