"""slidegen reads a library's version from its metadata file's headers (quicker than
importlib.metadata's whole parse), finding the file without importing importlib.metadata: the
same version for every library installed, and importlib.metadata's answer where a distribution is
found otherwise."""

import importlib.metadata
import re
import subprocess
import sys

import pytest

from slidegen.inputs import versions
from slidegen.inputs.versions import version


def declared() -> list[str]:
    """The libraries slidegen depends on (its installed metadata's, not the tests' extras)."""
    requires = importlib.metadata.requires("slidegen") or []
    return [re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0] for r in requires if "extra ==" not in r]


@pytest.mark.parametrize("name", [*declared(), "slidegen"])
def test_the_version_read_is_importlib_metadatas(name):
    assert version(name) == importlib.metadata.version(name)


def test_a_library_not_installed_is_said_so():
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        version("no-such-library-slidegen-test")


def test_every_installed_distribution_reads_as_importlib_metadata_reads_it():
    """Every distribution on this machine's path (some 140: the declared ones, the tests',
    Debian's), found by its ``.dist-info`` folder: importlib.metadata's version."""
    names = sorted({d.metadata["Name"] for d in importlib.metadata.distributions() if d.metadata["Name"]})
    assert len(names) > 20
    assert {name: version(name) for name in names} == {name: importlib.metadata.version(name) for name in names}


def test_a_path_with_an_egg_info_first_is_left_to_importlib_metadata(tmp_path, monkeypatch):
    """A folder early on the path holding an ``.egg-info`` (a legacy install) is not read this
    way: importlib.metadata finds what it finds there."""
    egg = tmp_path / "slidegen_test_legacy.egg-info"
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Metadata-Version: 1.0\nName: slidegen-test-legacy\nVersion: 9.8.7\n\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    versions._folder.cache_clear()
    versions.version.cache_clear()
    try:
        assert versions._metadata("slidegen-test-legacy") is None
        assert version("slidegen-test-legacy") == "9.8.7" == importlib.metadata.version("slidegen-test-legacy")
    finally:
        versions._folder.cache_clear()
        versions.version.cache_clear()


def test_the_command_imports_no_importlib_metadata():
    """Nothing of a build's start — slidegen's command, the versions it keys its caches by —
    imports importlib.metadata (and the e-mail package it brings) before the build's processes
    part."""
    code = (
        "import sys\nfrom slidegen import cli\nfrom slidegen.inputs.versions import version\n"
        "[version(n) for n in ('pandas', 'python-pptx', 'reportlab', 'slidegen')]\n"
        "print('importlib.metadata' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
