//! The tools' names, descriptions and exact input schemas, and the check of a call's
//! arguments against them (clients validate with the same schemas).

use serde_json::{json, Map, Value};

use super::RpcError;

/// A parameter's JSON type.
#[derive(Clone, Copy)]
pub(super) enum Type {
    Str,
    Int,
    Bool,
    StrList,
}

/// (name, type, description, required).
type Param = (&'static str, Type, &'static str, bool);

const LIMIT: Param = (
    "limit",
    Type::Int,
    "At most this many results (default 100); the result says when it was cut.",
    false,
);
const REV: Param = (
    "rev",
    Type::Str,
    "Answer as of this commit, tag or tree-ish instead (the index is not changed).",
    false,
);
const PATH: Param = (
    "path",
    Type::Str,
    "A file, relative to the repository root.",
    true,
);
const DEPTH: Param = (
    "depth",
    Type::Int,
    "At most this many steps (implies transitive).",
    false,
);
const WORKTREE: Param = (
    "worktree",
    Type::Bool,
    "Include uncommitted edits and untracked files (default true).",
    false,
);

/// Every tool: (name, description, parameters).
pub(super) const TOOLS: &[(&str, &str, &[Param])] = &[
    (
        "find_symbol",
        "Where a symbol is defined: path:line, kind and container of each definition.",
        &[
            (
                "name",
                Type::Str,
                "The name (or its start, with prefix).",
                true,
            ),
            (
                "prefix",
                Type::Bool,
                "Match every name starting with name.",
                false,
            ),
            (
                "ignore_case",
                Type::Bool,
                "Match regardless of case.",
                false,
            ),
            (
                "kind",
                Type::Str,
                "Only this kind: function, method, class, struct, ...",
                false,
            ),
            (
                "lang",
                Type::Str,
                "Only this language: rust, python, go, javascript, typescript, c, cpp, java.",
                false,
            ),
            LIMIT,
            REV,
            WORKTREE,
        ],
    ),
    (
        "find_references",
        "The call sites of a name, each with its enclosing definition.",
        &[
            ("name", Type::Str, "The called name.", true),
            LIMIT,
            WORKTREE,
        ],
    ),
    (
        "file_deps",
        "The repository files a file imports (transitively: and what they import).",
        &[
            PATH,
            (
                "transitive",
                Type::Bool,
                "Follow imports of imports.",
                false,
            ),
            DEPTH,
            LIMIT,
            WORKTREE,
        ],
    ),
    (
        "file_rdeps",
        "The files that import a file (transitively: everything that depends on it).",
        &[
            PATH,
            (
                "transitive",
                Type::Bool,
                "Everything that depends on it, directly or not.",
                false,
            ),
            DEPTH,
            LIMIT,
            WORKTREE,
        ],
    ),
    (
        "impact",
        "What a change touches: files, definitions added/removed/changed/moved, dependent \
         files (by PageRank) and call sites. Give range (A..B) or worktree (the default).",
        &[
            (
                "range",
                Type::Str,
                "Commits to compare, A..B (A alone: A..HEAD).",
                false,
            ),
            (
                "worktree",
                Type::Bool,
                "The uncommitted changes (the default without range).",
                false,
            ),
            LIMIT,
        ],
    ),
    (
        "repo_map",
        "A map of the repository that fits a token budget: the most central files and the \
         first line of their top-level definitions.",
        &[
            (
                "tokens",
                Type::Int,
                "The budget in tokens of 4 characters (default 1024).",
                false,
            ),
            (
                "paths",
                Type::StrList,
                "Files or directories to centre the map on.",
                false,
            ),
        ],
    ),
    (
        "index_status",
        "What the index describes, whether it is current, and its size.",
        &[],
    ),
];

/// `tools/list`'s tools.
pub(super) fn list() -> Vec<Value> {
    TOOLS
        .iter()
        .map(|(name, description, params)| {
            let mut props = Map::new();
            for (p, t, d, _) in params.iter() {
                let schema = match t {
                    Type::Str => json!({ "type": "string", "description": d }),
                    Type::Int => json!({ "type": "integer", "minimum": 0, "description": d }),
                    Type::Bool => json!({ "type": "boolean", "description": d }),
                    Type::StrList => {
                        json!({ "type": "array", "items": { "type": "string" }, "description": d })
                    }
                };
                props.insert((*p).to_string(), schema);
            }
            let required: Vec<&str> = params.iter().filter(|p| p.3).map(|p| p.0).collect();
            json!({
                "name": name,
                "description": description,
                "inputSchema": {
                    "type": "object",
                    "properties": props,
                    "required": required,
                    "additionalProperties": false,
                },
            })
        })
        .collect()
}

/// Checks `args` against tool `name`'s schema; returns the tool's parameters.
pub(super) fn check(name: &str, args: &Value) -> Result<(), RpcError> {
    let Some((_, _, params)) = TOOLS.iter().find(|t| t.0 == name) else {
        return Err(RpcError::params(format!("unknown tool {name:?}")));
    };
    let Some(obj) = args.as_object() else {
        return Err(RpcError::params("arguments must be an object"));
    };
    for (key, value) in obj {
        let Some((_, t, _, _)) = params.iter().find(|p| p.0 == key) else {
            return Err(RpcError::params(format!(
                "{name}: unknown argument {key:?}"
            )));
        };
        let ok = match t {
            Type::Str => value.is_string(),
            Type::Int => value.as_u64().is_some(),
            Type::Bool => value.is_boolean(),
            Type::StrList => value
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string)),
        };
        if !ok {
            return Err(RpcError::params(format!(
                "{name}: argument {key:?} has the wrong type"
            )));
        }
    }
    for (p, _, _, required) in params.iter() {
        if *required && !obj.contains_key(*p) {
            return Err(RpcError::params(format!(
                "{name}: argument {p:?} is required"
            )));
        }
    }
    Ok(())
}
