"""What a land-use plan import announces to listeners (alerts): a new version covering an area."""

from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Polygon
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geoportal.events import Event, Topic, publish

from .models import Plan


def plan_imported_event(*, plan: Plan) -> None:
    """Call inside the import's transaction. The plan's extent is where it changes things: an
    envelope keeps matching one indexed comparison instead of a union of thousands of areas."""
    extent = plan.areas.aggregate(extent=Extent("geom"))["extent"]
    if extent is None:
        return
    box = Polygon.from_bbox(extent)
    box.srid = plan.areas.model._meta.get_field("geom").srid
    title = str(_("%(name)s, Fassung %(version)s")) % {"name": plan.name, "version": plan.version}
    publish(Event(
        topic=Topic.LANDUSE, kind="plan.imported", key=f"plan:{plan.pk}", title=title,
        summary=plan.legal_status, path=reverse("landuse:plan") + f"?plan={plan.pk}", geom=box,
    ))
