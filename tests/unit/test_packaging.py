"""pyproject.toml builds: its build requirement admits only setuptools versions that read the
SPDX ``license = "Apache-2.0"`` (PEP 639 license expressions arrived in setuptools 77; older
ones stop the build with "project.license must be valid exactly by one definition")."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
FIRST_SETUPTOOLS_WITH_SPDX_LICENSE = "77.0.0"


def test_the_build_needs_a_setuptools_that_reads_an_spdx_license() -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert isinstance(project["project"]["license"], str)  # an SPDX expression, not a table
    wanted = [Requirement(r) for r in project["build-system"]["requires"]]
    setuptools = next(r for r in wanted if r.name == "setuptools")
    assert not setuptools.specifier.contains("76.2.0")
    assert setuptools.specifier.contains(FIRST_SETUPTOOLS_WITH_SPDX_LICENSE)
