"""Bulk updates write a success file and an error file that can be fixed and re-applied."""
# ruff: noqa: F811  (fixtures imported from journal_sandbox are parameters here)

from __future__ import annotations

import csv
from pathlib import Path

from crmtui.model import Query
from crmtui.sandbox.store import Store
from crmtui.services.bulk import bulk_update, read_rows, write_results
from crmtui.services.journal import Journal, State
from crmtui.services.session import Session

from .journal_sandbox import app, faults, server_lead, session, store  # noqa: F401


async def test_a_run_writes_both_files_and_the_fixed_error_file_applies(
    session: Session, store: Store, tmp_path: Path
) -> None:
    page = await session.backend.list_page("lead", Query(), 0, 3)
    a, b, c = (r.id for r in page.records)
    source = tmp_path / "leads.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "JobTitle", "Status"])
        writer.writerow([a, "Buyer", ""])
        writer.writerow([b, "Seller", "Bogus"])  # not a valid status
        writer.writerow(["NOSUCHID", "Ghost", ""])
        writer.writerow([c, page.records[2].values.get("JobTitle") or "", ""])
    rows = read_rows(source)
    result = await bulk_update(session, "lead", rows)
    success, errors = write_results(result, source, list(rows[0]))
    assert success.name == "leads.success.csv" and errors.name == "leads.errors.csv"
    assert [(r["id"], r["status"]) for r in read_rows(success)] == [
        (a, "updated"),
        (c, "unchanged"),
    ]
    failed = read_rows(errors)
    assert [r["id"] for r in failed] == [b, "NOSUCHID"]
    assert "Status" in failed[0]["error"] and "not found" in failed[1]["error"].lower()
    assert server_lead(store, a)["JobTitle"] == "Buyer"
    assert server_lead(store, b)["JobTitle"] != "Seller"

    # fix the bad status, drop the ghost, apply the error file as it is
    with errors.open("w", newline="") as handle:
        fixer = csv.DictWriter(handle, fieldnames=list(failed[0]))
        fixer.writeheader()
        fixer.writerow({**failed[0], "Status": "Contacted"})
    again = await bulk_update(session, "lead", read_rows(errors))
    write_results(again, errors, list(failed[0]))
    assert not again.failed and server_lead(store, b)["JobTitle"] == "Seller"
    assert read_rows(tmp_path / "leads.errors.csv") == []
    applied = [e for e in Journal("journal-test").entries() if e.state is State.APPLIED]
    assert {e.record_id for e in applied} == {a, b}
    assert all(e.batch for e in applied)
