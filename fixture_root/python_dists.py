"""The Python distributions both channels carry, with the version each carried around the time of the
environments (pkgs/main late 2023, conda-forge late 2024); `pystack.py` turns them into packages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PyDist:
    """A Python distribution both channels carry. Deps may be tagged `main:`/`cf:` or `;py<3.11`."""

    name: str
    main: str
    cf: str
    deps: tuple[str, ...] = ()
    arch: bool = False  # compiled: a per-interpreter build on conda-forge too
    module: str | None = None
    dist: str | None = None


PY_DISTS: tuple[PyDist, ...] = (
    PyDist("pip", "23.3.1", "24.3.1", ("setuptools", "wheel")),
    PyDist("setuptools", "68.2.2", "75.5.0"),
    PyDist("wheel", "0.41.2", "0.45.0"),
    PyDist("six", "1.16.0", "1.16.0", module="six.py"),
    PyDist("packaging", "23.1", "24.2"),
    PyDist("platformdirs", "3.10.0", "4.3.6"),
    PyDist("traitlets", "5.7.1", "5.14.3"),
    PyDist("decorator", "5.1.1", "5.1.1", module="decorator.py"),
    PyDist("parso", "0.8.3", "0.8.4"),
    PyDist("jedi", "0.18.1", "0.19.2", ("parso >=0.8.0,<0.9.0",)),
    PyDist("ptyprocess", "0.7.0", "0.7.0"),
    PyDist("pexpect", "4.8.0", "4.9.0", ("ptyprocess >=0.5",)),
    PyDist("pickleshare", "0.7.5", "0.7.5", module="pickleshare.py"),
    PyDist("wcwidth", "0.2.5", "0.2.13"),
    PyDist("prompt-toolkit", "3.0.36", "3.0.48", ("wcwidth",), module="prompt_toolkit", dist="prompt_toolkit"),
    PyDist("pygments", "2.15.1", "2.18.0", dist="Pygments"),
    PyDist("executing", "0.8.3", "2.1.0"),
    PyDist("asttokens", "2.0.5", "2.4.1", ("six",)),
    PyDist("pure_eval", "0.2.2", "0.2.3"),
    PyDist("stack_data", "0.2.0", "0.6.2", ("asttokens", "executing", "pure_eval")),
    PyDist("backcall", "0.2.0", "0.2.0"),
    PyDist("exceptiongroup", "1.0.4", "1.2.2"),
    PyDist("matplotlib-inline", "0.1.6", "0.1.7", ("traitlets",), module="matplotlib_inline"),
    PyDist(
        "ipython",
        "8.15.0",
        "8.29.0",
        (
            "backcall",
            "decorator",
            "exceptiongroup;py<3.11",
            "jedi >=0.16",
            "matplotlib-inline",
            "pexpect >4.3",
            "pickleshare",
            "prompt-toolkit >=3.0.30,<3.1.0",
            "pygments >=2.4.0",
            "stack_data",
            "traitlets >=5",
            "cf:__unix",
        ),
        module="IPython",
    ),
    PyDist("comm", "0.1.2", "0.2.2", ("traitlets >=4",)),
    PyDist("python-dateutil", "2.8.2", "2.9.0", ("six >=1.5",), module="dateutil"),
    PyDist("jupyter_core", "5.5.0", "5.7.2", ("platformdirs >=2.5", "traitlets >=5.3")),
    PyDist("pyzmq", "25.1.0", "26.2.0", ("libsodium", "zeromq"), arch=True, module="zmq"),
    PyDist("tornado", "6.3.3", "6.4.1", arch=True),
    PyDist("psutil", "5.9.0", "6.1.0", arch=True),
    PyDist("debugpy", "1.6.7", "1.8.8", arch=True),
    PyDist("nest-asyncio", "1.5.6", "1.6.0", module="nest_asyncio.py"),
    PyDist(
        "jupyter_client",
        "8.6.0",
        "8.6.3",
        ("jupyter_core >=4.12,!=5.0.*", "python-dateutil >=2.8.2", "pyzmq >=23.0", "tornado >=6.2", "traitlets >=5.3"),
    ),
    PyDist(
        "ipykernel",
        "6.25.0",
        "6.29.5",
        (
            "cf:__linux",
            "comm >=0.1.1",
            "debugpy >=1.6.5",
            "ipython >=7.23.1",
            "jupyter_client >=8.0.0",
            "jupyter_core >=4.12,!=5.0.*",
            "matplotlib-inline >=0.1",
            "nest-asyncio",
            "packaging",
            "psutil",
            "pyzmq >=20",
            "tornado >=6.1",
            "traitlets >=5.4.0",
        ),
    ),
    PyDist("certifi", "2023.11.17", "2024.8.30"),
    PyDist("charset-normalizer", "2.0.4", "3.4.0", module="charset_normalizer"),
    PyDist("idna", "3.4", "3.10"),
    PyDist("urllib3", "1.26.18", "2.2.3"),
    PyDist(
        "requests",
        "2.31.0",
        "2.32.3",
        ("certifi >=2017.4.17", "charset-normalizer >=2,<4", "idna >=2.5,<4", "urllib3 >=1.21.1,<3"),
    ),
    PyDist("filelock", "3.13.1", "3.16.1"),
    PyDist("markupsafe", "2.1.1", "3.0.2", arch=True, dist="MarkupSafe"),
    PyDist("jinja2", "3.1.2", "3.1.4", ("markupsafe >=2.0",), dist="Jinja2"),
    PyDist("networkx", "3.1", "3.4.2"),
    PyDist("mpmath", "1.3.0", "1.3.0"),
    PyDist("sympy", "1.12", "1.13.3", ("mpmath >=0.19",)),
    PyDist("typing_extensions", "4.7.1", "4.12.2", module="typing_extensions.py"),
    PyDist("pyyaml", "6.0.1", "6.0.2", ("yaml >=0.2.5,<0.3.0a0",), arch=True, module="yaml", dist="PyYAML"),
    PyDist("fsspec", "2023.10.0", "2024.10.0"),
    PyDist("tqdm", "4.65.0", "4.67.0"),
    PyDist(
        "pillow",
        "10.0.1",
        "11.0.0",
        ("main:jpeg >=9e,<10a", "cf:libjpeg-turbo >=3.0.0,<4.0a0", "libpng >=1.6.39,<1.7.0a0"),
        arch=True,
        module="PIL",
        dist="Pillow",
    ),
    PyDist("pluggy", "1.0.0", "1.5.0"),
    PyDist("ruamel.yaml", "0.17.21", "0.18.6", module="ruamel"),
    PyDist("pycosat", "0.6.6", "0.6.6", arch=True, module="pycosat.py"),
    PyDist("distro", "1.8.0", "1.9.0"),
    PyDist("zstandard", "0.19.0", "0.23.0", arch=True),
    PyDist("boltons", "23.0.0", "24.0.0"),
    PyDist("jsonpointer", "2.1", "3.0.0", module="jsonpointer.py"),
    PyDist("jsonpatch", "1.32", "1.33", ("jsonpointer >=1.9",), module="jsonpatch.py"),
    PyDist("archspec", "0.2.1", "0.2.3"),
    PyDist("truststore", "0.8.0", "0.10.0"),
    PyDist(
        "conda-package-streaming", "0.9.0", "0.11.0", ("requests", "zstandard >=0.15"), module="conda_package_streaming"
    ),
    PyDist(
        "conda-package-handling",
        "2.2.0",
        "2.4.0",
        ("conda-package-streaming >=0.9.0",),
        module="conda_package_handling",
    ),
    PyDist(
        "conda",
        "24.1.2",
        "24.11.0",
        (
            "archspec >=0.2.0",
            "boltons >=23.0.0",
            "conda-package-handling >=2.2.0",
            "distro >=1.5.0",
            "jsonpatch >=1.32",
            "packaging >=23.0",
            "platformdirs >=3.10.0",
            "pluggy >=1.0.0",
            "pycosat >=0.6.3",
            "requests >=2.28.0,<3",
            "ruamel.yaml >=0.11.14,<0.19",
            "setuptools >=60.0.0",
            "tqdm >=4",
            "truststore >=0.8.0",
        ),
        arch=True,  # conda itself is built per interpreter on both channels
    ),
)
# pkgs/main stopped updating some packages for old interpreters; the fixture keeps the versions they really got.
MAIN_OVERRIDES: dict[tuple[str, str], str] = {("ipython", "3.8"): "8.12.2"}
