//! The crash-and-damage suite (issue 13): every file under `.git/atse` has bytes flipped
//! and is truncated at many offsets; after each, every query must give the undamaged
//! answer byte for byte or a clear error (exit 2, a message on stderr, nothing on stdout),
//! never a panic, and the next `git atse update` must repair it. Prints the counts.

use std::path::{Path, PathBuf};

use crate::util::{Out, Repo};

/// The queries a case runs, and what an undamaged index answers.
const QUERIES: &[&[&str]] = &[
    &["grep-symbol", "--no-update", "handler"],
    &["grep-symbol", "--no-update", "nowhere_defined"],
    &["grep-symbol", "--no-update", "--prefix", "hand"],
    &["refs", "--no-update", "helper"],
    &["deps", "--no-update", "app/main.py"],
    &["rdeps", "--no-update", "--transitive", "lib/util.py"],
    &["tags", "--no-update", "-o", "-"],
];

#[derive(Default, Debug)]
struct Counts {
    cases: usize,
    right: usize,
    clear_errors: usize,
    repairs: usize,
    wrong: Vec<String>,
    panics: Vec<String>,
}

fn repo_with_files() -> Repo {
    let repo = Repo::new();
    repo.write(
        "lib/util.py",
        "def helper():\n    return 1\n\nclass Tool:\n    def run(self):\n        return helper()\n",
    );
    repo.write(
        "app/main.py",
        "from lib.util import helper\n\ndef handler():\n    return helper()\n",
    );
    for i in 0..12 {
        repo.write(
            &format!("app/m{i}.py"),
            format!("import lib.util\n\ndef handler_{i}():\n    return lib.util.helper()\n"),
        );
        repo.write(
            &format!("src/f{i}.rs"),
            format!("pub fn handle{i}() {{ helper(); }}\n"),
        );
    }
    repo.commit_all("init");
    repo
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            files_under(&e.path(), out);
        } else {
            out.push(e.path());
        }
    }
}

/// Judges one query's output against the undamaged answer.
fn judge(counts: &mut Counts, case: &str, args: &[&str], want: &Out, got: &Out) {
    if got.code == 101 || got.code < 0 || got.stderr.contains("panicked") {
        counts.panics.push(format!(
            "{case}: {args:?}: code {} {}",
            got.code, got.stderr
        ));
    } else if got.code == want.code && got.stdout == want.stdout {
        counts.right += 1;
    } else if got.code == 2 && got.stdout.is_empty() && !got.stderr.trim().is_empty() {
        counts.clear_errors += 1;
    } else {
        counts.wrong.push(format!(
            "{case}: {args:?}: code {} (want {}), stdout {:?}, stderr {:?}",
            got.code, want.code, got.stdout, got.stderr
        ));
    }
}

/// Damages a copy of the pristine `.git/atse` with `damage`, runs every query, updates,
/// and checks the update repaired it.
fn run_case(
    repo: &Repo,
    pristine: &Path,
    case: &str,
    want: &[Out],
    counts: &mut Counts,
    damage: &dyn Fn(&Path),
) {
    let atse = repo.atse_dir();
    std::fs::remove_dir_all(&atse).unwrap();
    copy_dir(pristine, &atse);
    damage(&atse);
    counts.cases += 1;
    for (args, want) in QUERIES.iter().zip(want) {
        let got = repo.atse(args);
        judge(counts, case, args, want, &got);
    }
    let update = repo.atse(&["update", "--quiet"]);
    let repaired = update.code == 0
        && QUERIES
            .iter()
            .zip(want)
            .all(|(args, want)| repo.atse(args).stdout == want.stdout);
    if repaired {
        counts.repairs += 1;
    } else {
        counts
            .wrong
            .push(format!("{case}: not repaired by update: {}", update.stderr));
    }
}

#[test]
fn every_file_under_atse_damaged_at_many_offsets_answers_right_or_fails_clearly() {
    let repo = repo_with_files();
    repo.atse_ok(&["update", "--quiet"]);
    // Some objects loose, the rest in a pack: both kinds of object file are damaged.
    repo.atse_ok(&["gc", "--quiet"]);
    repo.write("app/late.py", "def handler_late():\n    return helper()\n");
    repo.commit_all("late");
    repo.atse_ok(&["update", "--quiet"]);
    let want: Vec<Out> = QUERIES.iter().map(|q| repo.atse(q)).collect();
    assert!(want.iter().all(|o| o.code <= 1), "{want:?}");
    let pristine = repo.tmp().join("pristine-atse");
    copy_dir(&repo.atse_dir(), &pristine);
    let mut files = Vec::new();
    files_under(&pristine, &mut files);
    files.retain(|f| {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        !name.ends_with(".lock") && !name.ends_with(".ok")
    });
    files.sort();
    let mut counts = Counts::default();
    for file in &files {
        let rel = file.strip_prefix(&pristine).unwrap().to_path_buf();
        let len = std::fs::metadata(file).unwrap().len() as usize;
        if len == 0 {
            continue;
        }
        // Offsets spread over the file, the first and last bytes included.
        let steps = 12.min(len);
        let offsets: Vec<usize> = (0..steps)
            .map(|i| i * (len - 1) / (steps - 1).max(1))
            .collect();
        for &at in &offsets {
            let case = format!("{} flipped at {at}", rel.display());
            run_case(&repo, &pristine, &case, &want, &mut counts, &|atse| {
                let path = atse.join(&rel);
                let mut bytes = std::fs::read(&path).unwrap();
                bytes[at] ^= 0x55;
                std::fs::write(&path, bytes).unwrap();
            });
        }
        for cut in [0, len / 2, len - 1] {
            let case = format!("{} truncated to {cut}", rel.display());
            run_case(&repo, &pristine, &case, &want, &mut counts, &|atse| {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(atse.join(&rel))
                    .unwrap();
                f.set_len(cut as u64).unwrap();
            });
        }
    }
    eprintln!(
        "damage suite: {} cases over {} files; {} right answers, {} clear errors, {} repairs, {} wrong answers, {} panics",
        counts.cases,
        files.len(),
        counts.right,
        counts.clear_errors,
        counts.repairs,
        counts.wrong.len(),
        counts.panics.len()
    );
    assert!(
        counts.wrong.is_empty(),
        "wrong answers:\n{}",
        counts.wrong.join("\n")
    );
    assert!(
        counts.panics.is_empty(),
        "panics:\n{}",
        counts.panics.join("\n")
    );
    assert_eq!(counts.repairs, counts.cases);
}
