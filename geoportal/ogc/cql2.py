"""OGC API - Features Part 3 filters: `filter` in CQL2 text or CQL2 JSON, over a layer's public
properties only.

pygeofilter (the parser pygeoapi uses) turns the text into an AST and its Django backend turns
the AST into a Q object for the layer's queryset; Django then compiles it to parameterised SQL.
No filter text is ever pasted into SQL. Before evaluation we walk the AST ourselves: a property
outside the layer's whitelist or any function is refused with a 400 that names it, so a filter
can neither read nor probe an unpublished column.
"""

import json
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.core.exceptions import FieldError, ValidationError
from django.db.models import Q
from lark.exceptions import LarkError
from pygeofilter import ast, values
from pygeofilter.backends.django.evaluate import DjangoFilterEvaluator
from pygeofilter.backends.evaluator import handle
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json
from pygeofilter.parsers.cql2_text import parse as parse_cql2_text

from .layers import Layer
from .params import CRS84, OutputCRS, ProblemError, parse_crs

CQL2_TEXT = "cql2-text"
CQL2_JSON = "cql2-json"
# What a client may call the layer's geometry in a filter: OGC's usual name and the model's.
GEOMETRY_NAMES = ("geometry", "geom")
MAX_FILTER_LENGTH = 20_000

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
]


@dataclass(frozen=True)
class FilterRequest:
    text: str
    lang: str = CQL2_TEXT
    crs: str | None = None


class _Evaluator(DjangoFilterEvaluator):
    """pygeofilter's Django evaluator, with geometry literals tagged with the filter's CRS
    (its own leaves them without SRID, which GeoDjango would read as the storage CRS)."""

    def __init__(self, field_mapping, srid: int, lat_lon: bool):
        super().__init__(field_mapping, None)
        self.srid = srid
        self.lat_lon = lat_lon

    @handle(values.Geometry)
    def geometry(self, node):
        shape = dict(node.__geo_interface__)
        if self.lat_lon:
            shape["coordinates"] = _swapped(shape["coordinates"])
        geometry = GEOSGeometry(json.dumps(shape))
        geometry.srid = self.srid  # GDAL reads any GeoJSON as 4326; the filter-crs decides
        return geometry

    @handle(values.Envelope)
    def envelope(self, node):
        # pygeofilter fills Envelope(x1, x2, y1, y2) positionally from CQL2's
        # [minx, miny, maxx, maxy] (JSON `bbox`, text `ENVELOPE(...)`), despite the field names.
        x1, y1, x2, y2 = node.x1, node.x2, node.y1, node.y2
        if self.lat_lon:
            x1, y1, x2, y2 = y1, x1, y2, x2
        envelope = Polygon.from_bbox((x1, y1, x2, y2))
        envelope.srid = self.srid
        return envelope


    @handle(ast.Function)
    def function(self, node, *args):
        # Only CQL2 1.0's text box literal BBOX(minx, miny, maxx, maxy) gets here (_check
        # refuses every other function); pygeofilter 0.4 parses it as a function call. The raw
        # numbers, not `args`: those are already Django Value expressions.
        x1, y1, x2, y2 = node.arguments
        if self.lat_lon:
            x1, y1, x2, y2 = y1, x1, y2, x2
        envelope = Polygon.from_bbox((x1, y1, x2, y2))
        envelope.srid = self.srid
        return envelope


def _is_bbox(node) -> bool:
    return (
        node.name.lower() == "bbox"
        and len(node.arguments) == 4
        and all(isinstance(a, int | float) and not isinstance(a, bool) for a in node.arguments)
    )


def _swapped(coordinates):
    """EPSG:4326 by the book is lat/lon; GEOS wants x/y."""
    if coordinates and isinstance(coordinates[0], int | float):
        return [coordinates[1], coordinates[0], *coordinates[2:]]
    return [_swapped(c) for c in coordinates]


def queryables(layer: Layer) -> dict[str, str]:
    """Filter name -> ORM field: the published properties and the geometry, nothing else."""
    names = {p.name: p.name for p in layer.properties}
    for name in (*GEOMETRY_NAMES, layer.geometry_field):
        names.setdefault(name, layer.geometry_field)
    return names


def _parse(request: FilterRequest):
    if len(request.text) > MAX_FILTER_LENGTH:
        raise ProblemError(f"filter is longer than {MAX_FILTER_LENGTH} characters.")
    try:
        if request.lang == CQL2_TEXT:
            return parse_cql2_text(request.text)
        if request.lang == CQL2_JSON:
            return parse_cql2_json(json.loads(request.text))
    except (LarkError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ProblemError(f"filter is not valid {request.lang}: {detail[:300]}") from None
    raise ProblemError(f"filter-lang must be {CQL2_TEXT} or {CQL2_JSON}.")


def _check(node, allowed: dict[str, str]) -> None:
    """Refuse unknown properties and every function, naming them."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Attribute):
            if current.name not in allowed:
                raise ProblemError(
                    f"filter: unknown property {current.name!r}. Queryable: "
                    f"{', '.join(sorted(allowed))}."
                )
        elif isinstance(current, ast.Function) and not _is_bbox(current):
            if current.name.lower() in ("lower", "casei", "accenti"):
                # pygeofilter 0.4 reads CQL2's CASEI(x) as lower(x), which we do not evaluate.
                raise ProblemError(
                    "filter: CASEI and ACCENTI (case- and accent-insensitive comparison) are "
                    "not supported; use LIKE with the exact spelling."
                )
            raise ProblemError(f"filter: unknown function {current.name!r}.")
        elif isinstance(current, ast.Arithmetic):
            raise ProblemError("filter: arithmetic is not supported.")
        if isinstance(current, ast.Node):
            stack.extend(current.get_sub_nodes())
        elif isinstance(current, list | tuple):
            stack.extend(current)


def filter_q(layer: Layer, request: FilterRequest) -> Q:
    """The filter as a Q over the layer's queryset; ProblemError (400) for anything wrong."""
    crs: OutputCRS = parse_crs(request.crs or CRS84, layer.geometry.srid, name="filter-crs")
    tree = _parse(request)
    allowed = queryables(layer)
    _check(tree, allowed)
    try:
        q = _Evaluator(allowed, crs.srid, crs.lat_lon).evaluate(tree)
        if not isinstance(q, Q):
            raise ProblemError("filter must be a condition (a predicate), not a value.")
        # Compile now: a value of the wrong type for its property fails here, as a 400.
        layer.queryset().filter(q).query.sql_with_params()
    except ProblemError:
        raise
    except (ValidationError, ValueError, TypeError, FieldError, NotImplementedError) as exc:
        detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        raise ProblemError(f"filter cannot be applied: {detail[:300]}") from None
    return q
