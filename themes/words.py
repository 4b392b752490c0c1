"""Distances and answers in words, for pages and screen readers."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WALK_M_PER_MIN = 80  # about 4.8 km/h


def distance_words(metres: float) -> str:
    """350 m -> "350 m, etwa 4 Minuten zu Fuß"; 1234 m -> "1,2 km, etwa 15 Minuten zu Fuß"."""
    if metres < 1000:
        distance = f"{int(round(metres, -1) if metres >= 20 else round(metres))} m"
    else:
        distance = f"{number_format(round(metres / 1000, 1), 1)} km"
    minutes = max(1, round(metres / WALK_M_PER_MIN))
    walk = ngettext("etwa %(n)d Minute zu Fuß", "etwa %(n)d Minuten zu Fuß", minutes) % {
        "n": minutes
    }
    return _("%(distance)s, %(walk)s") % {"distance": distance, "walk": walk}
