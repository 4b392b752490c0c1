"""Largest Contentful Paint of / and /melden/ on a throttled phone, through `make run`'s server.

Debian's Chromium (Playwright) at 390x844 (mobile, DPR 2) with the DevTools protocol's throttling:
4x slower CPU and a slow 4G link (400 kbit/s down and up, 400 ms round trip). Every run is a cold
load in a fresh browser context (empty cache), the way a citizen opens a link from a letter;
a warm visit (cache filled by a first load) is measured too. The server is `manage.py serve`
(gunicorn, WhiteNoise's hashed static files with gzip/brotli) with DEBUG off, on the dev
database. Target: LCP <= 2.5 s (Core Web Vitals "good"). BENCH_RUNS (5) loads per page;
prints the median and the worst, what the LCP element was, and the bytes transferred.
"""

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import serving  # noqa: E402 - sets up Django (dev settings) and starts the production server

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PAGES = ["/", "/melden/"]
TARGET_MS = 2500
CPU_SLOWDOWN = 4
NETWORK = {
    "offline": False,
    "latency": 400,  # ms round trip
    "downloadThroughput": 400 * 1000 / 8,  # bytes/s
    "uploadThroughput": 400 * 1000 / 8,
}
# Collected from the first paint on; injected through the DevTools protocol, so the page's CSP
# (no inline scripts) stays as it is.
OBSERVE_LCP = """
window.__lcp = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const el = e.element;
    window.__lcp.push({t: e.startTime, size: e.size,
      what: el ? el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '')
        : e.url || '?'});
  }
}).observe({type: 'largest-contentful-paint', buffered: true});
"""


def measure(context, url: str) -> dict:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    received = []
    cdp.on("Network.loadingFinished", lambda e: received.append(e.get("encodedDataLength", 0)))
    page.add_init_script(OBSERVE_LCP)
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_load_state("networkidle", timeout=120_000)
    entries = page.evaluate("window.__lcp")
    page.close()
    last = entries[-1] if entries else {"t": float("nan"), "what": "none"}
    return {"lcp": last["t"], "what": last["what"], "bytes": sum(received)}


def main() -> None:
    from playwright.sync_api import sync_playwright

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "geoportal.settings.dev",  # what `make run` uses
        "DEBUG": "0",
        "DATABASE_URL": serving.database_url(),
        "LOG_LEVEL": "ERROR",
        "GEOPORTAL_WEB_LOG_LEVEL": "error",
    }
    env.pop("DATABASE_REPLICA_URLS", None)
    process, base = serving.serve(env)
    print(
        f"LCP on a phone (390x844, {CPU_SLOWDOWN}x CPU slowdown, 400 kbit/s, 400 ms RTT), "
        f"{RUNS} cold loads per page, manage.py serve on {serving.CORES} shared cores"
    )
    print(f"{'page':<10} {'visit':<5} {'median ms':>9} {'worst ms':>9} {'KB':>6}  LCP element")
    failed = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            phone = {
                "viewport": {"width": 390, "height": 844},
                "device_scale_factor": 2,
                "is_mobile": True,
                "has_touch": True,
                "locale": "de-DE",
            }
            for path in PAGES:
                url = base + path
                warmup = browser.new_context(**phone)  # the server's caches, not the browser's
                measure(warmup, url)
                cold, warm = [], []
                for _ in range(RUNS):
                    context = browser.new_context(**phone)
                    cold.append(measure(context, url))
                    warm.append(measure(context, url))  # second visit: the browser cache
                    context.close()
                warmup.close()
                for visit, runs in (("cold", cold), ("warm", warm)):
                    times = [r["lcp"] for r in runs]
                    median = statistics.median(times)
                    kb = statistics.median(r["bytes"] for r in runs) / 1000
                    print(
                        f"{path:<10} {visit:<5} {median:9.0f} {max(times):9.0f} {kb:6.0f}  "
                        f"{runs[0]['what']}"
                    )
                    if visit == "cold" and median > TARGET_MS:
                        failed.append(path)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=60)
    verdict = "misses" if failed else "meets"
    print(f"target: median cold LCP <= {TARGET_MS} ms; {verdict} it ({', '.join(failed) or 'all'})")


if __name__ == "__main__":
    main()
