#![allow(clippy::unwrap_used)]
//! Golden tests: for each language, a small source and exactly what the extractor finds in
//! it (definitions with kind, line and container; imports; calls with their caller).

use super::*;

type Def = (&'static str, Kind, u32, Option<(&'static str, Kind)>);
type OwnedDef = (String, Kind, u32, Option<(String, Kind)>);

fn check(
    lang: Lang,
    src: &str,
    defs: &[Def],
    imports: &[(&str, u32)],
    calls: &[(&str, u32, Option<&str>)],
) {
    let index = Extractor::new(Limits::default())
        .extract(lang, src.as_bytes())
        .unwrap();
    assert_eq!(index.skip, None, "{lang}: skipped");
    let got: Vec<OwnedDef> = index
        .definitions
        .iter()
        .map(|d| (d.name.clone(), d.kind, d.line, d.container.clone()))
        .collect();
    let want: Vec<OwnedDef> = defs
        .iter()
        .map(|(n, k, l, c)| {
            (
                n.to_string(),
                *k,
                *l,
                c.map(|(cn, ck)| (cn.to_string(), ck)),
            )
        })
        .collect();
    assert_eq!(got, want, "{lang}: definitions");
    let got: Vec<(String, u32)> = index
        .imports
        .iter()
        .map(|i| (i.path.clone(), i.line))
        .collect();
    let want: Vec<(String, u32)> = imports.iter().map(|(p, l)| (p.to_string(), *l)).collect();
    assert_eq!(got, want, "{lang}: imports");
    let got: Vec<(String, u32, Option<String>)> = index
        .references
        .iter()
        .map(|r| {
            let caller = r.caller.map(|i| index.definitions[i as usize].name.clone());
            (r.name.clone(), r.line, caller)
        })
        .collect();
    let want: Vec<(String, u32, Option<String>)> = calls
        .iter()
        .map(|(n, l, c)| (n.to_string(), *l, c.map(str::to_string)))
        .collect();
    assert_eq!(got, want, "{lang}: calls");
}

#[test]
fn golden_rust() {
    let src = r##"use std::collections::HashMap;
use crate::model::{Kind, Lang};

pub struct Point<T> {
    x: T,
}

pub enum Shape {
    Circle(f64),
    Square,
}

pub trait Area {
    fn area(&self) -> f64;
    fn name(&self) -> String {
        String::from("shape")
    }
}

impl<T: Copy> Point<T> {
    pub fn new(x: T) -> Self {
        Point { x }
    }
}

impl Area for Shape {
    fn area(&self) -> f64 {
        helper(2.0)
    }
}

mod inner {
    pub fn helper(v: f64) -> f64 {
        v.abs()
    }
}

macro_rules! square {
    ($x:expr) => {
        $x * $x
    };
}

const LIMIT: usize = 3;

fn main() {
    let m: HashMap<u8, u8> = HashMap::new();
    println!("{}", square!(LIMIT));
}
"##;
    check(
        Lang::Rust,
        src,
        &[
            ("Point", Kind::Struct, 4, None),
            ("x", Kind::Field, 5, Some(("Point", Kind::Struct))),
            ("Shape", Kind::Enum, 8, None),
            ("Circle", Kind::Enumerator, 9, Some(("Shape", Kind::Enum))),
            ("Square", Kind::Enumerator, 10, Some(("Shape", Kind::Enum))),
            ("Area", Kind::Trait, 13, None),
            ("area", Kind::Method, 14, Some(("Area", Kind::Trait))),
            ("name", Kind::Method, 15, Some(("Area", Kind::Trait))),
            ("Point", Kind::Impl, 20, None),
            ("new", Kind::Method, 21, Some(("Point", Kind::Impl))),
            ("Shape", Kind::Impl, 26, None),
            ("area", Kind::Method, 27, Some(("Shape", Kind::Impl))),
            ("inner", Kind::Module, 32, None),
            ("helper", Kind::Function, 33, Some(("inner", Kind::Module))),
            ("square", Kind::Macro, 38, None),
            ("LIMIT", Kind::Constant, 44, None),
            ("main", Kind::Function, 46, None),
        ],
        &[
            ("std::collections::HashMap", 1),
            ("crate::model::{Kind, Lang}", 2),
        ],
        &[
            ("from", 16, Some("name")),
            ("helper", 28, Some("area")),
            ("abs", 34, Some("helper")),
            ("new", 47, Some("main")),
            ("println", 48, Some("main")),
        ],
    );
}

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

#[test]
fn golden_go() {
    let src = r##"package main

import (
	"fmt"
	str "strings"
)

type Server struct {
	Name string
}

type Handler interface {
	Serve(req string) error
}

type ID int

func (s *Server) Start() error {
	return s.run()
}

func (s Server) run() error {
	fmt.Println(str.ToUpper(s.Name))
	return nil
}

func (t *Tree[K, V]) Insert(k K) {}

func main() {
	s := &Server{}
	s.Start()
}

const Version = "1"
"##;
    check(
        Lang::Go,
        src,
        &[
            ("Server", Kind::Struct, 8, None),
            ("Name", Kind::Field, 9, Some(("Server", Kind::Struct))),
            ("Handler", Kind::Interface, 12, None),
            (
                "Serve",
                Kind::Method,
                13,
                Some(("Handler", Kind::Interface)),
            ),
            ("ID", Kind::Type, 16, None),
            ("Start", Kind::Method, 18, Some(("Server", Kind::Type))),
            ("run", Kind::Method, 22, Some(("Server", Kind::Type))),
            ("Insert", Kind::Method, 27, Some(("Tree", Kind::Type))),
            ("main", Kind::Function, 29, None),
            ("Version", Kind::Constant, 34, None),
        ],
        &[("fmt", 4), ("strings", 5)],
        &[
            ("run", 19, Some("Start")),
            ("Println", 23, Some("run")),
            ("ToUpper", 23, Some("run")),
            ("Start", 31, Some("main")),
        ],
    );
}

#[test]
fn golden_javascript() {
    let src = r##"import { readFile } from "fs";
const path = require("path");

export class Animal {
  constructor(name) {
    this.name = name;
  }
  speak() {
    return format(this.name);
  }
  #secret() {}
}

function format(s) {
  return path.join(s);
}

const handler = async (req) => {
  await readFile(req);
};

Animal.prototype.legacy = function () {
  return this.speak();
};

module.exports = {
  run() {},
  stop: function () {},
};
"##;
    check(
        Lang::JavaScript,
        src,
        &[
            ("path", Kind::Constant, 2, None),
            ("Animal", Kind::Class, 4, None),
            (
                "constructor",
                Kind::Method,
                5,
                Some(("Animal", Kind::Class)),
            ),
            ("speak", Kind::Method, 8, Some(("Animal", Kind::Class))),
            ("#secret", Kind::Method, 11, Some(("Animal", Kind::Class))),
            ("format", Kind::Function, 14, None),
            ("handler", Kind::Function, 18, None),
            ("legacy", Kind::Method, 22, Some(("Animal", Kind::Type))),
            ("exports", Kind::Variable, 26, None),
            ("run", Kind::Method, 27, None),
            ("stop", Kind::Function, 28, None),
        ],
        &[("fs", 1), ("path", 2)],
        &[
            ("require", 2, Some("path")),
            ("format", 9, Some("speak")),
            ("join", 15, Some("format")),
            ("readFile", 19, Some("handler")),
            ("speak", 23, Some("legacy")),
        ],
    );
}

#[test]
fn golden_typescript() {
    let src = r##"import { Component } from "./component";

export interface Shape {
  area(): number;
  name: string;
}

export enum Color {
  Red,
  Green,
}

type Pair = [number, number];

export abstract class Base implements Shape {
  name = "base";
  abstract area(): number;
  describe(): string {
    return render(this.area());
  }
}

namespace Geometry {
  export function distance(a: Pair, b: Pair): number {
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  }
}

function render(n: number): string;
function render(n: number): string {
  return String(n);
}
"##;
    check(
        Lang::TypeScript,
        src,
        &[
            ("Shape", Kind::Interface, 3, None),
            ("area", Kind::Method, 4, Some(("Shape", Kind::Interface))),
            ("name", Kind::Field, 5, Some(("Shape", Kind::Interface))),
            ("Color", Kind::Enum, 8, None),
            ("Pair", Kind::Type, 13, None),
            ("Base", Kind::Class, 15, None),
            ("name", Kind::Field, 16, Some(("Base", Kind::Class))),
            ("area", Kind::Method, 17, Some(("Base", Kind::Class))),
            ("describe", Kind::Method, 18, Some(("Base", Kind::Class))),
            ("Geometry", Kind::Namespace, 23, None),
            (
                "distance",
                Kind::Function,
                24,
                Some(("Geometry", Kind::Namespace)),
            ),
            ("render", Kind::Function, 29, None),
            ("render", Kind::Function, 30, None),
        ],
        &[("./component", 1)],
        &[
            ("render", 19, Some("describe")),
            ("area", 19, Some("describe")),
            ("hypot", 25, Some("distance")),
            ("String", 31, Some("render")),
        ],
    );
}

#[test]
fn golden_tsx() {
    let src = r##"import React from "react";

interface Props {
  title: string;
}

export function Header({ title }: Props) {
  return <h1>{title}</h1>;
}

export const Footer = () => <footer>{format("x")}</footer>;

class Page extends React.Component<Props> {
  render() {
    return <Header title={this.props.title} />;
  }
}
"##;
    check(
        Lang::Tsx,
        src,
        &[
            ("Props", Kind::Interface, 3, None),
            ("title", Kind::Field, 4, Some(("Props", Kind::Interface))),
            ("Header", Kind::Function, 7, None),
            ("Footer", Kind::Function, 11, None),
            ("Page", Kind::Class, 13, None),
            ("render", Kind::Method, 14, Some(("Page", Kind::Class))),
        ],
        &[("react", 1)],
        &[("format", 11, Some("Footer"))],
    );
}

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

#[test]
fn rust_use_tree_comments_are_dropped() {
    assert_eq!(
        import_text("a::{\n  b, // note\n  /* c, */ d,\n}".to_string()),
        "a::{\n  b, \n   d,\n}"
    );
}
