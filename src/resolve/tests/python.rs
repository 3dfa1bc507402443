//! Resolution cases: Python.

use super::*;

const PY_FILES: &[&str] = &[
    "app/__init__.py",
    "app/main.py",
    "app/util.py",
    "app/models/__init__.py",
    "app/models/user.py",
    "app/models/base.py",
    "app/api/__init__.py",
    "app/api/v1/__init__.py",
    "app/api/v1/routes.py",
    "scripts/tool.py",
    "scripts/helper.py",
    "src/lib2/__init__.py",
    "src/lib2/core.py",
    "services/svc/svc/__init__.py",
    "services/svc/svc/handlers.py",
    "services/svc/tests/test_handlers.py",
    "nspkg/mod.py",
    "vendor/thing/pkg/deep/leaf.py",
    "os.py",
];

#[test]
fn python_imports() {
    use Lang::Python as P;
    check_all(&[
        // Absolute, from the repository root.
        case(P, PY_FILES, "app/main.py", "app.util", &["app/util.py"]),
        case(P, PY_FILES, "app/main.py", "app", &["app/__init__.py"]),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "app.models",
            &["app/models/__init__.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "app.models.user",
            &["app/models/user.py"],
        ),
        // A missing submodule or an attribute: the deepest module.
        case(
            P,
            PY_FILES,
            "app/main.py",
            "app.models.user.User",
            &["app/models/user.py"],
        ),
        case(P, PY_FILES, "app/main.py", "os.path", &["os.py"]),
        // `from` imports: submodules, else the module.
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from app.models import user, base",
            &["app/models/base.py", "app/models/user.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from app.models import User",
            &["app/models/__init__.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from app.models import user, User",
            &["app/models/__init__.py", "app/models/user.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from app.util import helper",
            &["app/util.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from app import *",
            &["app/__init__.py"],
        ),
        // Relative imports.
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from . import base",
            &["app/models/base.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from .base import Base",
            &["app/models/base.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from .. import util",
            &["app/util.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from .. import settings",
            &["app/__init__.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from . import *",
            &["app/models/__init__.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/api/v1/routes.py",
            "from ...models import user",
            &["app/models/user.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/api/v1/routes.py",
            "from ..v1 import routes",
            &[],
        ),
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from .missing import x",
            &[],
        ),
        case(P, PY_FILES, "app/main.py", "from ..... import x", &[]),
        // A package imports its own `__init__` through `from . import`.
        case(
            P,
            PY_FILES,
            "app/models/base.py",
            "from . import VERSION",
            &["app/models/__init__.py"],
        ),
        // Scripts: their own directory is a root.
        case(
            P,
            PY_FILES,
            "scripts/tool.py",
            "helper",
            &["scripts/helper.py"],
        ),
        // Not in a package: no implicit relative import of `util` from app/ code.
        case(P, PY_FILES, "app/main.py", "util", &[]),
        // src/ is a root.
        case(
            P,
            PY_FILES,
            "app/main.py",
            "lib2.core",
            &["src/lib2/core.py"],
        ),
        case(
            P,
            PY_FILES,
            "scripts/tool.py",
            "from lib2 import core",
            &["src/lib2/core.py"],
        ),
        // The directory holding a top-level package is a root (tests beside it).
        case(
            P,
            PY_FILES,
            "services/svc/tests/test_handlers.py",
            "svc.handlers",
            &["services/svc/svc/handlers.py"],
        ),
        case(
            P,
            PY_FILES,
            "services/svc/tests/test_handlers.py",
            "from svc import handlers",
            &["services/svc/svc/handlers.py"],
        ),
        case(
            P,
            PY_FILES,
            "services/svc/svc/handlers.py",
            "svc",
            &["services/svc/svc/__init__.py"],
        ),
        // Namespace packages (no __init__.py).
        case(P, PY_FILES, "app/main.py", "nspkg.mod", &["nspkg/mod.py"]),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from nspkg import mod",
            &["nspkg/mod.py"],
        ),
        // Dotted modules found by suffix when no root holds them.
        case(
            P,
            PY_FILES,
            "app/main.py",
            "pkg.deep.leaf",
            &["vendor/thing/pkg/deep/leaf.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from pkg.deep import leaf",
            &["vendor/thing/pkg/deep/leaf.py"],
        ),
        // External.
        case(P, PY_FILES, "app/main.py", "json", &[]),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from collections import OrderedDict",
            &[],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from __future__ import annotations",
            &[],
        ),
        case(P, PY_FILES, "app/main.py", "leaf", &[]),
    ]);
}
