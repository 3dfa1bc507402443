//! Per-language configuration, built once and shared by all threads: the grammar, the
//! project's own query, and what each capture means, resolved to a role at build time so
//! a typo in a `.scm` file fails the tests instead of silently matching nothing.

use anyhow::{bail, Context as _, Result};
use std::sync::OnceLock;
use tree_sitter::{Language, Query};
use tree_sitter_language::LanguageFn;

use super::walk::Visit;
use super::walkers;
use crate::model::{Kind, Lang};

/// What a capture in a query stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// `@definition.<kind>`: the whole definition node.
    Definition(Kind),
    /// `@name`: the name of the definition or reference in the same match.
    Name,
    /// `@context`: a node whose text names the container explicitly (a Go receiver type,
    /// the scope of a C++ `A::f` definition). Wins over the structural container.
    Context,
    /// `@import`: an import as written; quotes and angle brackets are removed.
    Import,
    /// `@reference.call`: a call site; its `@name` is the called name.
    Call,
    /// Captures starting with `_` only serve predicates.
    Ignored,
}

/// A language's grammar and how definitions are found in its trees.
pub(crate) struct LanguageSpec {
    pub(crate) language: Language,
    pub(crate) engine: Engine,
}

/// How a language's trees are read.
pub(crate) enum Engine {
    /// The project's query (`queries/*.scm`).
    Query(QuerySpec),
    /// A hand-written walk over the tree (`walkers`): for grammars where tree-sitter's
    /// analysis of any query at every start costs more than a hook's budget.
    Walk(Visit),
}

/// A compiled query and what its captures and patterns mean.
pub(crate) struct QuerySpec {
    pub(crate) query: Query,
    /// Role of each capture, indexed by capture index.
    pub(crate) roles: Vec<Role>,
    /// Per pattern: `(#set! atse.context_kind "KIND")`, the kind of the container named by
    /// `@context` (Lua's `M` in `function M.f()` is a module, so `f` stays a function).
    pub(crate) context_kind: Vec<Option<Kind>>,
}

impl QuerySpec {
    fn build(lang: Lang, language: &Language, source: &str) -> Result<QuerySpec> {
        let query = Query::new(language, source)
            .with_context(|| format!("query for {lang} does not compile"))?;
        let roles = query
            .capture_names()
            .iter()
            .map(|name| role_of(name).with_context(|| format!("query for {lang}")))
            .collect::<Result<Vec<_>>>()?;
        let mut context_kind = Vec::with_capacity(query.pattern_count());
        for pattern in 0..query.pattern_count() {
            let setting = |key: &str| {
                query
                    .property_settings(pattern)
                    .iter()
                    .find(|p| &*p.key == key)
                    .and_then(|p| p.value.as_deref())
            };
            context_kind.push(match setting("atse.context_kind") {
                Some(k) => Some(Kind::parse(k).with_context(|| {
                    format!("query for {lang}: unknown kind {k:?} in atse.context_kind")
                })?),
                None => None,
            });
        }
        Ok(QuerySpec {
            context_kind,
            query,
            roles,
        })
    }
}

fn role_of(capture: &str) -> Result<Role> {
    Ok(match capture {
        "name" => Role::Name,
        "context" => Role::Context,
        "import" => Role::Import,
        "reference.call" => Role::Call,
        _ if capture.starts_with('_') => Role::Ignored,
        _ => match capture.strip_prefix("definition.").and_then(Kind::parse) {
            Some(kind) => Role::Definition(kind),
            None => bail!("unknown capture @{capture}"),
        },
    })
}

const GO_QUERY: &str = include_str!("queries/go.scm");
const LUA_QUERY: &str = include_str!("queries/lua.scm");

fn build_spec(lang: Lang) -> Result<LanguageSpec> {
    let (language, engine): (Language, Result<Engine>) = match lang {
        Lang::Rust => walker(tree_sitter_rust::LANGUAGE, walkers::rust::visit),
        Lang::Python => walker(tree_sitter_python::LANGUAGE, walkers::python::visit),
        Lang::Go => query(lang, tree_sitter_go::LANGUAGE, GO_QUERY),
        // One walker for the three grammars (TypeScript's extends JavaScript's).
        Lang::JavaScript => walker(tree_sitter_javascript::LANGUAGE, walkers::js::visit),
        Lang::TypeScript => walker(
            tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
            walkers::js::visit,
        ),
        Lang::Tsx => walker(tree_sitter_typescript::LANGUAGE_TSX, walkers::js::visit),
        Lang::C => walker(tree_sitter_c::LANGUAGE, walkers::c_family::visit_c),
        Lang::Cpp => walker(tree_sitter_cpp::LANGUAGE, walkers::c_family::visit_cpp),
        Lang::Java => walker(tree_sitter_java::LANGUAGE, walkers::java::visit),
        Lang::CSharp => walker(tree_sitter_c_sharp::LANGUAGE, walkers::csharp::visit),
        Lang::Ruby => walker(tree_sitter_ruby::LANGUAGE, walkers::ruby::visit),
        // The grammar with HTML around `<?php ... ?>`, as PHP files are written.
        Lang::Php => walker(tree_sitter_php::LANGUAGE_PHP, walkers::php::visit),
        Lang::Kotlin => walker(tree_sitter_kotlin_ng::LANGUAGE, walkers::kotlin::visit),
        Lang::Swift => walker(tree_sitter_swift::LANGUAGE, walkers::swift::visit),
        Lang::Scala => walker(tree_sitter_scala::LANGUAGE, walkers::scala::visit),
        Lang::Lua => query(lang, tree_sitter_lua::LANGUAGE, LUA_QUERY),
        Lang::Shell => walker(tree_sitter_bash::LANGUAGE, walkers::shell::visit),
    };
    Ok(LanguageSpec {
        engine: engine?,
        language,
    })
}

fn query(lang: Lang, language: LanguageFn, source: &str) -> (Language, Result<Engine>) {
    let language = Language::new(language);
    let engine = QuerySpec::build(lang, &language, source).map(Engine::Query);
    (language, engine)
}

fn walker(language: LanguageFn, visit: Visit) -> (Language, Result<Engine>) {
    (Language::new(language), Ok(Engine::Walk(visit)))
}

/// The shared spec of `lang`, built on first use.
pub(crate) fn spec(lang: Lang) -> Result<&'static LanguageSpec> {
    // One slot per language number (`Lang::to_u8`), 0 unused.
    static SPECS: [OnceLock<Result<LanguageSpec, String>>; 32] = [const { OnceLock::new() }; 32];
    let slot = &SPECS[usize::from(lang.to_u8())];
    match slot.get_or_init(|| build_spec(lang).map_err(|e| format!("{e:#}"))) {
        Ok(spec) => Ok(spec),
        Err(msg) => bail!("{msg}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_compiles_with_known_captures() {
        for &lang in Lang::ALL {
            if let Err(e) = spec(lang) {
                panic!("{e:#}");
            }
        }
    }

    #[test]
    fn unknown_capture_is_rejected() {
        assert!(role_of("definition.functoin").is_err());
        assert!(role_of("nmae").is_err());
        assert_eq!(role_of("_recv").ok(), Some(Role::Ignored));
    }
}
