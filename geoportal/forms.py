"""What every no-JavaScript address form shares: picking one of the candidates offered, and
noticing when the citizen types another address over a place found earlier."""

from django.http import QueryDict

# The hidden field beside lat/lon that names the address they were found for.
POINT_ADDRESS = "point_address"


def address_pick_apply(post: QueryDict, *, field: str = "address") -> QueryDict:
    """A chosen candidate (a submit button `address_pick` = "lat,lon|label", rendered by
    geoportal/_address_candidates.html) replaces the typed address (`field`) and any earlier
    point; the label is stamped as the address the point belongs to (`POINT_ADDRESS`)."""
    pick = post.get("address_pick", "")
    coords, _, label = pick.partition("|")
    lat, _, lon = coords.partition(",")
    if not (label and lat and lon):
        return post
    post = post.copy()
    post.setlist("lat", [lat])
    post.setlist("lon", [lon])
    post.setlist(field, [label])
    post.setlist(POINT_ADDRESS, [label])
    return post


def address_point_stale_dropped(
    post: QueryDict, *, field: str = "address", also: tuple[str, ...] = ()
) -> QueryDict:
    """Without JavaScript the hidden lat/lon of a place found earlier stay in the form when
    the citizen then types another address, and won: the report or alert went to the old place
    under the new words. Where the address no longer reads as the one stamped beside the point
    (`POINT_ADDRESS`), the point goes (with the fields in `also`) and the typed address is
    looked up. Without a stamp (a pin set with JavaScript) nothing changes."""
    stamped = " ".join(post.get(POINT_ADDRESS, "").split())
    typed = " ".join(post.get(field, "").split())
    if not stamped or stamped == typed or not (post.get("lat") or post.get("lon")):
        return post
    post = post.copy()
    for name in ("lat", "lon", POINT_ADDRESS, *also):
        post.setlist(name, [""])
    return post
