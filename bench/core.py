"""What every figure shares: the result row, interleaved timing, the machine, the table."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

# How a row's ratio is judged against its target.
AT_MOST = "<="
AT_LEAST = ">="


@dataclass
class Row:
    """One line of the table: a figure, its reference from the same run, and the target."""

    key: str
    """Stable name, used to compare runs."""
    figure: str
    value: str
    """The figure as measured, with its unit."""
    reference: str
    """The reference as measured in the same run, with its unit."""
    ratio: float | None = None
    """figure / reference (or the row's own ratio), None when not measured."""
    target: str = ""
    """e.g. "<= 1.5x"; empty for context rows."""
    passed: bool | None = None
    """None when there is no target or no measurement."""
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        """pass, FAIL, or a dash when nothing is judged."""
        return "—" if self.passed is None else ("pass" if self.passed else "FAIL")


def judge(ratio: float, op: str, limit: float) -> bool:
    """Whether `ratio` meets `op limit`."""
    return ratio <= limit if op == AT_MOST else ratio >= limit


def not_measured(key: str, figure: str, reason: str, target: str = "") -> Row:
    """A row that could not be measured in this run, saying why."""
    return Row(key, figure, f"n/a ({reason})", "—", None, target, None)


def interleaved(
    runs: Sequence[Callable[[], float]], repeat: int, warmup: int = 0
) -> list[list[float]]:
    """Samples of each run, alternating between them every round so drift hits all alike.

    The order within a round alternates too (ABAB..., then BABA...), so neither run always
    goes first on a machine that is still busy with the previous one.
    """
    samples: list[list[float]] = [[] for _ in runs]
    for round_ in range(warmup + repeat):
        order = list(range(len(runs)))
        if round_ % 2:
            order.reverse()
        for i in order:
            value = runs[i]()
            if round_ >= warmup:
                samples[i].append(value)
    return samples


def median(values: Sequence[float]) -> float:
    """The median (of a non-empty sequence)."""
    return float(statistics.median(values))


def stopwatch() -> Callable[[], float]:
    """A function returning the seconds since the stopwatch was made."""
    start = time.perf_counter()
    return lambda: time.perf_counter() - start


def machine() -> dict[str, Any]:
    """What ran the suite: cpu count and model, python, textual, platform."""
    from importlib.metadata import version

    model = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "python": sys.version.split()[0],
        "textual": version("textual"),
        "platform": platform.platform(),
    }


def line(row: Row) -> str:
    """One row on a line of its own: figure, measured against reference, ratio, verdict."""
    ratio = "" if row.ratio is None else f" = {row.ratio:.2f}"
    target = f" (target {row.target}: {row.verdict})" if row.target else ""
    return f"{row.figure}: {row.value} vs {row.reference}{ratio}{target}"


def table(rows: Sequence[Row]) -> str:
    """The rows as a fixed-width text table."""
    head = ("figure", "measured", "reference", "ratio", "target", "result")
    body = [
        (
            r.figure,
            r.value,
            r.reference,
            "—" if r.ratio is None else f"{r.ratio:.2f}",
            r.target or "—",
            r.verdict,
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) for line in body
    ]
    rule = "  ".join("-" * w for w in widths)
    header = "  ".join(cell.ljust(w) for cell, w in zip(head, widths, strict=True))
    notes = [f"  {r.figure}: {r.note}" for r in rows if r.note]
    text = "\n".join([header, rule, *lines])
    return text + ("\n\nnotes:\n" + "\n".join(notes) if notes else "")


def to_json(rows: Sequence[Row], options: dict[str, Any]) -> dict[str, Any]:
    """The saved form of a run: date, machine, options and every row."""
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "options": options,
        "rows": [asdict(r) for r in rows],
    }


def compare(
    rows: Sequence[Row], saved: dict[str, Any], options: dict[str, Any] | None = None
) -> str:
    """The change of each ratio against a saved run (rows matched by key)."""
    before = {r["key"]: r for r in saved.get("rows", [])}
    where = saved.get("machine", {})
    lines = [
        f"change against the run of {saved.get('date', '?')} "
        f"({where.get('cpu_count', '?')} cpu, {where.get('cpu_model', '?')}, "
        f"python {where.get('python', '?')}, textual {where.get('textual', '?')}):"
    ]
    then = saved.get("options", {}).get("sizes")
    if options is not None and then is not None and then != options.get("sizes"):
        lines.append("  (the runs used different sizes or repeats: compare with care)")
    width = max((len(r.figure) for r in rows), default=10)
    for row in rows:
        old = before.get(row.key)
        if old is None:
            lines.append(f"  {row.figure:<{width}}  new in this run")
            continue
        was, now = old.get("ratio"), row.ratio
        if was is None or now is None:
            lines.append(f"  {row.figure:<{width}}  {old.get('value')} -> {row.value}")
            continue
        change = (now - was) / was * 100 if was else 0.0
        flip = ""
        if old.get("passed") is not None and row.passed is not None and old["passed"] != row.passed:
            flip = "  (now passes)" if row.passed else "  (now FAILS)"
        lines.append(
            f"  {row.figure:<{width}}  ratio {was:.2f} -> {now:.2f} ({change:+.0f}%)"
            f"  {old.get('value')} -> {row.value}{flip}"
        )
    return "\n".join(lines)


def load_json(path: str) -> dict[str, Any]:
    """A saved run."""
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data
