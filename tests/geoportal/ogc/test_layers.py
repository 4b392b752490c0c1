"""The layer registry refuses configurations that would leak or break a service at startup."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from geoportal.models import Address, Area, Street
from geoportal.ogc.layers import Layer, all_layers, get_layer, register_layer

CORE = {
    "counties", "municipalities", "districts", "quarters", "streets", "postcodes", "addresses",
}


def test_core_layers_are_registered_at_startup():
    assert {layer.name for layer in all_layers()} >= CORE
    assert get_layer("addresses").fields == (
        "street_name",
        "house_number",
        "house_number_suffix",
        "postcode",
        "city",
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fields": "__all__"}, "plain field names"),
        ({"fields": ("__all__",)}, "plain field names"),
        ({"fields": ()}, "explicitly"),
        ({"fields": ("city", "nope")}, "nope"),
        ({"fields": ("street__name",)}, "plain field names"),
        ({"fields": ("street",)}, "street_id"),
        ({"fields": ("geom",)}, "geometry_field"),
        ({"geometry_field": "city"}, "no geometry"),
        ({"name": "Bad Name"}, "lowercase"),
        ({"order_by": ("nope",)}, "nope"),
        ({"min_zoom": 15, "max_zoom": 3}, "min_zoom"),
        # Related names: forward foreign keys to a plain field, under a name of their own.
        ({"related_fields": (("x", "street"),)}, "no related path"),
        ({"related_fields": (("x", "street__municipality_id"),)}, "plain field"),
        ({"related_fields": (("x", "street__geom"),)}, "geometry_field"),
        ({"related_fields": (("x", "street__municipality__streets__name"),)}, "forward"),
        ({"related_fields": (("x", "street__nope"),)}, "nope"),
        ({"related_fields": (("city", "street__name"),)}, "field of the model"),
        ({"related_fields": (("Bad Name", "street__name"),)}, "valid property name"),
        ({"related_fields": (("x", "street__name"), ("x", "street__source"))}, "twice"),
    ],
)
def test_bad_layers_fail_at_registration(kwargs, message):
    options = {"name": "t_layer", "title": "T", "model": Address, "fields": ("city",)} | kwargs
    with pytest.raises(ImproperlyConfigured, match=message):
        register_layer(Layer(**options))
    assert get_layer("t_layer") is None


def test_a_name_is_taken_once():
    with pytest.raises(ImproperlyConfigured, match="registered already"):
        register_layer(Layer(name="streets", title="Other", model=Area, fields=("name",)))
    assert get_layer("streets").model is Street


def test_order_always_ends_with_the_primary_key():
    assert get_layer("quarters").order_columns == (("code", False), ("id", False))
    assert get_layer("streets").order_columns == (("name", False), ("id", False))
