; git-atse query for shell scripts (sh, bash). Captures: see src/extract/spec.rs.

(function_definition name: (word) @name) @definition.function

; `source lib.sh`, `. ./lib.sh`: the first argument as written (see src/resolve/shell.rs).
(command name: (command_name (word) @_src (#match? @_src "^(source|\\.)$"))
  . argument: [(word) (string) (raw_string) (concatenation)] @import)

; Every command run is a call of that name (functions, scripts, programs).
(command name: (command_name (word) @name)) @reference.call
