"""Python interpreters, their runtime libraries and common Python packages, as pkgs/main and conda-forge build them.

The two channels package Python differently, and the fixture keeps the difference because the extension sees it:
pkgs/main builds every Python package per interpreter (`py310h06a4308_0`, pure Python included), conda-forge
builds pure-Python packages once as `noarch: python` (`pyhd8ed1ab_0`) and pins compiled ones with `python_abi`.
Versions are those each channel carried around the time of the environments (late 2023 / late 2024).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import CondaPackage

Flavour = Literal["main", "cf"]
CHANNEL: dict[Flavour, str] = {"main": "pkgs/main", "cf": "conda-forge"}


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
_MAIN_OVERRIDES: dict[tuple[str, str], str] = {("ipython", "3.8"): "8.12.2"}

_DIST_BY_NAME = {d.name: d for d in PY_DISTS}


def _lib(channel: str, name: str, version: str, build: str, *deps: str, payload: bool = True) -> CondaPackage:
    return CondaPackage(channel, name, version, build, depends=deps, payload="library" if payload else "none")


def runtime_libs(flavour: Flavour) -> list[CondaPackage]:
    """The non-Python packages an interpreter and the common packages depend on."""
    if flavour == "main":
        c = "pkgs/main"
        gcc = "libgcc-ng >=11.2.0"
        return [
            _lib(c, "_libgcc_mutex", "0.1", "main", payload=False),
            _lib(c, "_openmp_mutex", "5.1", "1_gnu", "_libgcc_mutex 0.1 main", "libgomp >=7.5.0", payload=False),
            _lib(c, "libgomp", "11.2.0", "h1234567_1", "_libgcc_mutex 0.1 main"),
            _lib(c, "libgcc-ng", "11.2.0", "h1234567_1", "_libgcc_mutex 0.1 main", "_openmp_mutex"),
            _lib(c, "libstdcxx-ng", "11.2.0", "h1234567_1"),
            _lib(c, "ld_impl_linux-64", "2.38", "h1181459_1", payload=False),
            _lib(c, "ca-certificates", "2023.12.12", "h06a4308_0", payload=False),
            _lib(c, "tzdata", "2023c", "h04d1e81_0", payload=False),
            _lib(c, "bzip2", "1.0.8", "h5eee18b_6", gcc),
            _lib(c, "libffi", "3.4.4", "h6a678d5_0", gcc, "libstdcxx-ng >=11.2.0"),
            _lib(c, "libuuid", "1.41.5", "h5eee18b_0", gcc),
            _lib(c, "ncurses", "6.4", "h6a678d5_0", gcc),
            _lib(c, "openssl", "3.0.12", "h7f8727e_0", "ca-certificates", gcc),
            _lib(c, "readline", "8.2", "h5eee18b_0", gcc, "ncurses >=6.3,<7.0a0"),
            _lib(c, "sqlite", "3.41.2", "h5eee18b_0", gcc, "ncurses >=6.4,<7.0a0", "readline >=8.0,<9.0a0", "zlib"),
            _lib(c, "tk", "8.6.12", "h1ccaba5_0", gcc, "zlib >=1.2.13,<1.3.0a0"),
            _lib(c, "xz", "5.4.5", "h5eee18b_0", gcc),
            _lib(c, "zlib", "1.2.13", "h5eee18b_0", gcc),
            _lib(c, "yaml", "0.2.5", "h7b6447c_0", gcc),
            _lib(c, "jpeg", "9e", "h5eee18b_1", gcc),
            _lib(c, "libpng", "1.6.39", "h5eee18b_0", gcc, "zlib >=1.2.13,<1.3.0a0"),
            _lib(c, "libsodium", "1.0.18", "h7b6447c_0", gcc),
            _lib(c, "zeromq", "4.3.4", "h2531618_0", gcc, "libsodium >=1.0.18,<1.0.19.0a0", "libstdcxx-ng >=7.3.0"),
            _lib(c, "intel-openmp", "2023.1.0", "hdb19cb5_46306", gcc),
            _lib(c, "tbb", "2021.8.0", "hdb19cb5_0", gcc, "libstdcxx-ng >=11.2.0"),
            _lib(c, "mkl", "2023.1.0", "h213fc3f_46344", "intel-openmp 2023.*", "tbb 2021.*"),
            _lib(c, "blas", "1.0", "mkl", payload=False),
            _lib(c, "llvm-openmp", "14.0.6", "h9e868ea_0", gcc),
        ]
    c = "conda-forge"
    gcc = "libgcc >=13"
    return [
        _lib(c, "_libgcc_mutex", "0.1", "conda_forge", payload=False),
        _lib(c, "_openmp_mutex", "4.5", "2_gnu", "_libgcc_mutex 0.1 conda_forge", "libgomp >=7.5.0", payload=False),
        _lib(c, "libgomp", "14.2.0", "h77fa898_1", "_libgcc_mutex 0.1 conda_forge"),
        _lib(c, "libgcc", "14.2.0", "h77fa898_1", "_libgcc_mutex 0.1 conda_forge", "_openmp_mutex >=4.5"),
        _lib(c, "libgcc-ng", "14.2.0", "h69a702a_1", "libgcc 14.2.0 h77fa898_1", payload=False),
        _lib(c, "libstdcxx", "14.2.0", "hc0a3c3a_1", "libgcc 14.2.0 h77fa898_1"),
        _lib(c, "libstdcxx-ng", "14.2.0", "h4852527_1", "libstdcxx 14.2.0 hc0a3c3a_1", payload=False),
        _lib(c, "ld_impl_linux-64", "2.43", "h712a8e2_2", "__glibc >=2.17,<3.0.a0", payload=False),
        _lib(c, "ca-certificates", "2024.8.30", "hbcca054_0", payload=False),
        _lib(c, "tzdata", "2024b", "hc8b5060_0", payload=False),
        _lib(c, "bzip2", "1.0.8", "h4bc722e_7", "__glibc >=2.17,<3.0.a0", gcc),
        _lib(c, "libexpat", "2.6.4", "h5888daf_0", gcc),
        _lib(c, "libffi", "3.4.2", "h7f98852_5", "libgcc-ng >=9.4.0"),
        _lib(c, "libnsl", "2.0.1", "hd590300_0", "libgcc-ng >=12"),
        _lib(c, "libzlib", "1.3.1", "hb9d3cd8_2", gcc),
        _lib(c, "libsqlite", "3.47.0", "hadc24fc_1", gcc, "libzlib >=1.3.1,<2.0a0"),
        _lib(c, "libuuid", "2.38.1", "h0b41bf4_0", "libgcc-ng >=12"),
        _lib(c, "libxcrypt", "4.4.36", "hd590300_1", "libgcc-ng >=12"),
        _lib(c, "ncurses", "6.5", "he02047a_1", "libgcc-ng >=12"),
        _lib(c, "openssl", "3.4.0", "hb9d3cd8_0", "ca-certificates", gcc),
        _lib(c, "readline", "8.2", "h8228510_1", "libgcc-ng >=12", "ncurses >=6.3,<7.0a0"),
        _lib(c, "tk", "8.6.13", "noxft_h4845f30_101", "libgcc-ng >=12", "libzlib >=1.2.13,<2.0.0a0"),
        _lib(c, "xz", "5.2.6", "h166bdaf_0", "libgcc-ng >=12"),
        _lib(c, "yaml", "0.2.5", "h7f98852_2", "libgcc-ng >=9.4.0"),
        _lib(c, "libjpeg-turbo", "3.0.0", "hd590300_1", "libgcc-ng >=12"),
        _lib(c, "libpng", "1.6.44", "hadc24fc_0", gcc, "libzlib >=1.3.1,<2.0a0"),
        _lib(c, "libsodium", "1.0.20", "h4ab18f5_0", "libgcc-ng >=12"),
        _lib(c, "zeromq", "4.3.5", "h3b0a872_7", gcc, "libsodium >=1.0.20,<1.0.21.0a0", "libstdcxx >=13"),
        _lib(c, "llvm-openmp", "19.1.4", "h024ca30_0", "__glibc >=2.17,<3.0.a0", "libzlib >=1.3.1,<2.0a0"),
        _lib(c, "tbb", "2021.13.0", "hceb3a55_1", gcc, "libstdcxx >=13"),
        _lib(c, "mkl", "2024.2.2", "ha957f24_16", "llvm-openmp >=19.1.2", "tbb 2021.*"),
        _lib(c, "libblas", "3.9.0", "25_linux64_mkl", "mkl >=2024.2.2,<2025.0a0"),
        _lib(c, "libcblas", "3.9.0", "25_linux64_mkl", "libblas 3.9.0 25_linux64_mkl"),
        _lib(c, "liblapack", "3.9.0", "25_linux64_mkl", "libblas 3.9.0 25_linux64_mkl"),
    ]


def _xy(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _pin(xy: str) -> str:
    major, minor = xy.split(".")
    return f"python >={xy},<{major}.{int(minor) + 1}.0a0"


def interpreter(flavour: Flavour, version: str, files: int) -> CondaPackage:
    """The `python` package itself, with `files` stdlib-shaped paths (real ones list several thousand)."""
    deps: tuple[str, ...]
    if flavour == "main":
        deps = (
            "bzip2 >=1.0.8,<2.0a0",
            "ld_impl_linux-64 >=2.35.1",
            "libffi >=3.4,<3.5",
            "libgcc-ng >=11.2.0",
            "libuuid >=1.41.5,<2.0a0",
            "ncurses >=6.4,<7.0a0",
            "openssl >=3.0.12,<4.0a0",
            "readline >=8.0,<9.0a0",
            "sqlite >=3.41.2,<4.0a0",
            "tk >=8.6.12,<8.7.0a0",
            "tzdata",
            "xz >=5.4.2,<6.0a0",
            "zlib >=1.2.13,<1.3.0a0",
        )
        return CondaPackage(
            "pkgs/main", "python", version, "h955ad1f_0", depends=deps, payload="interpreter", interpreter_files=files
        )
    tag = _xy(version).replace(".", "")
    deps = (
        "__glibc >=2.17,<3.0.a0",
        "bzip2 >=1.0.8,<2.0a0",
        "ld_impl_linux-64 >=2.36.1",
        "libexpat >=2.6.3,<3.0a0",
        "libffi >=3.4,<4.0a0",
        "libgcc >=13",
        "libnsl >=2.0.1,<2.1.0a0",
        "libsqlite >=3.46.1,<4.0a0",
        "libuuid >=2.38.1,<3.0a0",
        "libxcrypt >=4.4.36",
        "libzlib >=1.3.1,<2.0a0",
        "ncurses >=6.5,<7.0a0",
        "openssl >=3.3.2,<4.0a0",
        "readline >=8.2,<9.0a0",
        "tk >=8.6.13,<8.7.0a0",
        "tzdata",
        "xz >=5.2.6,<6.0a0",
    )
    return CondaPackage(
        "conda-forge",
        "python",
        version,
        "hc5c86c4_0_cpython",
        depends=deps,
        constrains=(f"python_abi {_xy(version)}.* *_cp{tag}",),
        payload="interpreter",
        interpreter_files=files,
    )


def _deps_for(dist: PyDist, flavour: Flavour, xy: str) -> list[str]:
    out = []
    for dep in dist.deps:
        spec, _, marker = dep.partition(";")
        if marker == "py<3.11" and flavour == "main" and tuple(map(int, xy.split("."))) >= (3, 11):
            continue  # pkgs/main drops backports the interpreter already provides
        tag, sep, rest = spec.partition(":")
        if sep and tag in ("main", "cf"):
            if tag != flavour:
                continue
            spec = rest
        out.append(spec)
    return out


def python_package(flavour: Flavour, xy: str, dist: PyDist, version: str | None = None) -> CondaPackage:
    """`dist` as `flavour`'s channel builds it for interpreter X.Y."""
    tag = xy.replace(".", "")
    deps = _deps_for(dist, flavour, xy)
    if flavour == "main":
        ver = version or _MAIN_OVERRIDES.get((dist.name, xy), dist.main)
        build = f"py{tag}h5eee18b_0" if dist.arch else f"py{tag}h06a4308_0"
        extra = ["libgcc-ng >=11.2.0"] if dist.arch else []
        return _py_pkg("pkgs/main", dist, ver, build, [*deps, *extra, _pin(xy)], xy)
    ver = version or dist.cf
    if dist.arch:
        extra = [_pin(xy), f"python_abi {xy}.* *_cp{tag}", "libgcc >=13"]
        return _py_pkg("conda-forge", dist, ver, f"py{tag}h66e93f0_0", [*deps, *extra], xy)
    return _py_pkg("conda-forge", dist, ver, "pyhd8ed1ab_0", [*deps, "python >=3.8"], None)


def _py_pkg(channel: str, dist: PyDist, version: str, build: str, deps: list[str], xy: str | None) -> CondaPackage:
    return CondaPackage(
        channel,
        dist.name,
        version,
        build,
        subdir="linux-64" if xy else "noarch",
        noarch=None if xy else "python",
        depends=tuple(sorted(deps)),
        payload="python-package",
        python=xy,
        module=dist.module,
        dist_name=dist.dist,
    )


def python_abi(xy: str) -> CondaPackage:
    tag = xy.replace(".", "")
    return CondaPackage("conda-forge", "python_abi", xy, f"5_cp{tag}", constrains=(f"python {xy}.* *_cpython",))


def numpy(flavour: Flavour, xy: str, version: str) -> list[CondaPackage]:
    """numpy: pkgs/main splits it into `numpy` (metadata) and `numpy-base` (the files); conda-forge does not."""
    tag = xy.replace(".", "")
    if flavour == "main":
        base = CondaPackage(
            "pkgs/main",
            "numpy-base",
            version,
            f"py{tag}hb5e798b_0",
            depends=(
                "blas * mkl",
                "libgcc-ng >=11.2.0",
                "libstdcxx-ng >=11.2.0",
                "mkl >=2023.1.0,<2024.0a0",
                _pin(xy),
            ),
            payload="python-package",
            python=xy,
            module="numpy",
            dist_name="numpy",
        )
        meta = CondaPackage(
            "pkgs/main",
            "numpy",
            version,
            f"py{tag}h5f9d8c6_0",
            depends=("blas * mkl", "mkl >=2023.1.0,<2024.0a0", f"numpy-base {version} py{tag}hb5e798b_0", _pin(xy)),
        )
        return [base, meta]
    return [
        CondaPackage(
            "conda-forge",
            "numpy",
            version,
            f"py{tag}h58c1407_0",
            depends=(
                "__glibc >=2.17,<3.0.a0",
                "libblas >=3.9.0,<4.0a0",
                "libcblas >=3.9.0,<4.0a0",
                "libgcc >=13",
                "liblapack >=3.9.0,<4.0a0",
                "libstdcxx >=13",
                _pin(xy),
                f"python_abi {xy}.* *_cp{tag}",
            ),
            payload="python-package",
            python=xy,
        )
    ]


def stack(
    flavour: Flavour, python_versions: list[str], files: int, numpy_versions: dict[str, list[str]]
) -> list[CondaPackage]:
    """Everything `flavour`'s channel needs for the given interpreters: libs, pythons, packages, numpy."""
    out = runtime_libs(flavour)
    for version in python_versions:
        xy = _xy(version)
        out.append(interpreter(flavour, version, files))
        out += [python_package(flavour, xy, d) for d in PY_DISTS]
        if flavour == "cf":
            out.append(python_abi(xy))
        for np_version in numpy_versions.get(xy, []):
            out += numpy(flavour, xy, np_version)
    return out


def dist(name: str) -> PyDist:
    return _DIST_BY_NAME[name]
