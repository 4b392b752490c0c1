"""Settings of opendata, with their defaults. Read as `conf.NAME`; nowhere else reads them."""

from django.conf import settings

_DEFAULTS = {
    # GovData's contributor id of the publishing body (DCAT-AP.de); empty: none is stated.
    "OPENDATA_CONTRIBUTOR_ID": "",
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
