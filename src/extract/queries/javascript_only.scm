; git-atse query patterns for plain JavaScript only (node types the TypeScript grammar lacks).
; Joined after javascript.scm for JavaScript. Captures: see src/extract/spec.rs.

(field_definition property: [(property_identifier) (private_property_identifier)] @name) @definition.field
