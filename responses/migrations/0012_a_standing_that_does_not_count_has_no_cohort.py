"""A standing that does not count among its recommendation's boards (an addressee that
leaves the answer to another board and has not answered) is no audit year's: the
national comparison counted it, the council report did not. Its own columns say which;
``standings.counts_for_recommendation`` is the rule."""

from django.db import migrations


def clear_cohorts_that_do_not_count(apps, schema_editor):
    BoardStanding = apps.get_model("responses", "BoardStanding")
    BoardStanding.objects.filter(must_answer=False, status="").exclude(cohort=None).update(
        cohort=None
    )


class Migration(migrations.Migration):
    dependencies = [("responses", "0011_an_answer_keeps_the_due_date_it_showed")]

    operations = [
        migrations.RunPython(clear_cohorts_that_do_not_count, migrations.RunPython.noop),
    ]
