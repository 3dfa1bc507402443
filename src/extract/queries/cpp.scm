; git-atse query for C++: joined after the C query. Captures: see src/extract/spec.rs.

(class_specifier name: (type_identifier) @name body: (_)) @definition.class
(class_specifier name: (template_type name: (type_identifier) @name) body: (_)) @definition.class
(struct_specifier name: (template_type name: (type_identifier) @name) body: (_)) @definition.struct
(namespace_definition name: (namespace_identifier) @name) @definition.namespace
(namespace_definition name: (nested_namespace_specifier) @name) @definition.namespace
(alias_declaration name: (type_identifier) @name) @definition.type
(enum_specifier name: (type_identifier) @name body: (_)) @definition.enum

; Methods declared or defined inside a class body.
(field_declaration declarator: (function_declarator declarator: [(field_identifier) (identifier) (operator_name) (destructor_name)] @name)) @definition.function
(function_definition declarator: (function_declarator declarator: [(field_identifier) (operator_name) (destructor_name)] @name)) @definition.function
(declaration declarator: (function_declarator declarator: [(destructor_name) (operator_name)] @name)) @definition.function
(function_definition declarator: (reference_declarator (function_declarator declarator: (identifier) @name))) @definition.function
(function_definition declarator: (reference_declarator (function_declarator declarator: (field_identifier) @name))) @definition.function

; Out-of-class definitions: `void A::f() {}` names A as the container.
(function_definition declarator: (function_declarator declarator: (qualified_identifier
  scope: (_) @context name: [(identifier) (operator_name) (destructor_name)] @name))) @definition.function
(function_definition declarator: (pointer_declarator declarator: (function_declarator declarator: (qualified_identifier
  scope: (_) @context name: (identifier) @name)))) @definition.function
(function_definition declarator: (reference_declarator (function_declarator declarator: (qualified_identifier
  scope: (_) @context name: (identifier) @name)))) @definition.function
(function_definition declarator: (function_declarator declarator: (qualified_identifier
  scope: (_) name: (qualified_identifier scope: (_) @context name: (identifier) @name)))) @definition.function

(call_expression function: (qualified_identifier name: (identifier) @name)) @reference.call
(call_expression function: (template_function name: (identifier) @name)) @reference.call
