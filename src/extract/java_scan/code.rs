//! Code: method bodies, initializers and arguments, read as a token stream. `name (` is a
//! call unless `name` is a reserved word; `new T(` calls `T` (tree-sitter-java's
//! `object_creation_expression`, named as `walkers::java` names it); class bodies inside
//! code (anonymous and local classes) are read as declarations again.

use super::lex::Tok;
use super::members::{is_modifier, is_primitive};
use super::{Body, Scan};

/// Java's keywords and the literals `true`, `false` and `null`, as tree-sitter-java has
/// them (without `goto` and `const`, which it reads as names): never called unqualified
/// (after a `.`, every word but `this` and `super` is a method's name for tree-sitter).
const RESERVED: &[&str] = &[
    "abstract",
    "assert",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "final",
    "finally",
    "float",
    "for",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "native",
    "new",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "static",
    "strictfp",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "transient",
    "try",
    "void",
    "volatile",
    "while",
    "true",
    "false",
    "null",
];

/// Whether `word` is a keyword (see [`RESERVED`]).
pub(super) fn is_keyword(word: &[u8]) -> bool {
    RESERVED.iter().any(|r| r.as_bytes() == word)
}

/// Tokens searched after `yield (` for the comma that makes it a call.
const YIELD_LOOKAHEAD: usize = 256;

/// Where a stretch of code ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Until {
    /// At the `}` closing a block already entered.
    Brace,
    /// At the `)` closing parentheses already entered.
    Paren,
    /// Before a `,` or `;` outside brackets (a field's initializer, a default value).
    ExprEnd,
}

impl Scan<'_> {
    /// A block after its `{`, through its `}`: the index of the `}`.
    pub(super) fn block(&mut self) -> Option<usize> {
        self.code(Until::Brace)
    }

    /// Parentheses from the `(`, through the `)`.
    pub(super) fn parens(&mut self) -> Option<()> {
        self.expect(b'(')?;
        self.code(Until::Paren).map(drop)
    }

    /// An expression up to (not including) the `,` or `;` after it.
    pub(super) fn expr(&mut self) -> Option<()> {
        self.code(Until::ExprEnd).map(drop)
    }

    /// Reads code until `until`; the index of the token that ended it.
    fn code(&mut self, until: Until) -> Option<usize> {
        self.enter()?;
        let base = self.brackets.len();
        // Where the modifiers of a local class would start.
        let mut mods: Option<usize> = None;
        loop {
            let at = self.pos;
            let t = self.tok(at)?;
            let mut modifier = false;
            match t.kind {
                Tok::Punct(open @ (b'(' | b'[' | b'{')) => {
                    self.brackets.push(open);
                    self.pos += 1;
                }
                Tok::Punct(close @ (b')' | b']' | b'}')) => {
                    self.pos += 1;
                    if self.brackets.len() == base {
                        let ours = match until {
                            Until::Brace => close == b'}',
                            Until::Paren => close == b')',
                            Until::ExprEnd => false,
                        };
                        self.depth -= 1;
                        return ours.then_some(at);
                    }
                    let open = self.brackets.pop()?;
                    if !matches!((open, close), (b'(', b')') | (b'[', b']') | (b'{', b'}')) {
                        return None;
                    }
                }
                Tok::Punct(b',' | b';')
                    if until == Until::ExprEnd && self.brackets.len() == base =>
                {
                    self.depth -= 1;
                    return Some(at);
                }
                Tok::Punct(b'@') if !self.is_word(at + 1, "interface") => {
                    mods.get_or_insert(at);
                    modifier = true;
                    self.annotation()?;
                }
                // A local annotation type: tree-sitter-java reads it, javac does not.
                Tok::Punct(b'@') => return None,
                Tok::Punct(b'.') if self.is_punct(at + 1, b'<') => {
                    self.pos += 1;
                    self.skip_angle()?;
                }
                Tok::Ident => modifier = self.word(&mut mods)?,
                _ => self.pos += 1,
            }
            if !modifier {
                mods = None;
            }
        }
    }

    /// The identifier at the current token in code; whether it was a modifier.
    fn word(&mut self, mods: &mut Option<usize>) -> Option<bool> {
        let at = self.pos;
        let word = self.text(at);
        let call_follows = self.is_punct(at + 1, b'(');
        if at > 0 && self.is_punct(at - 1, b'.') {
            // `a.new Inner()`, `a.b(...)`; `Outer.this`, `outer.super(...)` call nothing.
            if word == b"new" {
                self.new_expr()?;
            } else {
                if call_follows && word != b"this" && word != b"super" {
                    self.call(at);
                }
                self.pos += 1;
            }
            return Some(false);
        }
        // `T::new`, not the `:` of `a ? b : new T()`.
        let method_ref = at > 1 && self.is_punct(at - 1, b':') && self.is_punct(at - 2, b':');
        if word == b"new" && !method_ref {
            self.new_expr()?;
        } else if word == b"case" {
            self.case_label()?;
        } else if word == b"instanceof" {
            self.pos += 1;
            self.skip_type()?;
            if self.is_punct(self.pos, b'(') {
                self.record_pattern()?;
            }
        } else if word == b"import" || word == b"package" {
            // Declarations tree-sitter-java takes for statements in a block.
            return None;
        } else if is_modifier(word) && !call_follows {
            mods.get_or_insert(at);
            self.pos += 1;
            return Some(true);
        } else if self.at_type_decl() {
            self.type_decl(mods.unwrap_or(at))?;
        } else if call_follows && !is_keyword(word) && !self.yields(at)? {
            self.call(at);
            self.pos += 1;
        } else {
            self.pos += 1;
        }
        Some(false)
    }

    /// Whether the `yield` at `at` starts a yield statement, not a call: unqualified and
    /// followed by one expression in parentheses (tree-sitter-java reads `yield();` and
    /// `yield(a, b);` as calls). `None` when the parentheses run past [`YIELD_LOOKAHEAD`]
    /// tokens: handed over rather than searched again for each nested `yield`.
    fn yields(&self, at: usize) -> Option<bool> {
        if self.text(at) != b"yield" {
            return Some(false);
        }
        if self.is_punct(at + 2, b')') {
            return Some(false);
        }
        let mut depth = 0u32;
        for i in at + 1..(at + 1 + YIELD_LOOKAHEAD).min(self.toks.len()) {
            match self.toks[i].kind {
                Tok::Punct(b'(' | b'[' | b'{') => depth += 1,
                Tok::Punct(b')' | b']' | b'}') => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(true);
                    }
                }
                Tok::Punct(b',') if depth == 1 => return Some(false),
                _ => {}
            }
        }
        None
    }

    /// `new T(...)`, `new T(...) { body }` or `new T[...]`, from `new`.
    fn new_expr(&mut self) -> Option<()> {
        self.pos += 1;
        if self.is_punct(self.pos, b'<') {
            self.skip_angle()?;
        }
        self.modifiers()?;
        if !self.is_ident(self.pos) {
            return None;
        }
        let first = self.pos;
        self.pos += 1;
        // The name a call is recorded under: the last identifier of a qualified type,
        // but none when type arguments follow a qualified name (`new a.B<T>()`), as
        // tree-sitter-java's tree shapes them.
        let mut name = Some(first);
        let mut qualified = false;
        loop {
            if self.is_punct(self.pos, b'<') {
                self.skip_angle()?;
                if qualified {
                    name = None;
                }
            } else if self.is_punct(self.pos, b'.') && self.is_ident(self.pos + 1) {
                self.pos += 1;
                name = Some(self.pos);
                qualified = true;
                self.pos += 1;
            } else {
                break;
            }
        }
        if self.is_punct(self.pos, b'[') || is_primitive(self.text(first)) {
            // An array: its dimensions and initializer are read as code.
            return Some(());
        }
        if let Some(name) = name {
            self.call(name);
        }
        self.parens()?;
        if self.is_punct(self.pos, b'{') {
            self.body(Body::Class)?;
        }
        Some(())
    }

    /// A `case` label from `case` to its `->` or `:`, or to the `when` of its guard (read
    /// as code after). Record patterns (`case Point(var x, var y)`) call nothing; other
    /// parentheses (`case (A | B):`) are read as code.
    fn case_label(&mut self) -> Option<()> {
        self.pos += 1;
        loop {
            let at = self.pos;
            let t = self.tok(at)?;
            let prev = &self.toks[at - 1];
            match t.kind {
                Tok::Punct(b'(') => {
                    let named = prev.kind == Tok::Ident && !is_keyword(self.text(at - 1));
                    if named || prev.kind == Tok::Punct(b'>') {
                        self.record_pattern()?;
                    } else {
                        // A constant in parentheses: `case (A | B):`.
                        self.parens()?;
                    }
                }
                Tok::Punct(b':') => return Some(()),
                Tok::Punct(b'-') if self.is_punct(at + 1, b'>') => return Some(()),
                Tok::Punct(b';' | b'{' | b'}' | b')') => return None,
                Tok::Ident if self.text(at) == b"when" => {
                    self.pos += 1;
                    let guard = prev.kind == Tok::Punct(b')')
                        || (prev.kind == Tok::Ident && !is_keyword(self.text(at - 1)));
                    if guard {
                        return Some(());
                    }
                }
                _ => self.pos += 1,
            }
        }
    }

    /// A record pattern's components from `(` (`Point(int x, var y, Line(_, _))`): each
    /// `_`, a type and a name, or a nested record pattern. Anything else (a call, as in
    /// `case f(1):`) is handed over.
    fn record_pattern(&mut self) -> Option<()> {
        self.enter()?;
        self.expect(b'(')?;
        while !self.is_punct(self.pos, b')') {
            if self.is_word(self.pos, "_") {
                self.pos += 1;
            } else {
                self.skip_type()?;
                if self.is_punct(self.pos, b'(') {
                    self.record_pattern()?;
                } else if self.is_word(self.pos, "_") {
                    self.pos += 1;
                } else {
                    self.name()?;
                }
            }
            if !self.is_punct(self.pos, b')') {
                self.expect(b',')?;
            }
        }
        self.pos += 1;
        self.depth -= 1;
        Some(())
    }
}
