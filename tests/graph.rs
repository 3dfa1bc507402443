//! The dependency graph commands (deps, rdeps, refs, rank) and the Bloom filter, on real
//! multi-language repositories, through commits that add, delete and rename files.

use crate::util::Repo;

#[test]
fn refs_lists_call_sites_with_their_callers() {
    let repo = Repo::new();
    repo.write(
        "a.py",
        "def helper():\n    pass\n\nclass K:\n    def m(self):\n        helper()\n\nhelper()\n",
    )
    .write("b.rs", "fn helper() {}\nfn main() {\n    helper();\n}\n");
    repo.commit_all("init");
    assert_eq!(
        repo.atse_ok(&["refs", "helper"]),
        "a.py:6:9: in K.m\na.py:8:1: at top level\nb.rs:3:5: in main\n"
    );
    let json = repo.atse_ok(&["refs", "--json", "--limit", "1", "helper"]);
    assert_eq!(
        json,
        "{\"caller\":\"K.m\",\"column\":9,\"line\":6,\"name\":\"helper\",\"path\":\"a.py\"}\n"
    );
    assert_eq!(repo.atse(&["refs", "nobody_calls_this"]).code, 1);

    // After a commit that removes the call, refs follows.
    repo.write("b.rs", "fn helper() {}\nfn main() {}\n");
    repo.commit_all("no call");
    assert_eq!(
        repo.atse_ok(&["refs", "helper"]),
        "a.py:6:9: in K.m\na.py:8:1: at top level\n"
    );
}

#[test]
fn bloom_filter_never_hides_a_defined_name() {
    let repo = Repo::new();
    repo.write("a.py", "def alpha():\n    pass\n");
    repo.commit_all("one");
    repo.atse_ok(&["update", "--quiet"]);
    let bloom = repo.atse_dir().join("bloom");
    assert!(bloom.exists(), "an update writes the filter");
    assert_eq!(repo.atse(&["grep-symbol", "NoSuchName"]).code, 1);
    // Names defined by later commits are found: the filter grows with the index.
    for i in 0..40 {
        repo.write(&format!("n{i}.py"), format!("def beta_{i}():\n    pass\n"));
        repo.commit_all(&format!("c{i}"));
        repo.atse_ok(&["update", "--quiet"]);
        assert_eq!(
            repo.atse_ok(&["grep-symbol", &format!("beta_{i}")]),
            format!("n{i}.py:1:5: function beta_{i}\n")
        );
    }
    // A damaged filter is ignored, never trusted, and rewritten by the next update.
    let mut bytes = std::fs::read(&bloom).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&bloom, &bytes).unwrap();
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "alpha"]),
        "a.py:1:5: function alpha\n"
    );
    repo.write("z.py", "def gamma():\n    pass\n");
    repo.commit_all("z");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "gamma"]),
        "z.py:1:5: function gamma\n"
    );
    assert_ne!(std::fs::read(&bloom).unwrap(), bytes);
}

#[test]
fn graph_commands_on_an_unknown_file_say_so() {
    let repo = Repo::new();
    repo.write("a.py", "import os\n");
    repo.commit_all("init");
    let out = repo.atse(&["deps", "nope.py"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("nope.py: not an indexed file"),
        "{}",
        out.stderr
    );
    assert_eq!(repo.atse(&["deps", "a.py"]).code, 1);
    assert_eq!(
        repo.atse_ok(&["deps", "--external", "a.py"]),
        "os (external)\n"
    );
}
