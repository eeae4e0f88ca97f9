// SchemaCompiler: turns a schema document into the validator's node table. Every
// keyword's value is checked here, once, so validation never meets a malformed
// schema and a bad one fails before any request is sent.

import JSON

struct SchemaCompiler {
    let document: JSONValue
    /// The compiled subschemas; the extensions fill in `ref` once every target exists.
    var nodes: [SchemaNode] = []
    /// The schema path of each node, for errors found after it was compiled.
    private(set) var nodePaths: [String] = []
    /// Each compiled subschema by its JSON pointer, so a `$ref` reuses the node
    /// and a recursive schema is compiled once.
    private(set) var nodeAtPath: [String: Int] = [:]
    /// `$ref`s not yet resolved: a ref may point at a subschema compiled later.
    var pendingRefs: [(node: Int, ref: String, path: String)] = []

    /// Compiles `document`; its root is node 0.
    static func compile(_ document: JSONValue) throws(SchemaError) -> [SchemaNode] {
        var compiler = SchemaCompiler(document: document)
        _ = try compiler.compile(document, at: "#")
        try compiler.resolveRefs()
        try compiler.rejectRefCycles()
        return compiler.nodes
    }

    private init(document: JSONValue) {
        self.document = document
    }

    /// The node for the subschema `schema` found at JSON pointer `path`.
    mutating func compile(_ schema: JSONValue, at path: String) throws(SchemaError) -> Int {
        if let index = nodeAtPath[path] { return index }
        let index = nodes.count
        nodes.append(SchemaNode())
        nodePaths.append(path)
        nodeAtPath[path] = index
        switch schema {
        case .bool(let admitsAll):
            nodes[index].constant = admitsAll
        case .object(let object):
            // Built aside and stored last: compiling subschemas appends to `nodes`.
            let node = try compileKeywords(object, at: path, index: index)
            nodes[index] = node
        default:
            throw SchemaError(
                .invalidSchema, path: path,
                "a schema must be an object or a boolean, got \(SchemaType.name(of: schema))")
        }
        return index
    }

    /// Unknown keywords, and the annotations (title, description, default,
    /// examples, format), are ignored as the specification requires.
    private mutating func compileKeywords(
        _ schema: JSONObject, at path: String, index: Int
    ) throws(SchemaError) -> SchemaNode {
        var node = SchemaNode()
        // Definitions are compiled even when unused, so a mistake in one is caught
        // now rather than when a ref to it is first added.
        _ = try schemaMap("$defs", of: schema, at: path)
        _ = try schemaMap("definitions", of: schema, at: path)

        node.types = try types(of: schema, at: path)
        node.enumValues = try array("enum", of: schema, at: path)
        node.constValue = schema["const"]

        node.properties = try schemaMap("properties", of: schema, at: path) ?? [:]
        node.patternProperties = try patternProperties(of: schema, at: path)
        node.additionalProperties = try subschema("additionalProperties", of: schema, at: path)
        node.required = try stringArray("required", of: schema, at: path) ?? []
        node.minProperties = try count("minProperties", of: schema, at: path)
        node.maxProperties = try count("maxProperties", of: schema, at: path)

        if case .array? = schema["items"] {
            // Drafts before 2020-12 wrote tuples as an array under `items`, with
            // `additionalItems` for the rest; pydantic v1 and older tools still do.
            node.prefixItems = try schemaArray("items", of: schema, at: path) ?? []
            node.items = try subschema("additionalItems", of: schema, at: path)
        } else {
            node.prefixItems = try schemaArray("prefixItems", of: schema, at: path) ?? []
            node.items = try subschema("items", of: schema, at: path)
        }
        node.minItems = try count("minItems", of: schema, at: path)
        node.maxItems = try count("maxItems", of: schema, at: path)
        node.uniqueItems = try bool("uniqueItems", of: schema, at: path) ?? false

        try compileNumberBounds(schema, at: path, into: &node)

        node.minLength = try count("minLength", of: schema, at: path)
        node.maxLength = try count("maxLength", of: schema, at: path)
        node.pattern = try pattern("pattern", of: schema, at: path)

        node.allOf = try schemaArray("allOf", of: schema, at: path) ?? []
        node.anyOf = try schemaArray("anyOf", of: schema, at: path) ?? []
        node.oneOf = try schemaArray("oneOf", of: schema, at: path) ?? []
        node.not = try subschema("not", of: schema, at: path)
        if let ref = try string("$ref", of: schema, at: path) {
            pendingRefs.append((node: index, ref: ref, path: path))
        }
        return node
    }

    private mutating func compileNumberBounds(
        _ schema: JSONObject, at path: String, into node: inout SchemaNode
    ) throws(SchemaError) {
        node.minimum = try number("minimum", of: schema, at: path)
        node.maximum = try number("maximum", of: schema, at: path)
        // Draft 4 wrote exclusive bounds as booleans modifying minimum/maximum;
        // OpenAPI 3.0 schemas still do.
        if case .bool(let exclusive)? = schema["exclusiveMinimum"] {
            if exclusive { swap(&node.minimum, &node.exclusiveMinimum) }
        } else {
            node.exclusiveMinimum = try number("exclusiveMinimum", of: schema, at: path)
        }
        if case .bool(let exclusive)? = schema["exclusiveMaximum"] {
            if exclusive { swap(&node.maximum, &node.exclusiveMaximum) }
        } else {
            node.exclusiveMaximum = try number("exclusiveMaximum", of: schema, at: path)
        }
        node.multipleOf = try number("multipleOf", of: schema, at: path)
        if let divisor = node.multipleOf, divisor <= .int(0) {
            throw SchemaError(.invalidSchema, path: path, "'multipleOf' must be greater than 0, got \(divisor)")
        }
    }
}
