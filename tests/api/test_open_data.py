"""Open data: CSV and JSON of what publishing municipalities made public, with the licence, a data
dictionary and the date of the last change."""

import csv
import io
import json

import pytest

from kallpanchis.api.open_data import DATASETS

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def _csv(client, slug):
    response = client.get(f"/open-data/{slug}.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_every_dataset_as_csv_and_json_with_its_licence(client, world):
    for slug, dataset in DATASETS.items():
        table = _csv(client, slug)
        assert table[0] == [f.name for f in dataset.fields]
        response = client.get(f"/open-data/{slug}.json")
        body = json.loads(response.content)
        assert body["licence"] == "CC BY 4.0" and "creativecommons.org/licenses/by/4.0" in body["licence_url"]
        assert [f["name"] for f in body["fields"]] == table[0]
        assert len(body["rows"]) == len(table) - 1
        assert 'rel="license"' in response["Link"]


def test_only_what_is_published(client, world):
    spaces = _csv(client, "spaces")
    assert [row[1] for row in spaces[1:]] == ["Mesa pública de Anta"]
    meetings = _csv(client, "meetings")
    assert len(meetings) == 2 and meetings[1][8:12] == ["3", "2", "1", "0"]
    agreements = _csv(client, "agreements")
    assert [row[3] for row in agreements[1:]] == ["Instalar pastos"]
    cycles = _csv(client, "budget-cycles")
    assert [row[1] for row in cycles[1:]] == ["0803"]
    projects = _csv(client, "budget-projects")
    assert [row[5] for row in projects[1:]] == ["Centro de acopio de leche"]
    assert [row[3] for row in _csv(client, "municipalities")[1:]] == ["0803"]


def test_index_and_dictionary_pages(client, world):
    index = client.get("/open-data/").content.decode()
    assert "CC BY 4.0" in index and "/open-data/meetings.csv" in index and "datetime=" in index
    dictionary = client.get("/open-data/dictionary/").content.decode()
    for dataset in DATASETS.values():
        assert f'id="{dataset.slug}"' in dictionary
        for field in dataset.fields:
            assert f"<code>{field.name}</code>" in dictionary
    assert client.get("/open-data/nothing.csv").status_code == 404
    assert client.get("/open-data/meetings.xml").status_code == 404


def test_csv_cells_that_look_like_formulas_are_neutralised(client, world):
    from spaces.models import Agreement

    Agreement.objects.filter(what="Instalar pastos").update(what='=HYPERLINK("http://x")')
    agreements = _csv(client, "agreements")
    assert agreements[1][3] == '\'=HYPERLINK("http://x")'
