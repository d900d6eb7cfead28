"""PostgreSQL only: the groups' versions read from the index of (name, version) whatever the table's size.

Every write adds step rows and every fold deletes them (core 0002, 0003): a burst of writes (an import, a
day's sync from the field) leaves the table with thousands of pages of dead rows, which vacuum empties but
does not give back. The planner then read every one of those pages to sum a few hundred live steps: 2.5 ms
for each GET request's first query with 8,000 pages, against 0.5 ms through the index, which vacuum does
shrink. The query is a function that plans without sequential scans (0.03 ms more on a table of a few pages).
"""

from django.db import migrations

from kallpanchis.core.sql_migrations import on_postgresql

FORWARD = """
CREATE OR REPLACE FUNCTION kallpanchis_data_versions(names text[], modulus numeric)
RETURNS TABLE (name text, version numeric, steps bigint)
LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
BEGIN
    -- every group's version (names NULL), or these groups'
    RETURN QUERY
        SELECT d.name, sum(d.version) % modulus, count(*) FROM kallpanchis_data_version d
        WHERE names IS NULL OR d.name = ANY(names) GROUP BY d.name;
END $$;
"""
BACKWARD = "DROP FUNCTION IF EXISTS kallpanchis_data_versions(text[], numeric);"


class Migration(migrations.Migration):
    dependencies = [("core", "0005_data_version_index_only")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
