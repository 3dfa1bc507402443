//! Golden extraction: rust.

use super::*;

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
