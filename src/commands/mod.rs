//! `commands`: one file per subcommand; the only layer that prints.

mod completions;
mod debug_extract;
mod deps;
mod deps_picture;
mod file_graph;
mod follow_head;
mod gc;
mod grep_symbol;
mod hook;
mod human;
mod impact;
mod impact_output;
mod install;
mod lsp;
pub mod manual;
mod map;
mod mcp;
mod output;
pub mod panic;
mod picture;
mod rank;
mod refs;
mod share;
mod status;
mod tags;
mod update;
mod worktree_watch;

use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::{Cli, ColorChoice, Command, TreeArgs};
use crate::config::Config;
use crate::git::{Repo, Target};
use crate::model::overlay::Overlay;
use crate::model::TreeId;
use crate::pipeline::{catch_up, overlay};
use crate::store::index::{Index, State};
use crate::store::Store;

/// Runs the parsed command line; returns the exit status (errors are printed by `main`). A
/// panic is returned as an error (see [`panic`]).
pub fn run(cli: Cli) -> Result<ExitCode> {
    panic::guarded("git atse", || dispatch(cli))
}

/// `--version`: the release, the commit it was built from and the on-disk formats.
pub fn long_version() -> String {
    format!(
        "{} (commit {})\non-disk formats: index {}, object envelope {}, container {}, extractor {}",
        env!("CARGO_PKG_VERSION"),
        env!("ATSE_BUILD_COMMIT"),
        crate::store::index::INDEX_FORMAT,
        crate::format::object::VERSION,
        crate::format::container::VERSION,
        crate::model::EXTRACTOR_VERSION,
    )
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Update(args) => update::run(&args),
        Command::GrepSymbol(args) => grep_symbol::run(&args),
        Command::Tags(args) => tags::run(&args),
        Command::Status(args) => status::run(&args),
        Command::Deps(args) => deps::run_deps(&args),
        Command::Rdeps(args) => deps::run_rdeps(&args),
        Command::Refs(args) => refs::run(&args),
        Command::Rank(args) => rank::run(&args),
        Command::Impact(args) => impact::run(&args),
        Command::Map(args) => map::run(&args),
        Command::Mcp => mcp::run(),
        Command::Lsp => lsp::run(),
        Command::Gc(args) => gc::run(&args),
        Command::Share(cmd) => share::run(&cmd),
        Command::Install(args) => install::run_install(&args),
        Command::Uninstall(args) => install::run_uninstall(&args),
        Command::Completions(args) => completions::run(&args),
        Command::DebugExtract(args) => debug_extract::run(&args),
    }
}

/// The repository of the current directory and where its git-atse data lives.
pub(crate) struct Session {
    pub repo: Repo,
    pub layout: Store,
    /// The `atse.*` settings.
    pub config: Config,
}

impl Session {
    pub fn open() -> Result<Session> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let repo = Repo::discover(&cwd)?;
        let layout = Store::new(&repo.common_dir(), &repo.git_dir());
        let config = Config::read(|key| repo.config_u64(key), |key| repo.config_bool(key))?;
        Ok(Session {
            repo,
            layout,
            config,
        })
    }

    /// The current directory's path in the repository (empty at its root or outside it).
    fn cwd_prefix(&self) -> Result<std::path::PathBuf> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        Ok(match self.repo.work_dir() {
            Some(root) => {
                let root = root.canonicalize().unwrap_or(root);
                let cwd = cwd.canonicalize().unwrap_or(cwd);
                cwd.strip_prefix(&root)
                    .map(|p| p.to_path_buf())
                    .unwrap_or_default()
            }
            None => Default::default(),
        })
    }

    /// A path given on the command line (relative to the current directory) as a path in
    /// the repository's tree.
    pub fn repo_path(&self, arg: &str) -> Result<String> {
        let mut parts: Vec<String> = Vec::new();
        let joined = self.cwd_prefix()?.join(arg);
        for c in joined.components() {
            match c {
                std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                std::path::Component::ParentDir => {
                    parts.pop();
                }
                _ => {}
            }
        }
        Ok(parts.join("/"))
    }

    /// The objects of blobs as this session's limits make them: stored ones, else extracted
    /// from git (and stored), for one thread at a time.
    pub fn object_source<'a>(
        &self,
        objects: &'a crate::store::objects::Objects,
    ) -> crate::pipeline::source::ObjectSource<'a> {
        crate::pipeline::source::ObjectSource::new(
            &self.repo.sync(),
            objects,
            crate::pipeline::limits_from_config(&self.config),
        )
    }

    /// How text output shows paths: relative to the current directory, quoted as git
    /// quotes them (`core.quotePath`, true unless set false).
    pub fn path_style(&self) -> Result<output::PathStyle> {
        use std::os::unix::ffi::OsStrExt;
        let quote_high = self
            .repo
            .config_bool("core.quotePath")
            .ok()
            .flatten()
            .unwrap_or(true);
        let cwd = self
            .cwd_prefix()?
            .components()
            .map(|c| c.as_os_str().as_bytes().to_vec())
            .collect();
        Ok(output::PathStyle { quote_high, cwd })
    }

    /// Whether to color output, as git decides: `--color` when given; else `NO_COLOR`
    /// turns it off; else `color.atse`, then `color.ui` (`always`, `never`/`false`, or
    /// `auto`/`true`, the default: when stdout is a terminal).
    pub fn color(&self, choice: Option<ColorChoice>) -> bool {
        use std::io::IsTerminal;
        let auto = || std::io::stdout().is_terminal();
        match choice {
            Some(ColorChoice::Always) => return true,
            Some(ColorChoice::Never) => return false,
            Some(ColorChoice::Auto) => return auto() && std::env::var_os("NO_COLOR").is_none(),
            None => {}
        }
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return false;
        }
        let setting = ["color.atse", "color.ui"]
            .iter()
            .find_map(|k| self.repo.config_string(k));
        match setting.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("always") => true,
            Some("never" | "false" | "no" | "off" | "0") => false,
            _ => auto(),
        }
    }

    /// The overlay that makes `index` answer for the tree `tree` asks for (`None`: HEAD,
    /// the index as it is).
    pub fn overlay_for(&self, index: &Index, tree: &TreeArgs) -> Result<Option<Overlay>> {
        let worktree = tree.worktree
            || (self.config.worktree && !tree.no_worktree && tree.rev.is_none() && !tree.cached);
        let target = match (&tree.rev, tree.cached, worktree) {
            (Some(rev), _, _) => match self.repo.resolve(rev)? {
                Some(t) => t.tree,
                None => anyhow::bail!("{rev}: no commit yet"),
            },
            (None, true, _) => self.repo.staged_tree()?,
            (None, false, true) => match self.repo.resolve("HEAD")? {
                Some(head) => head.tree,
                None => anyhow::bail!(
                    "HEAD has no commit yet: nothing to compare the working tree with"
                ),
            },
            (None, false, false) => return Ok(None),
        };
        let Some(state) = index.state()? else {
            anyhow::bail!("nothing is indexed yet; run `git atse update`");
        };
        let indexed = TreeId::from_hex(&state.tree)?;
        let (objects, limits) = (
            self.layout.objects(),
            crate::pipeline::limits_from_config(&self.config),
        );
        let max = self.config.query_max_changes as usize;
        let overlay = match worktree && tree.rev.is_none() && !tree.cached {
            true => overlay::for_worktree(&self.repo, &objects, (&indexed, &target), limits, max)?,
            false => overlay::for_tree(&self.repo, &objects, &indexed, &target, limits, max)?,
        };
        Ok(Some(overlay))
    }

    /// HEAD's tree, taken from `state` when HEAD is still the commit it indexed (see
    /// `Repo::head_known`).
    pub fn head_after(&self, state: Option<&State>) -> Result<Option<Target>> {
        self.repo.head_known(state.and_then(State::commit_and_tree))
    }

    /// The index to answer a query from (see `pipeline::catch_up::for_query`), printing
    /// its note, if any, on stderr. `None`: nothing is indexed.
    pub fn index_for_query(&self, no_update: bool) -> Result<Option<Index>> {
        Ok(self.index_for_query_marked(no_update)?.0)
    }

    /// Like [`Session::index_for_query`], and whether the answer may lag HEAD (an update
    /// is running, or the index is far behind and catching up in the background): JSON
    /// rows then say `"stale": true`, for readers of stdout alone.
    pub fn index_for_query_marked(&self, no_update: bool) -> Result<(Option<Index>, bool)> {
        let answer = catch_up::for_query(&self.repo, &self.layout, &self.config, no_update)?;
        let stale = answer.note.is_some();
        if let Some(note) = answer.note {
            eprintln!("git-atse: note: {note}");
        }
        Ok((answer.index, stale))
    }
}

/// The exit status of a query: 0 when something was found, 1 when nothing was.
pub(crate) fn found(any: bool) -> ExitCode {
    if any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
