; git-atse query for TypeScript and TSX: joined after the JavaScript query.
; Captures: see src/extract/spec.rs.

(interface_declaration name: (type_identifier) @name) @definition.interface
(abstract_class_declaration name: (type_identifier) @name) @definition.class
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(function_signature name: (identifier) @name) @definition.function
(method_signature name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(abstract_method_signature name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(property_signature name: (property_identifier) @name) @definition.field
(public_field_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.field
(module name: [(identifier) (nested_identifier) (string)] @name) @definition.module
(internal_module name: [(identifier) (nested_identifier)] @name) @definition.namespace

(import_require_clause source: (string) @import)
