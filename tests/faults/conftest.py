"""The fault tests run on the same production-shaped cluster as the deployment tests."""

from tests.deploy.conftest import cluster_db  # noqa: F401  (fixture)
