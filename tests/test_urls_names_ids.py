"""Pure helpers: URL masking and channel names, PEP 503 names, environment ids."""

from __future__ import annotations

import pytest

from jupyterlab_conda_envs.core.ids import env_id, is_well_formed_id
from jupyterlab_conda_envs.core.names import conda_to_pypi, normalize
from jupyterlab_conda_envs.core.urls import channel_display_name, mask_text, mask_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://conda.anaconda.org/t/tk-123abc/private/linux-64",
            "https://conda.anaconda.org/t/***/private/linux-64",
        ),
        ("https://user:s3cret@repo.example.com/conda/main", "https://user:***@repo.example.com/conda/main"),
        ("https://user:s3cret@repo.example.com:8443/c", "https://user:***@repo.example.com:8443/c"),
        ("https://conda.anaconda.org/conda-forge", "https://conda.anaconda.org/conda-forge"),
        ("conda-forge", "conda-forge"),
        # A token as the user name alone (GitHub, private channels); ssh's `git@` is no secret.
        ("git+https://ghp_abc123@github.com/org/repo@v1", "git+https://***@github.com/org/repo@v1"),
        ("https://TOKEN@host2/ch", "https://***@host2/ch"),
        ("git+ssh://git@github.com/org/repo.git", "git+ssh://git@github.com/org/repo.git"),
        ("git+https://github.com/org/repo@v1.0", "git+https://github.com/org/repo@v1.0"),
    ],
)
def test_mask_url(url: str, expected: str) -> None:
    assert mask_url(url) == expected


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        ("https://conda.anaconda.org/conda-forge/linux-64", "conda-forge"),
        ("https://conda.anaconda.org/pytorch/noarch", "pytorch"),
        ("https://repo.anaconda.com/pkgs/main/linux-64", "pkgs/main"),
        ("https://conda.anaconda.org/t/abc/private/linux-64", "private"),
        ("https://u:pw@mirror.example.com/conda-forge/linux-64", "https://u:***@mirror.example.com/conda-forge"),
        ("file:///tmp/channel/noarch", "file:///tmp/channel"),
        ("conda-forge", "conda-forge"),
    ],
)
def test_channel_display_name(channel: str, expected: str) -> None:
    assert channel_display_name(channel) == expected


def test_mask_text_masks_every_url_in_a_spec() -> None:
    assert mask_text("host.example/t/SECRET/chan::numpy") == "host.example/t/***/chan::numpy"
    assert (
        mask_text("https://bob:PW@host.example/t/TOK3/chan::numpy >=1.2")
        == "https://bob:***@host.example/t/***/chan::numpy >=1.2"
    )
    assert mask_text("numpy >=1.2") == "numpy >=1.2"


def test_normalize_follows_pep_503() -> None:
    assert normalize("Foo.Bar__baz-QUX") == "foo-bar-baz-qux"
    assert conda_to_pypi("pytorch") == "torch"
    assert conda_to_pypi("numpy") == "numpy"
    assert conda_to_pypi("matplotlib-base") == "matplotlib"


def test_ids_are_stable_url_safe_and_distinct() -> None:
    a = env_id("/opt/conda/envs/a")
    assert a == env_id("/opt/conda/envs/a")
    assert a != env_id("/opt/conda/envs/b")
    assert is_well_formed_id(a)
    assert all(c.isalnum() or c in "-_" for c in a)
    assert not is_well_formed_id("../../etc/passwd")
    assert not is_well_formed_id(a + "x")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://[x/conda-forge/linux-64", "https://[x/conda-forge/linux-64"),
        ("https://user:pw@[x/main", "https://***@[x/main"),
        ("https://user:pw@host:notaport/main", "https://***@host:notaport/main"),
    ],
)
def test_unparseable_urls_are_masked_not_raised(url: str, expected: str) -> None:
    assert mask_url(url) == expected
    assert "pw" not in channel_display_name(url)


def test_channels_are_named_under_the_condarc_alias_and_custom_channels() -> None:
    """As conda names them (`conda list`): a channel under `channel_alias` by the rest of its URL, a custom channel
    by its name, also where the alias carries a token or a password; anything else as before."""
    from jupyterlab_conda_envs.core import urls

    try:
        urls.set_channel_locations(
            (("https://corp.example/conda/internal", "internal"), ("https://bob:PW@mirror.example/t/SECRET", ""))
        )
        assert urls.channel_display_name("https://bob:PW@mirror.example/t/SECRET/conda-forge/linux-64") == "conda-forge"
        assert urls.channel_display_name("https://bob:PW@mirror.example/t/SECRET/pkgs/main") == "pkgs/main"
        assert urls.channel_display_name("https://corp.example/conda/internal/noarch") == "internal"
        assert urls.channel_display_name("https://other.example/x/linux-64") == "https://other.example/x"
        before = urls.channel_naming_generation()
        urls.set_channel_locations(())
        assert urls.channel_naming_generation() != before  # cached names and records are read again
        assert "SECRET" not in urls.channel_display_name("https://bob:PW@mirror.example/t/SECRET/conda-forge")
        assert urls.channel_display_name("https://conda.anaconda.org/conda-forge/linux-64") == "conda-forge"
    finally:
        urls.set_channel_locations(())
