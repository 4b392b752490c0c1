"""Read OParl objects from a live endpoint (httpx) or from a folder of JSON files.

Both sources offer the same three calls: `bodies()`, `objects(body, list_name)` (follows
`links.next`, passes `modified_since`) and `resolve(url)` for references that a server gives as
a URL where an object would be embedded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Protocol

import httpx

from .files import FileText, download_pdf_text, is_pdf
from .mapping import object_type

LISTS = ("organization", "meeting", "paper")  # the Body lists we mirror
_LIST_TYPES = {"organization": "Organization", "meeting": "Meeting", "paper": "Paper"}
MAX_PAGES = 10_000  # a server whose `next` never ends must not keep us forever


class SourceError(RuntimeError):
    pass


class Source(Protocol):
    label: str

    def bodies(self) -> list[dict]: ...

    def objects(
        self, body: dict, list_name: str, *, modified_since: datetime | None
    ) -> Iterator[dict]: ...

    def resolve(self, url: str) -> dict | None: ...


def _modified_after(obj: dict, since: datetime | None) -> bool:
    if since is None:
        return True
    from django.utils.dateparse import parse_datetime

    try:
        modified = parse_datetime(str(obj.get("modified", "")))
    except ValueError:
        modified = None
    return modified is None or modified >= since


class FolderSource:
    """Any *.json below a folder: single objects, OParl list pages (`{"data": [...]}`) or plain
    arrays. Objects are grouped by their `type`; `modified_since` is applied here as a server
    would, so a folder behaves like an endpoint in incremental runs."""

    def __init__(self, path: Path) -> None:
        self.label = str(path)
        self.by_id: dict[str, dict] = {}
        self.by_type: dict[str, list[dict]] = {}
        self.unreadable: list[str] = []
        # Plain text of files kept beside the JSON ("00644077.txt" for "00644077.pdf").
        self.texts = {file.stem: file for file in path.rglob("*.txt")}
        for file in sorted(path.rglob("*.json")):
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                self.unreadable.append(f"{file.name}: not readable as JSON ({exc})")
                continue
            items = data.get("data") if isinstance(data, dict) and "data" in data else data
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, dict):
                    self._add(item)

    def _add(self, obj: dict) -> None:
        kind = object_type(obj)
        self.by_type.setdefault(kind, []).append(obj)
        if isinstance(obj.get("id"), str):
            self.by_id[obj["id"]] = obj

    def bodies(self) -> list[dict]:
        bodies = list(self.by_type.get("Body", []))
        known = {b.get("id") for b in bodies}
        # Folders exported without their Body: one placeholder per body URL the objects name.
        for kind in _LIST_TYPES.values():
            for obj in self.by_type.get(kind, []):
                url = obj.get("body")
                if isinstance(url, str) and url not in known:
                    known.add(url)
                    bodies.append({"id": url, "type": "https://schema.oparl.org/1.1/Body"})
        if not bodies and any(self.by_type.get(k) for k in _LIST_TYPES.values()):
            bodies.append({"id": "file://" + self.label, "type": "Body"})
        return bodies

    def objects(self, body: dict, list_name: str, *, modified_since=None) -> Iterator[dict]:
        body_id = body.get("id")
        # Meetings and organizations carry no `body` in OParl 1.1; in a folder they go to the
        # first body only, so a folder with two bodies does not import them twice.
        first = self.bodies()[0].get("id") == body_id
        for obj in self.by_type.get(_LIST_TYPES[list_name], []):
            owner = obj.get("body")
            mine = owner == body_id or (owner is None and first)
            if mine and _modified_after(obj, modified_since):
                yield obj

    def resolve(self, url: str) -> dict | None:
        return self.by_id.get(url)

    def local_text(self, file: dict) -> str | None:
        name = file.get("fileName")
        path = self.texts.get(Path(name).stem) if isinstance(name, str) and name else None
        return path.read_text(encoding="utf-8", errors="replace") if path else None


class HttpSource:
    """A live OParl server from its System (or Body) URL."""

    def __init__(
        self,
        url: str,
        *,
        client: httpx.Client | None = None,
        retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 20.0,
    ) -> None:
        self.label = url
        self.url = url
        self.retries = retries
        self.backoff = backoff
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=5.0),
            follow_redirects=True,
            headers={"Accept": "application/json", "User-Agent": "Open.RIS.Map importer"},
            transport=httpx.HTTPTransport(retries=1),
        )
        self.cache: dict[str, dict] = {}
        self.requests = 0

    def get(self, url: str, params: dict | None = None) -> dict:
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            try:
                self.requests += 1
                response = self.client.get(url, params=params or None)
                if response.status_code >= 500 or response.status_code == 429:
                    raise SourceError(f"{url}: HTTP {response.status_code}")
                if response.status_code >= 400:
                    raise SourceError(f"{url}: HTTP {response.status_code} (not retried)")
                data = response.json()
                if not isinstance(data, dict):
                    raise SourceError(f"{url}: expected a JSON object")
                return data
            except SourceError as exc:
                if "not retried" in str(exc):
                    raise
                last = exc
            except (httpx.TransportError, ValueError) as exc:
                last = exc
            if attempt < self.retries:
                time.sleep(self.backoff * 2**attempt)
        raise SourceError(f"{url}: gave up after {self.retries + 1} attempts ({last})")

    def file_text(self, file: dict) -> FileText | None:
        """The text of a PDF the server links (downloadUrl, else accessUrl); None for others."""
        url = file.get("downloadUrl") or file.get("accessUrl")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return None
        if not is_pdf(file):
            return None
        self.requests += 1
        return download_pdf_text(self.client, url)

    def bodies(self) -> list[dict]:
        root = self.get(self.url)
        kind = object_type(root)
        if kind == "Body":
            return [root]
        if kind != "System" or not isinstance(root.get("body"), str):
            raise SourceError(f"{self.url}: neither an OParl System nor a Body (type {kind!r})")
        return list(self._pages(root["body"], {}))

    def objects(self, body: dict, list_name: str, *, modified_since=None) -> Iterator[dict]:
        url = body.get(list_name)
        if not isinstance(url, str):
            return
        params = {"modified_since": modified_since.isoformat()} if modified_since else {}
        yield from self._pages(url, params)

    def _pages(self, url: str, params: dict) -> Iterator[dict]:
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            page = self.get(url, params)
            for obj in page.get("data") or []:
                if isinstance(obj, dict):
                    yield obj
            nxt = (page.get("links") or {}).get("next")
            # `next` already carries the query (modified_since included) on conforming servers.
            if not isinstance(nxt, str) or nxt in seen:
                return
            seen.add(nxt)
            url, params = nxt, {}

    def resolve(self, url: str) -> dict | None:
        if url not in self.cache:
            try:
                self.cache[url] = self.get(url)
            except SourceError:
                return None
        return self.cache[url]


def open_source(source: str) -> Source:
    if source.startswith(("http://", "https://")):
        return HttpSource(source)
    path = Path(source)
    if not path.is_dir():
        raise SourceError(f"{source}: neither an http(s) URL nor a folder")
    return FolderSource(path)
