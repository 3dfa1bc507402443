; git-atse query for Ruby. Captures: see src/extract/spec.rs.
; Names keep Ruby's spelling: `empty?`, `save!`, `name=`, `==`.

(class name: [(constant) @name (scope_resolution name: (_) @name)]) @definition.class
(module name: [(constant) @name (scope_resolution name: (_) @name)]) @definition.module
(method name: (_) @name) @definition.method
(singleton_method name: (_) @name) @definition.method
(alias name: (_) @name) @definition.method
(assignment left: (constant) @name) @definition.constant

; `require "a/b"` by load path; `require_relative "x"` from the file's own directory,
; stored as `./x`.
(call method: (identifier) @_req (#match? @_req "^(require|load)$")
  arguments: (argument_list . (string . (string_content) @import .)))
((call method: (identifier) @_req (#eq? @_req "require_relative")
  arguments: (argument_list . (string . (string_content) @import .)))
  (#set! atse.import_prefix "./"))

(call method: [(identifier) (constant)] @name) @reference.call
