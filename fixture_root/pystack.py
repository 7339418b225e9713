"""Python interpreters, their runtime libraries and common Python packages, as pkgs/main and conda-forge build them.

The two channels package Python differently, and the fixture keeps the difference because the extension sees it:
pkgs/main builds every Python package per interpreter (`py310h06a4308_0`, pure Python included), conda-forge
builds pure-Python packages once as `noarch: python` (`pyhd8ed1ab_0`) and pins compiled ones with `python_abi`.
Versions are those each channel carried around the time of the environments (late 2023 / late 2024).
"""

from __future__ import annotations

from typing import Literal

from .model import CondaPackage
from .python_dists import MAIN_OVERRIDES, PY_DISTS, PyDist

Flavour = Literal["main", "cf"]


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


def cf_compiled_deps(xy: str) -> list[str]:
    """What a compiled Python package on conda-forge depends on for interpreter X.Y, besides its own deps."""
    return [_pin(xy), f"python_abi {xy}.* *_cp{xy.replace('.', '')}", "libgcc >=13"]


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
        ver = version or MAIN_OVERRIDES.get((dist.name, xy), dist.main)
        build = f"py{tag}h5eee18b_0" if dist.arch else f"py{tag}h06a4308_0"
        extra = ["libgcc-ng >=11.2.0"] if dist.arch else []
        return _py_pkg("pkgs/main", dist, ver, build, [*deps, *extra, _pin(xy)], xy)
    ver = version or dist.cf
    if dist.arch:
        return _py_pkg("conda-forge", dist, ver, f"py{tag}h66e93f0_0", [*deps, *cf_compiled_deps(xy)], xy)
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
