; git-atse query for C (and the base of the C++ query). Captures: see src/extract/spec.rs.

; Functions: the name of a function declarator, however deeply pointer, parenthesized,
; attributed or function declarators wrap it (`char **f(void)`, `int (f)(void)`,
; `void (*signal(int, void (*)(int)))(int)`), up to the definition or declaration holding
; it. One pattern with `atse.up` (src/extract/spec.rs) instead of one per nesting: each
; pattern costs query analysis time at every start. A declarator inside a parameter list
; meets `parameter_declaration` first and is dropped.
((function_declarator declarator: (identifier) @name) @definition.function
  (#set! atse.up "function_definition declaration")
  (#set! atse.through "pointer_declarator parenthesized_declarator attributed_declarator function_declarator"))
((function_declarator declarator: (parenthesized_declarator (identifier) @name)) @definition.function
  (#set! atse.up "function_definition declaration")
  (#set! atse.through "pointer_declarator parenthesized_declarator attributed_declarator function_declarator"))
; `TEST(name) { ... }`: a macro call that opens a definition of `name`.
(function_definition type: (type_identifier) declarator: (parenthesized_declarator (identifier) @name)) @definition.function

(struct_specifier name: (type_identifier) @name body: (_)) @definition.struct
(union_specifier name: (type_identifier) @name body: (_)) @definition.union
(enum_specifier name: (type_identifier) @name body: (_)) @definition.enum
(type_definition declarator: (type_identifier) @name) @definition.type
(type_definition declarator: (pointer_declarator declarator: (type_identifier) @name)) @definition.type
(enumerator name: (identifier) @name) @definition.enumerator
(field_declaration declarator: (field_identifier) @name) @definition.field
(field_declaration declarator: (pointer_declarator declarator: (field_identifier) @name)) @definition.field
(field_declaration declarator: (array_declarator declarator: (field_identifier) @name)) @definition.field

(preproc_def name: (identifier) @name) @definition.macro
(preproc_function_def name: (identifier) @name) @definition.macro

(translation_unit (declaration declarator: (init_declarator declarator: (identifier) @name)) @definition.variable)
(translation_unit (declaration declarator: (identifier) @name) @definition.variable)

(preproc_include path: (_) @import)

(call_expression function: [
  (identifier) @name
  (field_expression field: (field_identifier) @name)
]) @reference.call
