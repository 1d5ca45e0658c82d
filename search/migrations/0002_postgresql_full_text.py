"""PostgreSQL full-text search for the index: `unaccent`, an English and a Spanish configuration that drop accents
before stemming, the irregular plurals folded (search.normalise), a trigger that keeps `search_vector` in step with
each row, and a GIN index. Nothing on SQLite: the embedded default searches the text more simply (search.engine).
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION upr_normalise(lang text, t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN lang = 'es'
    THEN regexp_replace(t, '\m(\w{3,}[dnrlzj])es\M', '\1', 'gi')
    ELSE regexp_replace(regexp_replace(t, '\m(wo)?men\M', '\1man', 'gi'), '\mchildren\M', 'child', 'gi')
  END
$$;
"""

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION upr_en (COPY = pg_catalog.english)",
    "ALTER TEXT SEARCH CONFIGURATION upr_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    "CREATE TEXT SEARCH CONFIGURATION upr_es (COPY = pg_catalog.spanish)",
    "ALTER TEXT SEARCH CONFIGURATION upr_es ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem",
    FUNCTION,
    r"""
CREATE OR REPLACE FUNCTION search_document_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cfg regconfig := CASE WHEN NEW.language = 'es' THEN 'upr_es'::regconfig ELSE 'upr_en'::regconfig END;
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector(cfg, upr_normalise(NEW.language, coalesce(NEW.title, ''))), 'A') ||
    setweight(to_tsvector(cfg, upr_normalise(NEW.language, coalesce(NEW.keywords, ''))), 'B') ||
    setweight(to_tsvector(cfg, upr_normalise(NEW.language, coalesce(NEW.body, ''))), 'C');
  RETURN NEW;
END
$$;
""",
    """
CREATE TRIGGER search_document_vector_update BEFORE INSERT OR UPDATE OF title, keywords, body, language
ON search_document FOR EACH ROW EXECUTE FUNCTION search_document_vector()
""",
    # Every search matches on the vector.
    "CREATE INDEX search_document_vector_gin ON search_document USING gin (search_vector)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "DROP TRIGGER IF EXISTS search_document_vector_update ON search_document",
    "DROP FUNCTION IF EXISTS search_document_vector()",
    "DROP FUNCTION IF EXISTS upr_normalise(text, text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS upr_es",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS upr_en",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
