from kallpanchis.core import indicators as registry
from kallpanchis.dashboard.demo import INDICATORS


def test_every_demo_indicator_has_a_registered_computation():
    """If a domain app's indicators.py stops loading (a renamed field…), this fails instead of the site."""
    assert {row[0] for row in INDICATORS} <= set(registry.FORMULAS)
    for formula in registry.FORMULAS.values():
        for name in formula.measures:
            assert name.partition(":")[0] in registry.MEASURES, (formula.code, name)
    assert {"territory", "scope", "lines"} <= set(registry.HOOKS)
