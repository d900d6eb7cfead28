import pytest
from django.apps import apps
from django.db import connection, models

from kallpanchis.people.models import Person


@pytest.fixture
def linked_models(db):
    """Two models of a pretend domain app that point at Person, as the attendance and membership rows will:
    a foreign key with personal fields declared, and a many-to-many. Their tables live for one test (made
    inside the test's transaction, which PostgreSQL's transactional DDL rolls back; SQLite cannot)."""
    if connection.vendor != "postgresql":
        pytest.skip("tables made inside the test's transaction need PostgreSQL")

    class Participation(models.Model):
        PERSONAL_DATA_FIELDS = ("name_as_written", "dni_as_written")

        person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="test_participations")
        name_as_written = models.CharField(max_length=100)
        dni_as_written = models.CharField(max_length=8, blank=True)
        gender = models.CharField(max_length=10)

        class Meta:
            app_label = "people"
            unique_together = [("person", "gender")]

        def __str__(self):
            return self.name_as_written

    class Committee(models.Model):
        name = models.CharField(max_length=100)
        people = models.ManyToManyField(Person, related_name="test_committees")

        class Meta:
            app_label = "people"

        def __str__(self):
            return self.name

    created = [Participation, Committee]
    try:
        with connection.schema_editor() as editor:
            for model in created:
                editor.create_model(model)
        apps.clear_cache()
        yield Participation, Committee
    finally:
        # The tables go with the test's transaction; the models leave the registry here.
        for model in [*created, Committee.people.through]:
            apps.all_models["people"].pop(model._meta.model_name, None)
        apps.clear_cache()
