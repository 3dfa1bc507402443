//! No panic reaches the user: one panic hook, installed once by `main`, keeps the message
//! instead of printing it, and [`guarded`] turns a panic into an error (exit 2 with one
//! line, the details in `.git/atse/log`). A damaged file that makes a dependency panic is
//! then reported like any other damage, and a hook stays silent (see `hook`).

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use anyhow::{anyhow, Result};

/// The last panic's message and location, kept by the hook.
static LAST: Mutex<Option<String>> = Mutex::new(None);

/// Installs the panic hook (once, at start-up).
pub fn install_hook() {
    panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        // With RUST_BACKTRACE set, the log gets where it came from too.
        let trace = std::backtrace::Backtrace::capture();
        let trace = match trace.status() {
            std::backtrace::BacktraceStatus::Captured => format!("\n{trace}"),
            _ => String::new(),
        };
        let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
        *last = Some(format!("{what}{at}{trace}"));
    }));
}

/// Runs `f`; a panic becomes an error saying what panicked, also written to the log of
/// the repository of the current directory, if there is one.
pub fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(_) => {
            let msg = LAST
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .unwrap_or_else(|| "a panic".to_string());
            let logged = super::Session::open()
                .ok()
                .and_then(|s| s.layout.log(&format!("{what}: internal error: {msg}")).ok());
            Err(match logged {
                Some(path) => anyhow!(
                    "internal error in {what} (details in {}); please report it",
                    path.display()
                ),
                None => anyhow!("internal error in {what}: {msg}; please report it"),
            })
        }
    }
}
