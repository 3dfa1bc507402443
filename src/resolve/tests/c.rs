//! Resolution cases: C and C++.

use super::*;

const C_FILES: &[&str] = &[
    "src/net/sock.c",
    "src/net/sock.h",
    "src/net/util.h",
    "src/util.h",
    "include/linux/list.h",
    "tools/include/linux/list.h",
    "tools/perf/main.c",
    "lib/a/types.h",
    "lib/b/types.h",
    "src/common.hpp",
];

#[test]
fn c_includes() {
    use Lang::{Cpp, C};
    check_all(&[
        // Quoted: relative to the includer first.
        case(C, C_FILES, "src/net/sock.c", "sock.h", &["src/net/sock.h"]),
        case(C, C_FILES, "src/net/sock.c", "util.h", &["src/net/util.h"]),
        case(C, C_FILES, "src/net/sock.c", "../util.h", &["src/util.h"]),
        // Quoted, not beside: by suffix, nearest wins.
        case(
            C,
            C_FILES,
            "src/net/sock.c",
            "linux/list.h",
            &["include/linux/list.h", "tools/include/linux/list.h"],
        ),
        case(
            C,
            C_FILES,
            "tools/perf/main.c",
            "linux/list.h",
            &["tools/include/linux/list.h"],
        ),
        // Angle includes by suffix too.
        case(
            C,
            C_FILES,
            "tools/perf/main.c",
            "<linux/list.h>",
            &["tools/include/linux/list.h"],
        ),
        case(
            C,
            C_FILES,
            "src/net/sock.c",
            "<linux/list.h>",
            &["include/linux/list.h", "tools/include/linux/list.h"],
        ),
        // A tie: every candidate.
        case(
            C,
            C_FILES,
            "src/net/sock.c",
            "types.h",
            &["lib/a/types.h", "lib/b/types.h"],
        ),
        // The suffix must end at a directory boundary.
        case(C, C_FILES, "src/net/sock.c", "<ist.h>", &[]),
        // External: system headers, computed includes, missing.
        case(C, C_FILES, "src/net/sock.c", "<stdio.h>", &[]),
        case(C, C_FILES, "src/net/sock.c", "CONFIG_H", &[]),
        case(C, C_FILES, "src/net/sock.c", "missing.h", &[]),
        case(C, C_FILES, "src/net/sock.c", "../../../x.h", &[]),
        case(
            Cpp,
            C_FILES,
            "src/net/sock.c",
            "../common.hpp",
            &["src/common.hpp"],
        ),
        case(
            Cpp,
            C_FILES,
            "tools/perf/main.c",
            "common.hpp",
            &["src/common.hpp"],
        ),
    ]);
}
