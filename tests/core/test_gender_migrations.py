"""Every app stores gender with the one choice set (kallpanchis.core.models.Gender); the data migrations
that moved the older spellings there ("F"/"M" for members, "unspecified" for attendance) also go back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from producers.services import member_add
from spaces.models import Attendance
from tests.producers.factories import association_in
from tests.spaces.factories import anta_space, held

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def migrate(app: str, name: str) -> None:
    # Rows made by the test are still in its transaction: check their constraints now, so that the
    # migration may alter the tables.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([(app, name)])


def genders(table: str, ids) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT gender FROM {table} WHERE id = ANY(%s) ORDER BY id", [list(ids)])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_members_go_from_letters_to_the_shared_words_and_back(municipalities):
    association = association_in("080308")
    members = [
        member_add(by=None, association=association, name=name, gender=gender)
        for name, gender in [("Rosa Quispe", "female"), ("Mario Huamán", "male"), ("Sin dato", "unstated")]
    ]
    ids = [m.pk for m in members]

    migrate("producers", "0004_plan_review_order")
    assert genders("producers_member", ids) == ["F", "M", ""]

    migrate("producers", "0005_member_gender_core")
    assert genders("producers_member", ids) == ["female", "male", ""]


def test_attendance_goes_from_unspecified_to_unstated_and_back(municipalities):
    meeting = held(anta_space(municipalities["anta"]), women=1, men=1)
    unstated = Attendance.objects.create(meeting=meeting, position=3, name="Sin dato", gender="unstated")
    ids = [*meeting.attendance.order_by("pk").values_list("pk", flat=True)]
    assert unstated.pk in ids

    migrate("spaces", "0006_data_version_one_lock")
    assert genders("spaces_attendance", ids) == ["female", "male", "unspecified"]

    migrate("spaces", "0007_attendance_gender_unstated")
    assert genders("spaces_attendance", ids) == ["female", "male", "unstated"]
