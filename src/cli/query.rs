//! The arguments of the query commands (grep-symbol, tags, deps, rdeps, refs, rank, impact,
//! map, status) and their output formats.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Output formats of deps and rdeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// One path per line.
    Text,
    /// One JSON object per line.
    Json,
    /// A Graphviz digraph (`dot -Tsvg`), clustered by directory.
    Dot,
    /// A Mermaid flowchart (rendered by GitHub and GitLab in Markdown).
    Mermaid,
}

/// How a picture (`--format dot|mermaid`) is cut.
#[derive(Debug, Args)]
pub struct PictureArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// A picture shows at most N files, the nearest first (a note on stderr says when
    /// some were left out).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_nodes: usize,
}

impl PictureArgs {
    /// The format asked for (`--json` is `--format json`).
    pub fn format(&self) -> GraphFormat {
        match self.json {
            true => GraphFormat::Json,
            false => self.format,
        }
    }
}

/// Output formats of grep-symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:column: kind name (in Container)`.
    Default,
    /// One JSON object per line.
    Json,
    /// Tags-file lines.
    Ctags,
}

/// When to color output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `git atse grep-symbol`.
#[derive(Debug, Args)]
pub struct GrepSymbolArgs {
    /// The name to look up. A qualified name (`M.f`, `C:m`, `A::b`, `A#b`) also finds `f`
    /// defined in the container `M` (Lua's `function M.f()` is named `f` in `M`).
    pub name: String,
    /// Match every name that starts with NAME.
    #[arg(long)]
    pub prefix: bool,
    /// Match regardless of case.
    #[arg(short = 'i', long)]
    pub ignore_case: bool,
    /// Only definitions of this kind (function, method, class, struct, ...); repeatable.
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Only definitions in this language (rust, python, go, javascript, typescript, tsx, c,
    /// cpp, java, csharp, ruby, php, kotlin, swift, scala, lua, sh).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Print at most N definitions.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Answer from the index as it is, without catching up with HEAD first.
    #[arg(long)]
    pub no_update: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Default)]
    pub format: Format,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Color the output (default: git's `color.ui`; `NO_COLOR` turns it off).
    #[arg(long, value_enum, value_name = "WHEN", num_args = 0..=1, require_equals = true, default_missing_value = "always")]
    pub color: Option<ColorChoice>,
    /// Which tree to answer for (HEAD by default).
    #[command(flatten)]
    pub tree: TreeArgs,
}

/// Which tree a query answers for: HEAD (the index), or another through an overlay.
#[derive(Debug, Args, Default)]
pub struct TreeArgs {
    /// Answer as of REV (a commit, tag or tree-ish); the index is not changed.
    #[arg(long, value_name = "REV", conflicts_with = "cached")]
    pub rev: Option<String>,
    /// Answer for what is staged (git's index), as `git grep --cached`.
    #[arg(long, conflicts_with = "worktree")]
    pub cached: bool,
    /// Answer for the files as they are on disk: modified, added, deleted and untracked
    /// (not ignored) files, as `git status` finds them (`atse.worktree` makes it the
    /// default).
    #[arg(long, conflicts_with = "rev")]
    pub worktree: bool,
    /// Answer for HEAD even when `atse.worktree` is set.
    #[arg(long, conflicts_with_all = ["worktree", "rev", "cached"])]
    pub no_worktree: bool,
}

/// `git atse tags`.
#[derive(Debug, Args)]
pub struct TagsArgs {
    /// Write to FILE instead of stdout (`-`: stdout).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Answer from the index as it is, without catching up with HEAD first.
    #[arg(long)]
    pub no_update: bool,
    /// Which tree to answer for (HEAD by default).
    #[command(flatten)]
    pub tree: TreeArgs,
}

/// What `deps` and `rdeps` share, after their own arguments: the cut, the output and the
/// tree.
#[derive(Debug, Args)]
pub struct FileGraphArgs {
    /// Print at most N files (all by default; a note on stderr says when cut).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format, and how a picture is cut.
    #[command(flatten)]
    pub out: PictureArgs,
    /// Answer from the index as it is, without catching up with HEAD first.
    #[arg(long)]
    pub no_update: bool,
    /// Which tree to answer for (HEAD by default).
    #[command(flatten)]
    pub tree: TreeArgs,
}

/// `git atse deps`.
#[derive(Debug, Args)]
pub struct DepsArgs {
    /// A file of the repository (relative to the current directory).
    pub file: String,
    /// Also print the imports that resolve to no file in the repository.
    #[arg(long)]
    pub external: bool,
    /// Also what those files import, up to N steps away.
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// The cut, the output and the tree.
    #[command(flatten)]
    pub view: FileGraphArgs,
}

/// `git atse rdeps`.
#[derive(Debug, Args)]
pub struct RdepsArgs {
    /// A file of the repository (relative to the current directory).
    pub file: String,
    /// Everything that depends on FILE, directly or not.
    #[arg(long)]
    pub transitive: bool,
    /// At most N steps away (implies --transitive).
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// The cut, the output and the tree.
    #[command(flatten)]
    pub view: FileGraphArgs,
}

/// `git atse refs`.
#[derive(Debug, Args)]
pub struct RefsArgs {
    /// The called name.
    pub name: String,
    /// Print at most N call sites.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Color the output (default: git's `color.ui`; `NO_COLOR` turns it off).
    #[arg(long, value_enum, value_name = "WHEN", num_args = 0..=1, require_equals = true, default_missing_value = "always")]
    pub color: Option<ColorChoice>,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Answer from the index as it is, without catching up with HEAD first.
    #[arg(long)]
    pub no_update: bool,
    /// Which tree to answer for (HEAD by default).
    #[command(flatten)]
    pub tree: TreeArgs,
}

/// `git atse rank`.
#[derive(Debug, Args)]
pub struct RankArgs {
    /// How many files to print.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Answer from the index as it is, without catching up with HEAD first.
    #[arg(long)]
    pub no_update: bool,
    /// Which tree to answer for (HEAD by default).
    #[command(flatten)]
    pub tree: TreeArgs,
}

/// `git atse impact`.
#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// The commits to compare, `A..B` (`A` alone: `A..HEAD`).
    #[arg(value_name = "A..B", required_unless_present_any = ["worktree", "cached"])]
    pub range: Option<String>,
    /// What the working tree changes against HEAD (uncommitted edits, untracked files).
    #[arg(long, conflicts_with_all = ["range", "cached"])]
    pub worktree: bool,
    /// What is staged, against HEAD.
    #[arg(long, conflicts_with = "range")]
    pub cached: bool,
    /// Dependents at most N steps from a changed file (all of them by default).
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// Print at most N dependents and N references (all by default; a note says when cut).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format (`--json`: one object per line, each with its `section` and `path`;
    /// dot and mermaid: the changed files and their dependents).
    #[command(flatten)]
    pub out: PictureArgs,
    /// Answer from the index as it is, without catching up with HEAD first.
    #[arg(long)]
    pub no_update: bool,
}

/// `git atse map`.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// Files or directories to centre the map on (PageRank personalised to them).
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// Fit the map in N tokens, a token counted as 4 characters.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub tokens: usize,
    /// Answer from the index as it is, without catching up with HEAD first.
    #[arg(long)]
    pub no_update: bool,
    /// Which tree to map (HEAD by default); with --worktree and no PATH, the map is
    /// centred on the changed files.
    #[command(flatten)]
    pub tree: TreeArgs,
}

/// `git atse status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
    /// Report the index as it is, without catching up with HEAD first.
    #[arg(long)]
    pub no_update: bool,
    /// Which tree answers are for (HEAD by default): reported as `answered`, with the
    /// number of changed paths.
    #[command(flatten)]
    pub tree: TreeArgs,
}
