import JSON
import Testing

@Suite("JSONValue accessors and literals")
struct AccessTests {
    static let document: JSONValue = [
        "name": "moon", "count": 3, "ratio": 0.5, "whole": 2.0, "on": true, "none": nil,
        "list": [1, "two"], "nested": ["k": "v"],
    ]

    @Test func subscripts() {
        #expect(Self.document["name"] == "moon")
        #expect(Self.document["missing"] == nil)
        #expect(Self.document["list"]?[1] == "two")
        #expect(Self.document["list"]?[2] == nil)
        #expect(Self.document["list"]?[-1] == nil)
        #expect(Self.document["nested"]?["k"]?.stringValue == "v")
        #expect(Self.document[0] == nil)
        #expect(JSONValue.string("x")["k"] == nil)
    }

    @Test func typedValuesNeverConvertAcrossKinds() {
        #expect(Self.document["count"]?.intValue == 3)
        #expect(Self.document["count"]?.doubleValue == 3.0)
        #expect(Self.document["whole"]?.intValue == nil)
        #expect(Self.document["whole"]?.doubleValue == 2.0)
        #expect(Self.document["ratio"]?.doubleValue == 0.5)
        #expect(Self.document["name"]?.intValue == nil)
        #expect(Self.document["on"]?.boolValue == true)
        #expect(Self.document["count"]?.boolValue == nil)
        #expect(Self.document["none"]?.isNull == true)
        #expect(Self.document["on"]?.isNull == false)
        #expect(Self.document["list"]?.arrayValue == [1, "two"])
        #expect(Self.document["nested"]?.objectValue == ["k": "v"])
        #expect(Self.document["name"]?.stringValue == "moon")
        #expect(Self.document["list"]?.stringValue == nil)
    }

    @Test func literalsBuildTheExpectedCases() {
        let value: JSONValue = [nil, true, 1, 1.5, "s", [], [:]]
        #expect(value == .array([.null, .bool(true), .int(1), .double(1.5), .string("s"), .array([]), .object(JSONObject())]))
    }

    @Test func dictionaryLiteralKeepsWrittenOrder() throws {
        #expect(Self.document.objectValue?.keys == ["name", "count", "ratio", "whole", "on", "none", "list", "nested"])
        let object: JSONObject = ["z": 1, "a": 2]
        #expect(object.keys == ["z", "a"])
        #expect(try JSONWriter.string(["z": 1, "a": 2, "m": 3]) == #"{"z":1,"a":2,"m":3}"#)
    }
}
