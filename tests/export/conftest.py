"""The lifecycle fixtures (``in_force`` and the ones it builds on) for the export tests."""

from tests.workflows.conftest import in_force, proposed, signing  # noqa: F401
