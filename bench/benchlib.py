"""What the bench scripts share. They have no .py suffix (they are commands), so they cannot
import each other by name: `load("run")` gives bench/run as a module."""

import importlib.machinery
import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def load(name):
    """bench/NAME, a script without a .py suffix, as a module."""
    loader = importlib.machinery.SourceFileLoader(f"bench_{name}", str(BENCH / name))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(f"bench_{name}", loader))
    loader.exec_module(module)
    return module
