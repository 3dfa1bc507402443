//! `commands`: one file per subcommand; the only layer that prints.

mod debug_extract;
mod deps;
mod gc;
mod grep_symbol;
mod hook;
mod install;
mod output;
mod rank;
mod refs;
mod share;
mod status;
mod tags;
mod update;

use std::process::ExitCode;

use std::time::Duration;

use anyhow::{Context as _, Result};

use crate::catch_up::{self, Outcome, Policy};

use crate::cli::{Cli, Command};
use crate::git::{Repo, Target};

use crate::store::index::{Index, State};
use crate::store::Layout;

/// Runs the parsed command line; returns the exit status (errors are printed by `main`).
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Update(args) => update::run(&args),
        Command::GrepSymbol(args) => grep_symbol::run(&args),
        Command::Tags(args) => tags::run(&args),
        Command::Status(args) => status::run(&args),
        Command::Deps(args) => deps::run_deps(&args),
        Command::Rdeps(args) => deps::run_rdeps(&args),
        Command::Refs(args) => refs::run(&args),
        Command::Rank(args) => rank::run(&args),
        Command::Gc(args) => gc::run(&args),
        Command::Share(cmd) => share::run(&cmd),
        Command::Install(args) => install::run_install(&args),
        Command::Uninstall(args) => install::run_uninstall(&args),
        Command::DebugExtract(args) => debug_extract::run(&args),
    }
}

/// The repository of the current directory and where its git-atse data lives.
pub(crate) struct Session {
    pub repo: Repo,
    pub layout: Layout,
}

impl Session {
    pub fn open() -> Result<Session> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let repo = Repo::discover(&cwd)?;
        let layout = Layout::new(&repo.common_dir(), &repo.git_dir());
        Ok(Session { repo, layout })
    }

    /// A path given on the command line (relative to the current directory) as a path in
    /// the repository's tree.
    pub fn repo_path(&self, arg: &str) -> Result<String> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let prefix = match self.repo.work_dir() {
            Some(root) => {
                let root = root.canonicalize().unwrap_or(root);
                let cwd = cwd.canonicalize().unwrap_or(cwd);
                cwd.strip_prefix(&root)
                    .map(|p| p.to_path_buf())
                    .unwrap_or_default()
            }
            None => Default::default(),
        };
        let mut parts: Vec<String> = Vec::new();
        let joined = prefix.join(arg);
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

    /// HEAD's tree, `None` before the first commit.
    pub fn head(&self) -> Result<Option<Target>> {
        self.repo.resolve("HEAD")
    }

    /// HEAD's tree, taken from `state` when HEAD is still the commit it indexed (see
    /// `Repo::head_known`).
    pub fn head_after(&self, state: Option<&State>) -> Result<Option<Target>> {
        self.repo.head_known(state.and_then(State::commit_and_tree))
    }

    /// The index to answer a query from. Unless `no_update`, first catches up with HEAD
    /// (after a reset, a stash, an IDE's commit or a missed hook). A running update is
    /// waited for briefly; an index far behind is updated in the background while the
    /// query answers from it, with a note on stderr. `None`: nothing is indexed.
    pub fn index_for_query(&self, no_update: bool) -> Result<Option<Index>> {
        if no_update {
            return self.layout.open_index_read();
        }
        // The common case: the index already describes HEAD; answer from this very handle.
        let current = self.layout.open_index_read().ok().flatten();
        let state = current.as_ref().and_then(|i| i.state().ok().flatten());
        if let (Some(index), Some(state)) = (current, &state) {
            match self.head_after(Some(state))? {
                Some(head) if catch_up::is_tree(&state.tree, &head) => return Ok(Some(index)),
                None => return Ok(Some(index)),
                Some(_) => {} // behind: catch up below (after closing this handle)
            }
        }
        let exists = state.is_some();
        let policy = Policy {
            wait: Duration::from_millis(QUERY_WAIT_MS),
            // With nothing to answer from, index inline however far it is.
            max_changes: exists.then_some(
                self.repo
                    .config_u64(QUERY_MAX_CHANGES_KEY)?
                    .unwrap_or(QUERY_MAX_CHANGES_DEFAULT) as usize,
            ),
            defer_slow_langs: false,
        };
        let opts = crate::update::Options::from_config(&self.repo, false)?;
        match catch_up::to_head(
            &self.repo,
            &self.layout,
            &opts,
            policy,
            &crate::update::Silent,
        )? {
            Outcome::NoCommit | Outcome::Current | Outcome::Updated(_) => {}
            Outcome::Busy => {
                eprintln!(
                    "git-atse: note: an update is running; answering from the index as it was"
                );
            }
            Outcome::TooFar { changed } => {
                hook::spawn_background(self)?;
                eprintln!(
                    "git-atse: note: the index is {changed}+ changed paths behind HEAD; \
                     updating it in the background and answering from the older index"
                );
            }
        }
        self.layout.open_index_read()
    }
}

/// How long a query waits for a running update before answering from the index as it is.
const QUERY_WAIT_MS: u64 = 500;
/// `atse.queryMaxChanges`: a query catches up inline up to this many changed paths, else
/// in the background while it answers from the older index.
const QUERY_MAX_CHANGES_KEY: &str = "atse.queryMaxChanges";
const QUERY_MAX_CHANGES_DEFAULT: u64 = 5000;

/// The exit status of a query: 0 when something was found, 1 when nothing was.
pub(crate) fn found(any: bool) -> ExitCode {
    if any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
