"""slidegen reads a library's version from its metadata file's headers (quicker than
importlib.metadata's whole parse): the same version for every library it depends on."""

import importlib.metadata
import re

import pytest

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
