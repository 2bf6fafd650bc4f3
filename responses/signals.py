"""Guard a shared measure's other recommendations on every path that adds them.

Django cannot see many-to-many values in ``Model.clean()``: the admin form checks
``also_serves`` from its cleaned data, the importer wires the values so
``Measure.clean()`` sees them, and this receiver refuses any other addition (shell,
services, loaddata) of a recommendation from another audit.
"""

from django.db.models.signals import m2m_changed
from django.dispatch import Signal, receiver

from recommendations.models import Recommendation

from .models import Measure

# Sent once a response's publication has been committed (services.publish_response), with
# ``response=``; the notifications app tells the people who follow its board or
# recommendations.
response_published = Signal()


@receiver(m2m_changed, sender=Measure.also_serves.through, dispatch_uid="measure_also_serves")
def check_also_serves(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        recommendation = instance
        for measure in Measure.objects.filter(pk__in=pk_set).select_related("recommendation"):
            measure.check_also_serves([recommendation])
    else:
        instance.check_also_serves(list(Recommendation.objects.filter(pk__in=pk_set)))
