//! Resolution cases: C#, Ruby, PHP, Kotlin, Swift, Scala, Lua and shell.

use super::*;

const RUBY: &[&str] = &[
    "lib/rack.rb",
    "lib/rack/utils.rb",
    "lib/rack/request.rb",
    "test/helper.rb",
    "test/spec_utils.rb",
];

#[test]
fn ruby_requires() {
    use Lang::Ruby as R;
    check_all(&[
        case(
            R,
            RUBY,
            "lib/rack/request.rb",
            "rack/utils",
            &["lib/rack/utils.rb"],
        ),
        case(
            R,
            RUBY,
            "test/spec_utils.rb",
            "rack/utils",
            &["lib/rack/utils.rb"],
        ),
        case(
            R,
            RUBY,
            "test/spec_utils.rb",
            "./helper",
            &["test/helper.rb"],
        ),
        case(
            R,
            RUBY,
            "test/spec_utils.rb",
            "./../lib/rack",
            &["lib/rack.rb"],
        ),
        case(
            R,
            RUBY,
            "test/spec_utils.rb",
            "./helper.rb",
            &["test/helper.rb"],
        ),
        case(R, RUBY, "test/spec_utils.rb", "json", &[]),
        case(R, RUBY, "test/spec_utils.rb", "./missing", &[]),
    ]);
}

const LUA: &[&str] = &[
    "src/luarocks/util.lua",
    "src/luarocks/core/cfg.lua",
    "src/luarocks/fs/init.lua",
    "lua/telescope/init.lua",
    "lua/telescope/builtin.lua",
    "plugin/setup.lua",
];

#[test]
fn lua_requires() {
    use Lang::Lua as L;
    check_all(&[
        case(
            L,
            LUA,
            "src/luarocks/util.lua",
            "luarocks.core.cfg",
            &["src/luarocks/core/cfg.lua"],
        ),
        case(
            L,
            LUA,
            "src/luarocks/util.lua",
            "luarocks.fs",
            &["src/luarocks/fs/init.lua"],
        ),
        case(
            L,
            LUA,
            "plugin/setup.lua",
            "telescope.builtin",
            &["lua/telescope/builtin.lua"],
        ),
        case(
            L,
            LUA,
            "plugin/setup.lua",
            "telescope",
            &["lua/telescope/init.lua"],
        ),
        case(L, LUA, "plugin/setup.lua", "socket.http", &[]),
        case(L, LUA, "plugin/setup.lua", "../x", &[]),
    ]);
}

const SHELL: &[&str] = &["bin/run.sh", "bin/lib.sh", "lib/common.sh", "scripts/x.sh"];

#[test]
fn shell_sources() {
    use Lang::Shell as S;
    check_all(&[
        case(S, SHELL, "bin/run.sh", "lib.sh", &["bin/lib.sh"]),
        case(S, SHELL, "bin/run.sh", "./lib.sh", &["bin/lib.sh"]),
        case(S, SHELL, "bin/run.sh", "lib/common.sh", &["lib/common.sh"]),
        case(
            S,
            SHELL,
            "bin/run.sh",
            "$(dirname \"$0\")/lib.sh",
            &["bin/lib.sh"],
        ),
        case(
            S,
            SHELL,
            "bin/run.sh",
            "${BASH_SOURCE%/*}/../lib/common.sh",
            &["lib/common.sh"],
        ),
        // The script's own directory only: not the root.
        case(
            S,
            SHELL,
            "scripts/x.sh",
            "$(dirname \"$0\")/bin/lib.sh",
            &[],
        ),
        case(S, SHELL, "bin/run.sh", "$HOME/lib.sh", &[]),
        case(S, SHELL, "bin/run.sh", "/etc/profile", &[]),
    ]);
}

const PHP: &[&str] = &[
    "src/Http/Kernel.php",
    "src/Models/User.php",
    "lib/helpers.php",
    "public/index.php",
    "bootstrap.php",
];
const COMPOSER: &[(&str, &str)] = &[(
    "composer.json",
    r#"{"autoload": {"psr-4": {"App\\": "src/"}}, "autoload-dev": {"psr-4": {"Tests\\": ["tests/"]}}}"#,
)];

const fn php(importer: &'static str, import: &'static str, want: &'static [&'static str]) -> Case {
    Case {
        lang: Lang::Php,
        files: PHP,
        configs: COMPOSER,
        importer,
        import,
        want,
    }
}

#[test]
fn php_requires_and_uses() {
    check_all(&[
        php(
            "public/index.php",
            "use App\\Http\\Kernel",
            &["src/Http/Kernel.php"],
        ),
        php(
            "src/Http/Kernel.php",
            "use App\\Models\\User",
            &["src/Models/User.php"],
        ),
        php(
            "public/index.php",
            "__DIR__ . '/../bootstrap.php'",
            &["bootstrap.php"],
        ),
        php(
            "public/index.php",
            "dirname(__FILE__) . \"/../lib/helpers.php\"",
            &["lib/helpers.php"],
        ),
        php("public/index.php", "lib/helpers.php", &["lib/helpers.php"]),
        php("public/index.php", "use Illuminate\\Support\\Str", &[]),
        php("public/index.php", "$root . '/x.php'", &[]),
        php("public/index.php", "use function App\\helper", &[]),
        // Without composer.json: by path suffix.
        case(
            Lang::Php,
            PHP,
            "public/index.php",
            "use Acme\\Models\\User",
            &["src/Models/User.php"],
        ),
    ]);
}

const KOTLIN: &[&str] = &[
    "core/src/main/kotlin/com/acme/core/Service.kt",
    "core/src/main/kotlin/com/acme/core/Extensions.kt",
    "core/src/main/kotlin/com/acme/core/impl/Impl.kt",
    "app/src/main/kotlin/com/acme/app/App.kt",
];

#[test]
fn kotlin_imports() {
    use Lang::Kotlin as K;
    const IMPL: &str = "core/src/main/kotlin/com/acme/core/impl/Impl.kt";
    const CORE: &[&str] = &[
        "core/src/main/kotlin/com/acme/core/Extensions.kt",
        "core/src/main/kotlin/com/acme/core/Service.kt",
    ];
    check_all(&[
        case(
            K,
            KOTLIN,
            "app/src/main/kotlin/com/acme/app/App.kt",
            "import com.acme.core.Service",
            &["core/src/main/kotlin/com/acme/core/Service.kt"],
        ),
        case(
            K,
            KOTLIN,
            IMPL,
            "import com.acme.core.Service.Companion",
            &["core/src/main/kotlin/com/acme/core/Service.kt"],
        ),
        case(K, KOTLIN, IMPL, "import com.acme.core.*", CORE),
        // A top-level function: its package's files.
        case(K, KOTLIN, IMPL, "import com.acme.core.doThing as go", CORE),
        case(K, KOTLIN, IMPL, "import kotlinx.coroutines.launch", &[]),
    ]);
}

const SCALA: &[&str] = &[
    "core/src/main/scala/cats/Functor.scala",
    "core/src/main/scala/cats/syntax/all.scala",
    "core/src/main/scala/cats/data/Kleisli.scala",
    "core/src/main/scala/cats/data/package.scala",
];

#[test]
fn scala_imports() {
    use Lang::Scala as S;
    const ALL: &str = "core/src/main/scala/cats/syntax/all.scala";
    const DATA: &[&str] = &[
        "core/src/main/scala/cats/data/Kleisli.scala",
        "core/src/main/scala/cats/data/package.scala",
    ];
    check_all(&[
        case(
            S,
            SCALA,
            ALL,
            "import cats.Functor",
            &["core/src/main/scala/cats/Functor.scala"],
        ),
        case(
            S,
            SCALA,
            ALL,
            "import cats.data.{Kleisli, NonEmptyList => NEL}",
            DATA,
        ),
        case(
            S,
            SCALA,
            ALL,
            "import cats.data.{Kleisli => K}",
            &["core/src/main/scala/cats/data/Kleisli.scala"],
        ),
        case(S, SCALA, ALL, "import cats.data._", DATA),
        case(S, SCALA, ALL, "import cats.data.*", DATA),
        case(
            S,
            SCALA,
            ALL,
            "import cats.Functor, cats.data.Kleisli",
            &[
                "core/src/main/scala/cats/Functor.scala",
                "core/src/main/scala/cats/data/Kleisli.scala",
            ],
        ),
        case(S, SCALA, ALL, "import scala.collection.mutable", &[]),
    ]);
}

const CSHARP: &[&str] = &[
    "Src/Newtonsoft.Json/JsonConvert.cs",
    "Src/Newtonsoft.Json/Linq/JToken.cs",
    "Src/Newtonsoft.Json/Linq/JObject.cs",
    "Src/Newtonsoft.Json.Tests/Linq/JTokenTests.cs",
    "Src/Acme/Core/Service.cs",
    "Src/Acme/App/Program.cs",
];

#[test]
fn csharp_usings() {
    use Lang::CSharp as C;
    const LINQ: &[&str] = &[
        "Src/Newtonsoft.Json/Linq/JObject.cs",
        "Src/Newtonsoft.Json/Linq/JToken.cs",
    ];
    check_all(&[
        case(
            C,
            CSHARP,
            "Src/Newtonsoft.Json/JsonConvert.cs",
            "Newtonsoft.Json.Linq",
            LINQ,
        ),
        case(
            C,
            CSHARP,
            "Src/Newtonsoft.Json.Tests/Linq/JTokenTests.cs",
            "Newtonsoft.Json.Linq",
            LINQ,
        ),
        case(
            C,
            CSHARP,
            "Src/Newtonsoft.Json.Tests/Linq/JTokenTests.cs",
            "Newtonsoft.Json.Linq.JToken",
            &["Src/Newtonsoft.Json/Linq/JToken.cs"],
        ),
        case(
            C,
            CSHARP,
            "Src/Acme/App/Program.cs",
            "Acme.Core",
            &["Src/Acme/Core/Service.cs"],
        ),
        case(C, CSHARP, "Src/Acme/App/Program.cs", "System.Text", &[]),
        // A type in a file named otherwise: its namespace's files.
        case(
            C,
            CSHARP,
            "Src/Acme/App/Program.cs",
            "Acme.Core.Helpers",
            &["Src/Acme/Core/Service.cs"],
        ),
    ]);
}

const SWIFT: &[&str] = &[
    "Package.swift",
    "Sources/Alamofire/Session.swift",
    "Sources/Alamofire/Request.swift",
    "Tests/AlamofireTests/SessionTests.swift",
];

#[test]
fn swift_imports() {
    use Lang::Swift as S;
    check_all(&[
        case(
            S,
            SWIFT,
            "Tests/AlamofireTests/SessionTests.swift",
            "Alamofire",
            &[
                "Sources/Alamofire/Request.swift",
                "Sources/Alamofire/Session.swift",
            ],
        ),
        case(
            S,
            SWIFT,
            "Tests/AlamofireTests/SessionTests.swift",
            "Foundation",
            &[],
        ),
    ]);
}
