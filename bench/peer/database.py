"""Create or drop the peer's database. Runs in the peer venv: `python -m bench.peer.database create|drop`.

It talks to the server's `postgres` maintenance database with psycopg, because CREATE and DROP DATABASE
cannot run inside the database they act on (nor inside a transaction, hence autocommit).
"""

import sys

import psycopg
from psycopg import sql

from bench.peer.common import database_url, emit, parse_database_url


def _maintenance_connection(parts: dict) -> psycopg.Connection:
    return psycopg.connect(
        dbname="postgres",
        user=parts["USER"],
        password=parts["PASSWORD"] or None,
        host=parts["HOST"],
        port=parts["PORT"],
        autocommit=True,
    )


def drop(connection: psycopg.Connection, name: str) -> None:
    # FORCE ends the sessions a stopped gunicorn or an interrupted run may have left behind.
    connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def create(connection: psycopg.Connection, name: str) -> None:
    drop(connection, name)
    connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main(action: str) -> None:
    parts = parse_database_url(database_url())
    with _maintenance_connection(parts) as connection:
        {"create": create, "drop": drop}[action](connection, parts["NAME"])
    emit({"action": action, "database": parts["NAME"]})


if __name__ == "__main__":
    main(sys.argv[1])
