"""Settings of reports, with their defaults. Read as `conf.NAME`; nowhere else reads them."""

from django.conf import settings

_DEFAULTS = {
    # Days after a closed or rejected report's contact data is deleted (purge command, daily).
    "REPORTS_RETENTION_DAYS": 90,
    # Target days of a report whose category has none (statistics: share fixed in time).
    "REPORTS_DEFAULT_TARGET_DAYS": 14,
    # Class with `send(to, text)` that delivers SMS (console, locmem for tests, HTTP gateway).
    "REPORTS_SMS_BACKEND": "reports.sms.ConsoleSmsBackend",
    # The HTTP gateway's endpoint and bearer token (reports.sms.HttpSmsBackend).
    "REPORTS_SMS_URL": "",
    "REPORTS_SMS_TOKEN": "",
    # Twilio's Messaging API (reports.sms.TwilioSmsBackend): base URL, account, sender number.
    "REPORTS_SMS_TWILIO_API": "https://api.twilio.com",
    "REPORTS_SMS_TWILIO_ACCOUNT_SID": "",
    "REPORTS_SMS_TWILIO_AUTH_TOKEN": "",
    "REPORTS_SMS_FROM": "",
    # Public URL of /sms/status/ that the gateway POSTs delivery reports to ("" = none asked).
    "REPORTS_SMS_STATUS_CALLBACK": "",
    # Photos stored per day (all reports, from midnight) before citizens' uploads are refused;
    # the status page turns amber at REPORTS_PHOTO_BUDGET_WARN of it.
    "REPORTS_PHOTOS_PER_DAY": 3000,
    "REPORTS_PHOTO_BUDGET_WARN": 0.8,
    # Hours after which photos of reports never confirmed by email are deleted (daily purge).
    "REPORTS_UNCONFIRMED_PHOTO_HOURS": 48,
    # Report vector tiles below this zoom carry clusters (points with `count` and `open`) read
    # from the report grid instead of every report: a zoom-12 tile of 1 M reports is ~10 MB.
    "REPORTS_TILE_CLUSTER_BELOW_ZOOM": 16,
    # Who runs the service, as Open311 discovery names it; "" = "Mängelmelder, <the brand's
    # municipality>, <its contact email>" (a second city's discovery named the demo's Köln).
    "REPORTS_OPEN311_CONTACT": "",
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
