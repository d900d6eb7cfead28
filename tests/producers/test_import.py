import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from producers.models import ProductionRecord
from producers.services import ImportRefused, production_file_read, production_import
from producers.services.production import TEMPLATE_HEADER

pytestmark = pytest.mark.django_db
BAD = {10: "negative", 50: "text", 150: "price"}  # data row index -> what is wrong


def rows(bad: dict | None = None) -> list[list[str]]:
    """200 months from 2001-01; 45 families, 40 cows, 6 L per cow per day."""
    bad = bad or {}
    out = [TEMPLATE_HEADER]
    for i in range(200):
        year, month = 2001 + i // 12, i % 12 + 1
        milk, sold = 40 * 6 * 30, 3000
        cheese = round((milk - sold) / 8, 1)
        row = [
            f"{year}-{month:02d}",
            "40",
            str(milk),
            str(sold),
            str(cheese),
            str(cheese - 10),
            "25",
            "1.35",
            "12.50",
            "venta directa",
            "",
        ]
        if bad.get(i) == "negative":
            row[3] = "-50"
        elif bad.get(i) == "text":
            row[2] = "mucho"
        elif bad.get(i) == "price":
            row[7] = "13.50"
        out.append(row)
    return out


def csv_file(data, name="produccion.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(data)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(data) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in data:
        sheet.append(
            [float(v) if v.replace(".", "", 1).isdigit() and i > 0 else v for i, v in enumerate(row)]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("produccion.xlsx", buffer.getvalue())


def test_three_bad_rows_import_nothing_and_are_named(association, leader):
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        production_import(by=leader, association=association, rows=production_file_read(csv_file(rows(BAD))))
    assert [(e.row, e.reasons) for e in refused.value.errors] == [
        (12, ["Fresh milk sold (L) cannot be negative."]),
        (52, ["Milk produced (L): “mucho” is not a number."]),
        (
            152,
            [
                "Milk price outside S/ 0.50 – 3.00.",
                "If the values are right, write “sí” in the column “confirmo”.",
            ],
        ),
    ]
    assert ProductionRecord.objects.count() == 0

    created = production_import(
        by=leader, association=association, rows=production_file_read(csv_file(rows()))
    )
    assert len(created) == 200
    assert ProductionRecord.objects.filter(association=association).count() == 200
    first = ProductionRecord.objects.get(association=association, month=date(2001, 1, 1))
    assert (first.milk_produced_l, first.channel, first.guinea_pigs_sold) == (7200, "direct", 25)


def test_confirm_column_accepts_an_unusual_row(association, leader):
    data = rows({0: "price"})
    data[1][-1] = "sí"
    created = production_import(by=leader, association=association, rows=production_file_read(csv_file(data)))
    assert len(created) == 200
    assert ProductionRecord.objects.filter(confirmed_unusual=True).count() == 1


def test_xlsx_reads_like_csv(association, leader):
    created = production_import(
        by=leader, association=association, rows=production_file_read(xlsx_file(rows()))
    )
    assert len(created) == 200


def test_months_already_recorded_or_twice_are_refused(association, leader):
    data = rows()[:3]
    production_import(by=leader, association=association, rows=production_file_read(csv_file(data)))
    data.append(data[1])
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        production_import(by=leader, association=association, rows=production_file_read(csv_file(data)))
    assert [e.row for e in refused.value.errors] == [2, 3, 4]
    assert ProductionRecord.objects.count() == 2


def test_import_pages_preview_then_all_or_nothing_in_spanish(client, association, leader):
    client.force_login(leader)
    url = reverse("producers:production_import", args=[association.pk])
    response = client.post(url, {"file": csv_file(rows(BAD))})
    assert response.status_code == 400
    page = response.content.decode()
    assert "No se importó nada: 3 filas de 200 tienen errores" in page
    assert "Fila 12" in page and "Fila 52" in page and "Fila 152" in page
    assert "no puede ser negativo" in page
    assert ProductionRecord.objects.count() == 0

    response = client.post(url, {"file": csv_file(rows())})
    assert response.status_code == 200
    assert "200 meses listos para importar" in response.content.decode()
    assert ProductionRecord.objects.count() == 0  # only a preview

    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert ProductionRecord.objects.filter(association=association).count() == 200
