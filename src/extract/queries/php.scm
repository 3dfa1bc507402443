; git-atse query for PHP. Captures: see src/extract/spec.rs.

(namespace_definition name: (namespace_name) @name) @definition.namespace
(class_declaration name: (name) @name) @definition.class
(interface_declaration name: (name) @name) @definition.interface
(trait_declaration name: (name) @name) @definition.trait
(enum_declaration name: (name) @name) @definition.enum
(enum_case name: (name) @name) @definition.enumerator
(function_definition name: (name) @name) @definition.function
(method_declaration name: (name) @name) @definition.method
(property_declaration (property_element (variable_name (name) @name))) @definition.field
(const_declaration (const_element (name) @name)) @definition.constant

; `require 'x.php'`, `include __DIR__ . '/x.php'`: the argument as written (see
; src/resolve/php.rs). `use A\B\C;` is stored as `use A\B\C`.
(require_expression (_) @import)
(require_once_expression (_) @import)
(include_expression (_) @import)
(include_once_expression (_) @import)
((namespace_use_clause [(name) (qualified_name)] @import)
  (#set! atse.import_prefix "use "))

(function_call_expression function: [
  (name) @name
  (qualified_name (name) @name .)
]) @reference.call
(member_call_expression name: (name) @name) @reference.call
(nullsafe_member_call_expression name: (name) @name) @reference.call
(scoped_call_expression name: (name) @name) @reference.call
(object_creation_expression [
  (name) @name
  (qualified_name (name) @name .)
]) @reference.call
