//! The plain data that flows from `extract` to `store` and `query`: what one blob defines,
//! imports and calls. No I/O here; the on-disk encoding lives in `format::object`.

use std::fmt;

pub mod ids;
pub mod overlay;
pub mod refgraph;
pub use ids::{BlobId, CommitId, FileId, TreeId};

/// Bumped whenever the extractor's output for the same bytes may change (queries, rules,
/// limits). Objects carrying another version are re-extracted; an index built with
/// another version is rebuilt from scratch, because retraction relies on the objects.
pub const EXTRACTOR_VERSION: u32 = 7;

macro_rules! numbered_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $num:literal => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* #[doc = concat!("`", $text, "`")] $variant = $num),+ }

        impl $name {
            /// Every value, in numeric order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The number stored on disk.
            pub fn to_u8(self) -> u8 { self as u8 }

            /// The value stored on disk as `n`, if it is known.
            pub fn from_u8(n: u8) -> Option<$name> {
                match n { $($num => Some($name::$variant),)+ _ => None }
            }

            /// The name used in output and on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the name used in output and on the command line.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

numbered_enum! {
    /// What a definition is, in one vocabulary for every language. The numbers are on disk.
    Kind {
        Function = 1 => "function",
        Method = 2 => "method",
        Class = 3 => "class",
        Struct = 4 => "struct",
        Enum = 5 => "enum",
        Interface = 6 => "interface",
        Trait = 7 => "trait",
        Module = 8 => "module",
        Namespace = 9 => "namespace",
        Constant = 10 => "constant",
        Type = 11 => "type",
        Macro = 12 => "macro",
        Field = 13 => "field",
        Variable = 14 => "variable",
        Union = 15 => "union",
        Impl = 16 => "impl",
        /// An enum's member (Rust variant, Java/C/C++ enumerator).
        Enumerator = 17 => "enumerator",
        /// A Rust/C++ constructor-like or a Java constructor.
        Constructor = 18 => "constructor",
        /// A Java annotation type / TypeScript decorator-free annotation.
        Annotation = 19 => "annotation",
    }
}

impl Kind {
    /// Whether definitions nested in this one name it as their container.
    pub fn is_container(self) -> bool {
        matches!(
            self,
            Kind::Class
                | Kind::Struct
                | Kind::Enum
                | Kind::Interface
                | Kind::Trait
                | Kind::Module
                | Kind::Namespace
                | Kind::Union
                | Kind::Impl
                | Kind::Annotation
        )
    }

    /// Whether a function directly inside a container of this kind is a method.
    pub fn makes_methods(self) -> bool {
        matches!(
            self,
            Kind::Class | Kind::Struct | Kind::Enum | Kind::Interface | Kind::Trait | Kind::Impl
        )
    }
}

numbered_enum! {
    /// A supported language. The numbers are on disk.
    Lang {
        Rust = 1 => "rust",
        Python = 2 => "python",
        Go = 3 => "go",
        JavaScript = 4 => "javascript",
        TypeScript = 5 => "typescript",
        Tsx = 6 => "tsx",
        C = 7 => "c",
        Cpp = 8 => "cpp",
        Java = 9 => "java",
        CSharp = 10 => "csharp",
        Ruby = 11 => "ruby",
        Php = 12 => "php",
        Kotlin = 13 => "kotlin",
        Swift = 14 => "swift",
        Scala = 15 => "scala",
        Lua = 16 => "lua",
        /// POSIX sh and bash scripts.
        Shell = 17 => "sh",
    }
}

numbered_enum! {
    /// Why a blob was not extracted. Recorded in its object so it is never retried.
    SkipReason {
        /// A NUL byte in the first 8 KiB.
        Binary = 1 => "binary",
        /// Larger than `atse.maxFileSize`.
        TooLarge = 2 => "too-large",
        /// Parsing took longer than the time bound.
        Timeout = 3 => "timeout",
        /// The parser gave up (no tree).
        ParseFailed = 4 => "parse-failed",
    }
}

/// One definition in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// The defined name, as written (invalid UTF-8 replaced).
    pub name: String,
    /// What it is.
    pub kind: Kind,
    /// The enclosing container's name and kind, if any.
    pub container: Option<(String, Kind)>,
    /// 1-based position of the name.
    pub line: u32,
    /// 1-based byte column of the name.
    pub column: u32,
    /// 1-based end line of the whole definition.
    pub end_line: u32,
    /// 1-based byte column just past the definition's end.
    pub end_column: u32,
}

/// One import as written in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The module path, header or package string, without quotes or brackets.
    pub path: String,
    /// 1-based line.
    pub line: u32,
}

/// One call site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The called name.
    pub name: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based byte column.
    pub column: u32,
    /// Index into `FileIndex::definitions` of the innermost enclosing definition.
    pub caller: Option<u32>,
}

/// Everything extracted from one blob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileIndex {
    /// The extractor version that produced it.
    pub extractor_version: u32,
    /// The language it was parsed as.
    pub lang: Lang,
    /// Set when the blob was not parsed; then the lists are empty.
    pub skip: Option<SkipReason>,
    /// Definitions whose name node contained a parse error (kept, but counted).
    pub error_names: u32,
    /// Definitions, sorted by position.
    pub definitions: Vec<Definition>,
    /// Imports, sorted by position.
    pub imports: Vec<Import>,
    /// Call sites, sorted by position.
    pub references: Vec<Reference>,
}

impl FileIndex {
    /// An object recording that the blob was skipped.
    pub fn skipped(lang: Lang, reason: SkipReason) -> FileIndex {
        FileIndex {
            extractor_version: EXTRACTOR_VERSION,
            lang,
            skip: Some(reason),
            error_names: 0,
            definitions: Vec::new(),
            imports: Vec::new(),
            references: Vec::new(),
        }
    }
}
