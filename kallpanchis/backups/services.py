"""Backups that are proven by restoring them.

An archive is one uncompressed tar file `kallpanchis-<UTC time>.tar` (the dump is already compressed, the
uploads are PDFs and photos) holding:
- `manifest.json`: when, the app's version and commit, the dump's size and sha256, each table's row count
  and row checksum (from the same snapshot as the dump), each uploaded file's size and sha256;
- `database.dump`: pg_dump's custom format;
- `media/…`: every file under MEDIA_ROOT.
It is written to the `backups` storage (a folder, BACKUP_DIR, or an S3-compatible bucket). A restore
writes into an empty database and an empty folder, then compares them with the manifest: every difference
is named (a table's rows or checksum, a file missing, changed or extra).
"""

import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import storages
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kallpanchis.core.mail import mail_queue

from . import database as pg
from .database import BackupError
from .models import Backup
from .rotation import archive_name, archive_time, backups_to_keep

log = logging.getLogger(__name__)
MANIFEST_FORMAT = 1
_CHUNK = 1024 * 1024


def backup_storage():
    return storages["backups"]


def _location() -> str:
    storage = backup_storage()
    if hasattr(storage, "bucket_name"):
        return f"s3://{storage.bucket_name}/{getattr(storage, 'location', '')}".rstrip("/")
    return str(getattr(storage, "location", ""))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _app_version() -> dict:
    try:
        version = metadata.version("kallpanchis")
    except metadata.PackageNotFoundError:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            version = tomllib.load(handle)["project"]["version"]
    commit = os.environ.get("GIT_COMMIT", "")
    if not commit and (Path(settings.BASE_DIR) / ".git").exists():
        result = subprocess.run(  # noqa: S603  # nosec B603 B607: a fixed git command, read only
            ["git", "rev-parse", "HEAD"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
        )
        commit = result.stdout.strip() if result.returncode == 0 else ""
    return {"version": version, "commit": commit or None}


def media_figures(root: Path) -> dict:
    """{"relative/path": {"size": n, "sha256": hex}} of every file under `root`."""
    files = {}
    root = Path(root)
    if not root.exists():
        return files
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        files[path.relative_to(root).as_posix()] = {"size": path.stat().st_size, "sha256": _sha256(path)}
    return files


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))


def archive_write(target: Path, *, media_root: Path, database: str | None = None) -> dict:
    """Write an archive of the database and `media_root` to `target`; return its manifest."""
    p = pg.params(database)
    with tempfile.TemporaryDirectory(prefix="kallpanchis-backup-", dir=settings.BACKUP_WORK_DIR) as work:
        dump_file = Path(work) / "database.dump"
        db = pg.dump(p, dump_file)
        files = media_figures(media_root)
        manifest = {
            "format": MANIFEST_FORMAT,
            "name": target.name,
            "created_at": timezone.now().isoformat(),
            "app": _app_version(),
            "database": {
                "name": pg.dbname(p),
                "server_version": db["server_version"],
                "pg_dump": db["pg_dump"],
                "file": "database.dump",
                "size": dump_file.stat().st_size,
                "sha256": _sha256(dump_file),
                "tables": db["tables"],
            },
            "media": {
                "files": files,
                "count": len(files),
                "size": sum(f["size"] for f in files.values()),
            },
        }
        with tarfile.open(target, "w") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())
            archive.add(dump_file, arcname="database.dump")
            for relative in files:
                archive.add(Path(media_root) / relative, arcname=f"media/{relative}")
    return manifest


def backup_create(*, trigger: str = Backup.Trigger.MANUAL) -> Backup:
    """Dump the database and the uploaded files into the backup storage, then apply the rotation. A
    failure is recorded on the row (the check task e-mails the staff about it) and raised."""
    started = timezone.now()
    backup = Backup.objects.create(
        name=archive_name(started), trigger=trigger, started_at=started, location=_location()
    )
    try:
        with tempfile.TemporaryDirectory(prefix="kallpanchis-archive-", dir=settings.BACKUP_WORK_DIR) as work:
            local = Path(work) / backup.name
            manifest = archive_write(local, media_root=Path(settings.MEDIA_ROOT))
            with open(local, "rb") as handle:
                saved = backup_storage().save(backup.name, File(handle))
            if saved != backup.name:
                raise BackupError(f"The storage renamed the archive to {saved}.")
            tables = manifest["database"]["tables"]
            Backup.objects.filter(pk=backup.pk).update(
                status=Backup.Status.SUCCEEDED,
                finished_at=timezone.now(),
                size_bytes=local.stat().st_size,
                sha256=_sha256(local),
                tables=len(tables),
                rows=sum(t["rows"] for t in tables.values()),
                files=manifest["media"]["count"],
            )
    except Exception as error:
        Backup.objects.filter(pk=backup.pk).update(
            status=Backup.Status.FAILED, finished_at=timezone.now(), error=str(error)[:4000]
        )
        raise
    backups_rotate()
    backup.refresh_from_db()
    return backup


def backups_rotate() -> list[str]:
    """Delete the archives the rotation does not keep (7 daily, 4 weekly, 12 monthly); return their
    names. Only files named like our archives are touched."""
    storage = backup_storage()
    try:
        names = storage.listdir("")[1]
    except FileNotFoundError:
        return []
    times = {name: archive_time(name) for name in names}
    times = {name: t for name, t in times.items() if t is not None}
    keep = backups_to_keep(
        times.values(),
        tz=timezone.get_default_timezone(),
        daily=settings.BACKUP_KEEP_DAILY,
        weekly=settings.BACKUP_KEEP_WEEKLY,
        monthly=settings.BACKUP_KEEP_MONTHLY,
    )
    removed = sorted(name for name, t in times.items() if t not in keep)
    for name in removed:
        storage.delete(name)
    Backup.objects.filter(name__in=removed, removed_at__isnull=True).update(removed_at=timezone.now())
    return removed


# --- restoring and checking ----------------------------------------------------------------------------


@dataclass
class Comparison:
    differences: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    files: int = 0


def manifest_compare(manifest: dict, *, tables: dict, files: dict) -> Comparison:
    """Every difference between what the manifest promised and what a restore holds, one line each."""
    result = Comparison(tables=len(tables), rows=sum(t["rows"] for t in tables.values()), files=len(files))
    expected_tables = manifest["database"]["tables"]
    for name in sorted(expected_tables.keys() | tables.keys()):
        want, got = expected_tables.get(name), tables.get(name)
        if got is None:
            result.differences.append(f"table {name}: missing from the restore")
        elif want is None:
            result.differences.append(f"table {name}: not in the manifest")
        elif want["rows"] != got["rows"]:
            result.differences.append(f"table {name}: {got['rows']} rows, the manifest says {want['rows']}")
        elif want["checksum"] != got["checksum"]:
            result.differences.append(f"table {name}: same {got['rows']} rows but their content differs")
    expected_files = manifest["media"]["files"]
    for name in sorted(expected_files.keys() | files.keys()):
        want, got = expected_files.get(name), files.get(name)
        if got is None:
            result.differences.append(f"file {name}: missing from the restore")
        elif want is None:
            result.differences.append(f"file {name}: not in the manifest")
        elif want["sha256"] != got["sha256"] or want["size"] != got["size"]:
            result.differences.append(
                f"file {name}: sha256 {got['sha256'][:12]}…, the manifest says {want['sha256'][:12]}…"
            )
    return result


def archive_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r") as tar:
        return json.load(tar.extractfile("manifest.json"))


def backup_verify(*, manifest: dict, database: str, media_root: Path) -> Comparison:
    """Compare a restored database and media folder with the manifest of the archive they came from."""
    tables = pg.figures_of(pg.params(database))
    return manifest_compare(manifest, tables=tables, files=media_figures(media_root))


def _media_member_target(member: tarfile.TarInfo, media_root: Path) -> Path | None:
    if not member.name.startswith("media/") or not member.isfile():
        return None
    target = (media_root / member.name.removeprefix("media/")).resolve()
    if not target.is_relative_to(media_root.resolve()):
        raise BackupError(f"Refused archive member outside the media folder: {member.name}")
    return target


def backup_restore(*, archive: Path, database: str, media_root: Path) -> Comparison:
    """Restore an archive into `database` (created when missing; refused when it holds any table) and
    `media_root` (refused when it holds any file), then compare both with the archive's manifest."""
    archive, media_root = Path(archive), Path(media_root)
    p = pg.params(database)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"The media folder {media_root} is not empty: restore into an empty folder.")
    if pg.database_exists(p):
        if not pg.database_is_empty(p):
            raise BackupError(
                f"The database {pg.dbname(p)} is not empty: a restore goes into a new, empty database."
            )
    else:
        pg.database_create(p)
    with tarfile.open(archive, "r") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        with tempfile.TemporaryDirectory(prefix="kallpanchis-restore-", dir=settings.BACKUP_WORK_DIR) as work:
            dump_file = Path(work) / "database.dump"
            with tar.extractfile("database.dump") as source, open(dump_file, "wb") as out:
                shutil.copyfileobj(source, out, _CHUNK)
            if _sha256(dump_file) != manifest["database"]["sha256"]:
                raise BackupError("The archive's database dump does not match its manifest (damaged).")
            pg.restore(p, dump_file)
        media_root.mkdir(parents=True, exist_ok=True)
        for member in tar:
            target = _media_member_target(member, media_root)
            if target is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, _CHUNK)
    return backup_verify(manifest=manifest, database=database, media_root=media_root)


def archive_fetch(name_or_path: str, work: Path) -> Path:
    """A local path as it is; otherwise the archive of that name, copied out of the backup storage."""
    path = Path(name_or_path)
    if path.exists():
        return path
    storage = backup_storage()
    if not storage.exists(name_or_path):
        raise BackupError(f"No archive {name_or_path} here nor in the backup storage ({_location()}).")
    local = Path(work) / Path(name_or_path).name
    with storage.open(name_or_path, "rb") as source, open(local, "wb") as out:
        shutil.copyfileobj(source, out, _CHUNK)
    return local


def backup_drill(*, backup: Backup | None = None, keep: bool = False) -> tuple[Backup, Comparison]:
    """Take a backup (or use `backup`), restore it into a fresh database `<name>_drill` and a temporary
    media folder, compare them with the manifest, record the result on the backup, and drop both."""
    if backup is None:
        backup = backup_create(trigger=Backup.Trigger.DRILL)
    drill_db = f"{pg.dbname(pg.params())}_drill"
    p = pg.params(drill_db)
    pg.database_drop(p)  # a drill's own database, left by an earlier interrupted drill
    try:
        with tempfile.TemporaryDirectory(prefix="kallpanchis-drill-", dir=settings.BACKUP_WORK_DIR) as work:
            archive = archive_fetch(backup.name, Path(work))
            comparison = backup_restore(archive=archive, database=drill_db, media_root=Path(work) / "media")
    except Exception as error:
        _drill_record(backup, Comparison(differences=[f"the restore failed: {error}"]))
        raise
    finally:
        if not keep:
            pg.database_drop(p)
    _drill_record(backup, comparison)
    return backup, comparison


def _drill_record(backup: Backup, comparison: Comparison) -> None:
    passed = not comparison.differences
    Backup.objects.filter(pk=backup.pk).update(
        drill=Backup.Drill.PASSED if passed else Backup.Drill.FAILED,
        drill_at=timezone.now(),
        drill_differences=len(comparison.differences),
        drill_report="\n".join(comparison.differences)[:20000],
    )
    backup.refresh_from_db()


# --- watching ------------------------------------------------------------------------------------------


def backup_problem(*, now=None) -> str:
    """'' when the newest backup succeeded less than BACKUP_MAX_AGE_HOURS ago; otherwise what is wrong."""
    now = now or timezone.now()
    newest = Backup.objects.exclude(status=Backup.Status.RUNNING).order_by("-started_at").first()
    last_good = Backup.objects.filter(status=Backup.Status.SUCCEEDED).order_by("-started_at").first()
    if newest is not None and newest.status == Backup.Status.FAILED:
        return "failed"
    if last_good is None:
        return "missing"
    if now - last_good.started_at > timedelta(hours=settings.BACKUP_MAX_AGE_HOURS):
        return "old"
    return ""


def backup_check(*, now=None) -> str:
    """E-mail the staff (active `is_staff` people, else ADMINS) when the newest backup failed or the last
    good one is older than BACKUP_MAX_AGE_HOURS (26 h: a nightly backup that missed one night). Once a day
    for the same problem, however often the check runs."""
    from kallpanchis.accounts.models import User

    problem = backup_problem(now=now)
    if not problem:
        return ""
    newest = Backup.objects.order_by("-started_at").first()
    if not cache.add(f"backups:alert:{problem}:{newest.pk if newest else 0}", 1, timeout=24 * 3600):
        return problem
    recipients = list(
        User.objects.filter(is_staff=True, is_active=True).exclude(email="").values_list("email", flat=True)
    ) or [email for _name, email in settings.ADMINS]
    if not recipients:
        log.error("backups: %s, and nobody to tell (no staff, no ADMINS)", problem)
        return problem
    last_good = Backup.objects.filter(status=Backup.Status.SUCCEEDED).order_by("-started_at").first()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "problem": problem,
            "newest": newest,
            "last_good": last_good,
            "max_age": settings.BACKUP_MAX_AGE_HOURS,
            "status_url": settings.SITE_URL.rstrip("/") + reverse("backups:status"),
        }
        message = EmailMessage(
            subject=_("[Kallpanchis] Backups need attention"),
            body=render_to_string("backups/emails/backup_problem.txt", context),
            to=recipients,
        )
    mail_queue(message)
    return problem
