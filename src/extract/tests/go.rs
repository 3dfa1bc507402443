//! Golden extraction: go.

use super::*;

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
