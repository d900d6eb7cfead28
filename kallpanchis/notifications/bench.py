"""The benchmark's reminder kind (imported by `manage.py bench_reminders` and, through
KALLPANCHIS_REMINDER_KIND_MODULES, by its worker): an Organisation stands in for a real target."""

from .registry import ReminderKind, TargetContext, checksum_of, register


class BenchKind(ReminderKind):
    def context(self, target) -> TargetContext:
        return TargetContext(title=target.name, place=target.website, path="/reminders/")

    def checksum(self, target) -> str:
        return checksum_of(target.short_name, target.website)


BENCH = register(BenchKind(name="bench", label="Benchmark", intro="A benchmark reminder.", digestible=False))

# The SMS run (`bench_reminders --sms`): the same target, SMS rows to people of the register.
BENCH_SMS = register(
    BenchKind(
        name="bench_sms",
        label="Benchmark (SMS)",
        intro="A benchmark reminder.",
        digestible=False,
        sms_people=lambda target: [],
    )
)
