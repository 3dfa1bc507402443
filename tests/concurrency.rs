//! Real concurrent processes: hooks firing while queries run, updates killed at random
//! moments, and a query meeting a held update lock.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::Repo;

fn wait_until_current(repo: &Repo) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status: serde_json::Value =
            serde_json::from_str(&repo.atse_ok(&["status", "--json", "--no-update"])).unwrap();
        if status["current"] == true {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "an update was lost: the index never reached HEAD: {status}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn hooks_in_a_commit_loop_with_concurrent_queries_lose_nothing() {
    let repo = Repo::new();
    repo.write("base.py", "def base():\n    pass\n");
    repo.commit_all("init");
    repo.atse_ok(&["install", "--quiet"]);

    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        let queries: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut n = 0;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        let out = repo.atse(&["grep-symbol", "--prefix", "f"]);
                        assert!(
                            out.code == 0 || out.code == 1,
                            "query failed during updates: {}",
                            out.stderr
                        );
                        for line in out.stdout.lines() {
                            assert!(
                                line.starts_with("file") && line.contains(": function f"),
                                "bad line {line:?}"
                            );
                        }
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        for i in 0..25 {
            repo.write(
                &format!("file{i:02}.py"),
                format!("def f{i}():\n    pass\n"),
            );
            if i % 5 == 4 {
                // Deletions and modifications too.
                repo.remove(&format!("file{:02}.py", i - 2));
                repo.write(
                    &format!("file{:02}.py", i - 1),
                    format!("def f{i}_renamed():\n    pass\n"),
                );
            }
            repo.commit_all(&format!("c{i}"));
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for q in queries {
            assert!(q.join().unwrap() > 0);
        }
    });
    wait_until_current(&repo);
    assert_eq!(
        repo.atse_ok(&["tags", "--no-update"]),
        repo.fresh_index_tags()
    );
    let log = repo.atse_dir().join("log");
    assert!(
        !log.exists(),
        "hooks logged errors: {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[test]
fn updates_killed_at_random_moments_never_leave_a_wrong_answer() {
    let repo = Repo::new();
    for i in 0..400 {
        repo.write(&format!("d{}/m{i}.py", i % 7), format!("class K{i}:\n    def m{i}(self):\n        return h{i}()\n\ndef h{i}():\n    pass\n"));
    }
    repo.commit_all("init");
    let mut rng = Lcg(0x5eed);
    let bin = crate::util::bin_dir().join("git-atse");
    for round in 0..12 {
        // Change a few files, then kill an update somewhere in its run.
        for _ in 0..20 {
            let i = rng.next(400);
            repo.write(
                &format!("d{}/m{i}.py", i % 7),
                format!("def r{round}_{i}():\n    pass\n"),
            );
        }
        repo.commit_all(&format!("round {round}"));
        let mut child = repo
            .cmd(&bin, &["update", "--quiet"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.next(120)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // A reader that does not update still reads the last committed index...
        let stale = repo.atse(&["tags", "--no-update"]);
        assert_eq!(stale.code, 0, "round {round}: {}", stale.stderr);
        // ...and the next command that updates answers exactly as a full rebuild would.
        let tags = repo.atse_ok(&["tags"]);
        assert_eq!(
            tags,
            repo.fresh_index_tags(),
            "round {round}: wrong answer after a killed update"
        );
    }
}

#[test]
fn a_query_does_not_wait_long_for_a_running_update() {
    let repo = Repo::new();
    repo.write("a.py", "def first():\n    pass\n");
    repo.commit_all("one");
    repo.atse_ok(&["update", "--quiet"]);
    repo.write("a.py", "def second():\n    pass\n");
    repo.commit_all("two");
    // Hold the update lock as a long update would.
    let lock = std::fs::File::create(repo.atse_dir().join("update.lock")).unwrap();
    lock.lock().unwrap();
    let started = Instant::now();
    let out = repo.atse(&["grep-symbol", "first"]);
    let waited = started.elapsed();
    assert_eq!(
        out.stdout, "a.py:1:5: function first\n",
        "answers from the index as it was"
    );
    assert!(
        out.stderr.contains("an update is running"),
        "{}",
        out.stderr
    );
    assert!(
        waited < Duration::from_secs(5),
        "the query waited {waited:?}"
    );
    drop(lock);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "second"]),
        "a.py:1:5: function second\n"
    );
}

#[test]
fn far_behind_query_answers_now_and_updates_in_the_background() {
    let repo = crate::util::far_behind();
    let out = {
        let mut cmd = repo.cmd(
            "git",
            &[
                "-c",
                "atse.queryMaxChanges=10",
                "atse",
                "grep-symbol",
                "old",
            ],
        );
        cmd.output().unwrap()
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "a.py:1:5: function old\n"
    );
    assert!(stderr.contains("updating it in the background"), "{stderr}");
    wait_until_current(&repo);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--no-update", "new7"]),
        "n7.py:1:5: function new7\n"
    );
}
