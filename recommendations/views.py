from django.shortcuts import render

from .models import Audit


def home(request):
    audits = Audit.objects.select_related("auditor").order_by("-conducted_from_date")
    return render(request, "recommendations/home.html", {"audits": audits})
