import JSON
import Testing

@Suite("JSONWriter")
struct WriterTests {
    static let sample: JSONValue = ["b": [1, 2.5, []], "a": ["z": nil, "y": [:]], "c": "x"]

    @Test func compactKeepsInsertionOrder() throws {
        #expect(try JSONWriter.string(Self.sample) == #"{"b":[1,2.5,[]],"a":{"z":null,"y":{}},"c":"x"}"#)
    }

    @Test func prettySortedKeys() throws {
        let expected = """
            {
              "a": {
                "y": {},
                "z": null
              },
              "b": [
                1,
                2.5,
                []
              ],
              "c": "x"
            }
            """
        #expect(try JSONWriter.string(Self.sample, options: [.pretty, .sortedKeys]) == expected)
        #expect(try JSONWriter(options: .pretty).string([]) == "[]")
        #expect(try JSONWriter(options: .pretty).string([:]) == "{}")
    }

    @Test func sortedKeysUseCodePointOrder() throws {
        let value: JSONValue = ["é": 1, "z": 2, "a": 3, "A": 4, "": 5]
        #expect(try JSONWriter.string(value, options: .sortedKeys) == #"{"":5,"A":4,"a":3,"z":2,"é":1}"#)
    }

    @Test(arguments: [
        (0.1, "0.1"), (1e300, "1e+300"), (-0.0, "-0.0"), (2.0, "2.0"), (100.0, "100.0"),
        (1e-5, "1e-05"), (Double.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
    ])
    func doublesAreShortestAndStayFloats(value: Double, text: String) throws {
        #expect(try JSONWriter.string(.double(value)) == text)
        let back = try JSONParser.parse(text)
        #expect(back.doubleValue?.bitPattern == value.bitPattern)
        #expect(back.intValue == nil)
    }

    @Test func integers() throws {
        #expect(try JSONWriter.string([.int(.min), .int(.max), 0, -7, 10]) == "[-9223372036854775808,9223372036854775807,0,-7,10]")
    }

    @Test func stringEscaping() throws {
        let value: JSONValue = .string("\"\\/\n\t\r\u{8}\u{C}\u{0}\u{1F}\u{7F} é 日本 😀")
        let text = try JSONWriter.string(value)
        #expect(text == "\"\\\"\\\\/\\n\\t\\r\\b\\f\\u0000\\u001f\u{7F} é 日本 😀\"")
        #expect(try JSONParser.parse(text) == value)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteNumbersNameTheirPath(number: Double) {
        let value: JSONValue = ["ok": 1, "a": [1, 2, .double(number)]]
        let error = #expect(throws: JSONError.self) { try JSONWriter.bytes(value) }
        #expect(error?.code == .nonFiniteNumber)
        #expect(error?.path == "$.a[2]")
        #expect(error?.offset == nil)
        #expect(error?.description == "cannot write JSON at $.a[2]: \(number) is not a valid JSON number")
    }

    @Test func pathQuotesKeysThatAreNotIdentifiers() {
        let nested: JSONValue = ["a b": [["x\"y": .double(.nan)]]]
        #expect(throws: JSONError.self) { try JSONWriter.bytes(nested) }
        #expect((try? JSONWriter.bytes(nested)) == nil)
        do {
            _ = try JSONWriter.bytes(nested)
        } catch {
            #expect(error.path == #"$["a b"][0]["x\"y"]"#)
        }
        let top = #expect(throws: JSONError.self) { try JSONWriter.bytes(.double(.nan)) }
        #expect(top?.path == "$")
    }

    @Test(arguments: [
        #"{"a":[1,{"b":null}],"c":{"d":[true,false]},"e":"\u0000"}"#,
        #"[-9223372036854775808,9223372036854775807,0.1,1e+300,-0.0,2.0,"é日本😀"]"#,
        "[[],{},[[]],{\"\":{}}]",
    ])
    func textRoundTrips(text: String) throws {
        #expect(try JSONWriter.string(JSONParser.parse(text)) == text)
    }

    @Test func randomDoublesRoundTripBitExactly() throws {
        var random = SplitMix64(seed: 42)
        var values: [JSONValue] = []
        while values.count < 10_000 {
            let double = Double(bitPattern: random.next())
            if double.isFinite { values.append(.double(double)) }
        }
        let parsed = try JSONParser.parse(JSONWriter.bytes(.array(values)))
        for (original, back) in zip(values, parsed.arrayValue ?? []) {
            #expect(original.doubleValue?.bitPattern == back.doubleValue?.bitPattern)
        }
        #expect(parsed.arrayValue?.count == values.count)
    }
}
