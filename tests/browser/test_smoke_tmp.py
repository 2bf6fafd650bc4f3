import pytest
from tests.browser.helpers import axe_violations, login
from tests.sample_data import build_sample

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_pages(page, make_user):
    s = build_sample()
    make_user("admin", is_staff=True, is_superuser=True)
    out = {}
    for url in ["/", "/tillganglighet/", "/admin/login/"]:
        page.goto(url); out[url] = axe_violations(page)
    login(page, "admin", url="/admin/login/")
    for url in ["/admin/", "/admin/recommendations/recommendation/", f"/admin/recommendations/recommendation/{s.rec_1.pk}/change/",
                "/admin/responses/response/", f"/admin/responses/response/{s.first_response.pk}/change/",
                f"/admin/recommendations/recommendation/{s.rec_1.pk}/history/", "/admin/responses/measure/add/"]:
        page.goto(url); out[url] = axe_violations(page)
    for k, v in out.items():
        print(k, len(v)); print("\n".join(v[:15]))
    print("CSP", page.problems.csp_violations, page.problems.script_errors)
    page.problems.csp_violations.clear()
