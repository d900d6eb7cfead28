from io import StringIO

import pytest
from django.core.management import call_command

from municipalities.models import District, Municipality, Province

pytestmark = pytest.mark.django_db


def test_load_territory_loads_cusco_with_official_codes():
    out = StringIO()
    call_command("load_territory", stdout=out)
    assert Province.objects.count() == 13
    assert District.objects.count() == 116
    assert Province.objects.get(code="0803").name == "Anta"
    assert Province.objects.get(code="0807").name == "Chumbivilcas"
    assert District.objects.get(ubigeo="080704").name == "Colquemarca"
    assert District.objects.get(ubigeo="080308").name == "Pucyura"
    assert District.objects.get(ubigeo="080304").name == "Chinchaypujio"
    santo_tomas = District.objects.get(ubigeo="080701")
    assert santo_tomas.province.code == "0807"
    assert santo_tomas.latitude is not None and santo_tomas.population_estimate > 0
    assert "creados 129" in out.getvalue()


def test_load_territory_twice_changes_nothing():
    call_command("load_territory", stdout=StringIO())
    before = list(District.objects.order_by("ubigeo").values())
    out = StringIO()
    call_command("load_territory", stdout=out)
    assert "creados 0, actualizados 0, sin cambios 129" in out.getvalue()
    assert list(District.objects.order_by("ubigeo").values()) == before


def test_partner_municipalities_have_their_real_ubigeo(municipalities):
    assert {m.ubigeo for m in Municipality.objects.all()} == {"0803", "0807", "080704", "080308", "080304"}
    assert municipalities["anta"].level == Municipality.Level.PROVINCIAL
    assert municipalities["anta"].district.ubigeo == "080301"
    assert municipalities["pucyura"].province.code == "0803"
