import JSON
import Testing

@Suite("JSONParser values")
struct ParserTests {
    @Test func scalars() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("true") == .bool(true))
        #expect(try JSONParser.parse("false") == .bool(false))
        #expect(try JSONParser.parse("\"hi\"") == .string("hi"))
        #expect(try JSONParser.parse(" \t\r\n 42 \n") == .int(42))
    }

    @Test func integersStayIntegersWithinInt64() throws {
        #expect(try JSONParser.parse("0") == .int(0))
        #expect(try JSONParser.parse("-0") == .int(0))
        #expect(try JSONParser.parse("9223372036854775807") == .int(.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(.min))
        // One past either end no longer fits: it becomes the nearest double.
        #expect(try JSONParser.parse("9223372036854775808") == .double(9223372036854775808.0))
        #expect(try JSONParser.parse("-9223372036854775809") == .double(-9223372036854775808.0))
        #expect(try JSONParser.parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
    }

    @Test func fractionOrExponentMakesADouble() throws {
        #expect(try JSONParser.parse("1.0") == .double(1))
        #expect(try JSONParser.parse("1e2") == .double(100))
        #expect(try JSONParser.parse("1E+2") == .double(100))
        #expect(try JSONParser.parse("-2.5e-3") == .double(-0.0025))
        #expect(try JSONParser.parse("0.1") == .double(0.1))
        #expect(try JSONParser.parse("1e300") == .double(1e300))
        #expect(try JSONParser.parse("1e-400") == .double(0))
        let negativeZero = try JSONParser.parse("-0.0").doubleValue
        #expect(negativeZero == 0 && negativeZero?.sign == .minus)
    }

    /// Differential check of the fast and slow decimal paths against the standard library.
    @Test func decimalsMatchStandardLibrary() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            let digits = String(random.next() % 10_000_000_000_000_000_000)
            let point = Int(random.next() % UInt64(digits.count + 1))
            let exponent = Int(random.next() % 60) - 30
            var text = String(digits.prefix(max(point, 1)))
            if point < digits.count { text += "." + digits.dropFirst(max(point, 1)) }
            if text.hasSuffix(".") { text += "0" }
            text += "e\(exponent)"
            #expect(try JSONParser.parse(text) == .double(Double(text)!), "\(text)")
        }
    }

    @Test func stringEscapes() throws {
        #expect(try JSONParser.parse(#""a\u0000b""#) == .string("a\u{0}b"))
        #expect(try JSONParser.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try JSONParser.parse(#""caf\u00e9 \u65E5\u672c""#) == .string("café 日本"))
        #expect(try JSONParser.parse(#""\ud83d\ude00!""#) == .string("😀!"))
        #expect(try JSONParser.parse("\"café 日本 😀\"") == .string("café 日本 😀"))
        #expect(try JSONParser.parse("\"\u{7F}\"") == .string("\u{7F}"))
    }

    /// Escapes and multi-byte characters at every position relative to the
    /// eight-byte fast scan.
    @Test func stringsAcrossScanBoundaries() throws {
        for length in 0..<24 {
            let padding = String(repeating: "a", count: length)
            let text = "\"\(padding)\\n\(padding)é\(padding)\""
            #expect(try JSONParser.parse(text) == .string("\(padding)\n\(padding)é\(padding)"))
        }
    }

    @Test func emptyContainersAndNesting() throws {
        #expect(try JSONParser.parse("[]") == .array([]))
        #expect(try JSONParser.parse("{}") == .object(JSONObject()))
        #expect(try JSONParser.parse("[]") != JSONParser.parse("{}"))
        let value = try JSONParser.parse(#" { "a" : [ 1 , { "b" : null } ] , "c" : { "d" : [ true , false ] } } "#)
        #expect(value == ["a": [1, ["b": nil]], "c": ["d": [true, false]]])
        #expect(value.objectValue?.keys == ["a", "c"])
    }

    @Test func duplicateKeyKeepsFirstPositionAndLastValue() throws {
        let object = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#).objectValue
        #expect(object?.keys == ["a", "b"])
        #expect(object?["a"] == .int(3))
    }

    @Test func acceptsAnyByteCollection() throws {
        let bytes = Array("[1,\"é\"]".utf8)
        let expected: JSONValue = [1, "é"]
        #expect(try JSONParser.parse(bytes) == expected)
        #expect(try JSONParser.parse(bytes[...]) == expected)
        // A lazy map has no contiguous storage, so this takes the copying path.
        #expect(try JSONParser.parse(bytes.lazy.map { $0 }) == expected)
        #expect(try bytes.withUnsafeBufferPointer { try JSONParser().parse($0) } == expected)
    }

    @Test func depthLimit() throws {
        let allowed = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONParser.parse(allowed) }
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = #expect(throws: JSONError.self) { try JSONParser.parse(tooDeep) }
        #expect(error?.code == .depthLimitExceeded && error?.offset == 512)

        let shallow = JSONParser(maxDepth: 2)
        #expect(try shallow.parse("[[1]]") == [[1]])
        let objectError = #expect(throws: JSONError.self) { try shallow.parse(#"{"a":{"b":[1]}}"#) }
        #expect(objectError?.code == .depthLimitExceeded && objectError?.offset == 10)
    }

    /// Hostile nesting far past the limit fails cleanly instead of overflowing the stack.
    @Test func veryDeepInputIsRejectedNotCrashed() {
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(throws: JSONError.self) { try JSONParser.parse(hostile) }
    }

    @Test func twentyMegabyteDocument() throws {
        var text: [UInt8] = []
        text.reserveCapacity(21_000_000)
        text.append(UInt8(ascii: "["))
        var count = 0
        while text.count < 20_000_000 {
            if count > 0 { text.append(UInt8(ascii: ",")) }
            text += Array(#"{"id":\#(count),"name":"item \#(count) \u00e9","tags":["a","b"],"score":\#(count).5,"ok":true}"#.utf8)
            count += 1
        }
        text.append(UInt8(ascii: "]"))
        let value = try JSONParser.parse(text)
        #expect(value.arrayValue?.count == count)
        #expect(value[count - 1]?["id"] == .int(Int64(count - 1)))
        #expect(value[7]?["name"] == "item 7 é")
    }
}

/// A small deterministic generator so randomized tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
