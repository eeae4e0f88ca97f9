import JSON
import LLMCore
import Testing

/// Each supported keyword passing and failing, with the exact path and message a
/// script (or the model it feeds back to) sees. Schemas are written as JSON text,
/// as they arrive in requests.
@Suite struct JSONSchemaValidatorTests {
    private func json(_ text: String) throws -> JSONValue {
        try JSONParser.parse(text)
    }

    /// The violations of `value` against `schema`, as `path: message` lines.
    private func check(_ schema: String, _ value: String) throws -> [String] {
        try JSONSchemaValidator(schema: json(schema)).validate(json(value)).map(\.description)
    }

    private func schemaError(_ schema: String) throws -> SchemaError? {
        let schema = try json(schema)
        return #expect(throws: SchemaError.self) { try JSONSchemaValidator(schema: schema) }
    }

    // MARK: type

    @Test func typeSingle() throws {
        #expect(try check(#"{"type": "string"}"#, #""hi""#) == [])
        #expect(try check(#"{"type": "string"}"#, "3") == ["$: expected string, got integer"])
        #expect(try check(#"{"type": "boolean"}"#, "true") == [])
        #expect(try check(#"{"type": "boolean"}"#, "null") == ["$: expected boolean, got null"])
        #expect(try check(#"{"type": "null"}"#, "null") == [])
        #expect(try check(#"{"type": "null"}"#, "false") == ["$: expected null, got boolean"])
        #expect(try check(#"{"type": "array"}"#, "[]") == [])
        #expect(try check(#"{"type": "object"}"#, "[]") == ["$: expected object, got array"])
        #expect(try check(#"{"type": "array"}"#, "{}") == ["$: expected array, got object"])
    }

    @Test func integerAdmitsIntegralFloatsAndNumberAdmitsBoth() throws {
        #expect(try check(#"{"type": "integer"}"#, "3") == [])
        #expect(try check(#"{"type": "integer"}"#, "3.0") == [])
        #expect(try check(#"{"type": "integer"}"#, "3.5") == ["$: expected integer, got number"])
        #expect(try check(#"{"type": "number"}"#, "3") == [])
        #expect(try check(#"{"type": "number"}"#, "3.5") == [])
        #expect(try check(#"{"type": "number"}"#, #""3""#) == ["$: expected number, got string"])
    }

    @Test func typeArray() throws {
        #expect(try check(#"{"type": ["string", "null"]}"#, "null") == [])
        #expect(try check(#"{"type": ["string", "null"]}"#, #""x""#) == [])
        #expect(try check(#"{"type": ["string", "null"]}"#, "3") == ["$: expected string or null, got integer"])
        #expect(try check(#"{"type": ["string", "integer", "null"]}"#, "true")
            == ["$: expected string, integer or null, got boolean"])
    }

    @Test func typeMismatchHidesTheKeywordsThatWouldRestateIt() throws {
        #expect(try check(#"{"type": "string", "enum": ["a"], "minLength": 2}"#, "3")
            == ["$: expected string, got integer"])
    }

    // MARK: objects

    @Test func nestedPropertiesAndItemsPaths() throws {
        let schema = #"""
        {"type": "object", "properties": {
            "address": {"type": "object", "properties": {"city": {"type": "string"}}},
            "tags": {"type": "array", "items": {"type": "string"}}}}
        """#
        #expect(try check(schema, #"{"address": {"city": "Oslo"}, "tags": ["a"]}"#) == [])
        #expect(try check(schema, #"{"address": {"city": 5}, "tags": ["a", 2, "c", false]}"#) == [
            "$.address.city: expected string, got integer",
            "$.tags[1]: expected string, got integer",
            "$.tags[3]: expected string, got boolean",
        ])
    }

    @Test func keysThatAreNotIdentifiersAreQuotedInPaths() throws {
        let schema = #"{"properties": {"two words": {"type": "string"}, "0a": {"type": "string"}, "_ok9": {"type": "string"}}}"#
        #expect(try check(schema, #"{"two words": 1, "0a": 2, "_ok9": 3}"#) == [
            #"$["two words"]: expected string, got integer"#,
            #"$["0a"]: expected string, got integer"#,
            "$._ok9: expected string, got integer",
        ])
    }

    @Test func required() throws {
        let schema = #"{"required": ["name", "city"]}"#
        #expect(try check(schema, #"{"name": "x", "city": "y"}"#) == [])
        #expect(try check(schema, #"{"name": "x"}"#) == ["$: missing required property 'city'"])
        #expect(try check(schema, "{}") == [
            "$: missing required property 'name'",
            "$: missing required property 'city'",
        ])
        // Object keywords say nothing about other types.
        #expect(try check(schema, "3") == [])
    }

    @Test func additionalPropertiesFalse() throws {
        let schema = #"{"properties": {"a": {}}, "additionalProperties": false}"#
        #expect(try check(schema, #"{"a": 1}"#) == [])
        #expect(try check(schema, #"{"a": 1, "b": 2, "c": 3}"#) == [
            "$: additional property 'b' is not allowed",
            "$: additional property 'c' is not allowed",
        ])
    }

    @Test func additionalPropertiesSchema() throws {
        let schema = #"{"properties": {"a": {}}, "additionalProperties": {"type": "integer"}}"#
        #expect(try check(schema, #"{"a": "x", "b": 2}"#) == [])
        #expect(try check(schema, #"{"a": "x", "b": "y"}"#) == ["$.b: expected integer, got string"])
    }

    @Test func patternPropertiesCountAsDeclared() throws {
        let schema = #"{"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}"#
        #expect(try check(schema, #"{"x-a": "ok"}"#) == [])
        #expect(try check(schema, #"{"x-a": "ok", "x-b": 1, "y": true}"#) == [
            #"$["x-b"]: expected string, got integer"#,
            "$: additional property 'y' is not allowed",
        ])
    }

    @Test func minAndMaxProperties() throws {
        #expect(try check(#"{"minProperties": 2}"#, #"{"a": 1, "b": 2}"#) == [])
        #expect(try check(#"{"minProperties": 2}"#, #"{"a": 1}"#) == ["$: must have at least 2 properties"])
        #expect(try check(#"{"maxProperties": 1}"#, #"{"a": 1, "b": 2}"#) == ["$: must have at most 1 property"])
    }

    // MARK: enum and const

    @Test func enumKeyword() throws {
        #expect(try check(#"{"enum": ["a", "b"]}"#, #""a""#) == [])
        #expect(try check(#"{"enum": ["a", "b"]}"#, #""x""#) == [#"$: value 'x' is not one of ["a", "b"]"#])
        #expect(try check(#"{"enum": [1, "two", null]}"#, "2") == [#"$: value 2 is not one of [1, "two", null]"#])
    }

    @Test func enumComparesNumbersByValueAndObjectsWithoutOrder() throws {
        #expect(try check(#"{"enum": [1]}"#, "1.0") == [])
        #expect(try check(#"{"enum": [{"a": 1, "b": [2]}]}"#, #"{"b": [2.0], "a": 1}"#) == [])
        #expect(try check(#"{"enum": [{"a": 1}]}"#, #"{"a": 1, "b": 2}"#)
            == [#"$: value {"a":1,"b":2} is not one of [{"a":1}]"#])
    }

    @Test func constKeyword() throws {
        #expect(try check(#"{"const": "x"}"#, #""x""#) == [])
        #expect(try check(#"{"const": "x"}"#, #""y""#) == ["$: must be 'x', got 'y'"])
        #expect(try check(#"{"const": 1}"#, "1.0") == [])
        #expect(try check(#"{"const": null}"#, "0") == ["$: must be null, got 0"])
    }

    @Test func longValuesAreShortenedInMessages() throws {
        let long = String(repeating: "a", count: 200)
        let message = try check(#"{"const": "b"}"#, "\"\(long)\"")
        #expect(message == ["$: must be 'b', got '\(String(repeating: "a", count: 79))…'"])
    }

    // MARK: arrays

    @Test func prefixItemsThenItems() throws {
        let schema = #"{"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": {"type": "boolean"}}"#
        #expect(try check(schema, #"["a", 1, true, false]"#) == [])
        #expect(try check(schema, #"["a"]"#) == [])
        #expect(try check(schema, #"["a", "b", true, "no"]"#) == [
            "$[1]: expected integer, got string",
            "$[3]: expected boolean, got string",
        ])
    }

    @Test func closedTupleReportsOnceForTheArray() throws {
        let schema = #"{"prefixItems": [{"type": "string"}], "items": false}"#
        #expect(try check(schema, #"["a"]"#) == [])
        #expect(try check(schema, #"["a", "b", "c"]"#) == ["$: must have at most 1 item"])
    }

    @Test func draft7TupleItemsAndAdditionalItems() throws {
        let schema = #"{"items": [{"type": "string"}], "additionalItems": {"type": "integer"}}"#
        #expect(try check(schema, #"["a", 1, 2]"#) == [])
        #expect(try check(schema, #"[1, 1, "b"]"#) == [
            "$[0]: expected string, got integer",
            "$[2]: expected integer, got string",
        ])
    }

    @Test func minAndMaxItems() throws {
        #expect(try check(#"{"minItems": 2}"#, "[1, 2]") == [])
        #expect(try check(#"{"minItems": 2}"#, "[1]") == ["$: must have at least 2 items"])
        #expect(try check(#"{"maxItems": 1}"#, "[1]") == [])
        #expect(try check(#"{"maxItems": 1}"#, "[1, 2]") == ["$: must have at most 1 item"])
        // 2020-12 integers include 2.0.
        #expect(try check(#"{"minItems": 2.0}"#, "[1]") == ["$: must have at least 2 items"])
    }

    @Test func uniqueItems() throws {
        #expect(try check(#"{"uniqueItems": true}"#, #"[1, "1", [1], {"a": 1}]"#) == [])
        #expect(try check(#"{"uniqueItems": true}"#, "[1, 2, 1.0]")
            == ["$: must have unique items, but items 0 and 2 are equal"])
        #expect(try check(#"{"uniqueItems": true}"#, #"[{"a": 1, "b": 2}, {"b": 2, "a": 1}]"#)
            == ["$: must have unique items, but items 0 and 1 are equal"])
        #expect(try check(#"{"uniqueItems": false}"#, "[1, 1]") == [])
    }

    // MARK: numbers

    @Test func minimumAndMaximum() throws {
        #expect(try check(#"{"minimum": 5}"#, "5") == [])
        #expect(try check(#"{"minimum": 5}"#, "4") == ["$: must be ≥ 5"])
        #expect(try check(#"{"minimum": 0.5}"#, "0") == ["$: must be ≥ 0.5"])
        #expect(try check(#"{"maximum": 5.5}"#, "5.5") == [])
        #expect(try check(#"{"maximum": 5.5}"#, "6") == ["$: must be ≤ 5.5"])
        // Numeric keywords say nothing about other types.
        #expect(try check(#"{"minimum": 5}"#, #""1""#) == [])
    }

    @Test func exclusiveBounds() throws {
        #expect(try check(#"{"exclusiveMinimum": 5}"#, "5.000001") == [])
        #expect(try check(#"{"exclusiveMinimum": 5}"#, "5") == ["$: must be > 5"])
        #expect(try check(#"{"exclusiveMaximum": 5}"#, "4") == [])
        #expect(try check(#"{"exclusiveMaximum": 5}"#, "5.0") == ["$: must be < 5"])
    }

    @Test func draft4BooleanExclusiveBounds() throws {
        #expect(try check(#"{"minimum": 5, "exclusiveMinimum": true}"#, "5") == ["$: must be > 5"])
        #expect(try check(#"{"maximum": 5, "exclusiveMaximum": true}"#, "5") == ["$: must be < 5"])
        #expect(try check(#"{"maximum": 5, "exclusiveMaximum": false}"#, "5") == [])
    }

    @Test func boundsCompareLargeIntegersExactly() throws {
        // As Doubles both are 2^53, and the bound would pass.
        #expect(try check(#"{"maximum": 9007199254740992}"#, "9007199254740993") == ["$: must be ≤ 9007199254740992"])
        #expect(try check(#"{"maximum": 9007199254740992.0}"#, "9007199254740992") == [])
        #expect(try check(#"{"exclusiveMaximum": 9007199254740992.0}"#, "9007199254740992").count == 1)
        #expect(try check(#"{"minimum": -1e300}"#, "-9223372036854775808") == [])
    }

    @Test func multipleOf() throws {
        #expect(try check(#"{"multipleOf": 3}"#, "9") == [])
        #expect(try check(#"{"multipleOf": 3}"#, "10") == ["$: must be a multiple of 3"])
        #expect(try check(#"{"multipleOf": 2.5}"#, "5") == [])
        #expect(try check(#"{"multipleOf": 2.5}"#, "6") == ["$: must be a multiple of 2.5"])
        // Binary rounding must not fail decimals a model writes correctly.
        for value in ["0.3", "0.7", "1.1", "19.9", "3"] {
            #expect(try check(#"{"multipleOf": 0.1}"#, value) == [], "\(value)")
        }
        #expect(try check(#"{"multipleOf": 0.01}"#, "19.99") == [])
        #expect(try check(#"{"multipleOf": 0.1}"#, "1.25") == ["$: must be a multiple of 0.1"])
    }

    // MARK: strings

    @Test func minAndMaxLengthCountCodePoints() throws {
        #expect(try check(#"{"minLength": 3}"#, #""abc""#) == [])
        #expect(try check(#"{"minLength": 3}"#, #""ab""#) == ["$: string shorter than 3 characters"])
        #expect(try check(#"{"maxLength": 2}"#, #""abc""#) == ["$: string longer than 2 characters"])
        // One grapheme, two code points (e + combining acute).
        #expect(try check(#"{"maxLength": 1}"#, #""e\u0301""#) == ["$: string longer than 1 character"])
        // One code point, two UTF-16 units.
        #expect(try check(#"{"maxLength": 1}"#, #""😀""#) == [])
        #expect(try check(#"{"minLength": 3}"#, "5") == [])
    }

    @Test func patternIsUnanchored() throws {
        #expect(try check(#"{"pattern": "^[a-z]+$"}"#, #""abc""#) == [])
        #expect(try check(#"{"pattern": "^[a-z]+$"}"#, #""abC""#) == ["$: string does not match pattern '^[a-z]+$'"])
        #expect(try check(#"{"pattern": "b"}"#, #""abc""#) == [])
        #expect(try check(#"{"pattern": "\\d{3}"}"#, #""x12y""#) == [#"$: string does not match pattern '\d{3}'"#])
        #expect(try check(#"{"const": "a"}"#, #""line\nnext\u0007""#) == [#"$: must be 'a', got 'line\nnext\u0007'"#])
    }

    // MARK: ignored keywords and boolean schemas

    @Test func annotationsFormatAndUnknownKeywordsAreIgnored() throws {
        let schema = #"""
        {"title": "t", "description": "d", "default": 1, "examples": [1], "format": "email",
         "nullable": true, "x-vendor": {"type": "string"}, "type": "string"}
        """#
        #expect(try check(schema, #""not an email""#) == [])
        #expect(try check(schema, "null") == ["$: expected string, got null"])
    }

    @Test func booleanSchemas() throws {
        #expect(try check("true", #"{"anything": [1]}"#) == [])
        #expect(try check("{}", "null") == [])
        #expect(try check("false", "1") == ["$: no value is allowed here"])
        #expect(try check(#"{"properties": {"a": false}}"#, #"{"a": 1}"#) == ["$.a: no value is allowed here"])
        #expect(try check(#"{"properties": {"a": false}}"#, #"{"b": 1}"#) == [])
    }

    // MARK: applicators

    @Test func anyOf() throws {
        let schema = #"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#
        #expect(try check(schema, #""x""#) == [])
        #expect(try check(schema, "null") == [])
        #expect(try check(schema, "3") == ["$: matches none of the 2 alternatives in anyOf: expected string, got integer"])
    }

    @Test func anyOfNamesTheAlternativeWhoseTypeFits() throws {
        let schema = #"{"anyOf": [{"type": "string"}, {"type": "object", "required": ["a"]}]}"#
        #expect(try check(schema, "{}")
            == ["$: matches none of the 2 alternatives in anyOf: missing required property 'a'"])
    }

    @Test func anyOfNamesTheTaggedVariantWithItsPath() throws {
        let schema = #"""
        {"properties": {"shape": {"anyOf": [
            {"type": "object", "properties": {"kind": {"const": "circle"}, "r": {"type": "number"}},
             "required": ["kind", "r"]},
            {"type": "object", "properties": {"kind": {"const": "square"}, "side": {"type": "number"}},
             "required": ["kind", "side"]}]}}}
        """#
        #expect(try check(schema, #"{"shape": {"kind": "square", "side": 2}}"#) == [])
        #expect(try check(schema, #"{"shape": {"kind": "square", "side": "big"}}"#) == [
            "$.shape: matches none of the 2 alternatives in anyOf: $.shape.side: expected number, got string",
        ])
    }

    @Test func oneOf() throws {
        let schema = #"{"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 0}]}"#
        #expect(try check(schema, "-1") == [])
        #expect(try check(schema, "0.5") == [])
        #expect(try check(schema, "5") == ["$: matches 2 of the 2 alternatives in oneOf (0, 1); exactly one must match"])
        #expect(try check(schema, "-0.5") == ["$: matches none of the 2 alternatives in oneOf: must be ≥ 0"])
    }

    @Test func allOfReportsEverySubschema() throws {
        let schema = #"{"allOf": [{"required": ["a"]}, {"required": ["b"]}]}"#
        #expect(try check(schema, #"{"a": 1, "b": 2}"#) == [])
        #expect(try check(schema, "{}") == [
            "$: missing required property 'a'",
            "$: missing required property 'b'",
        ])
    }

    @Test func not() throws {
        #expect(try check(#"{"not": {"type": "null"}}"#, "1") == [])
        #expect(try check(#"{"not": {"type": "null"}}"#, "null") == ["$: must not match the schema in 'not'"])
    }

    // MARK: $ref

    @Test func refToDefs() throws {
        let schema = #"""
        {"$defs": {"person": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}},
         "type": "array", "items": {"$ref": "#/$defs/person"}}
        """#
        #expect(try check(schema, #"[{"name": "a"}]"#) == [])
        #expect(try check(schema, #"[{"name": "a"}, {"name": 3}, {}]"#) == [
            "$[1].name: expected string, got integer",
            "$[2]: missing required property 'name'",
        ])
    }

    @Test func refToDefinitionsAndOtherLocations() throws {
        let schema = #"""
        {"definitions": {"id": {"type": "integer"}},
         "properties": {"id": {"$ref": "#/definitions/id"}, "a": {"type": "boolean"}, "b": {"$ref": "#/properties/a"}}}
        """#
        #expect(try check(schema, #"{"id": "x", "b": 1}"#) == [
            "$.id: expected integer, got string",
            "$.b: expected boolean, got integer",
        ])
    }

    @Test func recursiveRefToRoot() throws {
        let schema = #"""
        {"type": "object", "required": ["value"],
         "properties": {"value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#"}}}}
        """#
        #expect(try check(schema, #"{"value": 1, "children": [{"value": 2, "children": []}]}"#) == [])
        #expect(try check(schema, #"{"value": 1, "children": [{"value": 2, "children": [{"value": "x"}, {}]}]}"#) == [
            "$.children[0].children[0].value: expected integer, got string",
            "$.children[0].children[1]: missing required property 'value'",
        ])
    }

    @Test func refPointersAreUnescaped() throws {
        let schema = #"""
        {"$defs": {"a/b": {"type": "string"}, "c d": {"type": "integer"}},
         "properties": {"x": {"$ref": "#/$defs/a~1b"}, "y": {"$ref": "#/$defs/c%20d"}}}
        """#
        #expect(try check(schema, #"{"x": 1, "y": "s"}"#) == [
            "$.x: expected string, got integer",
            "$.y: expected integer, got string",
        ])
    }

    @Test func refAppliesAlongsideSiblingKeywords() throws {
        let schema = ##"{"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "maxLength": 2}"##
        #expect(try check(schema, #""ab""#) == [])
        #expect(try check(schema, #""abc""#) == ["$: string longer than 2 characters"])
        #expect(try check(schema, "1") == ["$: expected string, got integer"])
    }

    // MARK: reporting

    @Test func multipleViolationsAreReportedTogetherInOrder() throws {
        let schema = #"""
        {"type": "object", "required": ["id", "name"],
         "properties": {"id": {"type": "integer", "minimum": 1}, "tags": {"type": "array", "maxItems": 2,
                        "items": {"type": "string", "maxLength": 3}}}}
        """#
        #expect(try check(schema, #"{"id": 0, "tags": ["abcd", "ok", 7]}"#) == [
            "$: missing required property 'name'",
            "$.id: must be ≥ 1",
            "$.tags: must have at most 2 items",
            "$.tags[0]: string longer than 3 characters",
            "$.tags[2]: expected string, got integer",
        ])
    }

    @Test func reportingStopsAtTheLimit() throws {
        let validator = try JSONSchemaValidator(schema: json(#"{"items": {"type": "string"}}"#))
        let violations = validator.validate(.array(Array(repeating: .int(1), count: 100)))
        #expect(violations.count == JSONSchemaValidator.maxViolations)
        #expect(violations.last == SchemaViolation(path: "$[49]", message: "expected string, got integer"))
        #expect(!validator.isValid(.array([.int(1)])))
        #expect(validator.isValid(.array([.string("a")])))
    }

    // MARK: a structured-output schema as a provider would receive it

    private let movieSchema = #"""
    {
      "type": "object",
      "properties": {
        "title": {"type": "string", "minLength": 1, "description": "Original title"},
        "year": {"type": "integer", "minimum": 1888, "maximum": 2100},
        "genre": {"type": "string", "enum": ["drama", "comedy", "documentary"]},
        "rating": {"type": ["number", "null"], "minimum": 0, "maximum": 10},
        "cast": {
          "type": "array",
          "minItems": 1,
          "items": {
            "type": "object",
            "properties": {
              "name": {"type": "string"},
              "role": {"type": "string"},
              "lead": {"type": "boolean"}
            },
            "required": ["name", "role", "lead"],
            "additionalProperties": false
          }
        }
      },
      "required": ["title", "year", "genre", "rating", "cast"],
      "additionalProperties": false
    }
    """#

    @Test func structuredOutputGoodAnswer() throws {
        let answer = #"""
        {"title": "Arrival", "year": 2016, "genre": "drama", "rating": 7.9,
         "cast": [{"name": "Amy Adams", "role": "Louise Banks", "lead": true},
                  {"name": "Jeremy Renner", "role": "Ian Donnelly", "lead": false}]}
        """#
        #expect(try check(movieSchema, answer) == [])
        #expect(try check(movieSchema, answer.replacing("7.9", with: "null")) == [])
    }

    @Test func structuredOutputBadAnswer() throws {
        let answer = #"""
        {"title": "Arrival", "year": "2016", "genre": "sci-fi",
         "cast": [{"name": "Amy Adams", "role": "Louise Banks", "lead": "yes"},
                  {"name": "Jeremy Renner", "character": "Ian"}],
         "confidence": 0.9}
        """#
        #expect(try check(movieSchema, answer) == [
            "$: missing required property 'rating'",
            "$.year: expected integer, got string",
            #"$.genre: value 'sci-fi' is not one of ["drama", "comedy", "documentary"]"#,
            "$.cast[0].lead: expected boolean, got string",
            "$.cast[1]: missing required property 'role'",
            "$.cast[1]: missing required property 'lead'",
            "$.cast[1]: additional property 'character' is not allowed",
            "$: additional property 'confidence' is not allowed",
        ])
        let outOfRange = #"{"title": "", "year": 2016, "genre": "drama", "rating": 11, "cast": []}"#
        #expect(try check(movieSchema, outOfRange) == [
            "$.title: string shorter than 1 character",
            "$.rating: must be ≤ 10",
            "$.cast: must have at least 1 item",
        ])
    }

    // MARK: schema errors

    @Test func schemaMustBeObjectOrBoolean() throws {
        let error = try schemaError(#""string""#)
        #expect(error?.code == .invalidSchema)
        #expect(error?.path == "#")
        #expect(error?.description == "invalid JSON schema at #: a schema must be an object or a boolean, got string")
        #expect(try schemaError(#"{"properties": {"a": 3}}"#)?.description
            == "invalid JSON schema at #/properties/a: a schema must be an object or a boolean, got integer")
    }

    @Test func keywordsWithWrongTypedValues() throws {
        let cases: [(schema: String, path: String, message: String)] = [
            (#"{"required": "x"}"#, "#", "'required' must be an array of strings, got string"),
            (#"{"required": ["a", 1]}"#, "#", "'required' must be an array of strings, but element 1 is integer"),
            (#"{"properties": {"a": {"items": {"minItems": -1}}}}"#, "#/properties/a/items",
             "'minItems' must be a non-negative integer, got -1"),
            (#"{"maxLength": 1.5}"#, "#", "'maxLength' must be a non-negative integer, got 1.5"),
            (#"{"type": "int"}"#, "#",
             "unknown type 'int' in 'type'; expected one of null, boolean, integer, number, string, array, object"),
            (#"{"type": []}"#, "#", "'type' must be a type name or a non-empty array of them, got array"),
            (#"{"minimum": "0"}"#, "#", "'minimum' must be a number, got string"),
            (#"{"multipleOf": 0}"#, "#", "'multipleOf' must be greater than 0, got 0"),
            (#"{"anyOf": []}"#, "#", "'anyOf' must be a non-empty array of schemas, got array"),
            (#"{"properties": []}"#, "#", "'properties' must be an object of schemas, got array"),
            (#"{"uniqueItems": 1}"#, "#", "'uniqueItems' must be a boolean, got 1"),
            (#"{"enum": "a"}"#, "#", "'enum' must be an array, got string"),
            (#"{"$defs": {"d": {"pattern": "("}}}"#, "#/$defs/d", "'pattern' '(' is not a valid regular expression"),
            (#"{"patternProperties": {"[": {}}}"#, "#", "'patternProperties' key '[' is not a valid regular expression"),
        ]
        for (schema, path, message) in cases {
            let error = try schemaError(schema)
            #expect(error?.code == .invalidSchema, "\(schema)")
            #expect(error?.path == path, "\(schema)")
            #expect(error?.message == message, "\(schema)")
        }
    }

    @Test func refsThatAreNotLocalOrLeadNowhere() throws {
        let remote = try schemaError(#"{"properties": {"a": {"$ref": "other.json#/x"}}}"#)
        #expect(remote?.code == .unsupportedRef)
        #expect(remote?.path == "#/properties/a")
        #expect(remote?.message
            == "'$ref' 'other.json#/x' is not local; only '#' and '#/…' pointers into this schema are supported")

        let anchor = try schemaError(##"{"$ref": "#node"}"##)
        #expect(anchor?.code == .unsupportedRef)
        #expect(anchor?.message == "'$ref' '#node' names an anchor; only '#' and '#/…' pointers are supported")

        let missing = try schemaError(##"{"$defs": {}, "items": {"$ref": "#/$defs/missing"}}"##)
        #expect(missing?.code == .unresolvedRef)
        #expect(missing?.path == "#/items")
        #expect(missing?.message == "'$ref' '#/$defs/missing' does not point at anything in this schema")

        #expect(try schemaError(#"{"$ref": 3}"#)?.message == "'$ref' must be a string, got 3")
    }

    @Test func refCycleThatNeverReachesTheValue() throws {
        let error = try schemaError(#"""
        {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"anyOf": [{"$ref": "#/$defs/a"}, {"type": "null"}]}},
         "$ref": "#/$defs/a"}
        """#)
        #expect(error?.code == .refCycle)
        #expect(error?.path == "#/$defs/a")
        #expect(error?.message
            == "'$ref' leads back to this schema without descending into the value, so validation would never end")
        #expect(try schemaError(##"{"$ref": "#"}"##)?.code == .refCycle)
    }
}
