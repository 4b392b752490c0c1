"""Keep geoportal_areapart (ST_Subdivide pieces) in step with geoportal_area in the database.

A trigger rather than application code, so the admin, importers and raw SQL all stay correct.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION geoportal_area_subdivide() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.geom IS NOT DISTINCT FROM OLD.geom THEN
        RETURN NEW;
    END IF;
    DELETE FROM geoportal_areapart WHERE area_id = NEW.id;
    INSERT INTO geoportal_areapart (area_id, geom)
        SELECT NEW.id, ST_Subdivide(NEW.geom, 128);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER geoportal_area_subdivide
    AFTER INSERT OR UPDATE OF geom ON geoportal_area
    FOR EACH ROW EXECUTE FUNCTION geoportal_area_subdivide();

INSERT INTO geoportal_areapart (area_id, geom)
    SELECT id, ST_Subdivide(geom, 128) FROM geoportal_area;
"""

REVERSE = """
DROP TRIGGER IF EXISTS geoportal_area_subdivide ON geoportal_area;
DROP FUNCTION IF EXISTS geoportal_area_subdivide();
DELETE FROM geoportal_areapart;
"""


class Migration(migrations.Migration):
    dependencies = [("geoportal", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
