"""A create request's environment.yml, checked before any process starts (testing.md #3, #4, #6-#11, #18)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from jupyterlab_conda_envs.create.risks import RISK_KINDS, CreateError
from jupyterlab_conda_envs.create.validation import CreatePlan, check_env_name, plan_create

TOKEN = "tk-9f8e7d6c5b4a"
PASSWORD = "s3cr3t-pw"


def refused(data: str | bytes, **kwargs: Any) -> CreateError:
    with pytest.raises(CreateError) as info:
        plan_create(data.encode() if isinstance(data, str) else data, **kwargs)
    return info.value


def plan(text: str, **kwargs: Any) -> CreatePlan:
    return plan_create(text.encode(), **kwargs)


def document(created: CreatePlan) -> dict[str, Any]:
    """What the plan says the file must contain, in conda's environment.yml shape."""
    dependencies: list[Any] = list(created.conda)
    if created.pip:
        dependencies.append({"pip": created.pip})
    result: dict[str, Any] = {"name": created.name, "dependencies": dependencies}
    if created.channels:
        result["channels"] = created.channels
    if created.variables:
        result["variables"] = created.variables
    return result


# --- names (#3, #4, #11, #18) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "-h",  # 3: would be read as an option
        "--prefix=/tmp/x",
        "--help",
        "-n",
        "..",  # 4
        ".",
        "a/b",
        "a b",
        "a:b",
        "a#b",
        "base",
        "root",
        "a\0b",
        "x" * 300,
        "../../x",  # 11: a path in place of a name
        "/abs/path",
        "a\\b",
        "a;b",
        "$HOME",
        "~user",
        "a*b",
        "a?b",
        'a"b',
        "a<b",
        "a>b",
        "a|b",
        "a`b",
        "a\tb",
        "a\nb",
        "a\x7fb",
        "a\u202eb",  # right-to-left override: spoofs what the user reads
        "a\u200bb",  # zero-width space
        "a\u00a0b",  # no-break space
        " lead",
        "trail ",
        "",
        "   ",
    ],
)
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(CreateError) as info:
        check_env_name(name)
    assert info.value.status == 400
    assert info.value.where == "name"
    # the same through a request, whether the name comes from the request or from the file
    assert refused("dependencies: [numpy]\n", name=name).status == 400
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"').replace("\0", "\\0").replace("\t", "\\t") + '"'
    quoted = quoted.replace("\n", "\\n").replace("\x7f", "\\x7f")
    from_file = refused(f"name: {quoted}\ndependencies: [numpy]\n")
    assert from_file.status == 400 and from_file.where == "name"


@pytest.mark.parametrize("name", [None, 3, 1.0, True, ["a"], {"a": 1}, b"env"])
def test_a_name_that_is_not_text_is_refused(name: object) -> None:
    with pytest.raises(CreateError) as info:
        check_env_name(name)
    assert info.value.status == 400 and info.value.where == "name"


@pytest.mark.parametrize(
    "name",
    [
        "ml",
        "torch-2.11_cu130",
        "Base",  # conda reserves `base` and `root` exactly
        "rooted",
        ".hidden",
        "a..b",
        "1.0",
        "yes",
        "a@b",
        "a=b,c+d%e!f'g(h)[i]{j}",
        "a~b",
        "données-été",  # 18
        "数据科学",
        "Ωmega",
        "x" * 255,
        "é" * 127,  # 254 bytes
    ],
)
def test_good_names_are_accepted(name: str) -> None:
    assert check_env_name(name) == name
    created = plan("dependencies: [numpy]\n", name=name)
    assert created.name == name
    assert yaml.safe_load(created.yaml_text)["name"] == name


def test_the_length_limit_is_in_utf8_bytes() -> None:
    assert check_env_name("x" * 255) == "x" * 255
    assert refused("dependencies: []\n", name="x" * 256).status == 400
    assert refused("dependencies: []\n", name="é" * 128).status == 400  # 128 characters, 256 bytes


def test_a_name_is_required() -> None:
    error = refused("dependencies: [numpy]\n")
    assert error.status == 400 and error.where == "name"
    assert plan("dependencies: [numpy]\n", name="given").name == "given"
    assert plan("name: from-file\ndependencies: [numpy]\n").name == "from-file"


def test_the_requested_name_overrides_the_file_and_a_path_is_never_taken() -> None:
    text = "name: ../../etc\nprefix: /tmp/elsewhere\ndependencies: [numpy]\n"
    assert refused(text).where == "name"
    created = plan(text, name="safe")
    assert created.name == "safe"
    # 11: the server, not the file or the client, decides where the environment goes: `prefix:` is dropped
    assert "prefix" not in yaml.safe_load(created.yaml_text)
    assert "/tmp/elsewhere" not in created.yaml_text
    assert not hasattr(created, "prefix")


def test_non_ascii_names_round_trip() -> None:
    created = plan("name: données-été\ndependencies: [numpy]\n")
    assert created.name == "données-été"
    assert "name: données-été\n" in created.yaml_text  # written as is, not escaped
    assert yaml.safe_load(created.yaml_text)["name"] == "données-été"


# --- hostile YAML (#6 - #9) --------------------------------------------------------------------------------


def test_a_file_over_the_cap_is_413_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse_called(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed a file over the cap")

    monkeypatch.setattr(yaml, "parse", parse_called)
    monkeypatch.setattr(yaml, "load", parse_called)
    data = b"name: x\ndependencies:\n" + b"  - numpy\n" * 200
    error = refused(data, max_bytes=len(data) - 1)
    assert error.status == 413
    assert refused(b"\xff" * (1 << 20) + b"x").status == 413  # the default cap: 1 MiB, before decoding


def test_the_cap_is_inclusive() -> None:
    data = b"name: x\ndependencies: [numpy]\n"
    assert plan_create(data, max_bytes=len(data)).name == "x"


BILLION_LAUGHS = "".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")),
        "dependencies: *i\n",
    ]
)


def test_an_alias_bomb_is_refused_fast() -> None:
    started = time.monotonic()
    error = refused(BILLION_LAUGHS, name="x")
    assert time.monotonic() - started < 1
    assert error.status == 400
    assert "anchors and aliases" in str(error)


@pytest.mark.parametrize(
    "template",
    [
        '!!python/object/apply:os.system ["touch {path}"]\n',
        'name: x\ndependencies:\n  - !!python/object/apply:os.system ["touch {path}"]\n',
        'name: x\nvariables:\n  A: !!python/object/apply:os.system ["touch {path}"]\n',
    ],
)
def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path, template: str) -> None:
    pwned = tmp_path / "pwned"
    error = refused(template.format(path=pwned), name="x")
    assert error.status == 400 and "is not allowed" in str(error)
    assert not pwned.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"- numpy\n- scipy\n", "not a mapping"),
        (b"just text\n", "not a mapping"),
        (b"", "not a mapping"),
        (b"name: x\ndependencies: numpy\n", "dependencies: not a list"),
        (b"name: x\ndependencies: {numpy: 1}\n", "dependencies: not a list"),
        (b"name: x\nchannels: conda-forge\n", "channels: not a list"),
        (b"name: x\nvariables: [A]\n", "variables: not a mapping"),
        (b"name: x\ndependencies:\n  - 3\n", "dependencies[0]: not text"),
        (b"name: x\ndependencies:\n  - conda: [numpy]\n", "only a `pip:` list"),
        (b"name: caf\xe9\n", "not UTF-8"),
        (b"name: [x\n", "not valid YAML"),
    ],
)
def test_malformed_files_are_400_with_a_message(data: bytes, words: str) -> None:
    error = refused(data, name="x")
    assert error.status == 400
    assert words in str(error)


# --- conda specs and channels ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        "--prefix=/tmp/x",
        "-c evil",
        "not a spec!",
        "https://example.org/linux-64/numpy-1.26.4-0.conda",
        "./numpy-1.26.4-0.conda",
        "numpy\0",
        "numpy\x1b[31m",
        "",
    ],
)
def test_bad_conda_specs_are_refused_with_their_place(spec: str) -> None:
    quoted = '"' + spec.replace("\0", "\\0").replace("\x1b", "\\e") + '"'
    error = refused(f"name: x\ndependencies:\n  - python\n  - {quoted}\n")
    assert error.status == 400
    assert error.where == "dependencies[1]"
    if spec.startswith("-"):
        assert "may not start with '-'" in str(error)


def test_conda_specs_keep_file_order() -> None:
    specs = ["zlib", "python=3.11", "numpy>=1.20,<2", "conda-forge::scipy", "pytorch[version='>=2']", "abc 1.0 h1_0"]
    listed = "".join(f'  - "{spec}"\n' for spec in specs)
    created = plan(f"name: x\ndependencies:\n{listed}", add_ipykernel=False)
    assert created.conda == specs
    assert created.risks == []


def test_channels_keep_order_and_real_values_and_are_masked_for_display() -> None:
    secret = f"https://user:{PASSWORD}@conda.example.com/t/{TOKEN}/private"
    text = f"name: x\nchannels:\n  - pytorch\n  - {secret}\n  - nvidia\n  - conda-forge\n  - nodefaults\n"
    error = refused(text)
    assert error.needs == ["channel"]
    assert TOKEN not in str(error) and PASSWORD not in str(error)
    created = plan(text, allow=["channel"])
    assert created.channels == ["pytorch", secret, "nvidia", "conda-forge", "nodefaults"]
    assert created.display_channels[0] == "pytorch"
    assert created.display_channels[1] == "https://user:***@conda.example.com/t/***/private"
    assert [risk.kind for risk in created.risks] == ["channel"]
    assert created.risks[0].items == ["https://user:***@conda.example.com/t/***/private"]
    assert yaml.safe_load(created.yaml_text)["channels"] == created.channels  # the real URL reaches the tool


@pytest.mark.parametrize(
    "channel", ["defaults", "nodefaults", "conda-forge", "pkgs/main", "pkgs/r", "pkgs/msys2", "pytorch", "nvidia"]
)
def test_well_known_channels_need_no_opt_in(channel: str) -> None:
    assert plan(f"name: x\nchannels: [{channel}]\ndependencies: [numpy]\n").risks == []


@pytest.mark.parametrize(
    "channel",
    [
        "bioconda",
        "someone",
        "pytorch-nightly",
        "https://conda.anaconda.org/conda-forge",  # a URL is never taken for a name
        "file:///srv/channel",
        "/srv/channel",
        "./channel",
        "~/channel",
        "${CORP_CHANNEL}",
    ],
)
def test_other_channels_are_a_risk(channel: str) -> None:
    text = f'name: x\nchannels: ["{channel}"]\ndependencies: [numpy]\n'
    error = refused(text)
    assert error.status == 400 and error.needs == ["channel"]
    created = plan(text, allow={"channel"})
    assert created.risks[0].kind == "channel" and created.risks[0].items == [channel]


def test_a_variable_in_a_channel_is_called_out() -> None:
    created = plan('name: x\nchannels: ["https://${CORP}/chan"]\n', allow=["channel"])
    assert "environment variable" in created.risks[0].message


@pytest.mark.parametrize("channel", ["-c", "--override-channels", "conda forge", "a\tb", "", "x\u2028y"])
def test_malformed_channels_are_refused(channel: str) -> None:
    quoted = '"' + channel.replace("\t", "\\t").replace("\u2028", "\\L") + '"'
    error = refused(f"name: x\nchannels: [{quoted}]\n", allow=RISK_KINDS)
    assert error.status == 400 and error.where == "channels[0]"


@pytest.mark.parametrize(
    ("spec", "channel"),
    [
        ("someone::numpy", "someone"),
        ("someone/linux-64::numpy", "someone"),
        (f"https://conda.example.com/t/{TOKEN}/chan::numpy", "https://conda.example.com/t/***/chan"),
        ("numpy[channel=someone]", "someone"),
        ("numpy[version='>=2', channel='someone']", "someone"),
    ],
)
def test_a_channel_named_in_a_spec_is_a_risk(spec: str, channel: str) -> None:
    text = f'name: x\ndependencies:\n  - "{spec}"\n'
    error = refused(text)
    assert error.needs == ["channel"]
    assert TOKEN not in str(error)
    assert plan(text, allow=["channel"]).risks[0].items == [channel]


@pytest.mark.parametrize("spec", ["conda-forge::numpy", "conda-forge/linux-64::numpy", "numpy[channel=pytorch]"])
def test_a_well_known_channel_in_a_spec_is_fine(spec: str) -> None:
    assert plan(f'name: x\ndependencies:\n  - "{spec}"\n').risks == []


# --- pip lines (#10) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("--index-url https://pypi.example.org/simple", "pip-index"),
        ("--index-url=https://pypi.example.org/simple", "pip-index"),
        ("-i https://pypi.example.org/simple", "pip-index"),
        ("-ihttps://pypi.example.org/simple", "pip-index"),
        ("--extra-index-url https://pypi.example.org/simple", "pip-index"),
        ("--find-links /srv/wheels", "pip-index"),
        ("-f https://example.org/wheels.html", "pip-index"),
        ("--trusted-host pypi.example.org", "pip-index"),
        ("-e git+https://github.com/org/repo.git#egg=repo", "pip-editable"),
        ("-e .", "pip-editable"),
        ("--editable=./src", "pip-editable"),
        ("-r requirements.txt", "pip-requirements"),
        ("--requirement https://example.org/req.txt", "pip-requirements"),
        ("-c constraints.txt", "pip-requirements"),
        ("--constraint=c.txt", "pip-requirements"),
        ("--pre", "pip-option"),
        ("--no-index", "pip-option"),
        ("--no-binary :all:", "pip-option"),
        ("numpy --config-settings=editable_mode=compat", "pip-option"),
        ("numpy --global-option=build_ext", "pip-option"),
        ("git+https://github.com/org/repo.git", "pip-vcs"),
        ("git+ssh://git@github.com/org/repo.git@v1", "pip-vcs"),
        ("hg+https://hg.example.org/repo", "pip-vcs"),
        ("svn+https://svn.example.org/repo", "pip-vcs"),
        ("bzr+lp:project", "pip-vcs"),
        ("repo @ git+https://github.com/org/repo.git", "pip-vcs"),
        ("repo[extra]@git+https://github.com/org/repo.git", "pip-vcs"),
        ("https://example.org/pkg-1.0-py3-none-any.whl", "pip-url"),
        ("HTTP://example.org/pkg-1.0.tar.gz", "pip-url"),
        ("pkg @ https://example.org/pkg-1.0-py3-none-any.whl", "pip-url"),
        ('pkg @ https://example.org/pkg.whl ; python_version >= "3.9"', "pip-url"),
        ("./local", "pip-local"),
        ("../sibling", "pip-local"),
        ("/abs/path", "pip-local"),
        ("~/src/pkg", "pip-local"),
        ("src/pkg", "pip-local"),
        ("file:///abs/pkg", "pip-local"),
        ("file:../pkg", "pip-local"),
        ("pkg @ file:///abs/pkg", "pip-local"),
        ("pkg @ ./local", "pip-local"),
        ("pkg-1.0-py3-none-any.whl", "pip-local"),
        ("pkg-1.0.tar.gz", "pip-local"),
        ("pkg-1.0.zip", "pip-local"),
        ("C:\\src\\pkg.whl", "pip-local"),
    ],
)
def test_pip_lines_are_classified_refused_and_accepted_when_allowed(line: str, kind: str) -> None:
    text = f"name: x\ndependencies:\n  - python\n  - pip:\n    - requests==2.32.3\n    - '{line}'\n"
    error = refused(text)
    assert error.status == 400 and error.needs == [kind]
    assert kind in str(error)
    assert refused(text, allow=[k for k in RISK_KINDS if k != kind]).needs == [kind]
    created = plan(text, allow=[kind])
    assert [(risk.kind, risk.items) for risk in created.risks] == [(kind, [line])]
    assert created.risks[0].message
    assert created.pip == ["requests==2.32.3", line]


@pytest.mark.parametrize(
    "line",
    [
        "requests",
        "requests==2.32.3",
        "requests>=2,<3",
        "requests[socks]~=2.32",
        'tomli; python_version < "3.11"',
        "Django==5.0  # a comment after the requirement",
        "numpy==1.26.4 --hash=sha256:abcdef",
        "numpy==1.26.4 --hash sha256:abcdef",
        "torch==2.11.0+cu130",
        'pywin32; sys_platform == "win32" and platform_release != "10/11"',
    ],
)
def test_plain_requirements_are_fine(line: str) -> None:
    created = plan(f"name: x\ndependencies:\n  - pip:\n    - '{line}'\n")
    assert created.risks == [] and created.pip == [line]


@pytest.mark.parametrize("line", ["numpy==${VERSION}", "not a requirement!", "numpy \\", "numpy\u0000"])
def test_unreadable_pip_lines_are_refused_with_their_place(line: str) -> None:
    quoted = '"' + line.replace("\\", "\\\\").replace("\0", "\\0") + '"'
    error = refused(f"name: x\ndependencies:\n  - python\n  - pip:\n    - ok\n    - {quoted}\n", allow=RISK_KINDS)
    assert error.status == 400 and error.where == "dependencies[1].pip[1]"


def test_blank_and_comment_lines_are_left_out() -> None:
    created = plan("name: x\ndependencies:\n  - pip:\n    - '# note'\n    - ''\n    - requests\n")
    assert created.pip == ["requests"]
    created = plan("name: x\ndependencies:\n  - pip:\n    - '# only a note'\n")
    assert created.pip == [] and "pip" not in created.conda


def test_every_risk_is_listed_with_secrets_masked_and_all_needs_are_named() -> None:
    lines = [
        f"--index-url https://user:{PASSWORD}@pypi.example.org/simple",
        f"-e git+https://{TOKEN}@github.com/org/private.git#egg=private",
        f"pkg @ https://files.example.org/t/{TOKEN}/pkg.whl",
        "./local",
        "--pre",
    ]
    text = "name: x\nchannels: [conda-forge, someone]\ndependencies:\n  - python\n  - pip:\n" + "".join(
        f"    - '{line}'\n" for line in lines
    )
    error = refused(text, allow=["pip-local"])
    assert error.needs == ["channel", "pip-editable", "pip-index", "pip-option", "pip-url"]
    assert TOKEN not in str(error) and PASSWORD not in str(error)
    created = plan(text, allow=RISK_KINDS)
    assert {risk.kind: risk.items for risk in created.risks} == {
        "pip-index": ["--index-url https://user:***@pypi.example.org/simple"],
        "pip-editable": ["-e git+https://***@github.com/org/private.git#egg=private"],
        "pip-url": ["pkg @ https://files.example.org/t/***/pkg.whl"],
        "pip-local": ["./local"],
        "pip-option": ["--pre"],
        "channel": ["someone"],
    }
    for risk in created.risks:
        assert TOKEN not in risk.message and PASSWORD not in risk.message
    assert created.pip == lines  # the real lines go to pip


def test_allowing_kinds_that_are_absent_is_fine_and_unknown_kinds_are_refused() -> None:
    assert plan("name: x\ndependencies: [numpy]\n", allow=RISK_KINDS).risks == []
    error = refused("name: x\ndependencies: [numpy]\n", allow=["channel", "everything"])
    assert error.status == 400 and error.where == "allow" and "everything" in str(error)


def test_several_pip_lists_are_joined_in_order() -> None:
    text = "name: x\ndependencies:\n  - pip: [a]\n  - numpy\n  - pip: [b, c]\n"
    created = plan(text, add_ipykernel=False)
    assert created.pip == ["a", "b", "c"]
    assert created.conda == ["numpy", "pip"]


# --- pip and ipykernel added -------------------------------------------------------------------------------


def test_ipykernel_and_pip_are_added() -> None:
    created = plan("name: x\ndependencies:\n  - python=3.11\n  - pip:\n    - requests\n")
    assert created.conda == ["python=3.11", "pip", "ipykernel"]
    assert plan("name: x\ndependencies:\n  - python\n").conda == ["python", "ipykernel"]
    assert plan("name: x\n").conda == ["ipykernel"]
    assert plan("name: x\ndependencies: [python]\n", add_ipykernel=False).conda == ["python"]


@pytest.mark.parametrize(
    ("dependencies", "conda"),
    [
        ("  - ipykernel\n", ["ipykernel"]),
        ("  - ipykernel>=6\n", ["ipykernel>=6"]),
        ("  - conda-forge::ipykernel=6.29\n", ["conda-forge::ipykernel=6.29"]),
        ("  - IPyKernel\n", ["IPyKernel"]),
        ("  - pip\n  - pip:\n    - ipykernel==6.29.5\n", ["pip"]),
        ("  - pip\n  - pip:\n    - IPyKernel[test]>=6\n", ["pip"]),
    ],
)
def test_ipykernel_is_not_added_twice(dependencies: str, conda: list[str]) -> None:
    assert plan(f"name: x\ndependencies:\n{dependencies}").conda == conda


@pytest.mark.parametrize("spec", ["pip", "pip>=24", "conda-forge::pip", "pip=24.0=pyhd8ed1ab_0"])
def test_pip_is_not_added_when_a_conda_spec_names_it(spec: str) -> None:
    created = plan(f'name: x\ndependencies:\n  - "{spec}"\n  - pip: [requests]\n', add_ipykernel=False)
    assert created.conda == [spec]


def test_pip_is_not_added_without_pip_lines() -> None:
    assert plan("name: x\ndependencies:\n  - python\n  - pip: []\n", add_ipykernel=False).conda == ["python"]


# --- variables ---------------------------------------------------------------------------------------------


def test_variables_become_text() -> None:
    text = 'name: x\nvariables:\n  A: 1\n  B: 1.5\n  C: true\n  D:\n  E: "on"\n  F: some text\n  _G9: "x\\ny"\n'
    created = plan(text)
    assert created.variables == {"A": "1", "B": "1.5", "C": "true", "D": "", "E": "on", "F": "some text", "_G9": "x\ny"}
    assert yaml.safe_load(created.yaml_text)["variables"] == created.variables


@pytest.mark.parametrize("key", ["1A", "A-B", "A B", "A=B", "é", "", "A.B"])
def test_variable_names_must_be_environment_variable_names(key: str) -> None:
    error = refused(f'name: x\nvariables:\n  "{key}": v\n')
    assert error.status == 400 and error.where is not None and error.where.startswith("variables")


def test_a_variable_with_a_nul_is_refused() -> None:
    error = refused('name: x\nvariables:\n  A: "a\\0b"\n')
    assert error.status == 400 and error.where == "variables.A"


# --- caps --------------------------------------------------------------------------------------------------


def test_too_many_conda_specs() -> None:
    specs = "".join(f"  - pkg{index}\n" for index in range(2000))
    assert len(plan(f"name: x\ndependencies:\n{specs}", add_ipykernel=False).conda) == 2000
    error = refused(f"name: x\ndependencies:\n{specs}  - one-more\n")
    assert error.status == 400 and "2,000" in str(error)


def test_too_many_pip_lines() -> None:
    lines = "".join(f"    - pkg{index}\n" for index in range(1000))
    assert len(plan(f"name: x\ndependencies:\n  - pip:\n{lines}").pip) == 1000
    error = refused(f"name: x\ndependencies:\n  - pip:\n{lines}    - one-more\n")
    assert error.status == 400 and "1,000" in str(error)


def test_too_many_variables() -> None:
    names = "".join(f"  V{index}: x\n" for index in range(1001))
    assert refused(f"name: x\nvariables:\n{names}").status == 400


@pytest.mark.parametrize(
    ("template", "where"),
    [
        ("name: x\ndependencies:\n  - {}\n", "dependencies[0]"),
        ("name: x\ndependencies:\n  - pip:\n    - {}\n", "dependencies[0].pip[0]"),
        ("name: x\nchannels:\n  - {}\n", "channels[0]"),
    ],
)
def test_a_line_longer_than_4096_characters_is_refused(template: str, where: str) -> None:
    error = refused(template.format("a" * 4097), allow=RISK_KINDS)
    assert error.status == 400 and error.where == where
    plan(template.format("a" * 4096), allow=RISK_KINDS)


# --- the file handed to the tool ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["yes", "no", "on", "off", "null", "true", "1.0", "2024-01-01", "0x1f", "y", "1e3"])
def test_a_name_yaml_could_misread_stays_text(name: str) -> None:
    created = plan("dependencies: [numpy]\n", name=name)
    assert yaml.safe_load(created.yaml_text)["name"] == name


def test_yaml_text_round_trips_to_the_plan() -> None:
    text = """\
name: from-file
prefix: /opt/elsewhere
channels:
  - conda-forge
  - "https://user:pw@host.example/chan"
dependencies:
  - python=3.11
  - "numpy>=1.20,<2"
  - "*weird*"
  - pytorch[version='>=2']
  - pip:
    - "requests==2.32.3 # pinned"
    - "--index-url https://host.example/simple"
    - "pkg @ https://host.example/pkg.whl#sha256=abc"
    - "yes"
variables:
  "on": "off"
  PATHLIKE: "/a:/b # not a comment"
  EMPTY: ""
unknown_key: ignored
"""
    with pytest.raises(CreateError):
        plan(text)  # `*weird*` is not a spec: the test below uses a clean variant
    created = plan(text.replace('  - "*weird*"\n', '  - "r-base"\n'), allow=RISK_KINDS)
    loaded = yaml.safe_load(created.yaml_text)
    assert loaded == document(created)
    assert loaded["dependencies"][-1]["pip"][-1] == "yes"
    assert "unknown_key" not in loaded and "prefix" not in loaded
    # reading the written file again gives the same plan
    again = plan_create(created.yaml_text.encode(), allow=RISK_KINDS)
    assert again == created


def test_yaml_text_is_deterministic_and_in_conda_layout() -> None:
    text = "name: x\nchannels: [conda-forge]\ndependencies:\n  - python\n  - pip: [requests]\nvariables: {A: b}\n"
    assert (
        plan(text).yaml_text
        == plan(text).yaml_text
        == (
            "name: x\n"
            "channels:\n"
            "  - conda-forge\n"
            "dependencies:\n"
            "  - python\n"
            "  - pip\n"
            "  - ipykernel\n"
            "  - pip:\n"
            "      - requests\n"
            "variables:\n"
            "  A: b\n"
        )
    )


def test_an_empty_environment_writes_an_empty_dependency_list() -> None:
    created = plan("name: x\n", add_ipykernel=False)
    assert created.yaml_text == "name: x\ndependencies: []\n"
    assert yaml.safe_load(created.yaml_text) == document(created)


def test_the_error_carries_status_where_and_needs() -> None:
    error = CreateError("m", status=413, where="w", needs=["channel"])
    assert isinstance(error, ValueError)
    assert (str(error), error.status, error.where, error.needs) == ("m", 413, "w", ["channel"])
    default = CreateError("m")
    assert (default.status, default.where, default.needs) == (400, None, None)


# --- review fixes ---------------------------------------------------------------------------------------------------
def test_a_bracket_channel_is_checked_even_beside_a_known_prefix() -> None:
    """conda lets `[channel=…]` win over `chan::`: both are channels the solve reaches."""
    data = b'name: t\ndependencies:\n  - "conda-forge::numpy[channel=https://evil.example/c]"\n'
    with pytest.raises(CreateError) as err:
        plan_create(data)
    assert err.value.needs == ["channel"]
    plan = plan_create(data, allow=["channel"])
    assert [r.items for r in plan.risks] == [["https://evil.example/c"]]


@pytest.mark.parametrize("spec", ['"numpy[url=https://evil.example/x.tar.bz2]"', '"numpy[fn=x-1-0.tar.bz2]"'])
def test_a_spec_naming_a_package_file_is_refused(spec: str) -> None:
    with pytest.raises(CreateError) as err:
        plan_create(f"name: t\ndependencies:\n  - {spec}\n".encode(), allow=list(RISK_KINDS))
    assert err.value.where == "dependencies[0]"


@pytest.mark.parametrize(
    "line", ["numpy===${AWS_SECRET_ACCESS_KEY}", "numpy --hash=sha256:${X}", "numpy; python_version>'${HOME}'"]
)
def test_environment_variables_in_pip_lines_are_refused(line: str) -> None:
    """pip expands `${NAME}` from the server's environment and prints it in its errors."""
    data = f'name: t\ndependencies:\n  - pip:\n    - "{line}"\n'.encode()
    with pytest.raises(CreateError) as err:
        plan_create(data, allow=list(RISK_KINDS))
    assert err.value.where == "dependencies[0].pip[0]"
