"""Fill the stored search vector of generated recommendations in one set-based UPDATE.

One aggregate over all entries (hash joins), not a subquery per recommendation.
Run it after ``analyze_tables()``: with the statistics of empty tables the planner
joins row by row.
"""

from django.db import connection

# The wording weighs most (A), the published answers less (B), like the search itself.
_FILL_SQL = """
UPDATE recommendations_recommendation AS r
SET search_vector =
    setweight(to_tsvector('swedish', r.label || ' ' || r.text), 'A')
    || setweight(to_tsvector('swedish', coalesce(answers.narratives, '')), 'B')
FROM (
    SELECT missing.id, string_agg(e.narrative, ' ' ORDER BY e.id) AS narratives
    FROM recommendations_recommendation AS missing
    LEFT JOIN (
        responses_responseentry AS e
        JOIN responses_response AS resp
          ON resp.id = e.response_id AND resp.state = 'published'
    ) ON e.recommendation_id = missing.id
    WHERE missing.search_vector IS NULL
    GROUP BY missing.id
) AS answers
WHERE r.id = answers.id
"""


def fill_search_vectors() -> int:
    """Compute the search vector wherever it is missing (PostgreSQL only); return rows updated."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_FILL_SQL)
        return cursor.rowcount
