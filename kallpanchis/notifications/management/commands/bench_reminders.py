"""`make bench-reminders`: N due reminders dispatched and delivered by a real Celery worker to the file
channel; prints reminders per second and duplicates. Uses a private redis-server (port 6391) so it never
touches anyone's queue, and removes its rows afterwards.

`--sms`: N SMS rows (one person of the register each, with SMS consent) delivered by the worker through
the Twilio-compatible gateway to the local gateway server (tests/notifications/sms_gateway_server.py, run
as its own process); the duplicates are counted on the server's side (messages given per phone and text).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

BENCH_EMAIL = "bench-reminders-{}@example.invalid"


class Command(BaseCommand):
    help = "Benchmark: dispatch and deliver N due reminders through a real worker; print rate and duplicates."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--redis-port", type=int, default=6391)
        # Where the file channel's folder is made (default: the system's temporary folder). /dev/shm keeps
        # the files in memory, to tell the reminder machinery's cost from a busy disk's.
        parser.add_argument("--outbox-parent", default=None)
        parser.add_argument(
            "--sms", action="store_true", help="the SMS run, against the local gateway server"
        )
        parser.add_argument("--gateway-port", type=int, default=6392)

    def handle(self, *args, count, concurrency, redis_port, outbox_parent, sms, gateway_port, **options):
        os.environ["KALLPANCHIS_REMINDER_KIND_MODULES"] = "kallpanchis.notifications.bench"
        from kallpanchis.notifications import bench  # noqa: F401  (registers the kind here too)

        self.sms = sms
        self.gateway = None
        if sms:
            self.gateway = subprocess.Popen(  # noqa: S603  (our own arguments)
                [sys.executable, "-m", "tests.notifications.sms_gateway_server", "--port", str(gateway_port)],
                stdout=subprocess.DEVNULL,
                cwd=settings.BASE_DIR if hasattr(settings, "BASE_DIR") else None,
            )
            self.gateway_url = f"http://127.0.0.1:{gateway_port}"

        # Stopped with SIGTERM (or Ctrl-C): still stop the worker and Redis and remove the rows.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        if not shutil.which("redis-server"):
            raise CommandError("redis-server is needed (apt-get install redis-server)")
        outbox = Path(tempfile.mkdtemp(prefix="kallpanchis-bench-reminders-", dir=outbox_parent))
        os.environ["KALLPANCHIS_REMINDER_FILE_DIR"] = str(outbox)
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        redis = subprocess.Popen(  # noqa: S603  (our own arguments)
            [
                shutil.which("redis-server"),
                "--port",
                str(redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--bind",
                "127.0.0.1",
            ],
            stdout=subprocess.DEVNULL,
        )
        worker = None
        try:
            time.sleep(0.5)
            self._clean()
            ids = self._make_sms(count) if sms else self._make(count)
            from kallpanchis.celery import app

            app.conf.broker_url = redis_url
            app._pool = None
            app.amqp._producer_pool = None
            worker = self._start_worker(redis_url, outbox, concurrency, app)
            channel = (
                f"SMS to the gateway server on {self.gateway_url}" if sms else f"file channel in {outbox}"
            )
            self.stdout.write(
                f"{count} due reminders, worker concurrency {concurrency}, {channel}; dispatching…"
            )
            self.started = time.monotonic()
            elapsed = self._run(ids)
            if sms:
                duplicates, missing = self._report_sms(count, elapsed)
            else:
                duplicates, missing = self._report(outbox, count, elapsed)
            if duplicates or missing:
                raise CommandError("not exactly once")
        except SystemExit:
            if getattr(self, "started", None):  # stopped before the end: say how far it got
                self._report(outbox, count, time.monotonic() - self.started, partial=True)
            raise
        finally:
            if worker is not None:
                worker.kill()
                worker.wait()
            redis.kill()
            redis.wait()
            if self.gateway is not None:
                self.gateway.kill()
                self.gateway.wait()
            self._clean()
            shutil.rmtree(outbox, ignore_errors=True)

    def _report(self, outbox: Path, count: int, elapsed: float, partial: bool = False) -> tuple[int, int]:
        """Count the messages that left, per reminder id (one JSON file per send)."""
        counts = Counter(
            int(p.read_bytes().split(b'"reminder_ids": [', 1)[1].split(b"]", 1)[0])
            for p in outbox.glob("*.json")
        )
        duplicates = sum(n - 1 for n in counts.values())
        delivered = sum(counts.values())
        load = os.getloadavg()[0]
        left = "not yet sent" if partial else "missing"
        what = f"stopped after {elapsed:.1f} s with {len(counts)} of {count}" if partial else f"{count}"
        self.stdout.write(
            (self.style.WARNING if partial else self.style.SUCCESS)(
                f"{what} reminders delivered: {delivered / elapsed:,.0f} reminders/s; "
                f"duplicates: {duplicates}; {left}: {count - len(counts)} "
                f"(load average {load:.1f} on {os.cpu_count()} cores)"
            )
        )
        return duplicates, count - len(counts)

    def _report_sms(self, count: int, elapsed: float) -> tuple[int, int]:
        """Counted on the gateway server's side: messages given per phone and text."""
        import requests

        stats = requests.get(self.gateway_url + "/_stats", timeout=30).json()
        load = os.getloadavg()[0]
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} SMS delivered to the gateway server: {stats['total'] / elapsed:,.0f} SMS/s; "
                f"duplicates: {stats['duplicates']}; missing: {count - stats['phones']} "
                f"(load average {load:.1f} on {os.cpu_count()} cores)"
            )
        )
        return stats["duplicates"], count - stats["phones"]

    def _make_sms(self, count: int) -> int:
        import datetime

        from kallpanchis.notifications.bench import BENCH_SMS
        from kallpanchis.notifications.models import Reminder
        from kallpanchis.organisations.models import Organisation
        from kallpanchis.people.models import Consent, Person

        target = Organisation.objects.create(
            name="Benchmark: reminders", kind=Organisation.Kind.OTHER, website="Casa comunal"
        )
        content_type = ContentType.objects.get_for_model(Organisation)
        checksum = BENCH_SMS.checksum(target)
        now = timezone.now()
        for start in range(0, count, 5000):
            people = Person.objects.bulk_create(
                [
                    Person(
                        given_names=f"Socio {i}",
                        first_surname="Benchmark",
                        search_name=f"socio {i} benchmark",
                        phone=f"+5190{i:07d}",
                        district_ubigeo="080101",
                        community="bench-reminders",
                    )
                    for i in range(start, min(start + 5000, count))
                ]
            )
            Consent.objects.bulk_create(
                [
                    Consent(
                        person=p, kind=Consent.Kind.SMS, purpose="benchmark", given_on=datetime.date.today()
                    )
                    for p in people
                ]
            )
            Reminder.objects.bulk_create(
                [
                    Reminder(
                        kind="bench_sms",
                        content_type=content_type,
                        object_id=target.pk,
                        person_id=p.pk,
                        due_at=now,
                        checksum=checksum,
                        channel="sms",
                    )
                    for p in people
                ]
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notifications_reminder")
        return count

    def _clean(self):
        from kallpanchis.accounts.models import User
        from kallpanchis.notifications.models import Reminder, SmsMessage
        from kallpanchis.organisations.models import Organisation
        from kallpanchis.people.models import Consent, Person

        SmsMessage.objects.filter(reminder__kind="bench_sms").delete()
        Reminder.objects.filter(kind="bench_sms").delete()
        Consent.objects.filter(person__community="bench-reminders").delete()
        Person.objects.filter(community="bench-reminders").delete()
        Reminder.objects.filter(kind="bench").delete()
        User.objects.filter(email__startswith="bench-reminders-").delete()
        Organisation.objects.filter(name="Benchmark: reminders").delete()

    def _make(self, count: int) -> int:
        from kallpanchis.accounts.models import User
        from kallpanchis.notifications.bench import BENCH
        from kallpanchis.notifications.models import Reminder
        from kallpanchis.organisations.models import Organisation

        target = Organisation.objects.create(
            name="Benchmark: reminders", kind=Organisation.Kind.OTHER, website="Casa comunal"
        )
        people = 1000
        users = User.objects.bulk_create(
            [User(email=BENCH_EMAIL.format(i), first_name=f"Socio {i}") for i in range(people)]
        )
        content_type = ContentType.objects.get_for_model(Organisation)
        checksum = BENCH.checksum(target)
        now = timezone.now()
        per_person = -(-count // people)
        rows = (
            Reminder(
                kind="bench",
                content_type=content_type,
                object_id=target.pk,
                recipient_id=user.pk,
                due_at=now - timedelta(seconds=s),
                checksum=checksum,
                channel="file",
            )
            for s in range(per_person)
            for user in users
        )
        made = 0
        batch = []
        for row in rows:
            if made == count:
                break
            batch.append(row)
            made += 1
            if len(batch) == 10_000:
                Reminder.objects.bulk_create(batch)
                batch = []
        if batch:
            Reminder.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notifications_reminder")
        return made

    def _start_worker(self, redis_url, outbox, concurrency, app):
        db = settings.DATABASES["default"]
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
        env = {
            **os.environ,
            "REDIS_URL": redis_url,
            "DATABASE_URL": f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}",
            "KALLPANCHIS_REMINDER_FILE_DIR": str(outbox),
            "KALLPANCHIS_REMINDER_KIND_MODULES": "kallpanchis.notifications.bench",
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "kallpanchis.settings.dev"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        if self.sms:
            # The stand-in's own account and token (tests/notifications/sms_gateway_server.py).
            env.update(
                {
                    "SMS_GATEWAY": "twilio",
                    "SMS_TWILIO_URL": self.gateway_url,
                    "SMS_TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
                    "SMS_TWILIO_AUTH_TOKEN": "twilio-test-token",
                    "SMS_TWILIO_FROM": "+15005550006",
                    "SMS_QUIET_FROM": "0",
                    "SMS_QUIET_UNTIL": "0",  # the benchmark may run at night in Lima
                }
            )
        if db.get("PASSWORD"):
            env["DATABASE_URL"] = env["DATABASE_URL"].replace(
                f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@"
            )
        worker = subprocess.Popen(  # noqa: S603  (our own arguments)
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "kallpanchis",
                "worker",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=WARNING",
            ],
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                raise CommandError("the worker exited")
            if app.control.ping(timeout=0.5):
                return worker
        raise CommandError("the worker did not answer")

    def _run(self, count: int) -> float:
        from kallpanchis.notifications.delivery import reminders_dispatch
        from kallpanchis.notifications.models import Reminder

        started = time.monotonic()
        while reminders_dispatch(batch_size=2000, budget_seconds=5):
            pass
        last = time.monotonic()
        kind = "bench_sms" if self.sms else "bench"
        while True:
            done = Reminder.objects.filter(kind=kind, status=Reminder.Status.SENT).count()
            if done >= count:
                return time.monotonic() - started
            if time.monotonic() - last > 10:
                self.stdout.write(f"  {done} sent after {time.monotonic() - started:.0f} s")
                last = time.monotonic()
                reminders_dispatch(batch_size=2000, budget_seconds=5)  # anything whose lease ran out
            time.sleep(0.5)  # counting 100,000 rows is not free: do not take the workers' CPU for it
