"""The org_units snapshot as a tree: one root, every parent a unit of the same snapshot, each
code once, no cycles. Any problem rejects the whole snapshot."""

from __future__ import annotations

import duckdb

BadValue = tuple[int, str, str, str]  # (line, column header, value, reason)


def org_unit_problems(conn: duckdb.DuckDBPyConnection, load_id: int,
                      headers: dict[str, str] | None = None) -> tuple[list[BadValue], list[str]]:
    """Structural problems of the org_units snapshot just inserted (not yet committed):
    (line, column, value, reason) rows and file-level messages, naming the columns by the
    headers the file delivered (`headers`: raw column name -> header; Swedish by default)."""
    headers = headers or {}
    unit, parent_h, period_h = (headers.get("kostnadsstalle", "Kostnadsställe"),
                                headers.get("overordnad", "Överordnad"), headers.get("period", "Period"))
    rows = conn.execute(
        "select _source_line, kostnadsstalle, overordnad from raw.org_units where _load_id = ? order by 1",
        [load_id]).fetchall()
    bad: list[BadValue] = []
    messages: list[str] = []
    seen: dict[str, int] = {}
    for line, code, _parent in rows:
        seen[code] = seen.get(code, 0) + 1
    dups = sorted(c for c, n in seen.items() if n > 1)
    for line, code, _parent in rows:
        if seen[code] > 1:
            bad.append((line, unit, code, f"{unit} appears more than once in the snapshot; "
                                          f"rule: required, unique per {period_h}"))
    if dups:
        messages.append(f"duplicate {unit}: {', '.join(dups[:10])}")
    parent_of = {code: parent for _line, code, parent in rows}
    roots = sorted(c for c, p in parent_of.items() if p is None)
    if len(roots) != 1:
        messages.append(f"no root unit (a unit with empty {parent_h})" if not roots
                        else f"more than one root unit: {', '.join(roots[:10])}")
    for line, code, parent in rows:
        if parent is not None and parent not in parent_of:
            bad.append((line, parent_h, parent, "parent is not a unit of this snapshot; rule: parent code; "
                                                "empty only for the root; no cycles"))
            messages.append(f"{parent_h} {parent} of {code} is not in the snapshot")
    # Cycle: following parents from a unit comes back to a unit already on the path.
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles: list[list[str]] = []
    for start in parent_of:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and state.get(node) != 2:
            if state.get(node) == 1:
                cycles.append(path[path.index(node):] + [node])
                break
            state[node] = 1
            path.append(node)
            node = parent_of[node]
        for n in path:
            state[n] = 2
    line_of = {code: line for line, code, _p in rows}
    for cycle in cycles:
        messages.append(f"cycle in {parent_h}: {' -> '.join(cycle)}")
        for code in cycle[:-1]:
            bad.append((line_of[code], parent_h, parent_of[code],
                        f"part of the cycle {' -> '.join(cycle)}; rule: no cycles"))
    return bad, messages
