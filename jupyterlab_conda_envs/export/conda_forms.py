"""The orders and spellings conda itself uses in its exports, so that ours equal conda's byte for byte.

- `link_order`: `conda list --explicit` lists records in conda's link order (`PrefixData.iter_records_sorted`,
  conda/models/prefix_graph.py): a record's parents are the records its `depends` name; records with neither
  parents nor children first, then level by level (each level by name), a cycle broken at the record with the
  fewest parents (ties: `name-version-build`), and python never waits for pip (conda adds pip to python's
  dependencies, which would be a cycle).
- `env_form`: how `conda env export --from-history` writes a history spec (conda 26, `MatchSpec.conda_env_form`):
  without its channel (`defaults/linux-64::numpy==1.26.2=py310_0` becomes `numpy=1.26.2=py310_0`, which is what
  a cloned or renamed environment's history holds). conda also turns a two-part `==` pin into `=` (which then
  matches 1.26.x); that one is kept exact here (README, "Checked against conda").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..environments.package import Package
from .history_specs import spec_name

_THREE_PART_PIN = re.compile(r"([^\s=<>!~\[]+)==([^\s=<>!~,|\[]+)=([^\s=<>!~,|\[]+)")


def env_form(spec: str) -> str:
    if "::" in spec:
        spec = spec.split("::", 1)[1]
    pinned = _THREE_PART_PIN.fullmatch(spec)
    if pinned:
        return f"{pinned.group(1)}={pinned.group(2)}={pinned.group(3)}"
    return spec


def link_order(conda: Sequence[Package]) -> list[Package]:
    by_name: dict[str, list[int]] = {}
    for i, p in enumerate(conda):
        by_name.setdefault(p.name.lower(), []).append(i)
    parents: dict[int, dict[int, None]] = {}
    for i, p in enumerate(conda):
        found: dict[int, None] = {}
        for dep in p.depends:
            for j in by_name.get(spec_name(dep) or "", ()):
                if j != i:
                    found[j] = None
        parents[i] = found
    for i, p in enumerate(conda):
        if p.name.lower() == "python":
            for j in list(parents[i]):
                if conda[j].name.lower() == "pip":
                    del parents[i][j]
    # conda yields the disconnected records first and again in their level; the first place counts (a dict).
    return [conda[i] for i in dict.fromkeys(_handle_cycles(parents, conda))]


def _key(p: Package) -> str:
    return p.name


def _handle_cycles(graph: dict[int, dict[int, None]], conda: Sequence[Package]) -> Iterable[int]:
    is_parent = {j for ps in graph.values() for j in ps}
    disconnected = sorted((i for i in graph if not graph[i] and i not in is_parent), key=lambda i: _key(conda[i]))
    yield from disconnected
    while graph:
        ready = sorted((i for i, ps in graph.items() if not ps), key=lambda i: _key(conda[i]))
        if not ready:
            # A cycle: conda breaks it at the record with the fewest parents, then by its dist string.
            pick = min(graph, key=lambda i: (len(graph[i]), f"{conda[i].name}-{conda[i].version}-{conda[i].build}"))
            ready = [pick]
        for i in ready:
            yield i
            graph.pop(i, None)
        for ps in graph.values():
            for i in ready:
                ps.pop(i, None)
