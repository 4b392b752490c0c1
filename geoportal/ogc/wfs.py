"""WFS 2.0 at /wfs: django-gisserver over the layer registry.

django-gisserver parses the request (KVP and XML, FES 2.0 filters, BBOX, SORTBY, paging),
builds the queryset and lets PostgreSQL render GML 3.2 / GeoJSON / CSV. We add what QGIS and
GDAL need on top: a stable order for paging, the WFS 2.0 `CountDefault` constraint (the page
size QGIS and GDAL read; gisserver only writes the WFS 1.1 style `DefaultMaxFeatures`), and a
400 ExceptionReport for XML with DTDs or entities instead of a 500.
"""

from defusedxml import DefusedXmlException
from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException
from django.db import DataError
from django.db.utils import OperationalError
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from gisserver.crs import CRS
from gisserver.exceptions import (
    InvalidParameterValue,
    OperationParsingFailed,
    OperationProcessingFailed,
)
from gisserver.features import FeatureType, ServiceDescription, field
from gisserver.operations import wfs20
from gisserver.views import WFSView

from . import sql
from .layers import Layer, all_layers

XML_NAMESPACE = "https://geoportal.example/ns/wfs"
STORAGE_CRS = CRS.from_srid(settings.GEOPORTAL_SRID)
OTHER_CRS = [
    CRS.from_srid(4326),
    CRS.from_srid(3857),
]
# The page size when a client sends no COUNT. QGIS pages with it, so a planner sees features
# quickly and scrolling fetches more; a client may still ask for up to MAX_PAGE_SIZE at once.
DEFAULT_COUNT = 1000
MAX_PAGE_SIZE = 10_000


def feature_type(layer: Layer) -> FeatureType:
    return FeatureType(
        layer.queryset().order_by(*layer.orm_order),
        name=layer.name,
        title=layer.title,
        abstract=layer.description or None,
        keywords=list(layer.keywords),
        fields=[_field(p) for p in layer.properties] + [field(layer.geometry_field)],
        geometry_field_name=layer.geometry_field,
        crs=STORAGE_CRS,
        other_crs=OTHER_CRS,
        show_name_field=False,
    )


def _field(prop):
    # A related name ("category_name" from category__name) is a flattened relation for
    # gisserver, which fetches it with one prefetch per relation.
    if prop.lookup:
        return field(prop.name, model_attribute=prop.lookup.replace("__", "."))
    return field(prop.name)


class GetCapabilities(wfs20.GetCapabilities):
    def render_xml(self, context, ows_request):
        response = super().render_xml(context, ows_request)
        response.content = _with_count_default(response.content.decode()).encode()
        return response


def _with_count_default(xml: str) -> str:
    """Add <ows:Constraint name="CountDefault"> to the GetFeature operation (WFS 2.0 §8.3.3)."""
    start = xml.find('<ows:Operation name="GetFeature">')
    if start < 0:
        return xml
    end = xml.find("</ows:Operation>", start)
    constraint = (
        '<ows:Constraint name="CountDefault"><ows:NoValues/>'
        f"<ows:DefaultValue>{DEFAULT_COUNT}</ows:DefaultValue></ows:Constraint>\n    "
    )
    return xml[:end] + constraint + xml[end:]


MAX_START_INDEX = 100_000_000


class GetFeature(wfs20.GetFeature):
    def validate_request(self, ows_request) -> None:
        # gisserver slices the queryset with these as given; a negative COUNT fails late, in
        # the middle of rendering, as a 500.
        if ows_request.count is not None and ows_request.count < 0:
            raise InvalidParameterValue("COUNT must be zero or more.", locator="count")
        if not 0 <= ows_request.startIndex <= MAX_START_INDEX:
            raise InvalidParameterValue(
                f"STARTINDEX must be between 0 and {MAX_START_INDEX}.", locator="startIndex"
            )
        super().validate_request(ows_request)

    def get_results(self):
        # SORTBY replaces the feature type's order; close it with the primary key again, so a
        # client that sorts by a non-unique property and pages still sees every row once.
        collection = super().get_results()
        for result in collection.results:
            order = list(result.queryset.query.order_by)
            if order and not {"pk", "-pk", "id", "-id"} & set(order):
                result.queryset = result.queryset.order_by(*order, "pk")
        return collection

    def get_pagination(self) -> tuple[int, int]:
        start, count = super().get_pagination()
        if not self.ows_request.count and self.ows_request.resultType.name != "hits":
            count = min(count, DEFAULT_COUNT)
        return start, count


class GeoportalWFSView(WFSView):
    xml_namespace = XML_NAMESPACE
    xml_namespace_aliases = {"app": XML_NAMESPACE}
    max_page_size = MAX_PAGE_SIZE
    accept_operations = {
        "WFS": {
            **WFSView.accept_operations["WFS"],
            "GetCapabilities": GetCapabilities,
            "GetFeature": GetFeature,
        }
    }

    def get_service_description(self, service=None) -> ServiceDescription:
        return ServiceDescription(
            title=settings.GEOPORTAL_NAME,
            abstract="Verwaltungsgrenzen, Straßen und Adressen als WFS 2.0 (EPSG:25832).",
            keywords=["Geoportal", "WFS", "Verwaltungsgrenzen", "Gazetteer"],
            provider_name=settings.GEOPORTAL_NAME,
        )

    def get_feature_types(self) -> list[FeatureType]:
        # Built per request from the registry: cheap, and a layer an app registers later
        # (or a test registers) is served without a restart of anything else.
        return [feature_type(layer) for layer in all_layers()]

    @method_decorator(csrf_exempt)  # as gisserver's own dispatch: WFS POST bodies are XML
    def dispatch(self, request, *args, **kwargs):
        # gisserver runs its queries partly here and partly while the response streams; both
        # run in a transaction with our statement_timeout.
        with sql.timed_transaction() as db:
            response = super().dispatch(request, *args, **kwargs)
            # Only reads happened; rolling back also ends a transaction that a refused query
            # (turned into an ExceptionReport above) left aborted. On the transaction's own
            # connection: a public read's is a replica's, and the default alias is then in no
            # transaction at all (set_rollback there raised: every WFS read was a 500).
            db.set_rollback(True)
        if getattr(response, "streaming", False):
            response.streaming_content = _timed(response.streaming_content)
        return response

    def handle_exception(self, exc):
        if sql.is_timeout(exc):
            exc = OperationProcessingFailed(
                "The query took too long; ask for a smaller BBOX or COUNT.", status_code=503
            )
        elif isinstance(exc, RecursionError):
            # A filter of thousands of nested <fes:Not>/<fes:And> exhausts the parser's stack.
            exc = OperationParsingFailed("The filter is nested too deeply.", locator="filter")
        elif isinstance(exc, GEOSException | GDALException):
            # E.g. BBOX=nan,nan,nan,nan: GEOS refuses the ring while the filter is parsed.
            exc = InvalidParameterValue(f"Invalid geometry in the request: {exc}", locator="bbox")
        elif isinstance(exc, DefusedXmlException):
            # defusedxml refuses DTDs, entities and external references (billion laughs, XXE)
            # with its own exception class, which gisserver does not turn into an OWS error.
            exc = OperationParsingFailed(
                "XML with a DTD, entities or external references is not accepted.",
                locator="filter",
            )
        elif isinstance(exc, NotImplementedError):
            # gisserver raises it, outside its own error wrapping, for request features it does
            # not implement; wfs_compat refuses the known ones earlier, this is the safety net.
            exc = InvalidParameterValue(f"Not supported: {exc}")
        elif isinstance(exc, DataError | OperationalError):
            # A value PostgreSQL refuses (a number out of range in a filter) or a statement that
            # ran into the timeout: the client's request, not a server fault.
            exc = InvalidParameterValue(f"The query could not be run: {exc}", locator="filter")
        return super().handle_exception(exc)


def _timed(chunks):
    with sql.timed_transaction():
        yield from chunks
