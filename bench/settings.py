"""The project's settings with ``bench`` installed as an app: viewflow keeps a flow's
class by its app, and bench/lifecycle.py's bare flow lives here, not in the product.
Only the child that runs part 1 (bench/transitions.py) uses these."""

from project.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
