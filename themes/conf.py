"""Settings of themes, with their defaults. Read as `conf.NAME`; nowhere else reads them."""

from django.conf import settings

_DEFAULTS = {
    # Seconds a process trusts its list of dataset layers before asking the database again
    # (an import in another process shows up after at most this long; None: only imports in
    # this process count, which the test suite uses so no lookup costs a query).
    "THEMES_LAYER_REFRESH_SECONDS": 30,
    # Largest radius in metres the place finder accepts.
    "THEMES_MAX_RADIUS_M": 20_000,
    # Most places one radius search returns.
    "THEMES_MAX_LIMIT": 200,
    # Biggest upload the admin accepts for a dataset, in bytes.
    "THEMES_MAX_UPLOAD_BYTES": 200 * 1024 * 1024,
    # A re-import of a layer with alerts announces each new or changed feature, up to this many;
    # more are announced as one change over their extent.
    "THEMES_ALERTS_MAX_EVENTS": 50,
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
