; git-atse query for Rust. Captures: see src/extract/spec.rs.

(struct_item name: (type_identifier) @name) @definition.struct
(enum_item name: (type_identifier) @name) @definition.enum
(union_item name: (type_identifier) @name) @definition.union
(type_item name: (type_identifier) @name) @definition.type
(trait_item name: (type_identifier) @name) @definition.trait
(mod_item name: (identifier) @name) @definition.module
(macro_definition name: (identifier) @name) @definition.macro
(function_item name: (identifier) @name) @definition.function
(function_signature_item name: (identifier) @name) @definition.function
(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.variable
(associated_type name: (type_identifier) @name) @definition.type
(enum_variant name: (identifier) @name) @definition.enumerator
(field_declaration name: (field_identifier) @name) @definition.field

; `impl Foo`, `impl<T> Trait for Foo<T>`: the implemented type names the block.
(impl_item type: [
  (type_identifier) @name
  (generic_type type: (type_identifier) @name)
  (scoped_type_identifier name: (type_identifier) @name)
  (generic_type type: (scoped_type_identifier name: (type_identifier) @name))
]) @definition.impl

(use_declaration argument: (_) @import)
(extern_crate_declaration name: (identifier) @import)
; `mod foo;` at the top of a file (no body) is stored as `mod foo`: a module file to load.
(source_file (mod_item !body) @import)

(call_expression function: [
  (identifier) @name
  (field_expression field: (field_identifier) @name)
  (scoped_identifier name: (identifier) @name)
  (generic_function function: (identifier) @name)
  (generic_function function: (scoped_identifier name: (identifier) @name))
  (generic_function function: (field_expression field: (field_identifier) @name))
]) @reference.call
(macro_invocation macro: [
  (identifier) @name
  (scoped_identifier name: (identifier) @name)
]) @reference.call
