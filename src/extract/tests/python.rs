//! Golden extraction: python.

use super::*;

#[test]
fn golden_python() {
    let src = r##"import os
from collections import OrderedDict as OD

MAX = 10


class Outer:
    size = 3

    class Inner:
        def method(self):
            return helper()

    def method(self, x):
        def local():
            return x
        return local()


@decorator
def helper(*args):
    return os.path.join("a", "b")


async def fetch():
    pass


square = lambda v: v * v
"##;
    check(
        Lang::Python,
        src,
        &[
            ("MAX", Kind::Constant, 4, None),
            ("Outer", Kind::Class, 7, None),
            ("size", Kind::Field, 8, Some(("Outer", Kind::Class))),
            ("Inner", Kind::Class, 10, Some(("Outer", Kind::Class))),
            ("method", Kind::Method, 11, Some(("Inner", Kind::Class))),
            ("method", Kind::Method, 14, Some(("Outer", Kind::Class))),
            ("local", Kind::Function, 15, None),
            ("helper", Kind::Function, 21, None),
            ("fetch", Kind::Function, 25, None),
            ("square", Kind::Function, 29, None),
        ],
        &[("os", 1), ("from collections import OrderedDict", 2)],
        &[
            ("helper", 12, Some("method")),
            ("local", 17, Some("method")),
            ("join", 22, Some("helper")),
        ],
    );
}
