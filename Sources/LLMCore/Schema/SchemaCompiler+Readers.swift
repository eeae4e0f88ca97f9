// Readers for keyword values: each returns nil when the keyword is absent and
// throws a SchemaError naming the keyword when its value has the wrong type.

import JSON

extension SchemaCompiler {
    static func childPath(_ path: String, _ token: String) -> String {
        // JSON pointer escaping, so the path can be pasted into a `$ref`.
        path + "/" + token.replacing("~", with: "~0").replacing("/", with: "~1")
    }

    private func invalid(_ keyword: String, _ expected: String, _ value: JSONValue, at path: String) -> SchemaError {
        let got = SchemaNumber(value).map { "\($0)" } ?? SchemaType.name(of: value)
        return SchemaError(.invalidSchema, path: path, "'\(keyword)' must be \(expected), got \(got)")
    }

    mutating func subschema(_ keyword: String, of schema: JSONObject, at path: String) throws(SchemaError) -> Int? {
        guard let value = schema[keyword] else { return nil }
        return try compile(value, at: Self.childPath(path, keyword))
    }

    /// allOf, anyOf, oneOf, prefixItems: a non-empty array of schemas.
    mutating func schemaArray(_ keyword: String, of schema: JSONObject, at path: String) throws(SchemaError) -> [Int]? {
        guard let value = schema[keyword] else { return nil }
        guard case .array(let elements) = value, !elements.isEmpty else {
            throw invalid(keyword, "a non-empty array of schemas", value, at: path)
        }
        let arrayPath = Self.childPath(path, keyword)
        var nodes: [Int] = []
        for (position, element) in elements.enumerated() {
            nodes.append(try compile(element, at: Self.childPath(arrayPath, String(position))))
        }
        return nodes
    }

    /// properties, $defs, definitions: an object whose values are schemas.
    mutating func schemaMap(_ keyword: String, of schema: JSONObject, at path: String) throws(SchemaError) -> [String: Int]? {
        guard let value = schema[keyword] else { return nil }
        guard case .object(let members) = value else {
            throw invalid(keyword, "an object of schemas", value, at: path)
        }
        let mapPath = Self.childPath(path, keyword)
        var nodes: [String: Int] = [:]
        for (name, member) in members.entries {
            nodes[name] = try compile(member, at: Self.childPath(mapPath, name))
        }
        return nodes
    }

    mutating func patternProperties(of schema: JSONObject, at path: String) throws(SchemaError) -> [(pattern: SchemaPattern, node: Int)] {
        guard let nodes = try schemaMap("patternProperties", of: schema, at: path) else { return [] }
        guard case .object(let members) = schema["patternProperties"] else { return [] }
        var compiled: [(pattern: SchemaPattern, node: Int)] = []
        for source in members.keys {
            guard let pattern = SchemaPattern(source) else {
                throw SchemaError(.invalidSchema, path: path,
                                  "'patternProperties' key \(SchemaText.quoted(source)) is not a valid regular expression")
            }
            compiled.append((pattern: pattern, node: nodes[source]!))
        }
        return compiled
    }

    func types(of schema: JSONObject, at path: String) throws(SchemaError) -> [SchemaType] {
        guard let value = schema["type"] else { return [] }
        let names: [JSONValue]
        switch value {
        case .string: names = [value]
        case .array(let elements) where !elements.isEmpty: names = elements
        default: throw invalid("type", "a type name or a non-empty array of them", value, at: path)
        }
        return try names.map { (name: JSONValue) throws(SchemaError) -> SchemaType in
            guard let type = name.stringValue.flatMap(SchemaType.init(rawValue:)) else {
                let known = SchemaType.allCases.map(\.rawValue).joined(separator: ", ")
                throw SchemaError(.invalidSchema, path: path,
                                  "unknown type \(SchemaText.value(name)) in 'type'; expected one of \(known)")
            }
            return type
        }
    }

    /// minLength, maxItems and the like. 2.0 counts, as 2020-12 defines integers by value.
    func count(_ keyword: String, of schema: JSONObject, at path: String) throws(SchemaError) -> Int? {
        guard let value = schema[keyword] else { return nil }
        switch value {
        case .int(let int) where int >= 0:
            return Int(clamping: int)
        case .double(let double) where double >= 0 && SchemaType.integer.accepts(value):
            return double < 0x1p62 ? Int(double) : Int.max
        default:
            throw invalid(keyword, "a non-negative integer", value, at: path)
        }
    }

    func number(_ keyword: String, of schema: JSONObject, at path: String) throws(SchemaError) -> SchemaNumber? {
        guard let value = schema[keyword] else { return nil }
        guard let number = SchemaNumber(value) else { throw invalid(keyword, "a number", value, at: path) }
        return number
    }

    func bool(_ keyword: String, of schema: JSONObject, at path: String) throws(SchemaError) -> Bool? {
        guard let value = schema[keyword] else { return nil }
        guard case .bool(let bool) = value else { throw invalid(keyword, "a boolean", value, at: path) }
        return bool
    }

    func string(_ keyword: String, of schema: JSONObject, at path: String) throws(SchemaError) -> String? {
        guard let value = schema[keyword] else { return nil }
        guard case .string(let string) = value else { throw invalid(keyword, "a string", value, at: path) }
        return string
    }

    func array(_ keyword: String, of schema: JSONObject, at path: String) throws(SchemaError) -> [JSONValue]? {
        guard let value = schema[keyword] else { return nil }
        guard case .array(let elements) = value else { throw invalid(keyword, "an array", value, at: path) }
        return elements
    }

    func stringArray(_ keyword: String, of schema: JSONObject, at path: String) throws(SchemaError) -> [String]? {
        guard let value = schema[keyword] else { return nil }
        guard case .array(let elements) = value else { throw invalid(keyword, "an array of strings", value, at: path) }
        var strings: [String] = []
        for (position, element) in elements.enumerated() {
            guard case .string(let string) = element else {
                throw SchemaError(.invalidSchema, path: path,
                                  "'\(keyword)' must be an array of strings, but element \(position) is \(SchemaType.name(of: element))")
            }
            strings.append(string)
        }
        return strings
    }

    func pattern(_ keyword: String, of schema: JSONObject, at path: String) throws(SchemaError) -> SchemaPattern? {
        guard let source = try string(keyword, of: schema, at: path) else { return nil }
        guard let pattern = SchemaPattern(source) else {
            throw SchemaError(.invalidSchema, path: path,
                              "'\(keyword)' \(SchemaText.quoted(source)) is not a valid regular expression")
        }
        return pattern
    }
}
