//! Golden extraction: c, cpp.

use super::*;

#[test]
fn golden_c() {
    let src = r##"#include <stdio.h>
#include "util.h"

#define MAX 10

struct point {
    int x;
    int y;
};

union value {
    int i;
    float f;
};

enum color { RED, GREEN };

typedef struct point point_t;

static int counter;

int add(int a, int b);

static char **names(void) {
    return NULL;
}

int add(int a, int b) {
    printf("%d\n", a);
    return a + b;
}

TEST_BEGIN(test_add) {
    add(1, 2);
}
"##;
    check(
        Lang::C,
        src,
        &[
            ("MAX", Kind::Macro, 4, None),
            ("point", Kind::Struct, 6, None),
            ("x", Kind::Field, 7, Some(("point", Kind::Struct))),
            ("y", Kind::Field, 8, Some(("point", Kind::Struct))),
            ("value", Kind::Union, 11, None),
            ("i", Kind::Field, 12, Some(("value", Kind::Union))),
            ("f", Kind::Field, 13, Some(("value", Kind::Union))),
            ("color", Kind::Enum, 16, None),
            ("RED", Kind::Enumerator, 16, Some(("color", Kind::Enum))),
            ("GREEN", Kind::Enumerator, 16, Some(("color", Kind::Enum))),
            ("point_t", Kind::Type, 18, None),
            ("counter", Kind::Variable, 20, None),
            ("add", Kind::Function, 22, None),
            ("names", Kind::Function, 24, None),
            ("add", Kind::Function, 28, None),
            ("test_add", Kind::Function, 33, None),
        ],
        &[("<stdio.h>", 1), ("util.h", 2)],
        &[("printf", 29, Some("add")), ("add", 34, Some("test_add"))],
    );
}

#[test]
fn golden_cpp() {
    let src = r##"#include <vector>
#include "shape.h"

namespace geo {

class Shape {
public:
    virtual ~Shape();
    virtual double area() const = 0;
    Shape &operator=(const Shape &other);
    int size() const { return 0; }
    int size(int scale) const { return scale; }
};

struct Point {
    double x, y;
};

template <typename T>
class Box {
    T *get() { return nullptr; }
};

}  // namespace geo

geo::Shape::~Shape() {}

double geo::Shape::area() const {
    return compute(1.0);
}

geo::Shape &geo::Shape::operator=(const geo::Shape &other) {
    return *this;
}

class API_EXPORT Widget : public geo::Shape {
    void draw() {}
};

static int helper(int x) {
    return std::max(x, 0);
}
"##;
    check(
        Lang::Cpp,
        src,
        &[
            ("geo", Kind::Namespace, 4, None),
            ("Shape", Kind::Class, 6, Some(("geo", Kind::Namespace))),
            ("~Shape", Kind::Method, 8, Some(("Shape", Kind::Class))),
            ("area", Kind::Method, 9, Some(("Shape", Kind::Class))),
            ("operator=", Kind::Method, 10, Some(("Shape", Kind::Class))),
            ("size", Kind::Method, 11, Some(("Shape", Kind::Class))),
            ("size", Kind::Method, 12, Some(("Shape", Kind::Class))),
            ("Point", Kind::Struct, 15, Some(("geo", Kind::Namespace))),
            ("x", Kind::Field, 16, Some(("Point", Kind::Struct))),
            ("y", Kind::Field, 16, Some(("Point", Kind::Struct))),
            ("Box", Kind::Class, 20, Some(("geo", Kind::Namespace))),
            ("get", Kind::Method, 21, Some(("Box", Kind::Class))),
            ("~Shape", Kind::Method, 26, Some(("Shape", Kind::Type))),
            ("area", Kind::Method, 28, Some(("Shape", Kind::Type))),
            ("operator=", Kind::Method, 32, Some(("Shape", Kind::Type))),
            ("Widget", Kind::Class, 36, None),
            ("draw", Kind::Method, 37, Some(("Widget", Kind::Class))),
            ("helper", Kind::Function, 40, None),
        ],
        &[("<vector>", 1), ("shape.h", 2)],
        &[("compute", 29, Some("area")), ("max", 41, Some("helper"))],
    );
}
