; git-atse query for JavaScript (and the base of the TypeScript query).
; Captures: see src/extract/spec.rs.

(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(class_declaration name: (_) @name) @definition.class
(class name: (_) @name) @definition.class
(method_definition name: [(property_identifier) (private_property_identifier) (computed_property_name)] @name) @definition.method

(lexical_declaration (variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function)
(variable_declaration (variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function)
(assignment_expression
  left: [(identifier) @name (member_expression property: (property_identifier) @name)]
  right: [(arrow_function) (function_expression) (generator_function)]) @definition.function
(pair key: (property_identifier) @name value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

; Top-level `const X = ...` that is not a function (the function patterns above win).
(program (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant))
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant)))

(import_statement source: (string) @import)
(export_statement source: (string) @import)
(call_expression function: (identifier) @_req arguments: (arguments . (string) @import)
  (#eq? @_req "require"))
(call_expression function: (import) arguments: (arguments . (string) @import))

(call_expression function: [
  (identifier) @name
  (member_expression property: [(property_identifier) (private_property_identifier)] @name)
]) @reference.call
(new_expression constructor: [
  (identifier) @name
  (member_expression property: (property_identifier) @name)
]) @reference.call
