; git-atse query for C++: joined after the C query. Captures: see src/extract/spec.rs.

(class_specifier name: (type_identifier) @name body: (_)) @definition.class
(class_specifier name: (template_type name: (type_identifier) @name) body: (_)) @definition.class
(struct_specifier name: (template_type name: (type_identifier) @name) body: (_)) @definition.struct
(union_specifier name: (template_type name: (type_identifier) @name) body: (_)) @definition.union
; `class ns::A {}`, `struct A::B {}`: defined in the named scope.
(class_specifier name: (qualified_identifier scope: (_) @context name: [(type_identifier) (template_type name: (type_identifier) @name)] @name) body: (_)) @definition.class
(struct_specifier name: (qualified_identifier scope: (_) @context name: [(type_identifier) (template_type name: (type_identifier) @name)] @name) body: (_)) @definition.struct
; `class EXPORT_MACRO A : public B {...}`: the grammar reads a function definition whose
; type is `class EXPORT_MACRO`, followed by the class name (as the declarator, or as an
; error when a qualified base or `final` follows); its body holds the members.
(function_definition type: (class_specifier !body) . declarator: (identifier) @name) @definition.class
(function_definition type: (struct_specifier !body) . declarator: (identifier) @name) @definition.struct
(function_definition type: (union_specifier !body) . declarator: (identifier) @name) @definition.union
(function_definition type: (class_specifier !body) . (ERROR . (identifier) @name)) @definition.class
(function_definition type: (struct_specifier !body) . (ERROR . (identifier) @name)) @definition.struct
(function_definition type: (union_specifier !body) . (ERROR . (identifier) @name)) @definition.union
(namespace_definition name: (namespace_identifier) @name) @definition.namespace
(namespace_definition name: (nested_namespace_specifier) @name) @definition.namespace
(alias_declaration name: (type_identifier) @name) @definition.type
(enum_specifier name: (type_identifier) @name body: (_)) @definition.enum

; Functions and methods: the name of a function declarator, however pointer, reference,
; parenthesized or attributed declarators wrap it, up to the definition or declaration
; holding it (see c.scm and `atse.up` in src/extract/spec.rs): plain names (members
; defined in their class, free functions, operators, destructors), template
; specializations, and qualified names (`void A::f() {}` names A, `a::B::f` names B).
((function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name) @definition.function
  (#set! atse.up "function_definition declaration field_declaration")
  (#set! atse.through "pointer_declarator reference_declarator parenthesized_declarator attributed_declarator function_declarator"))
((function_declarator declarator: (template_function name: (identifier) @name)) @definition.function
  (#set! atse.up "function_definition declaration field_declaration")
  (#set! atse.through "pointer_declarator reference_declarator parenthesized_declarator attributed_declarator function_declarator"))
((function_declarator declarator: (qualified_identifier scope: (_) @context name: [(identifier) (operator_name) (destructor_name)] @name)) @definition.function
  (#set! atse.up "function_definition declaration")
  (#set! atse.through "pointer_declarator reference_declarator parenthesized_declarator attributed_declarator function_declarator"))
((function_declarator declarator: (qualified_identifier scope: (_) @context name: (template_function name: (identifier) @name))) @definition.function
  (#set! atse.up "function_definition declaration")
  (#set! atse.through "pointer_declarator reference_declarator parenthesized_declarator attributed_declarator function_declarator"))
((function_declarator declarator: (qualified_identifier name: (qualified_identifier scope: (_) @context name: [(identifier) (operator_name) (destructor_name)] @name))) @definition.function
  (#set! atse.up "function_definition declaration")
  (#set! atse.through "pointer_declarator reference_declarator parenthesized_declarator attributed_declarator function_declarator"))
((function_declarator declarator: (qualified_identifier name: (qualified_identifier name: (qualified_identifier scope: (_) @context name: [(identifier) (operator_name) (destructor_name)] @name)))) @definition.function
  (#set! atse.up "function_definition declaration")
  (#set! atse.through "pointer_declarator reference_declarator parenthesized_declarator attributed_declarator function_declarator"))
; `size_type size() const NOEXCEPT_MACRO {...}`: a trailing macro makes the grammar read
; the macro as the declarator and the real declarator as an error before it.
(function_definition (ERROR . (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)) declarator: (identifier)) @definition.function
(function_definition (ERROR . (function_declarator declarator: (qualified_identifier scope: (_) @context name: [(identifier) (operator_name) (destructor_name)] @name))) declarator: (identifier)) @definition.function

(call_expression function: (qualified_identifier name: (identifier) @name)) @reference.call
(call_expression function: (template_function name: (identifier) @name)) @reference.call
