"""`crmtui copy`: a record (or a saved view, as a planned batch) from one profile to another."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from crmtui.cli.context import confirm_write, field_values
from crmtui.cli.find import all_sessions
from crmtui.errors import UsageError
from crmtui.model.sanitize import dumps, inert
from crmtui.services import copy, copy_batch
from crmtui.services.write_policy import WritePath


def _pair(args: argparse.Namespace) -> list[str]:
    names = [n for n in (args.source, args.target) if n]
    if args.target is None:
        raise UsageError("name the target profile: --to PROFILE")
    if args.source is None and not args.revert:
        raise UsageError("name the source profile: --from PROFILE")
    return names


def _mapping(args: argparse.Namespace, opened_config: object) -> dict[str, str]:
    saved: dict[str, str] = {}
    mappings = getattr(opened_config, "mappings", {}) or {}
    saved.update(mappings.get(f"{args.source}->{args.target}", {}))
    saved.update(field_values(args.map or []))
    return saved


async def _go(args: argparse.Namespace) -> int:
    names = _pair(args)
    async with all_sessions(args, names) as opened:
        for failed in opened.failed:
            raise UsageError(f"{failed.profile}: {failed.error}")
        missing = [n for n in names if n not in opened.by_name]
        if missing:
            raise UsageError(f"no profile named {', '.join(missing)}")
        dst = opened.by_name[args.target]
        if args.revert:
            confirm_write(dst, args, WritePath.REVERT, f"revert batch {args.revert}")
            for line in await copy_batch.revert(dst, args.revert):
                print(inert(line))
            return 0
        src = opened.by_name[args.source]
        mapping = _mapping(args, opened.config)
        if args.view:
            if not args.plan:
                raise UsageError("a view is copied through a plan: --plan FILE")
            data = await copy_batch.plan(src, dst, args.view, mapping=mapping)
            copy_batch.save_plan(Path(args.plan), data)
            counts: dict[str, int] = {}
            for row in data["rows"]:
                counts[row["action"]] = counts.get(row["action"], 0) + 1
            said = ", ".join(f"{n} {a}" for a, n in sorted(counts.items())) or "no rows"
            print(f"plan {data['batch']}: {said}; apply with --apply {args.plan}")
            return 0
        if args.apply:
            data = copy_batch.load_plan(Path(args.apply))
            confirm_write(dst, args, WritePath.CREATE, f"copy batch {data['batch']}")
            result = await copy_batch.apply_plan(src, dst, data)
            for row in result.rows:
                why = f" ({row.why})" if row.why else ""
                print(inert(f"{row.source_id} -> {row.target_id or '-'}: {row.outcome}{why}"))
            print(f"batch {result.batch}; revert with: crmtui copy --revert {result.batch} "
                  f"--to {args.target}", file=sys.stderr)  # fmt: skip
            return 0 if all(r.outcome not in ("refused", "failed") for r in result.rows) else 1
        if not (args.entity and args.id):
            raise UsageError("copy ENTITY ID --from A --to B, or --view NAME --plan FILE")
        p = await copy.preview(src, dst, args.entity, args.id, mapping=mapping)
        if args.format == "json":
            print(dumps({"action": p.action, "existing": p.existing.id if p.existing else None,
                         "mapped": [m.__dict__ for m in p.mapped],
                         "changes": [c.field for c in p.changes],
                         "unmapped": dict(p.unmapped),
                         "dropped": [list(d) for d in p.dropped]}, indent=2))  # fmt: skip
        else:
            print("\n".join(p.lines()))
        if args.save_mapping:
            from crmtui.services.copy_mappings import save_mapping

            pairs = {m.source: m.target for m in p.mapped}
            if opened.config_path is None:
                raise UsageError("the demo has no profile file to save a mapping in")
            save_mapping(opened.config_path, f"{args.source}->{args.target}", pairs)
            print(f"saved the mapping {args.source}->{args.target}", file=sys.stderr)
        if args.preview or p.action == "unchanged":
            return 0
        path = WritePath.CREATE if p.action == "create" else WritePath.EDIT
        confirm_write(dst, args, path, f"{p.action} on {args.target}")
        done = await copy.apply(dst, p)
        if done is not None:
            print(inert(f"{p.action}d {args.target} {done.entity} {done.id}"), file=sys.stderr)
        return 0


def _run(args: argparse.Namespace) -> int:
    return asyncio.run(_go(args))


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `copy`."""
    p = sub.add_parser("copy", help="copy a record (or a saved view) to another profile")
    p.add_argument("entity", nargs="?", help="the entity, e.g. lead")
    p.add_argument("id", nargs="?", help="the source record's id")
    p.add_argument("--from", dest="source", help="the source profile")
    p.add_argument("--to", dest="target", help="the target profile")
    p.add_argument("--map", action="append", help="SOURCE_FIELD=TARGET_FIELD (repeatable)")
    p.add_argument("--save-mapping", action="store_true", help="keep this pair's mapping")
    p.add_argument("--preview", action="store_true", help="show what would be sent; send nothing")
    p.add_argument("--view", help="copy a saved view's rows (with --plan)")
    p.add_argument("--plan", help="write the batch plan to this file")
    p.add_argument("--apply", help="apply a plan file")
    p.add_argument("--revert", metavar="BATCH", help="undo a whole applied batch (with --to)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask before writing")
    p.set_defaults(func=_run)
