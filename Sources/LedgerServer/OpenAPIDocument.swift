// Generated from docs/openapi.yaml by `RECOVERY_WRITE_DOCS=1 swift test --filter OpenAPIDocumentTests`;
// the test fails when the two differ. Do not edit by hand.
enum OpenAPIDocument {
    static let text = #"""
openapi: 3.1.0
"""#
}
