"""Create the bench's database if it does not exist (python -m bench.db)."""

import os
from urllib.parse import urlparse

import psycopg


def main() -> None:
    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"bench: created database {name}")


if __name__ == "__main__":
    main()
