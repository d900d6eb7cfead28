"""The project installs as a package (`pip install -e .`, setuptools with the packages listed in
pyproject.toml) and is then importable from anywhere, not only from its own folder.

Offline: a copy of the project is installed into a fresh virtual environment with `--no-index
--no-deps --no-build-isolation`; that environment sees this one's packages (Django, setuptools…) through a
.pth file, so nothing is downloaded."""

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What pyproject.toml says to install, and nothing else: an app missing there is missing from the copy,
# and the settings' INSTALLED_APPS then fail to import it.
PACKAGES = [
    pattern.rstrip("*")
    for pattern in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"][
        "find"
    ]["include"]
]

CHECK = """
import django
from django.apps import apps
from django.template.loader import get_template
import kallpanchis.settings.base as base
django.setup()
print(base.__file__)
print(apps.get_app_config("spaces").path)
print(get_template("spaces/meeting_list.html").origin.name)
"""


def test_the_project_installs_in_a_fresh_venv_and_imports_from_outside_its_tree(tmp_path):
    source = tmp_path / "kallpanchis-src"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-index", "--no-deps"]
        + ["--no-build-isolation", "--editable", str(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert install.returncode == 0, install.stderr

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    environment = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        "DJANGO_SETTINGS_MODULE": "kallpanchis.settings.base",
        "DJANGO_SECRET_KEY": "only-for-this-test",
    }
    run = subprocess.run(
        [python, "-c", CHECK], cwd=outside, env=environment, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    settings_file, spaces_path, template = run.stdout.split()
    assert settings_file == str(source / "kallpanchis" / "settings" / "base.py")
    assert spaces_path == str(source / "spaces")
    assert template == str(source / "spaces" / "templates" / "spaces" / "meeting_list.html")
