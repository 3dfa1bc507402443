//! Code: method bodies, initializers and arguments, read as a token stream. `name (` is a
//! call unless `name` is a reserved word; `new T(` calls `T` (tree-sitter-java's
//! `object_creation_expression`, named as `walkers::java` names it); class bodies inside
//! code (anonymous and local classes) are read as declarations again.

use super::lex::Tok;
use super::members::is_modifier;
use super::{Body, Scan};

/// Java's reserved words, the literals `true`, `false` and `null`, and `_` (a name only
/// before Java 9; tree-sitter-java reads it as a pattern): never a call or a declared name.
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
    "const",
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
    "goto",
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
    "_",
];

/// Whether `word` is reserved (see [`RESERVED`]).
pub(super) fn is_reserved(word: &[u8]) -> bool {
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
        let after_dot = at > 0 && self.is_punct(at - 1, b'.');
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
                self.skip_parens()?;
            }
        } else if is_modifier(word) && !after_dot && !self.is_punct(at + 1, b'(') {
            mods.get_or_insert(at);
            self.pos += 1;
            return Some(true);
        } else if !after_dot && self.at_type_decl() {
            self.type_decl(mods.unwrap_or(at))?;
        } else if self.is_punct(at + 1, b'(') && !is_reserved(word) && !self.yields(at)? {
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
        if self.text(at) != b"yield" || (at > 0 && self.is_punct(at - 1, b'.')) {
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
        if self.is_punct(self.pos, b'[') || is_reserved(self.text(first)) {
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
    /// as code after). Record patterns (`case Point(var x, var y)`) call nothing.
    fn case_label(&mut self) -> Option<()> {
        self.pos += 1;
        loop {
            let at = self.pos;
            let t = self.tok(at)?;
            match t.kind {
                Tok::Punct(b'(') => self.skip_parens()?,
                Tok::Punct(b':') => return Some(()),
                Tok::Punct(b'-') if self.is_punct(at + 1, b'>') => return Some(()),
                Tok::Punct(b';' | b'{' | b'}' | b')') => return None,
                Tok::Ident if self.text(at) == b"when" && at > 0 => {
                    let prev = &self.toks[at - 1];
                    self.pos += 1;
                    let guard = prev.kind == Tok::Punct(b')')
                        || (prev.kind == Tok::Ident && !is_reserved(self.text(at - 1)));
                    if guard {
                        return Some(());
                    }
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Balanced parentheses from `(`, where nothing is recorded (patterns).
    fn skip_parens(&mut self) -> Option<()> {
        let mut depth = 0u32;
        loop {
            let t = self.tok(self.pos)?;
            self.pos += 1;
            match t.kind {
                Tok::Punct(b'(') => depth += 1,
                Tok::Punct(b')') => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(());
                    }
                }
                Tok::Punct(b';' | b'{' | b'}') => return None,
                _ => {}
            }
        }
    }
}
