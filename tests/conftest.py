"""pytest set-up shared by every test module.

The repository root *is* the package ``conceptgraph`` (it holds ``__init__.py``),
but a checkout may be named anything: ``conceptgraph-main`` from a GitHub ZIP,
``repo-test`` from ``git clone``. pytest collects every folder holding an
``__init__.py`` as a test package and imports that file under the folder's name;
for a name that is not an identifier it imports it as a lone module, and the
package's relative imports fail. The tests import the installed ``conceptgraph``,
never the root folder itself, so the root is collected as a plain directory.
"""
from pathlib import Path

import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent


class RepositoryRootAsDirectory:
    """Collect the repository root as a plain :class:`pytest.Dir`, not a :class:`pytest.Package`."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_collect_directory(self, path, parent):
        if Path(path).resolve() == REPOSITORY_ROOT:
            return pytest.Dir.from_parent(parent, path=path)
        return None


def pytest_configure(config):
    # registered as a plugin (not a conftest hook): conftest hooks only see paths under tests/,
    # and the root folder is collected before them
    config.pluginmanager.register(RepositoryRootAsDirectory(), "conceptgraph-repository-root")
