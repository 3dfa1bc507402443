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
; `X.prototype.f = function () {}` and `X.prototype.f = g`: methods of X.
(assignment_expression
  left: (member_expression
    object: (member_expression object: (identifier) @context property: (property_identifier) @_proto)
    property: (property_identifier) @name)
  right: [(arrow_function) (function_expression) (generator_function) (identifier) (member_expression)]
  (#eq? @_proto "prototype")) @definition.method
(assignment_expression
  left: [(identifier) @name (member_expression property: (property_identifier) @name)]
  right: [(arrow_function) (function_expression) (generator_function)]) @definition.function
(pair key: [(property_identifier) @name (string (string_fragment) @name)]
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

; Class expressions bound to a name: `const A = class {}`, `exports.A = class extends B {}`.
(variable_declarator name: (identifier) @name value: (class)) @definition.class
(assignment_expression
  left: [(identifier) @name (member_expression property: (property_identifier) @name)]
  right: (class)) @definition.class
; A function expression's own name: `module.exports = function parse () {}`.
(function_expression name: (identifier) @name) @definition.function
(generator_function name: (identifier) @name) @definition.function

; Top-level `const X = ...` that is not a function (the function patterns above win).
(program (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant))
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant)))

; Names bound to a non-empty object literal, which works as a namespace or record:
; `var api = { get() {} }`, `exports.Codec = {...}`, `{ headers: {...} }`.
(variable_declarator name: (identifier) @name value: (object (_))) @definition.variable
(assignment_expression
  left: [(identifier) @name (member_expression property: (property_identifier) @name)]
  right: (object (_))) @definition.variable
(pair key: [(property_identifier) @name (string (string_fragment) @name)] value: (object (_))) @definition.field

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
