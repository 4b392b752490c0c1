"""Many public reports at once, for benchmarks and capacity plans: copies of one existing
report's routing (category, office, district, address) spread over a square grid around a
point (by default that report's own, so the copies lie in whatever city the database serves),
written by one INSERT … SELECT per call (a million rows in minutes, not hours).

Takes any DB-API cursor or psycopg connection, so a benchmark can fill a throwaway database it
reaches outside Django's connections. The rows skip the services on purpose (no outbox, no
events): they stand for reports filed long ago."""

from .models import Report

STATUSES = ("open", "in_progress", "closed")


def reports_generate(
    db, *, start: int, stop: int, side: int, spread_m: float,
    centre_lonlat: tuple[float, float] | None = None, prefix: str = "bench-", statuses=STATUSES,
) -> None:  # fmt: skip
    """Rows `start … stop-1` of a `side` × `side` grid `spread_m` wide around `centre_lonlat`
    (WGS84; default: the copied report's point, which lies in the served city and in the
    district the copies name), numbered `prefix<n>`, taking turns over `statuses`. Needs one
    report to copy."""
    lon, lat = centre_lonlat if centre_lonlat is not None else (None, None)
    table = Report._meta.db_table
    db.execute(
        f"""INSERT INTO {table} (number, category_id, description, geom, address,
              municipality_id, district_id, office_id, status, status_notes, supporters,
              source, token, created_at, updated_at, published_at, description_original,
              moderation)
            SELECT %(prefix)s || g, r.category_id, 'Bench', ST_SetSRID(ST_MakePoint(
                     ST_X(c.centre) + (g %% %(side)s) * %(spread)s / %(side)s - %(spread)s / 2,
                     ST_Y(c.centre) + (g / %(side)s) * %(spread)s / %(side)s - %(spread)s / 2),
                     ST_SRID(r.geom)),
                   r.address, r.municipality_id, r.district_id, r.office_id,
                   (%(statuses)s::text[])[1 + g %% cardinality(%(statuses)s::text[])], '', 0,
                   'bench', md5(%(prefix)s || g), now(), now(), now(), 'Bench', r.moderation
            FROM generate_series(%(start)s, %(stop)s - 1) g,
                 (SELECT * FROM {table} ORDER BY id LIMIT 1) r,
                 LATERAL (SELECT COALESCE(ST_Transform(ST_SetSRID(ST_MakePoint(
                     %(lon)s::float8, %(lat)s::float8), 4326), ST_SRID(r.geom)), r.geom)
                   AS centre) c
        """,  # noqa: S608 - the table name is the model's, values are parameters
        {
            "prefix": prefix, "side": side, "spread": float(spread_m), "start": start,
            "stop": stop, "statuses": list(statuses), "lon": lon, "lat": lat,
        },
    )  # fmt: skip


def reports_analyze(db, *, vacuum: bool = False) -> None:
    """Fresh planner statistics after a bulk insert (`vacuum` needs an autocommit connection:
    it also sets the visibility map, so index-only scans stay index-only)."""
    db.execute(f"{'VACUUM ' if vacuum else ''}ANALYZE {Report._meta.db_table}")


def reports_count(db, *, source: str | None = None) -> int:
    """How many reports there are, all or from one `source` ('bench' for generated ones)."""
    table = Report._meta.db_table
    if source is None:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
    sql = f"SELECT count(*) FROM {table} WHERE source = %s"  # noqa: S608 - the model's table
    return db.execute(sql, [source]).fetchone()[0]
