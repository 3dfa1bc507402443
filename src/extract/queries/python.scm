; git-atse query for Python. Captures: see src/extract/spec.rs.

(class_definition name: (identifier) @name) @definition.class

(function_definition name: (identifier) @name) @definition.function
; `square = lambda v: v * v`, at any level: a function bound to a name.
(assignment left: (identifier) @name right: (lambda)) @definition.function

; Module-level and class-level assignments: NAME = ... (constants by convention when
; upper case, variables otherwise).
(module (expression_statement (assignment left: (identifier) @name
  (#match? @name "^[A-Z][A-Z0-9_]*$")) @definition.constant))
(module (expression_statement (assignment left: (identifier) @name
  (#not-match? @name "^[A-Z][A-Z0-9_]*$")) @definition.variable))
(class_definition body: (block (expression_statement
  (assignment left: (identifier) @name) @definition.field)))

(import_statement name: (dotted_name) @import)
(import_statement name: (aliased_import name: (dotted_name) @import))
; `from M import a, b` is captured whole: resolution tries `M.a` and `M.b` as submodules
; (see `import_text` in src/extract/mod.rs for the normalized form).
(import_from_statement) @import
(future_import_statement) @import

(call function: [
  (identifier) @name
  (attribute attribute: (identifier) @name)
]) @reference.call
