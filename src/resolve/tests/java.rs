//! Resolution cases: Java.

use super::*;

const JAVA_FILES: &[&str] = &[
    "core/src/main/java/com/acme/core/Service.java",
    "core/src/main/java/com/acme/core/Util.java",
    "core/src/main/java/com/acme/core/package-info.txt",
    "core/src/main/java/com/acme/core/impl/Impl.java",
    "core/src/main/java/com/acme/app/App.java",
    "web/src/main/java/com/acme/web/Controller.java",
    "web/src/main/java/com/acme/web/Outer.java",
];

#[test]
fn java_imports() {
    use Lang::Java as J;
    check_all(&[
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.core.Service",
            &["core/src/main/java/com/acme/core/Service.java"],
        ),
        // Across source trees, by suffix.
        case(
            J,
            JAVA_FILES,
            "web/src/main/java/com/acme/web/Controller.java",
            "com.acme.core.Util",
            &["core/src/main/java/com/acme/core/Util.java"],
        ),
        // Nested classes and static members give the outer class.
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.web.Outer.Inner",
            &["web/src/main/java/com/acme/web/Outer.java"],
        ),
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.core.Util.helper",
            &["core/src/main/java/com/acme/core/Util.java"],
        ),
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.core.Util.*",
            &["core/src/main/java/com/acme/core/Util.java"],
        ),
        // Wildcards: the package directory's .java files, not its subpackages.
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.core.*",
            &[
                "core/src/main/java/com/acme/core/Service.java",
                "core/src/main/java/com/acme/core/Util.java",
            ],
        ),
        // External: the JDK, a missing class, a lower-case package never becomes a class.
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "java.util.List",
            &[],
        ),
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "java.util.*",
            &[],
        ),
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.core.impl",
            &[],
        ),
    ]);
}
