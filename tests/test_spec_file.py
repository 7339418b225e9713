"""Environment files read into a package list: the three forms, the spec syntaxes, and hostile input."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from jupyterlab_conda_envs.core.names import normalize
from jupyterlab_conda_envs.export import environment_yaml
from jupyterlab_conda_envs.export.environment_yaml import MAX_ITEMS, SpecError, SpecTooLarge, load_environment_yaml
from jupyterlab_conda_envs.export.spec_entries import SpecEntry
from jupyterlab_conda_envs.export.spec_file import (
    LOCK_HEADER,
    SpecFile,
    parse_spec_file,
)

from .conftest import env_named

TOKEN = "tk-9f8e7d6c5b4a"


def parse(text: str) -> SpecFile:
    return parse_spec_file(text.encode("utf-8"))


def one_conda(spec: str) -> SpecEntry:
    result = parse(f"dependencies:\n  - {json.dumps(spec)}\n")  # a JSON string is a YAML double-quoted one
    assert result.problems == [], result.problems
    assert len(result.entries) == 1
    return result.entries[0]


def one_pip(line: str) -> SpecFile:
    return parse(f"dependencies:\n  - pip\n  - pip:\n      - {json.dumps(line)}\n")


def refused(data: bytes, *, max_bytes: int = environment_yaml.MAX_BYTES) -> str:
    """The message of the SpecError both entry points raise for `data`."""
    with pytest.raises(SpecError) as first:
        parse_spec_file(data, max_bytes=max_bytes)
    with pytest.raises(SpecError) as second:
        load_environment_yaml(data, max_bytes=max_bytes)
    assert str(first.value) == str(second.value)
    return str(first.value)


# --- conda match specs in environment.yml ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "version", "fuzzy", "build", "channel", "constraint"),
    [
        ("numpy", None, False, None, None, None),
        ("numpy=1.26", "1.26", True, None, None, None),
        ("numpy=1.26.4", "1.26.4", True, None, None, None),
        ("numpy==1.26.4", "1.26.4", False, None, None, None),
        ("numpy=1.26.4=py311h64a7726_0", "1.26.4", False, "py311h64a7726_0", None, None),
        ("numpy 1.26.4 py311h64a7726_0", "1.26.4", False, "py311h64a7726_0", None, None),
        ("numpy>=1.20,<2", None, False, None, None, ">=1.20,<2"),
        ("numpy >=1.20, <2", None, False, None, None, ">=1.20,<2"),
        ("numpy=1.26.*", "1.26", True, None, None, None),
        ("numpy==1.26.*", "1.26", True, None, None, None),
        ("numpy ==1.26.4", "1.26.4", False, None, None, None),
        ("numpy *", None, False, None, None, None),
        ("conda-forge::numpy=1.26", "1.26", True, None, "conda-forge", None),
        ("conda-forge/linux-64::numpy", None, False, None, "conda-forge", None),
        ("pkgs/main::numpy", None, False, None, "pkgs/main", None),
        ("https://conda.anaconda.org/conda-forge::numpy", None, False, None, "conda-forge", None),
        ("pytorch[version='>=2', build=*cuda*]", None, False, None, None, ">=2 build=*cuda*"),
        ("pytorch[version='==2.1.0']", "2.1.0", False, None, None, None),
        ("pytorch[version=2.1.0, build=py3.10_cuda11.8_cudnn8.7.0_0]", "2.1.0", False, None, None, None),
        ("pytorch=2.1=*cuda*", "2.1", False, None, None, "build=*cuda*"),
        ("pytorch[channel=pytorch, version='2.1.*']", "2.1", True, None, "pytorch", None),
        ("python>=3.10", None, False, None, None, ">=3.10"),
    ],
)
def test_conda_spec_forms(
    spec: str, version: str | None, fuzzy: bool, build: str | None, channel: str | None, constraint: str | None
) -> None:
    entry = one_conda(spec)
    assert entry.source == "conda"
    assert entry.spec == spec
    got = (entry.version, entry.fuzzy, entry.channel, entry.constraint)
    assert got == (version, fuzzy, channel, constraint)
    if "build=py3.10" in spec:
        build = "py3.10_cuda11.8_cudnn8.7.0_0"
    assert entry.build == build


def test_conda_names_keep_their_spelling_and_normalize_as_installed_packages_do() -> None:
    entry = one_conda("PyYAML=6.0")
    assert (entry.name, entry.normalized_name) == ("PyYAML", "pyyaml")
    entry = one_conda("_libgcc_mutex")
    assert (entry.name, entry.normalized_name) == ("_libgcc_mutex", normalize("_libgcc_mutex"))


@pytest.mark.parametrize("spec", ["numpy=", "numpy==", "numpy=1=2=3", "numpy@1.0", "a b c d", "???", "numpy[version"])
def test_unreadable_conda_specs_are_problems_not_entries(spec: str) -> None:
    result = parse(f'dependencies:\n  - python=3.11\n  - "{spec}"\n')
    assert [e.name for e in result.entries] == ["python"]
    assert len(result.problems) == 1
    assert result.problems[0].startswith("dependencies[1]: ")
    assert not result.complete


def test_a_token_in_a_channel_url_is_masked_everywhere() -> None:
    result = parse(
        f"channels:\n  - https://conda.anaconda.org/t/{TOKEN}/private\n"
        f"dependencies:\n  - https://conda.anaconda.org/t/{TOKEN}/private/linux-64::tool=1.0\n"
    )
    (entry,) = result.entries
    assert entry.channel == "private"
    assert result.channels == ["https://conda.anaconda.org/t/***/private"]
    assert TOKEN not in orjson.dumps(result).decode()


# --- pip lines --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name", "normalized", "version", "fuzzy", "constraint"),
    [
        ("requests==2.31.0", "requests", "requests", "2.31.0", False, None),
        ("requests>=2", "requests", "requests", None, False, ">=2"),
        ("requests[socks]==2.31.0", "requests", "requests", "2.31.0", False, None),
        ("torch==2.1.0+cu118", "torch", "torch", "2.1.0+cu118", False, None),
        ("Flash_Attn==2.5.*", "Flash_Attn", "flash-attn", "2.5", True, None),
        ("requests==2.31.0  # pinned for the proxy", "requests", "requests", "2.31.0", False, None),
        ('accelerate==0.25.0; python_version >= "3.8"', "accelerate", "accelerate", "0.25.0", False, None),
    ],
)
def test_pip_requirements(
    line: str, name: str, normalized: str, version: str | None, fuzzy: bool, constraint: str | None
) -> None:
    result = one_pip(line)
    assert result.problems == [] and result.options == []
    pypi = [e for e in result.entries if e.source == "pypi"]
    assert len(pypi) == 1
    entry = pypi[0]
    got = (entry.name, entry.normalized_name, entry.version, entry.fuzzy, entry.constraint)
    assert got == (name, normalized, version, fuzzy, constraint)
    assert entry.build is None and entry.channel is None


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("-e git+https://github.com/org/repo.git#egg=mylib", "mylib"),
        ("--editable=git+https://github.com/org/repo.git@v1#egg=other_lib&subdirectory=py", "other_lib"),
        ("-e ./local", None),
        ("mylib @ git+https://github.com/org/repo.git@main", "mylib"),
        ("--index-url https://download.pytorch.org/whl/cu118", None),
        ("--extra-index-url https://pypi.example.org/simple", None),
        ("-r requirements.txt", None),
        ("git+https://github.com/org/repo.git", None),
        ("git+https://github.com/org/repo.git#egg=fromgit", "fromgit"),
        ("./local/path", None),
        ("https://example.org/wheels/x-1.0-py3-none-any.whl", None),
        ("dist/x-1.0.tar.gz", None),
    ],
)
def test_pip_lines_that_are_not_plain_requirements_are_listed_as_options(line: str, named: str | None) -> None:
    result = one_pip(line)
    assert result.options == [line]
    assert result.problems == []
    assert [e.name for e in result.entries if e.source == "pypi"] == ([named] if named else [])


def test_secrets_in_pip_lines_are_masked() -> None:
    result = parse(
        "dependencies:\n  - pip:\n"
        f"      - --index-url https://user:{TOKEN}@pypi.example.org/simple\n"
        f"      - -e git+https://{TOKEN}@github.com/org/repo.git#egg=private_lib\n"
        "      - -e git+ssh://git@github.com/org/repo.git#egg=ssh_lib\n"
    )
    assert TOKEN not in orjson.dumps(result).decode()
    assert result.options == [
        "--index-url https://user:***@pypi.example.org/simple",
        "-e git+https://***@github.com/org/repo.git#egg=private_lib",
        "-e git+ssh://git@github.com/org/repo.git#egg=ssh_lib",
    ]
    assert [e.name for e in result.entries] == ["private_lib", "ssh_lib"]


def test_an_unreadable_pip_line_is_a_problem() -> None:
    result = one_pip("requests ===== 2")
    assert result.problems == ["dependencies[1].pip[0]: `requests ===== 2` is not a pip requirement; left out."]
    assert [e.name for e in result.entries] == ["pip"]


# --- environment.yml as a whole ---------------------------------------------------------------------------

EXPORTED = """\
name: glm_finetune
channels:
  - pytorch
  - nvidia
  - defaults
dependencies:
  - _libgcc_mutex=0.1=main
  - python=3.10.13=h955ad1f_0
  - pytorch=2.1.0=py3.10_cuda11.8_cudnn8.7.0_0
  - numpy=1.26.4=py310h5f9d8c6_0
  - pip=23.3.1=py310h06a4308_0
  - pip:
      - transformers==4.35.2
      - accelerate==0.25.0
prefix: /home/me/miniconda3/envs/glm_finetune
"""


def test_a_conda_env_export_is_complete_and_sorted() -> None:
    result = parse(EXPORTED)
    assert result.kind == "yml"
    assert result.name == "glm_finetune"
    assert result.channels == ["pytorch", "nvidia", "defaults"]
    assert result.complete
    names = [(e.source, e.name) for e in result.entries]
    assert names == [
        ("conda", "_libgcc_mutex"),
        ("conda", "numpy"),
        ("conda", "pip"),
        ("conda", "python"),
        ("conda", "pytorch"),
        ("pypi", "accelerate"),
        ("pypi", "transformers"),
    ]
    assert result.problems == ["prefix: ignored; an environment is created from its name."]


@pytest.mark.parametrize(
    ("dependencies", "complete"),
    [
        (["numpy==1.26.4", "python==3.11.7"], True),
        (["numpy=1.26.4=py311h64a7726_0", "python 3.11.7 h955ad1f_0"], True),
        (["numpy=1.26.4=py311h64a7726_0", "python=3.11"], False),  # one fuzzy pin
        (["numpy=1.26.4", "python=3.11.7"], False),  # `=x` is a prefix match, even with three parts
        (["numpy=1.26.4=py311h64a7726_0", "python"], False),  # one unpinned
        (["numpy=1.26.4=py311h64a7726_0", "numpy>=1"], False),
        (["numpy=1.26.4=py311h64a7726_0", "numpy=1=2=3"], False),  # one not understood
        ([], False),
    ],
)
def test_complete_only_when_every_conda_dependency_is_pinned_exactly(dependencies: list[str], complete: bool) -> None:
    text = "dependencies:\n" + "".join(f"  - {d}\n" for d in dependencies) + "  - pip:\n      - x==1\n"
    assert parse(text).complete is complete


def test_entries_are_conda_then_pypi_each_sorted_by_normalized_name() -> None:
    result = parse("dependencies:\n  - zlib\n  - Numpy\n  - absl-py\n  - pip:\n      - Zope==1\n      - a_b==2\n")
    assert [(e.source, e.normalized_name) for e in result.entries] == [
        ("conda", "absl-py"),
        ("conda", "numpy"),
        ("conda", "zlib"),
        ("pypi", "a-b"),
        ("pypi", "zope"),
    ]


def test_variables_unknown_keys_and_empty_sections() -> None:
    variables = "variables:\n  CUDA_HOME: /usr/local/cuda\n  N: 4\n  DEBUG: yes\n  E:\n"
    result = parse(f"name: x\nchannels:\ndependencies:\n{variables}category: main\n")
    assert result.variables == {"CUDA_HOME": "/usr/local/cuda", "N": "4", "DEBUG": "true", "E": ""}
    assert result.channels == [] and result.entries == []
    assert result.problems == ["category: not an environment file key; ignored."]


def test_the_result_is_json_for_the_browser() -> None:
    result = parse(EXPORTED)
    data = orjson.loads(orjson.dumps(result))
    assert set(data) == {
        "kind",
        "name",
        "channels",
        "entries",
        "complete",
        "platform",
        "variables",
        "problems",
        "options",
    }
    assert data["entries"][0] == {
        "source": "conda",
        "name": "_libgcc_mutex",
        "normalized_name": "-libgcc-mutex",
        "version": "0.1",
        "fuzzy": False,
        "build": "main",
        "channel": None,
        "spec": "_libgcc_mutex=0.1=main",
        "constraint": None,
    }


def test_load_environment_yaml_returns_the_mapping() -> None:
    data = load_environment_yaml(EXPORTED.encode())
    assert data["name"] == "glm_finetune"
    assert data["prefix"] == "/home/me/miniconda3/envs/glm_finetune"
    dependencies = data["dependencies"]
    assert isinstance(dependencies, list)
    assert dependencies[-1] == {"pip": ["transformers==4.35.2", "accelerate==0.25.0"]}


def test_a_utf8_byte_order_mark_and_crlf_line_ends_are_fine() -> None:
    result = parse_spec_file(b"\xef\xbb\xbfname: x\r\ndependencies:\r\n  - numpy=1.26\r\n")
    assert result.name == "x"
    assert [e.name for e in result.entries] == ["numpy"]


# --- the fixture's real environment.yml files ------------------------------------------------------------


def test_the_fixture_project_yml_matches_its_environment(conda_root: dict[str, Any]) -> None:
    path = Path(conda_root["paths"]["environment_yml"])
    result = parse_spec_file(path.read_bytes())
    env = env_named(conda_root, result.name or "")
    assert result.problems == [] and result.options == []
    assert not result.complete  # written like `conda env export --from-history`
    requested = {spec.split("=")[0] for spec in env["requested_specs"]}
    assert {e.name for e in result.entries if e.source == "conda"} == requested
    pip = {(p["name"], p["version"]) for p in env["pip_packages"]}
    assert {(e.name, e.version) for e in result.entries if e.source == "pypi"} == pip
    pytorch = next(e for e in result.entries if e.name == "pytorch")
    assert (pytorch.version, pytorch.fuzzy) == ("2.1.0", True)


def test_every_fixture_yml_parses_cleanly(conda_root: dict[str, Any]) -> None:
    paths = sorted(Path(conda_root["paths"]["projects"]).glob("*/environment.y*ml"))
    assert len(paths) >= 3
    for path in paths:
        result = parse_spec_file(path.read_bytes())
        assert result.name and result.entries and result.problems == [], path


def test_an_export_of_a_fixture_env_with_builds_is_complete_and_exact(conda_root: dict[str, Any]) -> None:
    env = env_named(conda_root, "glm_finetune")
    conda = env["conda_packages"]
    text = "name: glm_finetune\ndependencies:\n"
    text += "".join(f"  - {p['name']}={p['version']}={p['build']}\n" for p in conda)
    result = parse(text)
    assert result.complete and result.problems == []
    got = {(e.name, e.version, e.build) for e in result.entries}
    assert got == {(p["name"], p["version"], p["build"]) for p in conda}


# --- explicit files ---------------------------------------------------------------------------------------

EXPLICIT = f"""\
# This file may be used to create an environment using:
# $ conda create --name <env> --file <this file>
# platform: linux-64
# created-by: conda 24.1.2
@EXPLICIT
https://repo.anaconda.com/pkgs/main/linux-64/_libgcc_mutex-0.1-main.conda#c3473ff8bdb3d124ed5ff11ec380d6f9
https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py311h64a7726_0.conda#a502d7aad449a1206efb366d6a12c52d
https://conda.anaconda.org/pytorch/linux-64/pytorch-2.1.0-py3.11_cuda11.8_cudnn8.7.0_0.tar.bz2#sha256:7d1c2f5c0d9e1a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b
https://conda.anaconda.org/nvidia/linux-64/cuda-runtime-11.8.0-0.tar.bz2#7d1c2f5c0d9e1a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b
https://conda.anaconda.org/t/{TOKEN}/acme-private/noarch/acme-tools-0.3.1-pyhd8ed1ab_0.conda
file:///opt/channels/local/noarch/local-pkg-1.0-0.tar.bz2
https://conda.anaconda.org/conda-forge/linux-64/not-a-package.txt
# pip requests==2.31.0
"""


def test_an_explicit_file_gives_every_package_with_its_build_and_channel() -> None:
    result = parse(EXPLICIT)
    assert (result.kind, result.complete, result.platform, result.name) == ("explicit", True, "linux-64", None)
    conda = {e.name: (e.version, e.build, e.channel) for e in result.entries if e.source == "conda"}
    assert conda == {
        "_libgcc_mutex": ("0.1", "main", "pkgs/main"),
        "numpy": ("1.26.4", "py311h64a7726_0", "conda-forge"),
        "pytorch": ("2.1.0", "py3.11_cuda11.8_cudnn8.7.0_0", "pytorch"),
        "cuda-runtime": ("11.8.0", "0", "nvidia"),
        "acme-tools": ("0.3.1", "pyhd8ed1ab_0", "acme-private"),
        "local-pkg": ("1.0", "0", "file:///opt/channels/local"),
    }
    assert [(e.name, e.version) for e in result.entries if e.source == "pypi"] == [("requests", "2.31.0")]
    assert result.channels == [
        "pkgs/main",
        "conda-forge",
        "pytorch",
        "nvidia",
        "acme-private",
        "file:///opt/channels/local",
    ]
    assert result.problems == [
        "Line 12: `https://conda.anaconda.org/conda-forge/linux-64/not-a-package.txt` is not a package URL; left out."
    ]
    assert TOKEN not in orjson.dumps(result).decode()


# --- the lock block ---------------------------------------------------------------------------------------

LOCK = f"""\
{LOCK_HEADER}
# conda _libgcc_mutex 0.1 main pkgs/main
# conda numpy 1.26.4 py311h64a7726_0 conda-forge
# conda local-thing 0.1 - -
# pypi transformers 4.35.2
# pypi Flash_Attn 2.5.6
"""


def test_a_yml_with_a_lock_block_takes_its_entries_from_the_block() -> None:
    text = "name: demo\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - numpy\n" + LOCK
    result = parse(text)
    assert (result.kind, result.name, result.channels, result.complete) == ("lock", "demo", ["conda-forge"], True)
    assert [(e.source, e.name, e.version, e.build, e.channel) for e in result.entries] == [
        ("conda", "_libgcc_mutex", "0.1", "main", "pkgs/main"),
        ("conda", "local-thing", "0.1", None, None),
        ("conda", "numpy", "1.26.4", "py311h64a7726_0", "conda-forge"),
        ("pypi", "Flash_Attn", "2.5.6", None, None),
        ("pypi", "transformers", "4.35.2", None, None),
    ]
    assert next(e for e in result.entries if e.name == "Flash_Attn").normalized_name == "flash-attn"
    assert all(not e.fuzzy for e in result.entries)
    assert result.problems == []


def test_an_explicit_file_with_a_lock_block_takes_its_entries_from_the_block() -> None:
    result = parse(EXPLICIT + LOCK)
    assert (result.kind, result.platform, result.complete) == ("lock", "linux-64", True)
    assert [e.name for e in result.entries] == ["_libgcc_mutex", "local-thing", "numpy", "Flash_Attn", "transformers"]


def test_a_bad_lock_line_is_a_problem_and_the_rest_is_kept() -> None:
    result = parse(f"name: demo\n{LOCK_HEADER}\n# conda numpy 1.26.4\n# pypi requests 2.31.0\n")
    assert result.kind == "lock"
    assert [e.name for e in result.entries] == ["requests"]
    assert result.problems == ["Line 3: `# conda numpy 1.26.4` is not a lock line; left out."]


def test_a_lock_block_of_another_version_is_not_read() -> None:
    result = parse("name: demo\ndependencies:\n  - numpy\n# conda-envs-lock v2: something new\n# conda numpy 1 b c\n")
    assert result.kind == "yml"
    assert [(e.name, e.version) for e in result.entries] == [("numpy", None)]
    assert result.problems == ["Line 4: a lock block of an unknown version (v2); ignored."]


def test_a_lock_block_alone_is_a_file() -> None:
    result = parse(LOCK)
    assert (result.kind, result.name, len(result.entries)) == ("lock", None, 5)


# --- bad input --------------------------------------------------------------------------------------------


def test_over_the_size_cap_is_refused_before_any_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(yaml, "parse", boom)
    monkeypatch.setattr(yaml, "load", boom)
    data = b"dependencies:\n" + b"  - numpy\n" * (2 * 1024 * 1024 // 10)
    assert len(data) > 2 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(SpecTooLarge, match="limit is 1,048,576"):
        parse_spec_file(data)
    with pytest.raises(SpecTooLarge):
        load_environment_yaml(data)
    assert time.monotonic() - started < 0.1
    with pytest.raises(SpecTooLarge):
        parse_spec_file(b"name: x\n", max_bytes=4)


BILLION_LAUGHS = b"""\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
dependencies: *i
"""


def test_an_alias_bomb_is_refused_fast() -> None:
    started = time.monotonic()
    message = refused(BILLION_LAUGHS)
    assert time.monotonic() - started < 1
    assert message == "a (line 1): YAML anchors and aliases (& and *) are not allowed."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "channels: &c\n  - conda-forge\ndependencies:\n  - numpy\n",
            "channels (line 1): YAML anchors and aliases (& and *) are not allowed.",
        ),
        (
            "x: &n numpy\ndependencies:\n  - *n\n",
            "x (line 1): YAML anchors and aliases (& and *) are not allowed.",
        ),
        (
            "dependencies:\n  - python\n  - &p pip\n",
            "dependencies[1] (line 3): YAML anchors and aliases (& and *) are not allowed.",
        ),
    ],
)
def test_a_single_harmless_anchor_or_alias_is_refused(text: str, message: str) -> None:
    assert refused(text.encode()) == message


@pytest.mark.parametrize(
    "template",
    [
        '!!python/object/apply:os.system ["touch {path}"]\n',
        'name: x\ndependencies:\n  - !!python/object/apply:os.system ["touch {path}"]\n',
        'name: !!python/object/new:os.system ["touch {path}"]\n',
    ],
)
def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path, template: str) -> None:
    pwned = tmp_path / "pwned"
    message = refused(template.format(path=pwned).encode())
    assert "YAML tag !!python/object/" in message and "is not allowed" in message
    assert not pwned.exists()


def test_the_tag_payload_is_live_under_an_unsafe_loader(tmp_path: Path) -> None:
    # Keeps the test above honest: the same text does run a command when a full loader reads it.
    pwned = tmp_path / "pwned"
    yaml.unsafe_load(f'!!python/object/apply:os.system ["touch {pwned}"]\n')
    assert pwned.exists()


def test_local_tags_are_refused_and_standard_ones_are_fine() -> None:
    assert refused(b"name: !env MY_NAME\n") == "name (line 1): the YAML tag !env is not allowed."
    assert parse("name: !!str 2024\n").name == "2024"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("- numpy\n- scipy\n", "found a list"),
        ("numpy\n", "found text"),
        ("", "it is empty"),
        ("# hi\n", "it is empty"),
        ("---\n", "it is empty"),
        ("42\n", "found a number"),
    ],
)
def test_the_top_level_must_be_a_mapping(text: str, found: str) -> None:
    assert refused(text.encode()) == f"The file is not a mapping of name, channels and dependencies ({found})."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dependencies: numpy\n", "dependencies: not a list (found text)."),
        ("dependencies:\n  numpy: 1\n", "dependencies: not a list (found a mapping)."),
        ("dependencies: [numpy, scipy, pandas, 3.11]\n", "dependencies[3]: not text (found a number)."),
        ("dependencies:\n  - pip: requests\n", "dependencies[0].pip: not a list (found text)."),
        ("dependencies:\n  - numpy\n  - pip: [requests, 2]\n", "dependencies[1].pip[1]: not text (found a number)."),
        ("dependencies:\n  - pip: [[requests]]\n", "dependencies[0].pip[0]: not text (found a list)."),
        ("dependencies:\n  - conda: [numpy]\n", "dependencies[0]: only a `pip:` list may appear here as a mapping."),
        (
            "dependencies:\n  - {pip: [a], extra: [b]}\n",
            "dependencies[0]: only a `pip:` list may appear here as a mapping.",
        ),
        ("channels: conda-forge\n", "channels: not a list (found text)."),
        ("channels: [conda-forge, null]\n", "channels[1]: not text (found nothing)."),
        ("name: [a]\n", "name: not text (found a list)."),
        ("name: 3\n", "name: not text (found a number)."),
        ("variables: [A]\n", "variables: not a mapping (found a list)."),
        ("variables:\n  A: [1, 2]\n", "variables.A: not a single value (found a list)."),
        ("1: x\n", "The top-level key '1' is not text."),
        ("name: x\nwhen: 2024-13-45\n", "A value could not be read: month must be in 1..12."),
    ],
)
def test_wrong_shapes_are_refused_with_where(text: str, message: str) -> None:
    assert refused(text.encode()) == message


def test_invalid_yaml_is_refused_with_its_line() -> None:
    # The wording after the line is libyaml's (or PyYAML's without libyaml).
    assert refused(b"name: x\nchannels: [conda-forge\n").startswith("Line 3: not valid YAML (")
    assert refused(b"name: x\n  bad: indent\n").startswith("Line 2: not valid YAML (")


def test_bytes_that_are_not_utf8_are_refused() -> None:
    assert refused(b"name: demo\nchannels: [caf\xe9]\n") == "The file is not UTF-8 text (line 2)."
    assert refused("name: x\n".encode("utf-16")) == "The file is not UTF-8 text (line 1)."


def test_two_documents_are_refused() -> None:
    message = refused(b"name: a\ndependencies: [numpy]\n---\nname: b\n")
    assert message == "Line 3: the file holds more than one YAML document."


@pytest.mark.parametrize(
    "data",
    [
        b"dependencies: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
        b"- " * 10_000 + b"x\n",
        b"a:\n" + b"".join(b" " * i + b"a:\n" for i in range(1, 200)),
    ],
)
def test_deep_nesting_is_refused_not_a_recursion_error(data: bytes) -> None:
    started = time.monotonic()
    message = refused(data)
    assert time.monotonic() - started < 1
    # Ours, or libyaml's own limit when its scanner reads a flow collection ahead of the events.
    assert message.endswith(
        (
            f"nested more than {environment_yaml.MAX_DEPTH} levels deep.",
            "not valid YAML (exceeded maximum nesting depth).",
        )
    )


def test_a_list_over_the_item_cap_is_refused() -> None:
    data = b"name: big\ndependencies:\n" + b"  - p\n" * 100_000
    assert len(data) < environment_yaml.MAX_BYTES
    started = time.monotonic()
    message = refused(data)
    assert time.monotonic() - started < 1
    assert message == f"dependencies (line {MAX_ITEMS + 3}): more than {MAX_ITEMS:,} items."


def test_a_file_over_the_value_cap_is_refused() -> None:
    lists = "".join(f"  - pip: [{', '.join(['r'] * 9_000)}]\n" for _ in range(6))
    message = refused(f"dependencies:\n{lists}".encode())
    assert message.endswith(f"the file holds more than {environment_yaml.MAX_NODES:,} values.")


def test_at_the_caps_a_file_is_still_read() -> None:
    data = b"dependencies:\n" + b"  - p\n" * MAX_ITEMS
    assert len(parse_spec_file(data).entries) == MAX_ITEMS
