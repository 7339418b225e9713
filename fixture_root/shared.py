"""What the `test` and `bench` catalogues share: the virtual packages of the machine they describe, and the pip
side (the wheels pip installs from the fixture's wheels folder, and the Hugging Face stack some environments take)."""

from __future__ import annotations

from .model import Wheel

VIRTUAL_PACKAGES = (
    ("__linux", "5.15.0", "0"),
    ("__glibc", "2.35", "0"),
    ("__unix", "0", "0"),
    ("__archspec", "1", "x86_64"),
    # What the solver is told the driver supports; only conda-forge's `__cuda` depends look at it.
    ("__cuda", "12.6", "0"),
)

# Requires-Dist as the real releases declare them (extras trimmed to a representative few).
WHEELS = (
    Wheel(
        "transformers",
        "4.35.2",
        (
            "filelock",
            "huggingface-hub<1.0,>=0.16.4",
            "numpy>=1.17",
            "packaging>=20.0",
            "pyyaml>=5.1",
            "regex!=2019.12.17",
            "requests",
            "tokenizers<0.19,>=0.14",
            "safetensors>=0.3.1",
            "tqdm>=4.27",
            'accelerate>=0.20.3; extra == "accelerate"',
            'torch!=1.12.0,>=1.10; extra == "torch"',
            'accelerate>=0.20.3; extra == "torch"',
        ),
        ">=3.8.0",
        "State-of-the-art Machine Learning for JAX, PyTorch and TensorFlow",
    ),
    Wheel(
        "datasets",
        "2.15.0",
        (
            "numpy>=1.17",
            "pyarrow>=8.0.0",
            "pyarrow-hotfix",
            "dill<0.3.8,>=0.3.0",
            "pandas",
            "requests>=2.19.0",
            "tqdm>=4.62.1",
            "xxhash",
            "multiprocess",
            "fsspec[http]<=2023.10.0,>=2023.1.0",
            "aiohttp",
            "huggingface-hub>=0.18.0",
            "packaging",
            "pyyaml>=5.1",
        ),
        ">=3.8.0",
        "HuggingFace community-driven open-source library of datasets",
    ),
    Wheel(
        "accelerate",
        "0.25.0",
        (
            "numpy>=1.17",
            "packaging>=20.0",
            "psutil",
            "pyyaml",
            "torch>=1.10.0",
            "huggingface-hub",
            "safetensors>=0.3.1",
        ),
        ">=3.8.0",
        "Accelerate",
    ),
    Wheel(
        "peft",
        "0.7.1",
        (
            "numpy>=1.17",
            "packaging>=20.0",
            "psutil",
            "pyyaml",
            "torch>=1.13.0",
            "transformers",
            "tqdm",
            "accelerate>=0.21.0",
            "safetensors",
            "huggingface-hub>=0.17.0",
        ),
        ">=3.8.0",
        "Parameter-Efficient Fine-Tuning (PEFT)",
    ),
    Wheel("bitsandbytes", "0.41.3", (), ">=3.7", "k-bit optimizers and matrix multiplication routines."),
    Wheel("numpy", "1.26.4", (), ">=3.9", "Fundamental package for array computing in Python"),
    Wheel(
        "rich",
        "13.7.0",
        (
            "markdown-it-py>=2.2.0",
            "pygments<3.0.0,>=2.13.0",
            'typing-extensions<5.0,>=4.0.0; python_version < "3.9"',
            'ipywidgets<9,>=7.5.1; extra == "jupyter"',
        ),
        ">=3.7.0",
        "Render rich text, tables, progress bars, syntax highlighting, markdown and more to the terminal",
    ),
    Wheel(
        "markdown-it-py",
        "3.0.0",
        ("mdurl~=0.1",),
        ">=3.8",
        "Python port of markdown-it. Markdown parsing, done right!",
        "markdown_it",
    ),
    Wheel("mdurl", "0.1.2", (), ">=3.7", "Markdown URL utilities"),
)
HF = (
    ("transformers", "4.35.2"),
    ("datasets", "2.15.0"),
    ("accelerate", "0.25.0"),
    ("peft", "0.7.1"),
    ("bitsandbytes", "0.41.3"),
)
