"""What every no-JavaScript address form shares: picking one of the candidates offered."""

from django.http import QueryDict


def address_pick_apply(post: QueryDict, *, field: str = "address") -> QueryDict:
    """A chosen candidate (a submit button `address_pick` = "lat,lon|label", rendered by
    geoportal/_address_candidates.html) replaces the typed address (`field`) and any earlier
    point."""
    pick = post.get("address_pick", "")
    coords, _, label = pick.partition("|")
    lat, _, lon = coords.partition(",")
    if not (label and lat and lon):
        return post
    post = post.copy()
    post.setlist("lat", [lat])
    post.setlist("lon", [lon])
    post.setlist(field, [label])
    return post
