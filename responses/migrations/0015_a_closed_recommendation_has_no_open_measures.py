"""A closed recommendation's standings count no open measures and keep no earliest due
date: the standings counted every public measure not settled, where the one rule of an
open measure (``MeasureQuerySet.open``, ``Measure.is_open`` under the recommendation)
also asks that the recommendation it is counted under be open, as every page does
(``responses/standings.py``, ``_open_measures``). On an open recommendation the two
rules agree, so only the standings of closed ones are written, in one UPDATE of those
that count any, as the application's derivation would write them."""

from django.db import migrations
from django.db.models import Q


def closed_recommendations_have_no_open_measures(apps, schema_editor):
    BoardStanding = apps.get_model("responses", "BoardStanding")
    BoardStanding.objects.filter(recommendation__closed_on__isnull=False).filter(
        Q(open_measures__gt=0) | Q(next_due_date__isnull=False) | Q(next_due_end__isnull=False)
    ).update(open_measures=0, next_due_date=None, next_due_precision="day", next_due_end=None)


class Migration(migrations.Migration):
    dependencies = [("responses", "0014_decision_documents_in_their_municipalitys_folder")]

    operations = [
        migrations.RunPython(
            closed_recommendations_have_no_open_measures, migrations.RunPython.noop
        ),
    ]
