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

/// The scanner reads `src` itself and finds exactly what tree-sitter does.
fn scanner_agrees(src: &str) {
    engines_agree(src, true);
}

/// Extraction gives what extraction through tree-sitter gives, and the scanner reads `src`
/// itself exactly when `scanned`.
fn engines_agree(src: &str, scanned: bool) {
    let reads = java_scanner_reads(src.as_bytes());
    assert_eq!(reads, scanned, "the scanner's verdict on:\n{src}");
    let mut extractor = Extractor::new(Limits::default());
    let got = extractor.extract(Lang::Java, src.as_bytes()).unwrap();
    let parsed = extractor
        .extract_parsed(Lang::Java, src.as_bytes())
        .unwrap();
    assert_eq!(got, parsed, "scanner and tree-sitter differ on:\n{src}");
}

#[test]
fn scanner_agrees_with_tree_sitter_on_declarations() {
    scanner_agrees(
        r#"@Deprecated package a.b;
import static java.util.Map.*;
import java.util./* c */List;
public sealed interface Shape<T extends Comparable<? super T>> permits Circle {
    int SIDES = 4, CORNERS[] = {1, 2};
    default <R> R area(java.util.function.Function<T, R> f) throws java.io.IOException, Error { return f.apply(null); }
    static non-sealed class Circle implements Shape<Integer> {}
}
@interface Marker { String value() default "x"; Class<?>[] types() default {}; int N = 1; }
enum Op implements Runnable {
    @Deprecated PLUS("+") { public void run() { go(); } }, MINUS("-"),;
    private final String sym;
    Op(String s) { sym = s.trim(); }
    public void run() {}
}
enum Empty { ; static int x; }
record Point<T>(@Deprecated int x, T y) implements Comparable<Point<T>> {
    static final Point<?> ORIGIN = new Point<>(0, null);
    public Point { if (x < 0) throw new IllegalArgumentException("x"); }
    public int compareTo(Point<T> o) { return Integer.compare(x, o.x); }
}
class Arrays { private final String @Deprecated [] names = null; int[] a[] = new int[3][], b;
    Cache.@Deprecated Entry e; java.util.List<@Deprecated String> l;
    protected <T> Arrays(T t) { super(); }
    static { init(); } { this.init(); }
    void init() {} }
"#,
    );
}

#[test]
fn scanner_agrees_with_tree_sitter_on_code() {
    scanner_agrees(
        r#"class Code {
    Object f = cond() ? new java.util.ArrayList<String>() : new Outer<String>.Inner(), g = this.<String>id("a");
    java.util.Map<String, Integer> m = new java.util.HashMap<String, Integer>(), n;
    Runnable r = () -> { class Local { void run() { go(); } } new Local().run(); };
    void m(Object o) {
        String s = """
            text "block" with new Fake() and call()
            """;
        char c = '\'', d = '(';
        java.util.function.Supplier<Code> k = Code::new;
        int[] xs = new int[] { size(), 2 };
        if (o instanceof Point(int x, int y) && o instanceof String str && check(str)) {}
        switch (o) {
            case Point(var x, var y) when x > y -> take(x);
            case String t when (t.isEmpty()) -> { yield(); }
            case null, default -> Thread.yield();
        }
        switch (n()) { case 1: run(); break; default: stop(); }
        record Pair(int a, int b) {}
        enum Color { RED }
        new Thread(new Runnable() { public void run() { work(); } }).start();
        outer.new Inner();
        label: for (final var it : list()) { synchronized (this) { it.go(); } }
        @SuppressWarnings("x") final class Q { Q() { this(1); } Q(int i) { super(); } }
        assert ok() : message();
        Object q = (java.util.List<String>) cast(1e+5, 0x1p-3, .5f, 1_000L);
        long z = a < b ? c >> 2 : d >>> 1;
    }
}
"#,
    );
}

#[test]
fn scanner_reads_yield_as_tree_sitter_does() {
    // `yield` with an operand is a statement; `yield()` and `t.yield(x)` are calls.
    scanner_agrees(
        "class A { int m(int k) { return switch (k) {
            case 1 -> { yield(k); }
            case 2 -> { yield (k) + 1; }
            case 5 -> { yield f(k); }
            case 6 -> { Thread.yield(); yield 0; }
            default -> { yield(); }
        }; } }",
    );
}

#[test]
fn scanner_agrees_where_a_review_found_differences() {
    // Contextual words as method names, exponents, `yield` with two arguments, a module.
    scanner_agrees(
        "class A { void m(B b) { b.sealed(true); sealed(1); int y = 0xE-foo() + 0XBEE+e() \
         + 1e-3 + 0x1p+2; yield(a, b); } }",
    );
    scanner_agrees(
        "import a.B;\n@Deprecated open module m.x {\n requires transitive a.b;\n \
         exports p to q, r;\n provides s.T with u.V;\n}\n",
    );
}

#[test]
fn scanner_agrees_where_a_second_review_found_differences() {
    // `_` before a guard and as a called name (before Java 9); keywords after a dot, and
    // `goto`/`const`, are names for tree-sitter; `new` of a keyword-named type.
    scanner_agrees(
        "import static org.example.I18n._;\nclass N { String t = _(\"T\");\n void m(Object o) {\n \
         I18n._(\"x\"); new _(); x.assert(1); x.if(); t.return (d == 0) ? 0 : 1; goto(1); const(2); new enum();\n \
         switch (o) { case Foo _ when check(o) -> a(); case Bar(var x, _) when ok(x) -> b(); \
         default -> {} }\n if (o instanceof Line(Point(var a, var b), _)) {}\n \
         switch (k) { case (A | B): case (f(1)): break; } } }",
    );
}

#[test]
fn scanner_hands_broken_or_odd_text_to_tree_sitter() {
    let cases = [
        "class A { void m() { foo(; } }",
        "class A { void m() { foo(); }",
        "class A { int x = \\u0031; }",
        "class A { String s = \"unterminated; }",
        "class A { /* unterminated }",
        "class A { void m() { ] } }",
        "class A { 42 }",
        "#!/bin/java\nclass A {}",
        // Found by review: each read wrongly before, now handed over.
        "class A {\n  String s = \"a\\\nb\";\n  void m() {}\n}",
        "class A { String s = STR.\"\\{foo()}\"; }",
        "class A { int _ = 1; }",
        "module.init();\nclass A {}",
        "class A { void m() {\n<<<<<<< HEAD\n foo();\n=======\n bar();\n>>>>>>> b\n} }",
        "class A { void m() { f\u{a0}oo(); } }",
        // Found by the second review.
        "class A { void m(int x) { switch (x) { case foo(y): break; } } }",
        "class A { void m() { import a.b.C; } }",
        "class A { void m() { @interface L { int v() default 1; } } }",
    ];
    for src in cases {
        engines_agree(src, false);
    }
    // Nesting past the scanner's bound goes to tree-sitter too, without a stack overflow.
    let deep = format!(
        "class A {{ Object x = {}null{}; }}",
        "new A(".repeat(5000),
        ")".repeat(5000)
    );
    assert!(!java_scanner_reads(deep.as_bytes()));
    // Annotations read twice made this exponential in its nesting (2^60 steps).
    let mut nested = "x".to_string();
    for _ in 0..60 {
        nested = format!("x instanceof B @A({nested})");
    }
    engines_agree(&format!("class C {{ void m() {{ {nested}; }} }}"), false);
}
