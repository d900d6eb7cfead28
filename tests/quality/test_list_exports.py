"""Every list page's "Download CSV / XLSX", on the demo: the XLSX read back by a second reader
(python-calamine) has the rows the page's selector gives with the same filters, no formula cell; the CSV
the same rows; the queries of an export do not grow with its rows; the page links to both files."""

import io
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.demo_data import demo_for_the_module

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

COORD = "coordinadora@demo.kallpanchis.pe"
TEC_ANTA = "tecnico.anta@demo.kallpanchis.pe"
LEADER = "lider@demo.kallpanchis.pe"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_the_module(django_db_blocker):
        yield


def _client(email):
    from kallpanchis.accounts.models import User
    from tests.conftest import with_mfa

    client = Client()
    client.force_login(with_mfa(User.objects.get(email=email)))
    return client


def _xlsx(response):
    assert response.status_code == 200, response.status_code
    data = response.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/"):
                xml = book.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, "a formula cell"
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def _csv_rows(response):
    import csv

    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def _user(email):
    from kallpanchis.accounts.models import User

    return User.objects.get(email=email)


def _ids(rows, column=0):
    return [int(r[column]) for r in rows[1:]]


def _cycle():
    from budgets.models import BudgetCycle

    return BudgetCycle.objects.filter(proposals__allocated__isnull=False).distinct().order_by("pk").first()


def _association():
    from producers.models import ProducerAssociation

    return ProducerAssociation.objects.filter(members__isnull=False).distinct().order_by("pk").first()


def expected_rows(name, user, params):
    """What each page shows with the same filters, every page of it: the page's own selector."""
    from budgets import selectors as budgets
    from producers import selectors as producers
    from spaces import selectors as spaces

    if name == "spaces:space_export":
        return list(spaces.spaces_for_user(user=user).values_list("pk", flat=True))
    if name == "spaces:meeting_export":
        return list(
            spaces.meetings_for_user(user=user, status=params.get("status", "")).values_list("pk", flat=True)
        )
    if name == "spaces:agreement_export":
        return list(
            spaces.agreements_for_user(user=user, status=params.get("status", "")).values_list(
                "pk", flat=True
            )
        )
    if name == "producers:association_export":
        return list(producers.associations_for_user(user=user).values_list("pk", flat=True))
    if name == "budgets:cycle_export":
        return list(budgets.cycles_for_user(user=user).values_list("pk", flat=True))
    raise AssertionError(name)


LISTS = [
    ("spaces:space_export", {}),
    ("spaces:meeting_export", {}),
    ("spaces:meeting_export", {"status": "held"}),
    ("spaces:agreement_export", {"status": "pending"}),
    ("producers:association_export", {}),
    ("budgets:cycle_export", {}),
]


@pytest.mark.parametrize(("name", "params"), LISTS)
@pytest.mark.parametrize("email", [COORD, TEC_ANTA])
def test_xlsx_and_csv_have_the_pages_rows(demo, name, params, email):
    client = _client(email)
    sheet = _xlsx(client.get(reverse(name, args=["xlsx"]), params))
    want = expected_rows(name, _user(email), params)
    assert want, "the demo should have rows here"
    assert _ids(sheet) == want
    csv_rows = _csv_rows(client.get(reverse(name, args=["csv"]), params))
    assert _ids(csv_rows) == want and csv_rows[0] == sheet[0]


def test_lists_of_one_object(demo):
    from budgets import selectors as budgets
    from producers import selectors as producers

    coord = _client(COORD)
    user = _user(COORD)
    association = _association()
    members = _xlsx(coord.get(reverse("producers:member_export", args=[association.pk, "xlsx"])))
    names = list(producers.members_of(association=association).values_list("name", flat=True))
    assert [r[0] for r in members[1:]] == names and "DNI" in members[0]  # the coordinator manages it
    production = _xlsx(coord.get(reverse("producers:production_export", args=[association.pk, "xlsx"])))
    months = producers.production_for_association(association=association)
    assert [r[0] for r in production[1:]] == [m.month.strftime("%Y-%m") for m in months]
    plans = _xlsx(coord.get(reverse("producers:plan_export", args=["xlsx"]), {"all": "1"}))
    assert len(plans) - 1 == producers.plans_for_review(user=user).count()

    cycle = _cycle()
    proposals = _xlsx(coord.get(reverse("budgets:proposal_export", args=[cycle.pk, "xlsx"])))
    assert [r[0] for r in proposals[1:]] == [
        p.number for p in budgets.proposals_for_user(user=user, cycle=cycle)
    ]
    allocations = _xlsx(coord.get(reverse("budgets:allocation_export", args=[cycle.pk, "xlsx"])))
    assert [r[1] for r in allocations[1:]] == [p.number for p in budgets.prioritised_projects(cycle=cycle)]


def test_members_dni_only_for_those_who_manage_the_association(demo):
    from producers.models import ProducerAssociation

    association = (
        ProducerAssociation.objects.visible_to(_user(TEC_ANTA)).filter(members__isnull=False).first()
    )
    if association is None:
        pytest.skip("no association with members in Anta")
    from producers import selectors

    manages = selectors.association_is_managed_by(user=_user(TEC_ANTA), association=association)
    sheet = _xlsx(_client(TEC_ANTA).get(reverse("producers:member_export", args=[association.pk, "xlsx"])))
    assert ("DNI" in sheet[0]) == manages


def test_formula_like_text_is_neutralised_in_an_export(demo):
    from spaces.models import Agreement

    agreement = Agreement.objects.order_by("pk").first()
    Agreement.objects.filter(pk=agreement.pk).update(what='=HYPERLINK("http://x","y")')
    sheet = _xlsx(_client(COORD).get(reverse("spaces:agreement_export", args=["xlsx"])))
    row = next(r for r in sheet[1:] if int(r[0]) == agreement.pk)
    assert row[3] == '\'=HYPERLINK("http://x","y")'


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url, params)
        response.getvalue()
    return len(seen)


def test_export_queries_do_not_grow_with_rows(demo):
    """One row against 25 or more, for each list export: the same number of queries."""
    from django.db.models import Count

    from spaces.models import Meeting

    client = _client(COORD)
    by_space = list(Meeting.objects.values("space").annotate(n=Count("pk")).order_by("n", "space"))
    fewest, most = by_space[0], by_space[-1]
    assert most["n"] > fewest["n"]
    cases = [
        (
            reverse("spaces:meeting_export", args=["xlsx"]),
            {"space": fewest["space"]},
            {"space": most["space"]},
        ),
        (reverse("spaces:agreement_export", args=["xlsx"]), {"q": "zzz-nothing"}, {}),
        (reverse("spaces:space_export", args=["csv"]), None, {}),
        (reverse("producers:association_export", args=["xlsx"]), None, {}),
        (reverse("producers:plan_export", args=["xlsx"]), {"year": 1990}, {"all": "1"}),
        (reverse("budgets:cycle_export", args=["xlsx"]), None, {}),
    ]
    for url, few, many in cases:
        if few is None:
            continue
        assert _queries(client, url, few) == _queries(client, url, many), url


def test_list_pages_link_to_their_exports(demo):
    client = _client(COORD)
    cycle, association = _cycle(), _association()
    for page, export in [
        (reverse("spaces:space_list"), reverse("spaces:space_export", args=["csv"])),
        (
            reverse("spaces:meeting_list") + "?status=held",
            reverse("spaces:meeting_export", args=["xlsx"]) + "?status=held",
        ),
        (reverse("spaces:agreement_list"), reverse("spaces:agreement_export", args=["xlsx"])),
        (reverse("producers:association_list"), reverse("producers:association_export", args=["xlsx"])),
        (reverse("producers:plan_list"), reverse("producers:plan_export", args=["csv"])),
        (
            reverse("producers:association_detail", args=[association.pk]),
            reverse("producers:member_export", args=[association.pk, "xlsx"]),
        ),
        (
            reverse("producers:production_list", args=[association.pk]),
            reverse("producers:production_export", args=[association.pk, "csv"]),
        ),
        (reverse("budgets:cycle_list"), reverse("budgets:cycle_export", args=["xlsx"])),
        (
            reverse("budgets:proposal_list", args=[cycle.pk]),
            reverse("budgets:proposal_export", args=[cycle.pk, "csv"]),
        ),
        (
            reverse("budgets:execution", args=[cycle.pk]),
            reverse("budgets:allocation_export", args=[cycle.pk, "xlsx"]),
        ),
        (
            reverse("municipalities:municipality_list"),
            reverse("municipalities:municipality_export", args=["xlsx"]),
        ),
    ]:
        html = client.get(page).content.decode()
        assert f'href="{export}"' in html, (page, export)
