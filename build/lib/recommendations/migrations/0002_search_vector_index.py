"""A GIN index on Recommendation.search_vector, on PostgreSQL only.

SQLite has no tsvector and no GIN; search there reads the text directly.
Existing rows get their vectors from `manage.py refresh_search_vectors`.
"""

from django.db import migrations

INDEX = "recommendation_search_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} "
        "ON recommendations_recommendation USING gin (search_vector)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_initial"),
        ("responses", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
