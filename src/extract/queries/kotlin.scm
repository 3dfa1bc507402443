; git-atse query for Kotlin. Captures: see src/extract/spec.rs.

(package_header (qualified_identifier) @name) @definition.module
; Specific kinds first: the earliest pattern wins for a name.
(class_declaration "interface" name: (identifier) @name) @definition.interface
(class_declaration (modifiers (class_modifier "enum")) name: (identifier) @name) @definition.enum
(class_declaration name: (identifier) @name) @definition.class
(object_declaration name: (identifier) @name) @definition.class
(companion_object name: (identifier) @name) @definition.class
(function_declaration name: (identifier) @name) @definition.function
(enum_entry (identifier) @name) @definition.enumerator
(type_alias type: (identifier) @name) @definition.type
(property_declaration (variable_declaration (identifier) @name)) @definition.variable

; Captured whole, so that `.*` is kept (see src/resolve/kotlin.rs).
(import) @import

(call_expression [
  (identifier) @name
  (navigation_expression (identifier) @name .)
]) @reference.call
