//! Declarations: modifiers and annotations, type declarations and their bodies (members,
//! enum constants), method and field headers, and types (skipped, as nothing in them is
//! recorded).

use super::{Body, Scan};
use crate::model::Kind;

/// Words that may precede a declaration.
const MODIFIERS: &[&str] = &[
    "public",
    "protected",
    "private",
    "static",
    "abstract",
    "final",
    "native",
    "synchronized",
    "transient",
    "volatile",
    "strictfp",
    "default",
    "sealed",
];

/// Types that are reserved words.
const PRIMITIVES: &[&str] = &[
    "void", "boolean", "byte", "char", "short", "int", "long", "float", "double",
];

/// Whether `word` is a modifier keyword.
pub(super) fn is_modifier(word: &[u8]) -> bool {
    MODIFIERS.iter().any(|m| m.as_bytes() == word)
}

/// Whether `word` names a primitive type (or `void`).
pub(super) fn is_primitive(word: &[u8]) -> bool {
    PRIMITIVES.iter().any(|m| m.as_bytes() == word)
}

impl Scan<'_> {
    /// Annotations and modifier keywords, as many as there are.
    pub(super) fn modifiers(&mut self) -> Option<()> {
        loop {
            let at = self.pos;
            if self.is_punct(at, b'@') && !self.is_word(at + 1, "interface") {
                self.annotation()?;
            } else if self.is_ident(at) && is_modifier(self.text(at)) {
                self.pos += 1;
            } else if self.is_word(at, "non")
                && self.is_punct(at + 1, b'-')
                && self.is_word(at + 2, "sealed")
            {
                self.pos += 3;
            } else {
                return Some(());
            }
        }
    }

    /// `@a.b.Name` with its arguments, whose calls count.
    pub(super) fn annotation(&mut self) -> Option<()> {
        self.expect(b'@')?;
        self.qualified_name()?;
        if self.is_punct(self.pos, b'(') {
            self.parens()?;
        }
        Some(())
    }

    /// Whether a type declaration starts at the current token.
    pub(super) fn at_type_decl(&self) -> bool {
        let at = self.pos;
        self.is_word(at, "class")
            || self.is_word(at, "interface")
            || self.is_word(at, "enum")
            || (self.is_punct(at, b'@') && self.is_word(at + 1, "interface"))
            || (self.is_word(at, "record")
                && self.is_ident(at + 1)
                && (self.is_punct(at + 2, b'(') || self.is_punct(at + 2, b'<')))
    }

    /// A class, interface, enum, record or annotation type whose modifiers start at token
    /// `start`; the current token is its keyword.
    pub(super) fn type_decl(&mut self, start: usize) -> Option<()> {
        let (kind, body) = match self.text(self.pos) {
            b"class" => (Kind::Class, Body::Class),
            b"interface" => (Kind::Interface, Body::Interface),
            b"enum" => (Kind::Enum, Body::Enum),
            b"record" => (Kind::Class, Body::Record),
            b"@" if self.is_word(self.pos + 1, "interface") => {
                self.pos += 1;
                (Kind::Annotation, Body::Annotation)
            }
            _ => return None,
        };
        self.pos += 1;
        let name = self.name()?;
        // Type parameters, a record's components, extends, implements, permits.
        while !self.is_punct(self.pos, b'{') {
            let t = self.tok(self.pos)?;
            match t.kind {
                super::Tok::Punct(b'(') => self.parens()?,
                super::Tok::Punct(b'@') => self.annotation()?,
                super::Tok::Ident | super::Tok::Punct(b'<' | b'>' | b',' | b'.' | b'?' | b'&') => {
                    self.pos += 1
                }
                super::Tok::Punct(b'[') if self.is_punct(self.pos + 1, b']') => self.pos += 2,
                _ => return None,
            }
        }
        let end = self.body(body)?;
        self.def(kind, name, start, end);
        Some(())
    }

    /// A type's body from its `{`; the index of its `}`.
    pub(super) fn body(&mut self, body: Body) -> Option<usize> {
        self.expect(b'{')?;
        self.enter()?;
        if body == Body::Enum {
            if let Some(end) = self.enum_constants()? {
                self.depth -= 1;
                return Some(end);
            }
        }
        loop {
            if self.is_punct(self.pos, b'}') {
                self.pos += 1;
                self.depth -= 1;
                return Some(self.pos - 1);
            }
            if self.is_punct(self.pos, b';') {
                self.pos += 1;
                continue;
            }
            self.member(body)?;
        }
    }

    /// An enum's constants; `Some(end)` when the body's `}` ended them.
    fn enum_constants(&mut self) -> Option<Option<usize>> {
        loop {
            if self.is_punct(self.pos, b'}') {
                self.pos += 1;
                return Some(Some(self.pos - 1));
            }
            if self.is_punct(self.pos, b';') {
                self.pos += 1;
                return Some(None);
            }
            if self.is_punct(self.pos, b',') {
                self.pos += 1;
                continue;
            }
            let start = self.pos;
            self.modifiers()?;
            let name = self.name()?;
            if self.is_punct(self.pos, b'(') {
                self.parens()?;
            }
            if self.is_punct(self.pos, b'{') {
                self.body(Body::Class)?;
            }
            self.def(Kind::Enumerator, name, start, self.pos - 1);
            let next = self.pos;
            let ends = self.is_punct(next, b',') || self.is_punct(next, b';');
            if !(ends || self.is_punct(next, b'}')) {
                return None;
            }
        }
    }

    /// One member of a body of kind `body`.
    fn member(&mut self, body: Body) -> Option<()> {
        let start = self.pos;
        self.modifiers()?;
        if self.at_type_decl() {
            return self.type_decl(start);
        }
        if self.is_punct(self.pos, b'{') {
            // An initializer block.
            self.pos += 1;
            return self.block().map(drop);
        }
        if self.is_punct(self.pos, b'<') {
            self.skip_angle()?;
        }
        let at = self.pos;
        if self.is_punct(at + 1, b'(') {
            let name = self.name()?;
            return self.method(Kind::Constructor, name, start);
        }
        if body == Body::Record && self.is_punct(at + 1, b'{') {
            let name = self.name()?;
            self.pos += 1;
            let end = self.block()?;
            self.def(Kind::Constructor, name, start, end);
            return Some(());
        }
        self.skip_type()?;
        let name = self.name()?;
        if self.is_punct(self.pos, b'(') {
            return self.method(Kind::Method, name, start);
        }
        let kind = match body {
            Body::Interface | Body::Annotation => Kind::Constant,
            _ => Kind::Field,
        };
        self.fields(kind, name, start)
    }

    /// A method or constructor from its parameters: throws, then a body, `;`, or an
    /// annotation element's `default` value.
    fn method(&mut self, kind: Kind, name: usize, start: usize) -> Option<()> {
        self.parens()?;
        self.skip_dims()?;
        if self.is_word(self.pos, "throws") {
            while !(self.is_punct(self.pos, b'{') || self.is_punct(self.pos, b';')) {
                let t = self.tok(self.pos)?;
                if matches!(t.kind, super::Tok::Punct(b'}' | b'(' | b')' | b'=')) {
                    return None;
                }
                self.pos += 1;
            }
        }
        let end = if self.is_word(self.pos, "default") {
            self.pos += 1;
            self.expr()?;
            self.expect(b';')?;
            self.pos - 1
        } else if self.is_punct(self.pos, b';') {
            self.pos += 1;
            self.pos - 1
        } else {
            self.expect(b'{')?;
            self.block()?
        };
        self.def(kind, name, start, end);
        Some(())
    }

    /// `a[] = x, b, c = y;` after a field's type; each name spans the declaration.
    fn fields(&mut self, kind: Kind, first: usize, start: usize) -> Option<()> {
        let mut names = vec![first];
        loop {
            self.skip_dims()?;
            if self.is_punct(self.pos, b'=') {
                self.pos += 1;
                self.expr()?;
            }
            if self.is_punct(self.pos, b',') {
                self.pos += 1;
                names.push(self.name()?);
            } else {
                self.expect(b';')?;
                break;
            }
        }
        for name in names {
            self.def(kind, name, start, self.pos - 1);
        }
        Some(())
    }

    /// A type: annotations, a primitive or a qualified name with type arguments, and array
    /// dimensions.
    pub(super) fn skip_type(&mut self) -> Option<()> {
        self.modifiers()?;
        if self.is_ident(self.pos) && is_primitive(self.text(self.pos)) {
            self.pos += 1;
        } else {
            self.name()?;
        }
        loop {
            if self.is_punct(self.pos, b'<') {
                self.skip_angle()?;
            } else if self.is_punct(self.pos, b'.')
                && (self.is_ident(self.pos + 1) || self.is_punct(self.pos + 1, b'@'))
            {
                // `Map.Entry`, `Cache.@Nullable ValueWrapper`.
                self.pos += 1;
                self.modifiers()?;
                self.name()?;
            } else {
                break;
            }
        }
        self.skip_dims()?;
        Some(())
    }

    /// `[]` pairs, each perhaps after type annotations (`String @Nullable []`). Annotations
    /// not followed by `[]` hand the text over: where dimensions may stand, nothing else
    /// starts with `@` (and reading them twice could cost exponential time).
    fn skip_dims(&mut self) -> Option<()> {
        loop {
            let annotated = self.is_punct(self.pos, b'@');
            while self.is_punct(self.pos, b'@') && !self.is_word(self.pos + 1, "interface") {
                self.annotation()?;
            }
            if self.is_punct(self.pos, b'[') && self.is_punct(self.pos + 1, b']') {
                self.pos += 2;
            } else {
                return (!annotated).then_some(());
            }
        }
    }

    /// Type arguments or parameters from `<` to its `>`.
    pub(super) fn skip_angle(&mut self) -> Option<()> {
        let mut depth = 0u32;
        loop {
            let t = self.tok(self.pos)?;
            if t.kind == super::Tok::Punct(b'@') && depth > 0 {
                // A type annotation, whose arguments may hold parentheses.
                self.annotation()?;
                continue;
            }
            self.pos += 1;
            match t.kind {
                super::Tok::Punct(b'<') => depth += 1,
                super::Tok::Punct(b'>') => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(());
                    }
                }
                super::Tok::Punct(b';' | b'{' | b'}' | b'(' | b')' | b'=') => return None,
                _ => {}
            }
        }
    }
}
