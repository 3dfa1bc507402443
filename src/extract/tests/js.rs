//! Golden extraction: javascript, typescript, tsx.

use super::*;

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
