; git-atse query for C (and the base of the C++ query). Captures: see src/extract/spec.rs.

; Function definitions and declarations, the name under up to two pointer declarators
; (`char **f(void)`).
(function_definition declarator: (function_declarator declarator: (identifier) @name)) @definition.function
(function_definition declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))) @definition.function
(function_definition declarator: (pointer_declarator declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name)))) @definition.function
; `int (f)(void) {}`.
(function_definition declarator: (function_declarator declarator: (parenthesized_declarator (identifier) @name))) @definition.function
; `DEFINE(open) (int fd) {}`: a macro-built name; the macro names the definition, as the
; one of `SYSCALL_DEFINE1(close, int, fd) {}` does.
(function_definition declarator: (function_declarator declarator: (function_declarator declarator: (identifier) @name))) @definition.function
; `TEST(name) { ... }`: a macro call that opens a definition of `name`.
(function_definition type: (type_identifier) declarator: (parenthesized_declarator (identifier) @name)) @definition.function
(declaration declarator: (function_declarator declarator: (identifier) @name)) @definition.function
(declaration declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))) @definition.function
(declaration declarator: (pointer_declarator declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name)))) @definition.function

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
