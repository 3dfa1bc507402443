//! `commands`: one file per subcommand; the only layer that prints.

mod debug_extract;
mod grep_symbol;
mod output;
mod status;
mod tags;
mod update;

use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::{Cli, Command};
use crate::git::{Repo, Target};
use crate::store::index::Index;
use crate::store::Layout;

/// Runs the parsed command line; returns the exit status (errors are printed by `main`).
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Update(args) => update::run(&args),
        Command::GrepSymbol(args) => grep_symbol::run(&args),
        Command::Tags(args) => tags::run(&args),
        Command::Status(args) => status::run(&args),
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

    /// HEAD's tree, `None` before the first commit.
    pub fn head(&self) -> Result<Option<Target>> {
        self.repo.resolve("HEAD")
    }

    /// The index to answer a query from. Unless `no_update`, first catches up with HEAD
    /// when the index describes another tree (after a reset, a stash or a missed hook).
    /// `None`: nothing is indexed (and nothing could be).
    pub fn index_for_query(&self, no_update: bool) -> Result<Option<Index>> {
        let path = self.layout.index_path();
        if no_update {
            return Index::open_read(&path);
        }
        let Some(head) = self.head()? else {
            return Index::open_read(&path);
        };
        if let Ok(Some(index)) = Index::open_read(&path) {
            if let Ok(Some(state)) = index.state() {
                if state.tree == head.tree.to_string() {
                    return Ok(Some(index));
                }
            }
        }
        // Behind, missing, damaged or in need of a repair after a crash: update (which
        // repairs), then read.
        let opts = crate::update::Options {
            full: false,
            limits: crate::update::limits_from_config(&self.repo)?,
        };
        crate::update::update(
            &self.repo,
            &self.layout,
            &head,
            &opts,
            &crate::update::Silent,
        )?;
        Index::open_read(&path)
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
