"""`crmtui bulk update ENTITY FILE.csv`: one update per row, with success and error files."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from crmtui.cli.context import confirm_write, session_from_args
from crmtui.cli.errors import positive_int
from crmtui.model.sanitize import inert
from crmtui.services.bulk import (
    RowResult,
    bulk_update,
    read_rows,
    results_base,
    write_results,
)
from crmtui.services.write_policy import WritePath


def _update(args: argparse.Namespace) -> int:
    path: Path = args.file
    rows = read_rows(path)
    header = list(rows[0]) if rows else []

    async def go() -> int:
        async with session_from_args(args) as session:
            confirm_write(
                session,
                args,
                WritePath.BULK,
                f"update up to {len(rows)} {args.entity} records from {path}",
            )
            done = 0

            def progress(_: RowResult) -> None:
                nonlocal done
                done += 1
                if sys.stderr.isatty():
                    print(f"\r{done}/{len(rows)}", end="", file=sys.stderr, flush=True)

            result = await bulk_update(
                session,
                args.entity,
                rows,
                id_column=args.id_column,
                concurrency=args.concurrency,
                on_row=progress,
            )
        if sys.stderr.isatty():
            print(file=sys.stderr)
        base = results_base(path, session.profile.name, args.entity)
        success, errors = write_results(result, base, header)
        updated = sum(1 for r in result.succeeded if r.status == "updated")
        unchanged = len(result.succeeded) - updated
        print(
            inert(
                f"{updated} updated, {unchanged} unchanged, {len(result.failed)} failed "
                f"(batch {result.batch})\nsuccess file: {success}\nerror file: {errors}",
                keep_newlines=True,
            ),
            file=sys.stderr,
        )
        if result.failed:
            print("fix the error file and run it again: crmtui bulk update "
                  f"{args.entity} {errors}", file=sys.stderr)  # fmt: skip
            return 1
        return 0

    return asyncio.run(go())


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `bulk update`."""
    p = sub.add_parser("bulk", help="change many records from a CSV file")
    acts = p.add_subparsers(dest="bulk_command", metavar="ACTION", required=True)
    a = acts.add_parser(
        "update",
        help="one update per row; writes FILE.success.csv and FILE.errors.csv",
        description="The id column names the record; other columns are fields to set (empty "
        "cells are left alone). The error file holds each failed row plus its reason and can be "
        "fixed and passed back as it is.",
    )
    a.add_argument("entity")
    a.add_argument("file", type=Path, metavar="FILE.csv")
    a.add_argument("--id-column", default="id", help="the column holding record ids (id)")
    a.add_argument("--concurrency", type=positive_int, default=4, help="rows in flight (default 4)")
    a.add_argument("-y", "--yes", action="store_true", help="yes to the write prompt")
    a.set_defaults(func=_update)
