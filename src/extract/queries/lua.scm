; git-atse query for Lua. Captures: see src/extract/spec.rs.
; `function M.f()` and `function C:m()` are `f` and `m` in the container `M` and `C`
; (found as `M.f`, `C:m` too: see `query::symbol`).

(function_declaration name: (identifier) @name) @definition.function
((function_declaration name: (dot_index_expression table: (_) @context field: (identifier) @name)) @definition.function
  (#set! atse.context_kind "module"))
((function_declaration name: (method_index_expression table: (_) @context method: (identifier) @name)) @definition.method
  (#set! atse.context_kind "class"))
(assignment_statement
  (variable_list . name: (identifier) @name)
  (expression_list . value: (function_definition))) @definition.function
((assignment_statement
  (variable_list . name: (dot_index_expression table: (_) @context field: (identifier) @name))
  (expression_list . value: (function_definition))) @definition.function
  (#set! atse.context_kind "module"))
(variable_declaration (assignment_statement
  (variable_list . name: (identifier) @name)
  (expression_list . value: (function_definition)))) @definition.function

; `{ name = function() ... end }`: a function in a table constructor.
(field name: (identifier) @name value: (function_definition)) @definition.function

; `require("a.b")`, `require "a.b"`.
(function_call name: (identifier) @_req (#eq? @_req "require")
  arguments: [
    (arguments . (string content: (string_content) @import))
    (string content: (string_content) @import)
  ])

(function_call name: [
  (identifier) @name
  (dot_index_expression field: (identifier) @name)
  (method_index_expression method: (identifier) @name)
]) @reference.call

