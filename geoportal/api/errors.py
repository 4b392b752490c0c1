"""One error shape for the whole REST API: {"status", "detail", "errors"}."""

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        detail = _first_message(errors) or str(exceptions.ValidationError.default_detail)
        response.data = {"status": response.status_code, "detail": detail, "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = {"status": response.status_code, "detail": str(detail), "errors": {}}
    return response


def _first_message(errors) -> str:
    for field, messages in errors.items():
        message = messages[0] if isinstance(messages, list) and messages else messages
        if isinstance(message, dict):
            return _first_message(message)
        return f"{field}: {message}" if field != "non_field_errors" else str(message)
    return ""


def bad_request(detail: str, errors: dict | None = None) -> Response:
    return Response(
        {"status": 400, "detail": detail, "errors": errors or {}},
        status=status.HTTP_400_BAD_REQUEST,
    )


def validated_query(serializer_class, request) -> dict:
    """Query parameters checked by a DRF serializer; bad ones raise a 400 in our error shape."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def not_found(request, exception=None):
    """Django's 404 handler: under /api/ an unknown address answers in the API's error shape,
    so a client (or a path parameter no route accepts) never gets an HTML page to parse."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if not request.path.startswith("/api/"):
        return page_not_found(request, exception)
    from django.utils.translation import gettext

    detail = gettext("Unbekannte Adresse %(path)r. Die API beschreibt /api/schema/.") % {
        "path": request.path
    }
    return JsonResponse({"status": 404, "detail": detail, "errors": {}}, status=404)
