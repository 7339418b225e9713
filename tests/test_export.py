"""Environment exports rendered from the records of the real fixture environments (export.py, history_specs.py).

Golden files: `tests/golden/export/<env>.<mode>.yml|txt` hold the expected output byte for byte, with the fixture
root's path written `{FIXTURE_ROOT}` (and, for `runnable`, the host Python's version and archive md5 written
`{HOST_PYTHON}` / `{HOST_PYTHON_MD5}`: that env's python matches the interpreter running the tests). They are the
spec: read a diff before accepting it. To rewrite them after an intended change:

    UPDATE_GOLDEN=1 python -m pytest -q -p no:cacheprovider tests/test_export.py

`runnable`'s pip side is ipykernel and whatever PyPI gave as its dependencies when the fixture was built, so its
golden files keep only the editable install from it; the other envs are rendered whole.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import orjson
import pytest
import rattler
import yaml
from rattler.explicit_environment import ExplicitEnvironmentSpec

from fixture_root.catalogue import HOST_PYTHON, VIRTUAL_PACKAGES
from jupyterlab_conda_envs.environments.inventory import Inventory
from jupyterlab_conda_envs.environments.package import Package
from jupyterlab_conda_envs.export.history_specs import read_history, requested_specs
from jupyterlab_conda_envs.export.render import (
    EXPORT_MODES,
    LOCK_HEADER,
    ExportMode,
    export_channels,
    export_name,
    lock_block,
    package_digest,
    parse_export_mode,
    read_state_variables,
    render_export,
    yaml_scalar,
)

from .conftest import env_named

GOLDEN = Path(__file__).parent / "golden" / "export"
GOLDEN_ENVS = {
    "pip_shadow": "pip_shadow",
    "données_ü": "non_ascii",  # ASCII file names: git and some filesystems normalize non-ASCII ones differently
    "glm_finetune": "glm_finetune",
    "runnable": "runnable",
}
YML_MODES: tuple[ExportMode, ...] = ("full", "no-builds", "history")
TOKEN = "tk-1234abcd"
PASSWORD = "s3cret"


def _packages(prefix: str) -> list[Package]:
    return Inventory(enabled=False).packages(os.path.realpath(prefix)).packages


def _condarc_channels(conda_root: dict[str, Any]) -> list[str]:
    data = yaml.safe_load(Path(conda_root["paths"]["condarc"]).read_text(encoding="utf-8"))
    return list(data["channels"])


def _render(conda_root: dict[str, Any], env: dict[str, Any], mode: ExportMode, packages: Sequence[Package]) -> str:
    return render_export(
        export_name(env["name"], env["prefix"], env["kind"]),
        packages,
        read_history(env["prefix"]),
        mode,
        _condarc_channels(conda_root),
    )


def _suffix(mode: ExportMode) -> str:
    return "txt" if mode == "explicit" else "yml"


def _check_golden(name: str, mode: ExportMode, text: str, replacements: dict[str, str]) -> None:
    for real, placeholder in replacements.items():
        text = text.replace(real, placeholder)
    path = GOLDEN / f"{name}.{mode}.{_suffix(mode)}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} missing: run with UPDATE_GOLDEN=1 and review it"
    assert text == path.read_bytes().decode("utf-8")


def _root_replacements(conda_root: dict[str, Any]) -> dict[str, str]:
    root = conda_root["fixture_dir"]
    # The URL form first: a `file://` URL of a path under the root percent-encodes what the plain path does not.
    return {Path(root).as_uri(): "file://{FIXTURE_ROOT}", root: "{FIXTURE_ROOT}"}


def _golden_packages(name: str, packages: list[Package]) -> tuple[list[Package], dict[str, str]]:
    """The packages a golden file is rendered from, and the host-specific strings it replaces."""
    if name != "runnable":
        return packages, {}
    kept = [p for p in packages if p.source == "conda" or p.editable]
    python = next(p for p in kept if p.name == "python")
    return kept, {
        f"python-{HOST_PYTHON}-": "python-{HOST_PYTHON}-",
        f"python={HOST_PYTHON}": "python={HOST_PYTHON}",
        f"python=={HOST_PYTHON}": "python=={HOST_PYTHON}",
        str(python.md5): "{HOST_PYTHON_MD5}",
    }


@pytest.mark.parametrize("mode", EXPORT_MODES)
@pytest.mark.parametrize("env_name", list(GOLDEN_ENVS))
def test_golden(conda_root: dict[str, Any], env_name: str, mode: ExportMode) -> None:
    env = env_named(conda_root, env_name)
    packages, host = _golden_packages(env_name, _packages(env["prefix"]))
    text = _render(conda_root, env, mode, packages)
    _check_golden(GOLDEN_ENVS[env_name], mode, text, {**host, **_root_replacements(conda_root)})


# --- a private channel: a token in the path, a password in the URL ------------------------------------------------


@pytest.fixture
def private_env(conda_root: dict[str, Any], tmp_path: Path) -> Path:
    """`no_kernel` copied, its records rewritten as conda writes records from a token and a password channel."""
    prefix = tmp_path / "private_env"
    shutil.copytree(env_named(conda_root, "no_kernel")["prefix"], prefix, symlinks=True)
    for record in sorted((prefix / "conda-meta").glob("*.json")):
        data = json.loads(record.read_text(encoding="utf-8"))
        if data["name"] == "python":
            channel = f"https://user:{PASSWORD}@conda.example.com/internal/{data['subdir']}"
        else:
            channel = f"https://conda.anaconda.org/t/{TOKEN}/private-org/{data['subdir']}"
        data["channel"] = channel
        data["url"] = f"{channel}/{data['fn']}"
        record.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return prefix


@pytest.mark.parametrize("mode", EXPORT_MODES)
def test_golden_private_channels(conda_root: dict[str, Any], private_env: Path, mode: ExportMode) -> None:
    packages = _packages(str(private_env))
    text = render_export("private_env", packages, read_history(str(private_env)), mode, _condarc_channels(conda_root))
    assert TOKEN not in text and PASSWORD not in text
    _check_golden("private_env", mode, text, _root_replacements(conda_root))


def test_secrets_never_leave(conda_root: dict[str, Any], private_env: Path) -> None:
    packages = _packages(str(private_env))
    condarc = [f"https://conda.anaconda.org/t/{TOKEN}/private-org", f"https://u:{PASSWORD}@conda.example.com/x"]
    outputs = [render_export("p", packages, None, mode, condarc) for mode in EXPORT_MODES]
    outputs += [lock_block(packages), orjson.dumps(packages).decode()]
    for text in outputs:
        assert TOKEN not in text and PASSWORD not in text
    # Even packages that did not come through our readers are masked on the way out.
    raw = replace(packages[0], channel=f"https://conda.anaconda.org/t/{TOKEN}/x", url=f"https://u:{PASSWORD}@h/a.conda")
    for mode in EXPORT_MODES:
        text = render_export("p", [raw], None, mode, condarc)
        assert TOKEN not in text and PASSWORD not in text
    assert TOKEN not in lock_block([raw])
    # Private channels keep their place: the token channel holds every record but python.
    assert export_channels(packages, ())[:2] == ["private-org", "https://user:***@conda.example.com/internal"]


# --- structure -------------------------------------------------------------------------------------------------------


def _check_environment_yml(text: str) -> dict[str, Any]:
    doc = yaml.safe_load(text)
    assert isinstance(doc, dict)
    assert set(doc) == {"name", "channels", "dependencies"}  # never `prefix`
    assert isinstance(doc["name"], str) and doc["name"]
    assert isinstance(doc["channels"], list) and all(isinstance(c, str) for c in doc["channels"])
    assert isinstance(doc["dependencies"], list)
    mappings = [d for d in doc["dependencies"] if not isinstance(d, str)]
    assert len(mappings) <= 1
    for m in mappings:
        assert isinstance(m, dict) and list(m) == ["pip"]
        assert isinstance(m["pip"], list) and m["pip"] and all(isinstance(r, str) for r in m["pip"])
    return cast("dict[str, Any]", doc)


def _pip_list(doc: dict[str, Any]) -> list[str]:
    return next((d["pip"] for d in doc["dependencies"] if isinstance(d, dict)), [])


def test_every_env_renders_valid_files(conda_root: dict[str, Any]) -> None:
    for env in conda_root["envs"]:
        packages = _packages(env["prefix"])
        conda = [p for p in packages if p.source == "conda"]
        pip = [p for p in packages if p.source == "pypi"]
        for mode in YML_MODES:
            text = _render(conda_root, env, mode, packages)
            doc = _check_environment_yml(text)
            assert "prefix:" not in text and env["prefix"] not in text, env["name"]
            assert len(_pip_list(doc)) == len(pip), (env["name"], mode)
            if mode != "history":
                strings = [d for d in doc["dependencies"] if isinstance(d, str)]
                assert len(strings) == len(conda)
        explicit = ExplicitEnvironmentSpec.from_str(_render(conda_root, env, "explicit", packages))
        assert str(explicit.platform) == "linux-64"
        urls = [e.url for e in explicit.packages]
        assert sorted(urls) == sorted(f"{p.url}#{p.md5}" for p in conda), env["name"]
        _assert_link_order(urls, packages)


def test_full_lists_every_record_and_pip_dist(conda_root: dict[str, Any]) -> None:
    env = env_named(conda_root, "glm_finetune")
    doc = _check_environment_yml(_render(conda_root, env, "full", _packages(env["prefix"])))
    deps = {d for d in doc["dependencies"] if isinstance(d, str)}
    assert deps == {f"{p['name']}={p['version']}={p['build']}" for p in env["conda_packages"]}
    assert _pip_list(doc) == sorted((f"{p['name']}=={p['version']}" for p in env["pip_packages"]), key=str.lower)
    # The .condarc order (pytorch, nvidia, defaults): the priority the env was solved with. Most records come from
    # defaults, but putting it first would hide the pytorch channel's builds from a strict-priority recreate.
    assert doc["channels"] == ["pytorch", "nvidia", "defaults"]
    assert doc["name"] == "glm_finetune"


def test_explicit_hashes_are_what_conda_and_rattler_read(conda_root: dict[str, Any]) -> None:
    env = env_named(conda_root, "pip_shadow")
    packages = _packages(env["prefix"])
    text = _render(conda_root, env, "explicit", packages)
    lines = text.splitlines()
    assert lines[:4] == [
        "# This file may be used to create an environment using:",
        "# $ conda create --name <env> --file <this file>",
        "# platform: linux-64",
        "@EXPLICIT",
    ]
    conda = {p.url: p for p in packages if p.source == "conda"}
    # conda's own explicit-file pattern (conda/misc.py `url_pat`): the hash must land in its md5/sha256 group.
    url_pat = re.compile(
        r"(?:(?P<url_p>.+)(?:[/\\]))?(?P<fn>[^/\\#]+(?:\.tar\.bz2|\.conda))"
        r"(?:#((?P<md5>[0-9a-f]{32})|((sha256:)?(?P<sha256>[0-9a-f]{64}))))?$"
    )
    urls = [line for line in lines if not line.startswith("#") and line != "@EXPLICIT"]
    assert len(urls) == len(conda)
    for line in urls:
        match = url_pat.match(line)
        assert match is not None, line
        assert conda[line.split("#")[0]].md5 == match.group("md5")
    assert lines[-1] == "# pip numpy==1.26.4"
    # sha256-only records: `#sha256:<hex>`, which both parsers accept.
    sha_only = [replace(p, md5=None) for p in packages]
    explicit = render_export("x", sha_only, None, "explicit", ())
    parsed = ExplicitEnvironmentSpec.from_str(explicit)
    for entry in parsed.packages:
        match = url_pat.match(entry.url)
        assert match is not None and match.group("sha256") == conda[entry.url.split("#")[0]].sha256
    no_hash = [replace(p, md5=None, sha256=None) for p in packages]
    assert all(
        "#" not in e.url
        for e in ExplicitEnvironmentSpec.from_str(render_export("x", no_hash, None, "explicit", ())).packages
    )


def test_explicit_records_without_url(conda_root: dict[str, Any]) -> None:
    packages = _packages(env_named(conda_root, "no_kernel")["prefix"])
    broken = [replace(p, url=None) if p.name == "python" else p for p in packages]
    text = render_export("x", broken, None, "explicit", ())
    python = next(p for p in packages if p.name == "python")
    assert f"# no URL in the conda-meta record of python={python.version}={python.build}\n" in text
    parsed = ExplicitEnvironmentSpec.from_str(text)
    assert len(parsed.packages) == len([p for p in packages if p.source == "conda"]) - 1


# --- history -----------------------------------------------------------------------------------------------------


def test_history_specs_of_real_histories(conda_root: dict[str, Any]) -> None:
    checked = 0
    for env in conda_root["envs"]:
        if env["manager"] != "conda" or env["corrupt_records"]:
            continue
        packages = _packages(env["prefix"])
        doc = _check_environment_yml(_render(conda_root, env, "history", packages))
        specs = [d for d in doc["dependencies"] if isinstance(d, str)]
        expected = list(env["requested_specs"])
        pip = [p for p in packages if p.source == "pypi"]
        if pip and "pip" not in expected:
            expected.append("pip")  # the pip list needs pip; the history of a venv-made env does not name it
        assert sorted(specs) == sorted(expected), env["name"]
        assert len(_pip_list(doc)) == len(pip), env["name"]
        checked += 1
    assert checked >= 10


def test_history_keeps_the_pip_section(conda_root: dict[str, Any]) -> None:
    env = env_named(conda_root, "glm_finetune")
    packages = _packages(env["prefix"])
    full = _check_environment_yml(_render(conda_root, env, "full", packages))
    history = _check_environment_yml(_render(conda_root, env, "history", packages))
    assert _pip_list(history) == _pip_list(full)
    assert {"transformers==4.35.2", "peft==0.7.1", "bitsandbytes==0.41.3"} <= set(_pip_list(history))


def test_history_of_a_corrupt_record_env_drops_what_is_not_installed(conda_root: dict[str, Any]) -> None:
    env = env_named(conda_root, "corrupt_record")
    doc = _check_environment_yml(_render(conda_root, env, "history", _packages(env["prefix"])))
    assert "requests" not in doc["dependencies"]  # its record is unreadable, so it is not installed as far as we know
    assert "python==3.11.5" in doc["dependencies"]


def test_history_replays_update_remove_and_neutered() -> None:
    text = "\n".join(
        [
            "==> 2024-01-01 10:00:00 <==",
            "# cmd: conda create -n x python=3.11 numpy pandas",
            "+defaults/linux-64::python-3.11.5-h955ad1f_0",
            "# update specs: ['python=3.11', 'numpy', 'pandas']",
            "==> 2024-01-02 10:00:00 <==",
            "# cmd: conda remove pandas",
            "# remove specs: ['pandas']",
            "==> 2024-01-03 10:00:00 <==",
            "# cmd: conda install scipy numpy",
            "# install specs: [\"conda-forge::scipy>=1.11\", 'numpy>=1.26']",
            "# neutered specs: [\"numpy[version='>=1.24']\"]",
            "==> 2024-01-04 10:00:00 <==",
            "# cmd: conda update torch",
            "# update specs: __import__('os').system(['false'])",  # neither format: skipped, as conda does
            "# update specs: [__import__('os').getcwd()]",  # not a literal: never evaluated, skipped
            "# update specs: ['torch', 42, None]",  # non-strings dropped
            "# update specs: ['bad',",  # truncated: skipped
            "# uninstall specs: ['torch']",
            "# create specs: requests >=2,<3,click",  # conda < 4.5 wrote a comma-separated string
            "# update specs: ['feature@']",  # conda 4.3's feature removal marker
            "==> 2024-01-05 10:00:00 <==",
            "# update specs: ['tensorflow']",  # no `# cmd:` line: not a user request, as conda counts them
            "==> 2024-01-06 10:00:00 <==",
            "# cmd: conda install -c https://u:pw@host.example/t/TOK/chan pkg",
            "# update specs: ['https://u:pw@host.example/t/TOK/chan::mypkg']",  # the name follows the last `::`
        ]
    )
    assert requested_specs(text) == {
        "python": "python=3.11",
        "numpy": "numpy[version='>=1.24']",
        "scipy": "conda-forge::scipy>=1.11",
        "requests": "requests >=2,<3",
        "click": "click",
        "mypkg": "https://u:pw@host.example/t/TOK/chan::mypkg",
    }
    assert list(requested_specs(text)) == ["python", "numpy", "scipy", "requests", "click", "mypkg"]


def test_history_fallbacks(conda_root: dict[str, Any]) -> None:
    env = env_named(conda_root, "pixi_default")
    packages = _packages(env["prefix"])
    # pixi's history is a placeholder line: the specs come from the records' `requested_specs` (rattler writes them).
    assert requested_specs(read_history(env["prefix"]) or "") == {}
    doc = _check_environment_yml(_render(conda_root, env, "history", packages))
    assert doc["dependencies"] == ["pip", "python ==3.11.5"]
    assert doc["name"] == "default"
    # Several specs for one package are each kept.
    both = [replace(p, requested_spec="python 3.11.*, python >=3.11") if p.name == "python" else p for p in packages]
    doc = _check_environment_yml(render_export("p", both, None, "history", ()))
    assert doc["dependencies"] == ["pip", "python 3.11.*", "python >=3.11"]
    # No record names one either: the dependency graph's leaves (pip here: python, setuptools and wheel are all
    # depended on) plus python, pinned to what is installed.
    bare = [replace(p, requested_spec=None) for p in packages]
    versions = {p.name: p.version for p in packages}
    doc = _check_environment_yml(render_export("p", bare, "// not relevant for pixi", "history", ()))
    assert doc["dependencies"] == [f"pip={versions['pip']}", f"python={versions['python']}"]


# --- determinism, quoting, lock block -----------------------------------------------------------------------------


def test_renders_are_deterministic(conda_root: dict[str, Any]) -> None:
    for name in ("glm_finetune", "runnable", "données_ü"):
        env = env_named(conda_root, name)
        packages = _packages(env["prefix"])
        for mode in EXPORT_MODES:
            first = _render(conda_root, env, mode, packages)
            assert _render(conda_root, env, mode, packages) == first
            for seed in range(3):
                shuffled = list(packages)
                random.Random(seed).shuffle(shuffled)
                assert _render(conda_root, env, mode, shuffled) == first, (name, mode, seed)
        assert lock_block(packages) == lock_block(reversed(packages))


@pytest.mark.parametrize(
    "name",
    [
        "yes",
        "No",
        "null",
        "~",
        "",
        "1.0",
        "0x1F",
        "2024-01-01",
        "a: b",
        "a:",
        "-x",
        "#c",
        "&a",
        "*a",
        "!t",
        "%p",
        "@a",
        "`b",
        "[l]",
        "{m}",
        "|",
        ">",
        "'q'",
        '"d"',
        "a #b",
        " lead",
        "trail ",
        "tab\there",
        "line\nbreak",
        "nel\x85",
        "ls\u2028",
        "bom\ufeff",
        "ünïcode",
        "données_ü",
        "日本語",
        "lone\udcff",
        "emoji\U0001f600",
        "_x",
        "a\\b",
    ],
)
def test_names_round_trip_through_yaml(name: str) -> None:
    text = render_export(name, [], None, "full", ())
    doc = yaml.safe_load(text)
    assert doc["name"] == name
    assert text.count("\n") == 4  # name, channels + `defaults` (none configured), dependencies: a name adds no line
    assert yaml.safe_load(f"k: {yaml_scalar(name)}")["k"] == name


def test_non_ascii_is_written_as_is(conda_root: dict[str, Any]) -> None:
    env = env_named(conda_root, "données_ü")
    text = _render(conda_root, env, "full", _packages(env["prefix"]))
    assert text.startswith("name: données_ü\n")
    assert yaml_scalar("ünïcode") == "ünïcode"
    assert yaml_scalar("yes") == '"yes"' and yaml_scalar("-e file:///x") == '"-e file:///x"'


def _pkg(name: str, version: str, build: str, source: str = "conda", channel: str = "conda-forge") -> Package:
    return Package(
        name=name,
        normalized_name=name.lower().replace("_", "-"),
        version=version,
        build=build,
        build_number=0,
        channel=channel if source == "conda" else "pypi",
        subdir="linux-64" if source == "conda" else "",
        depends=[],
        constrains=[],
        size=None,
        url=None,
        requested_spec=None,
        source="conda" if source == "conda" else "pypi",
        installer=None if source == "conda" else "pip",
        editable=False,
    )


def test_lock_block_format() -> None:
    packages = [
        _pkg("Zeta_Pkg", "1.0", "pypi_0", source="pypi"),
        _pkg("numpy", "1.26.4", "py311h_0", channel="pkgs/main"),
        _pkg("abc", "2.0", "pypi_0", source="pypi"),
        _pkg("private", "1.0", "h1_0", channel=f"https://conda.anaconda.org/t/{TOKEN}/org/linux-64"),
        _pkg("spaced", "1.0", "h2_0", channel="https://host/my channel"),
        _pkg("orphan", "1.0", "h3_0", channel=""),
    ]
    assert lock_block(packages) == (
        f"{LOCK_HEADER}\n"
        "# conda numpy 1.26.4 py311h_0 defaults\n"
        "# conda orphan 1.0 h3_0 -\n"
        "# conda private 1.0 h1_0 org\n"
        "# conda spaced 1.0 h2_0 https://host/my%20channel\n"
        "# pypi abc 2.0\n"
        "# pypi Zeta_Pkg 1.0\n"
    )
    assert LOCK_HEADER == (
        "# conda-envs-lock v1: every package installed when this file was written; conda ignores comments"
    )


def test_lock_block_of_a_real_env(conda_root: dict[str, Any]) -> None:
    env = env_named(conda_root, "glm_finetune")
    packages = _packages(env["prefix"])
    lines = lock_block(packages).splitlines()
    assert lines[0] == LOCK_HEADER
    conda = [line.split(" ") for line in lines[1:] if line.startswith("# conda ")]
    pypi = [line.split(" ") for line in lines[1:] if line.startswith("# pypi ")]
    assert len(conda) + len(pypi) == len(lines) - 1
    assert all(len(f) == 6 for f in conda) and all(len(f) == 4 for f in pypi)
    assert {(f[2], f[3], f[4]) for f in conda} == {(p["name"], p["version"], p["build"]) for p in env["conda_packages"]}
    assert {f[5] for f in conda} == {"defaults", "nvidia", "pytorch"}
    assert [f[2] for f in pypi] == sorted((p["name"] for p in env["pip_packages"]), key=str.lower)


def test_package_digest() -> None:
    packages = [_pkg("numpy", "1.26.4", "py311h_0"), _pkg("rich", "13.7.0", "pypi_0", source="pypi")]
    digest = package_digest(packages)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", digest)
    assert package_digest(list(reversed(packages))) == digest
    assert package_digest([replace(packages[0], version="1.26.5"), packages[1]]) != digest
    assert package_digest([replace(packages[0], build="py311h_1"), packages[1]]) != digest
    assert package_digest([replace(packages[0], source="pypi"), packages[1]]) != digest
    assert package_digest([packages[0]]) != digest
    # Channels are not part of what is installed.
    assert package_digest([replace(packages[0], channel="pkgs/main"), packages[1]]) == digest
    lines = "conda\tnumpy\t1.26.4\tpy311h_0\npypi\trich\t13.7.0\tpypi_0\n"
    assert digest == "sha256:" + hashlib.sha256(lines.encode()).hexdigest()


def test_mode_validation() -> None:
    assert [parse_export_mode(m) for m in EXPORT_MODES] == list(EXPORT_MODES)
    for bad in (None, "", "FULL", "yaml", "full "):
        with pytest.raises(ValueError, match="unknown export mode"):
            parse_export_mode(bad)


def test_export_name() -> None:
    assert export_name("base", "/opt/conda", "base") == "base"
    assert export_name("glm", "/opt/conda/envs/glm", "named") == "glm"
    assert export_name("/data/my envs/x", "/data/my envs/x", "path") == "x"
    assert export_name("projects/demo/env", "/srv/projects/demo/env", "project") == "env"


# --- pip distributions installed from somewhere other than an index ----------------------------------------------


def _dist(site: Path, name: str, version: str, direct_url: dict[str, Any] | str | None) -> None:
    info = site / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    (info / "INSTALLER").write_text("pip\n", encoding="utf-8")
    if direct_url is not None:
        text = direct_url if isinstance(direct_url, str) else json.dumps(direct_url)
        (info / "direct_url.json").write_text(text, encoding="utf-8")


def test_direct_url_installs(tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    (prefix / "conda-meta").mkdir(parents=True)
    site = prefix / "lib" / "python3.11" / "site-packages"
    sha = "a" * 64
    _dist(site, "from_index", "1.0", None)
    _dist(
        site,
        "from_git",
        "0.1",
        {
            "url": f"https://bot:{PASSWORD}@github.com/org/repo.git",
            "vcs_info": {"vcs": "git", "commit_id": "0123abc", "requested_revision": "main"},
        },
    )
    _dist(
        site,
        "from_archive",
        "2.0",
        {"url": f"https://files.example.com/t/{TOKEN}/pkg-2.0.tar.gz", "archive_info": {"hashes": {"sha256": sha}}},
    )
    _dist(
        site, "old_hash", "2.1", {"url": "https://example.com/old-2.1.whl", "archive_info": {"hash": f"sha256={sha}"}}
    )
    _dist(site, "from_dir", "3.0", {"url": "file:///src/local%20dir", "dir_info": {}})
    _dist(site, "editable", "4.0", {"url": "file:///src/editable", "dir_info": {"editable": True}})
    _dist(site, "sneaky", "5.0", {"url": "file:///src/a\n  - evil==1.0", "dir_info": {}})
    _dist(site, "broken_json", "6.0", "{not json")
    _dist(site, "legacy", "0.1", None)
    (site / "legacy.egg-link").write_text("/src/legacy pkg\n.\n", encoding="utf-8")
    _dist(site, "relative_link", "0.2", None)
    (site / "relative_link.egg-link").write_text("src/somewhere\n.\n", encoding="utf-8")

    packages = _packages(str(prefix))
    by_name = {p.name: p for p in packages}
    assert by_name["from_index"].direct_url is None and not by_name["from_index"].editable
    assert by_name["editable"].editable and by_name["legacy"].editable and by_name["relative_link"].editable
    assert by_name["from_dir"].direct_url == "file:///src/local%20dir"
    orjson.dumps(packages)  # still JSON for the packages route

    text = render_export("env", packages, None, "full", ())
    assert TOKEN not in text and PASSWORD not in text
    doc = _check_environment_yml(text)
    assert _pip_list(doc) == [
        "broken_json==6.0",
        "-e file:///src/editable",
        f"from_archive @ https://files.example.com/t/***/pkg-2.0.tar.gz#sha256={sha}",
        "from_dir @ file:///src/local%20dir",
        "from_git @ git+https://bot:***@github.com/org/repo.git@0123abc",
        "from_index==1.0",
        "-e file:///src/legacy%20pkg",
        f"old_hash @ https://example.com/old-2.1.whl#sha256={sha}",
        "sneaky @ file:///src/a%0A%20%20-%20evil==1.0",
    ]
    # An editable install whose source is unknown is said so, not passed off as a PyPI release.
    assert "      # relative_link==0.2: installed in development mode from a folder that is not recorded" in text
    explicit = render_export("env", packages, None, "explicit", ())
    assert "# pip -e file:///src/editable\n" in explicit and "# pip relative_link==0.2: installed" in explicit
    assert ExplicitEnvironmentSpec.from_str(explicit).packages == []


def test_runnable_editable_install_is_a_file_url(conda_root: dict[str, Any]) -> None:
    env = env_named(conda_root, "runnable")
    packages = _packages(env["prefix"])
    (editable,) = [p for p in packages if p.editable]
    source = Path(conda_root["paths"]["editable_project"])
    assert editable.direct_url == source.as_uri()
    doc = _check_environment_yml(_render(conda_root, env, "full", packages))
    assert f"-e {source.as_uri()}" in _pip_list(doc)
    assert "glm-utils==0.1.0" not in _pip_list(doc)


# --- round trip: the full export solves back to the same records ------------------------------------------------


async def _solve(specs: list[str], channels: list[str], cache: Path) -> list[rattler.RepoDataRecord]:
    virtuals = [
        rattler.GenericVirtualPackage(rattler.PackageName(n), rattler.Version(v), rattler.BuildString(b))
        for n, v, b in VIRTUAL_PACKAGES
    ]
    return await rattler.solve(
        [rattler.Channel(c) for c in channels],
        [rattler.MatchSpec(s) for s in specs],
        gateway=rattler.Gateway(cache_dir=cache),
        platforms=["linux-64", "noarch"],
        virtual_packages=virtuals,
    )


@pytest.mark.parametrize("env_name", ["pip_shadow", "cf_cuda12", "glm_finetune"])
def test_full_export_solves_to_the_same_records(conda_root: dict[str, Any], env_name: str, tmp_path: Path) -> None:
    env = env_named(conda_root, env_name)
    doc = _check_environment_yml(_render(conda_root, env, "full", _packages(env["prefix"])))
    local = {c["name"]: Path(c["dir"]).as_uri() for c in conda_root["channels"]}
    channels = [local["pkgs/main" if c == "defaults" else c] for c in doc["channels"]]
    specs = [d for d in doc["dependencies"] if isinstance(d, str)]
    solved = asyncio.run(_solve(specs, channels, tmp_path / "cache"))
    assert {(r.name.normalized, str(r.version), str(r.build)) for r in solved} == {
        (p["name"], p["version"], p["build"]) for p in env["conda_packages"]
    }


# --- review fixes: secrets in history specs, pip metadata that is not a requirement, conda's defaults, variables ----
def test_history_specs_with_channel_urls_are_masked() -> None:
    python = replace(_pkg("python", "3.11.5", "h0"), requested_spec="https://bob:PW2@host.example/t/TOK3/chan::python")
    history = (
        "==> 2024-01-01 10:00:00 <==\n# cmd: conda install\n"
        "# update specs: ['host.example/t/SECRET/chan::numpy', 'https://tok123@host.example/chan::python']\n"
    )
    numpy = _pkg("numpy", "1.26.4", "py311_0")
    for text in (
        render_export("x", [numpy, python], history, "history", ()),
        render_export("x", [python], None, "history", ()),
    ):
        for secret in ("SECRET", "tok123", "PW2", "TOK3"):
            assert secret not in text
    doc = yaml.safe_load(render_export("x", [numpy, python], history, "history", ()))
    # conda 26 writes history specs without their channel (`MatchSpec.conda_env_form`): nothing to leak there.
    assert doc["dependencies"] == ["numpy", "python"]
    fallback = yaml.safe_load(render_export("x", [python], None, "history", ()))
    assert fallback["dependencies"] == ["https://bob:***@host.example/t/***/chan::python"]


@pytest.mark.parametrize(
    ("name", "version"),
    [("evil --index-url https://x", "1.0"), ("ok", "1.0 --extra-index-url https://x"), ("a;b", "1"), ("-r", "1")],
)
def test_pip_metadata_that_is_not_a_requirement_becomes_a_comment(name: str, version: str) -> None:
    pip = replace(_pkg(name, version, "pypi_0", source="pypi"), normalized_name="x")
    text = render_export("x", [_pkg("python", "3.11.5", "h0"), pip], None, "full", ())
    doc = yaml.safe_load(text)
    assert all(isinstance(d, str) for d in doc["dependencies"])  # no pip list at all
    assert "not a valid distribution name or version; not exported" in text
    explicit = render_export("x", [pip], None, "explicit", ())
    # In the explicit list it stays inside its comment line.
    assert all(line.startswith(("#", "@")) for line in explicit.splitlines() if line)


def _assert_link_order(urls: list[str], packages: Sequence[Package]) -> None:
    """conda's link order (`conda list --explicit`): every record after the records it depends on (python's
    dependency on pip and direct cycles, such as pytorch and torchtriton, aside)."""
    position = {p.name: urls.index(f"{p.url}#{p.md5}") for p in packages if p.source == "conda" and p.url}
    depends = {p.name: {d.split()[0] for d in p.depends} for p in packages}
    for p in packages:
        if p.name not in position:
            continue
        for name in depends[p.name]:
            if name in position and p.name not in depends.get(name, ()) and (p.name, name) != ("python", "pip"):
                assert position[name] < position[p.name], (p.name, name)


def test_channels_default_to_defaults_as_conda_does() -> None:
    packages = [_pkg("numpy", "1.26.4", "py311_0", channel="conda-forge")]
    assert export_channels(packages, ()) == ["conda-forge", "defaults"]
    assert export_channels(packages, ["pkgs/main", "conda-forge"]) == ["defaults", "conda-forge"]


def test_the_environment_variables_are_exported(tmp_path: Path) -> None:
    (tmp_path / "conda-meta").mkdir()
    (tmp_path / "conda-meta" / "state").write_text(
        json.dumps({"env_vars": {"CUDA_VISIBLE_DEVICES": "0", "NO": "yes", "weird: key": "a\nb"}}), encoding="utf-8"
    )
    variables = read_state_variables(str(tmp_path))
    assert variables == {"CUDA_VISIBLE_DEVICES": "0", "NO": "yes", "weird: key": "a\nb"}
    for mode in ("full", "no-builds", "history"):
        doc = yaml.safe_load(render_export("x", [_pkg("python", "3.11.5", "h0")], None, mode, (), variables=variables))
        assert doc["variables"] == {"CUDA_VISIBLE_DEVICES": "0", "NO": "yes", "weird: key": "a%0Ab"}, mode
    assert "variables" not in render_export("x", [], None, "explicit", (), variables=variables)
    (tmp_path / "conda-meta" / "state").write_text("not json", encoding="utf-8")
    assert read_state_variables(str(tmp_path)) == {}
