"""What the Mängelmelder tells the trust layer (registered from ReportsConfig.ready())."""

from trust.middleware import form_value
from trust.registry import Guard, register_backup_count, register_error_format, register_guard

from .models import Report, ReportPhoto
from .open311.render import error


def _open311_error(request, status: int, detail: str):
    return error("xml" if request.path_info.endswith(".xml") else "json", status, detail)


def _checks_the_place(request) -> bool:
    # "Ort prüfen" and picking an address on the form file nothing.
    return form_value(request, "action") == "check" or bool(form_value(request, "address_pick"))


def register() -> None:
    filed = Guard("report", frozenset({302}), fields=("email",), skip=_checks_the_place)
    register_guard("reports:new", filed)
    register_guard("reports:api-list", Guard("report", frozenset({201}), fields=("email",)))
    register_guard(
        "reports:open311-requests", Guard("report", frozenset({200, 201}), fields=("email",))
    )
    register_guard("reports:api-photo-location", Guard("photo", frozenset(), count_failures=True))
    register_error_format("/open311/", _open311_error)
    register_backup_count("reports", Report)
    register_backup_count("photos", ReportPhoto)
