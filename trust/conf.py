"""Settings of trust, with their defaults. Read as `conf.NAME`; nowhere else reads them."""

from django.conf import settings

_DEFAULTS = {
    # Failed logins of one account from one address before each further one waits.
    "TRUST_LOGIN_FREE_FAILURES_PAIR": 3,
    # Failed logins from one address (any account) in an hour before each further one waits.
    "TRUST_LOGIN_FREE_FAILURES_IP": 10,
    # Failed logins of one account (any address) in an hour before browsers that never logged in
    # to it wait; browsers with its device cookie never wait for other people's failures.
    "TRUST_LOGIN_FREE_FAILURES_ACCOUNT": 10,
    # Seconds of the first wait; each further failure doubles it, up to the maximum.
    "TRUST_LOGIN_BASE_DELAY": 2,
    "TRUST_LOGIN_MAX_DELAY": 15 * 60,
    # Days that login events stay visible in the admin before they are deleted.
    "TRUST_LOGIN_EVENTS_DAYS": 30,
    # Bodies over this many bytes (by Content-Length) are a 413: three 15 MB photos fit.
    "TRUST_MAX_BODY_BYTES": 48 * 1024 * 1024,
    # Proxies in front that append to X-Forwarded-For; 0 means REMOTE_ADDR is the client.
    "TRUST_PROXY_COUNT": 0,
    # Further CSP sources per path prefix, e.g. {"/api/docs/": {"worker-src": ["blob:"]}}.
    "TRUST_CSP_EXTRA": {},
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
