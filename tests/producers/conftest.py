import pytest

from .factories import association_in, leader_of


@pytest.fixture
def association(municipalities):
    """In Pucyura (province of Anta)."""
    return association_in(
        "080308", name="Asociación de Productores Lecheros Virgen de Natividad", families=45
    )


@pytest.fixture
def leader(association):
    return leader_of(association, email="lider@example.pe")


@pytest.fixture
def other_association(municipalities):
    """In Colquemarca (province of Chumbivilcas)."""
    return association_in("080704", name="Asociación Ayllu Qollana", families=30)


@pytest.fixture
def other_leader(other_association):
    return leader_of(other_association, email="otro.lider@example.pe")
