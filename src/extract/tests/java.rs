//! Golden extraction: java.

use super::*;

#[test]
fn golden_java() {
    let src = r##"package com.example.app;

import java.util.List;
import java.util.Map;

public class Outer {
    private int count;

    public Outer() {
        this(0);
    }

    public Outer(int count) {
        this.count = count;
    }

    public void run(List<String> items) {
        process(items.size());
    }

    public void run() {}

    static class Inner {
        void process(int n) {
            new Outer();
        }
    }

    interface Listener {
        void onEvent(String e);
    }

    enum Mode {
        FAST, SLOW;

        boolean isFast() { return this == FAST; }
    }
}

record Pair(int a, int b) {}
"##;
    check(
        Lang::Java,
        src,
        &[
            ("com.example.app", Kind::Module, 1, None),
            ("Outer", Kind::Class, 6, None),
            ("count", Kind::Field, 7, Some(("Outer", Kind::Class))),
            ("Outer", Kind::Constructor, 9, Some(("Outer", Kind::Class))),
            ("Outer", Kind::Constructor, 13, Some(("Outer", Kind::Class))),
            ("run", Kind::Method, 17, Some(("Outer", Kind::Class))),
            ("run", Kind::Method, 21, Some(("Outer", Kind::Class))),
            ("Inner", Kind::Class, 23, Some(("Outer", Kind::Class))),
            ("process", Kind::Method, 24, Some(("Inner", Kind::Class))),
            (
                "Listener",
                Kind::Interface,
                29,
                Some(("Outer", Kind::Class)),
            ),
            (
                "onEvent",
                Kind::Method,
                30,
                Some(("Listener", Kind::Interface)),
            ),
            ("Mode", Kind::Enum, 33, Some(("Outer", Kind::Class))),
            ("FAST", Kind::Enumerator, 34, Some(("Mode", Kind::Enum))),
            ("SLOW", Kind::Enumerator, 34, Some(("Mode", Kind::Enum))),
            ("isFast", Kind::Method, 36, Some(("Mode", Kind::Enum))),
            ("Pair", Kind::Class, 40, None),
        ],
        &[("java.util.List", 3), ("java.util.Map", 4)],
        &[
            ("process", 18, Some("run")),
            ("size", 18, Some("run")),
            ("Outer", 25, Some("process")),
        ],
    );
}
