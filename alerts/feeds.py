"""Atom and RSS 2.0 feeds of what happens where, without subscribing (Django's syndication
framework). Entries carry public fields only: the same the report and paper pages show, never
a reporter's or subscriber's data. Ids are tag URIs that never change for an item."""

from datetime import UTC, datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from councilmap.selectors import DecisionFilter, decision_list
from reports.selectors import ReportFilter, report_list_public

from . import conf

TAG_DATE = "2026"  # the tag URI's date: fixed forever, so ids stay stable
UNDATED = datetime(2026, 1, 1, tzinfo=UTC)


def _tag(request, what: str) -> str:
    return f"tag:{request.get_host().split(':')[0]},{TAG_DATE}:{what}"


def _bbox(text: str):
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise Http404(_("bbox: vier Zahlen west,süd,ost,nord in WGS84-Grad.")) from exc
    if not (west < east and south < north):
        raise Http404(_("bbox: west < ost und süd < nord."))
    return (west, south, east, north)


class _Filtered(Feed):
    feed_type = Atom1Feed

    def author_name(self):
        # RFC 4287 wants an author on the feed or on every entry: the portal is the author.
        return settings.GEOPORTAL_NAME

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def feed_extra_kwargs(self, obj):
        return {"id": _tag(self.request, f"feed:{self.request.get_full_path()}")}

    def item_guid_is_permalink(self, item):
        return False


class ReportsAtomFeed(_Filtered):
    """?district=<code>, ?quarter=<code>, ?bbox=w,s,e,n, ?category=<code>."""

    def get_object(self, request):
        params = request.GET
        return ReportFilter(
            district=params.get("district", "")[:40],
            category=params.get("category", "")[:60],
            bbox=_bbox(params["bbox"]) if params.get("bbox") else None,
        )

    def title(self, obj):
        return _("Meldungen im Mängelmelder")

    def link(self, obj):
        return reverse("reports:list")

    def subtitle(self, obj):
        return _("Neue öffentliche Meldungen und ihr Bearbeitungsstand")

    description = subtitle

    def items(self, obj):
        reports = report_list_public(filters=obj)
        if self.request.GET.get("quarter"):
            reports = reports.filter(quarter__code=self.request.GET["quarter"][:40])
        return reports.order_by("-updated_at", "-id")[: conf.ALERTS_FEED_ITEMS]

    def item_title(self, item):
        return f"{item.number}: {item.category.name} ({item.status_label})"

    def item_description(self, item):
        parts = [item.status_label]
        if item.address:
            parts.append(item.address)
        if item.district:
            parts.append(item.district.name)
        return " · ".join(parts)

    def item_link(self, item):
        return reverse("reports:detail", kwargs={"number": item.number})

    def item_guid(self, item):
        return _tag(self.request, f"report:{item.number}")

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.category.name]


class ReportsRssFeed(ReportsAtomFeed):
    feed_type = Rss201rev2Feed


def _as_datetime(day) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(12)))


class CouncilAtomFeed(_Filtered):
    """?district=<code>, ?committee=<organization id>."""

    def get_object(self, request):
        committee = request.GET.get("committee", "")
        if committee and not committee.isdigit():
            raise Http404(_("committee: die Nummer eines Gremiums."))
        return DecisionFilter(
            district=request.GET.get("district", "")[:40],
            committee=int(committee) if committee else None,
            limit=conf.ALERTS_FEED_ITEMS,
        )

    def title(self, obj):
        return _("Ratsvorlagen und Beschlüsse")

    def subtitle(self, obj):
        return _("Vorlagen und Beschlüsse des Rats, die einen Ort in der Stadt betreffen")

    description = subtitle

    def link(self, obj):
        return reverse("councilmap:map")

    def items(self, obj):
        return decision_list(filters=obj)

    def item_title(self, item):
        title = item["name"] or item["reference"]
        return f"{title} ({item['result']})" if item["result"] else title

    def item_description(self, item):
        parts = [item["reference"], item["paper_type"], item["committee"] or ""]
        return " · ".join(p for p in parts if p)

    def item_link(self, item):
        return reverse("councilmap:paper", kwargs={"pk": item["id"]})

    def item_guid(self, item):
        return _tag(self.request, f"paper:{item['id']}")

    def item_pubdate(self, item):
        return _as_datetime(item["date"])

    def item_updateddate(self, item):
        # Atom needs `updated`; a paper without any date gets a fixed one, so it never looks
        # changed to a reader that polls.
        return _as_datetime(item["decided_on"] or item["date"]) or UNDATED


class CouncilRssFeed(CouncilAtomFeed):
    feed_type = Rss201rev2Feed
