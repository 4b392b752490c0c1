"""Staff pages of moderation: the queue of reports whose text was masked, and one report's
moderation form (text, visibility, photos, with a reason). Thin: selector, service, render."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors, services


@staff_member_required
def moderation_queue(request):
    return render(
        request,
        "reports/moderation_queue.html",
        {"reports": selectors.report_moderation_queue(), "recent": selectors.moderation_recent()},
    )


@staff_member_required
def report_moderate(request, number: str):
    report = selectors.report_get_for_staff(number=number)
    if report is None:
        raise Http404(_("Diese Meldung gibt es nicht."))
    errors = {}
    if request.method == "POST":
        hidden = request.POST.get("hidden")
        try:
            services.report_moderate(
                report=report,
                reason=request.POST.get("reason", ""),
                actor=request.user,
                description=request.POST.get("description"),
                hidden=None if hidden is None else hidden == "1",
                hide_photo_ids=[int(p) for p in request.POST.getlist("hide_photo") if p.isdigit()],
            )
        except services.ReportError as exc:
            errors["general" if exc.field == "__all__" else exc.field] = str(exc)
        else:
            messages.success(
                request,
                _("Meldung %(number)s gespeichert; Protokoll ergänzt.") % {"number": report.number},
            )
            return redirect("reports:moderation-queue")
    return render(
        request,
        "reports/moderate.html",
        {
            "report": report,
            "photos": list(report.photos.all()),
            "events": list(report.moderation_events.select_related("actor")),
            "errors": errors,
            "form": request.POST if errors else None,
        },
        status=400 if errors else 200,
    )


@staff_member_required
def moderation_photo(request, number: str, photo_id: int):
    """Any photo of the report, removed ones too, for the moderation page (never cached)."""
    photo = selectors.report_photo_for_staff(number=number, photo_id=photo_id)
    if photo is None or not default_storage.exists(photo.image.name):
        raise Http404(_("Foto fehlt."))
    response = FileResponse(default_storage.open(photo.image.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
