"""Symbology of the published layers for the clients planners use: a QGIS style (.qml), an SLD
1.0 (QGIS, GeoServer, ArcGIS) and a MapLibre / Mapbox GL style for the vector tiles.

All three are written from one legend: a layer's `style_property` and `style_classes` (e.g. the
land-use plan's PlanZV colours, declared by the landuse app), or one default colour per geometry
type for a layer without a legend.
"""

from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from .layers import Layer, StyleClass

DEFAULT_COLORS = {"Point": "#D7301F", "LineString": "#3B5B92", "Polygon": "#7A9CC6"}
OUTLINE = "#4D4D4D"
FILL_OPACITY = 0.6
SLD_NS = "http://www.opengis.net/sld"
OGC_NS = "http://www.opengis.net/ogc"
register_namespace("sld", SLD_NS)
register_namespace("ogc", OGC_NS)


def _kind(layer: Layer) -> str:
    kind = layer.geometry_type.replace("Multi", "")
    return kind if kind in DEFAULT_COLORS else "Polygon"


def legend(layer: Layer) -> tuple[StyleClass, ...]:
    return layer.style_classes() if layer.style_classes else ()


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


# --- MapLibre / Mapbox GL ---------------------------------------------------------------------


def _match(layer: Layer, pick, default):
    classes = legend(layer)
    if not classes:
        return default
    expression = ["match", ["get", layer.style_property]]
    for entry in classes:
        expression += [entry.value, pick(entry)]
    return [*expression, default]


def maplibre_layers(layer: Layer, source: str) -> list[dict]:
    kind = _kind(layer)
    base = {"source": source, "source-layer": layer.name, "minzoom": layer.min_zoom}
    default = DEFAULT_COLORS[kind]
    if kind == "Polygon":
        return [
            {
                **base,
                "id": f"{layer.name}-fill",
                "type": "fill",
                "paint": {
                    "fill-color": _match(layer, lambda c: c.color, default),
                    "fill-opacity": _match(
                        layer, lambda c: FILL_OPACITY if c.fill else 0, FILL_OPACITY
                    ),
                },
            },
            {
                **base,
                "id": f"{layer.name}-outline",
                "type": "line",
                "paint": {
                    "line-color": _match(layer, lambda c: OUTLINE if c.fill else c.color, OUTLINE),
                    "line-width": 0.7,
                },
            },
        ]
    if kind == "LineString":
        return [
            {
                **base,
                "id": f"{layer.name}-line",
                "type": "line",
                "paint": {
                    "line-color": _match(layer, lambda c: c.color, default),
                    "line-width": 1.5,
                },
            }
        ]
    return [
        {
            **base,
            "id": f"{layer.name}-circle",
            "type": "circle",
            "paint": {
                "circle-color": _match(layer, lambda c: c.color, default),
                "circle-radius": 4,
                "circle-stroke-color": "#FFFFFF",
                "circle-stroke-width": 1,
            },
        }
    ]


def maplibre_style(layers: list[Layer], *, tilejson_url: str, name: str) -> dict:
    source = "geoportal"
    style_layers = [
        {"id": "background", "type": "background", "paint": {"background-color": "#FFFFFF"}}
    ]
    # Areas first, then lines, then points: a point is never hidden under a polygon.
    order = {"Polygon": 0, "LineString": 1, "Point": 2}
    for layer in sorted(layers, key=lambda x: order[_kind(x)]):
        style_layers += maplibre_layers(layer, source)
    return {
        "version": 8,
        "name": name,
        "sources": {source: {"type": "vector", "url": tilejson_url}},
        "layers": style_layers,
    }


# --- QGIS .qml ----------------------------------------------------------------------------------


def _options(parent: Element, values: dict[str, str]) -> None:
    option_map = SubElement(parent, "Option", type="Map")
    for key, value in values.items():
        SubElement(option_map, "Option", type="QString", name=key, value=value)


def _qgis_color(color: str, alpha: int = 255) -> str:
    r, g, b = _rgb(color)
    return f"{r},{g},{b},{alpha}"


def _qgis_symbol(parent: Element, name: str, kind: str, color: str, fill: bool) -> None:
    symbol_type = {"Polygon": "fill", "LineString": "line", "Point": "marker"}[kind]
    symbol = SubElement(
        parent, "symbol", type=symbol_type, name=name, alpha="1", clip_to_extent="1", force_rhr="0"
    )
    if kind == "Polygon":
        layer = SubElement(symbol, "layer", attrib={"class": "SimpleFill"}, enabled="1", locked="0")
        _options(
            layer,
            {
                "color": _qgis_color(color, int(255 * FILL_OPACITY)),
                "style": "solid" if fill else "no",
                "outline_color": _qgis_color(OUTLINE if fill else color),
                "outline_style": "solid",
                "outline_width": "0.26" if fill else "0.6",
                "outline_width_unit": "MM",
            },
        )
    elif kind == "LineString":
        layer = SubElement(symbol, "layer", attrib={"class": "SimpleLine"}, enabled="1", locked="0")
        _options(
            layer, {"line_color": _qgis_color(color), "line_width": "0.5", "line_style": "solid"}
        )
    else:
        layer = SubElement(
            symbol, "layer", attrib={"class": "SimpleMarker"}, enabled="1", locked="0"
        )
        _options(
            layer,
            {
                "color": _qgis_color(color),
                "name": "circle",
                "size": "2.4",
                "outline_color": "255,255,255,255",
            },
        )


def qml(layer: Layer) -> bytes:
    """A QGIS layer style: categorised by the legend, or one symbol."""
    kind = _kind(layer)
    root = Element("qgis", version="3.22.0", styleCategories="Symbology")
    classes = legend(layer)
    if classes:
        renderer = SubElement(
            root,
            "renderer-v2",
            type="categorizedSymbol",
            attr=layer.style_property,
            symbollevels="0",
            enableorderby="0",
            forceraster="0",
        )
        categories = SubElement(renderer, "categories")
        symbols = SubElement(renderer, "symbols")
        for i, entry in enumerate(classes):
            SubElement(
                categories,
                "category",
                value=entry.value,
                symbol=str(i),
                label=entry.label,
                render="true",
            )
            _qgis_symbol(symbols, str(i), kind, entry.color, entry.fill)
    else:
        renderer = SubElement(
            root,
            "renderer-v2",
            type="singleSymbol",
            symbollevels="0",
            enableorderby="0",
            forceraster="0",
        )
        symbols = SubElement(renderer, "symbols")
        _qgis_symbol(symbols, "0", kind, DEFAULT_COLORS[kind], True)
    body = tostring(root, encoding="unicode")
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body).encode()


# --- SLD 1.0 ------------------------------------------------------------------------------------


def _css(parent: Element, name: str, value: str) -> None:
    SubElement(parent, f"{{{SLD_NS}}}CssParameter", name=name).text = value


def _symbolizer(rule: Element, kind: str, color: str, fill: bool) -> None:
    if kind == "Polygon":
        symbolizer = SubElement(rule, f"{{{SLD_NS}}}PolygonSymbolizer")
        if fill:
            fill_el = SubElement(symbolizer, f"{{{SLD_NS}}}Fill")
            _css(fill_el, "fill", color)
            _css(fill_el, "fill-opacity", str(FILL_OPACITY))
        stroke = SubElement(symbolizer, f"{{{SLD_NS}}}Stroke")
        _css(stroke, "stroke", OUTLINE if fill else color)
        _css(stroke, "stroke-width", "1" if fill else "2")
    elif kind == "LineString":
        symbolizer = SubElement(rule, f"{{{SLD_NS}}}LineSymbolizer")
        stroke = SubElement(symbolizer, f"{{{SLD_NS}}}Stroke")
        _css(stroke, "stroke", color)
        _css(stroke, "stroke-width", "2")
    else:
        symbolizer = SubElement(rule, f"{{{SLD_NS}}}PointSymbolizer")
        graphic = SubElement(symbolizer, f"{{{SLD_NS}}}Graphic")
        mark = SubElement(graphic, f"{{{SLD_NS}}}Mark")
        SubElement(mark, f"{{{SLD_NS}}}WellKnownName").text = "circle"
        _css(SubElement(mark, f"{{{SLD_NS}}}Fill"), "fill", color)
        SubElement(graphic, f"{{{SLD_NS}}}Size").text = "8"


def sld(layer: Layer) -> bytes:
    """SLD 1.0.0 with one rule per legend entry (an ogc:PropertyIsEqualTo filter)."""
    kind = _kind(layer)
    root = Element(f"{{{SLD_NS}}}StyledLayerDescriptor", version="1.0.0")
    named = SubElement(root, f"{{{SLD_NS}}}NamedLayer")
    SubElement(named, f"{{{SLD_NS}}}Name").text = layer.name
    user_style = SubElement(named, f"{{{SLD_NS}}}UserStyle")
    SubElement(user_style, f"{{{SLD_NS}}}Title").text = layer.title
    feature_style = SubElement(user_style, f"{{{SLD_NS}}}FeatureTypeStyle")
    classes = legend(layer)
    for entry in classes or (StyleClass("", layer.title, DEFAULT_COLORS[kind]),):
        rule = SubElement(feature_style, f"{{{SLD_NS}}}Rule")
        SubElement(rule, f"{{{SLD_NS}}}Name").text = entry.value or layer.name
        SubElement(rule, f"{{{SLD_NS}}}Title").text = entry.label
        if classes:
            flt = SubElement(rule, f"{{{OGC_NS}}}Filter")
            equal = SubElement(flt, f"{{{OGC_NS}}}PropertyIsEqualTo")
            SubElement(equal, f"{{{OGC_NS}}}PropertyName").text = layer.style_property
            SubElement(equal, f"{{{OGC_NS}}}Literal").text = entry.value
        _symbolizer(rule, kind, entry.color, entry.fill)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(
        root, encoding="utf-8", xml_declaration=False
    )
