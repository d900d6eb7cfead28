from kallpanchis.core.management.commands.seed_demo import demo_modules

# The order the demo has always been built in: each one uses the data of those before it.
ORDER = [
    "kallpanchis.organisations.demo",
    "municipalities.demo",
    "kallpanchis.accounts.demo",
    "spaces.demo",
    "producers.demo",
    "budgets.demo",
    "kallpanchis.notifications.demo",
    "kallpanchis.dashboard.demo",
]


def test_demo_modules_are_found_through_the_apps_in_the_order_their_data_needs():
    names = [module.__name__ for module in demo_modules()]
    assert [name for name in names if name in ORDER] == ORDER
    assert all(callable(module.seed) for module in demo_modules())
