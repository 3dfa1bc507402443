; git-atse query for Scala. Captures: see src/extract/spec.rs.

(package_clause name: (package_identifier) @name) @definition.module
(class_definition name: (identifier) @name) @definition.class
(object_definition name: (identifier) @name) @definition.class
(trait_definition name: (identifier) @name) @definition.trait
(enum_definition name: (identifier) @name) @definition.enum
(simple_enum_case name: (identifier) @name) @definition.enumerator
(full_enum_case name: (identifier) @name) @definition.enumerator
(function_definition name: (identifier) @name) @definition.function
(function_declaration name: (identifier) @name) @definition.function
(type_definition name: (type_identifier) @name) @definition.type
(given_definition name: (identifier) @name) @definition.variable
(val_definition pattern: (identifier) @name) @definition.variable
(var_definition pattern: (identifier) @name) @definition.variable
(val_declaration name: (identifier) @name) @definition.variable
(var_declaration name: (identifier) @name) @definition.variable

; Captured whole: `import a.b.{C, D => E}` (see src/resolve/scala.rs).
(import_declaration) @import

(call_expression function: [
  (identifier) @name
  (field_expression field: (identifier) @name)
]) @reference.call
(instance_expression [(type_identifier) @name (generic_type type: (type_identifier) @name)]) @reference.call
