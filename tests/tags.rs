//! `git atse tags`: a complete, sorted tags file that readtags (and so vim) can search.

use crate::util::{tool_missing, Repo};

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("b.py", "class Beta:\n    def run(self):\n        pass\n")
        .write(
            "a.py",
            "def alpha():\n    pass\n\ndef Alpha():\n    pass\n\ndef alpha_two():\n    pass\n",
        );
    repo.commit_all("init");
    repo
}

const EXPECTED: &str =
    "!_TAG_FILE_FORMAT\t2\t/extended format; --format=1 will not append ;\" to lines/\n\
!_TAG_FILE_SORTED\t1\t/0=unsorted, 1=sorted, 2=foldcase/\n\
!_TAG_PROGRAM_NAME\tgit-atse\t//\n";

#[test]
fn tags_file_is_complete_and_sorted() {
    let repo = repo();
    let out = repo.atse_ok(&["tags"]);
    let body: Vec<&str> = out.lines().filter(|l| !l.starts_with("!_TAG_")).collect();
    assert!(out.starts_with(EXPECTED), "{out}");
    assert_eq!(
        body,
        [
            "Alpha\ta.py\t4;\"\tfunction\tline:4",
            "Beta\tb.py\t1;\"\tclass\tline:1",
            "alpha\ta.py\t1;\"\tfunction\tline:1",
            "alpha_two\ta.py\t7;\"\tfunction\tline:7",
            "run\tb.py\t2;\"\tmethod\tline:2\tclass:Beta",
        ]
    );
    let mut sorted = body.clone();
    sorted.sort();
    assert_eq!(
        body, sorted,
        "lines must be in byte order for binary search"
    );
}

#[test]
fn output_file_is_readable_by_readtags() {
    let repo = repo();
    let tags = repo.tmp().join("tags");
    let out = repo.atse(&["tags", "-o", tags.to_str().unwrap()]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    assert!(std::fs::read_to_string(&tags)
        .unwrap()
        .starts_with(EXPECTED));
    let rt = match std::process::Command::new("readtags")
        .arg("-t")
        .arg(&tags)
        .arg("alpha")
        .output()
    {
        Ok(rt) => rt,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return tool_missing("readtags", "apt-get install universal-ctags");
        }
        Err(e) => panic!("cannot run readtags: {e}"),
    };
    // readtags binary-searches the file: it only finds `alpha` if the file is sorted.
    assert_eq!(String::from_utf8_lossy(&rt.stdout), "alpha\ta.py\t1\n");
}

#[test]
fn dash_writes_to_stdout() {
    let repo = repo();
    assert_eq!(repo.atse_ok(&["tags", "-o", "-"]), repo.atse_ok(&["tags"]));
}
