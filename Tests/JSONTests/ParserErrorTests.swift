import JSON
import Testing

@Suite("JSONParser errors")
struct ParserErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let input: [UInt8]
        let code: JSONError.Code
        let offset: Int

        init(_ input: String, _ code: JSONError.Code, _ offset: Int) {
            self.init(bytes: Array(input.utf8), code, offset)
        }

        init(bytes: [UInt8], _ code: JSONError.Code, _ offset: Int) {
            self.input = bytes
            self.code = code
            self.offset = offset
        }

        var testDescription: String { "\(String(decoding: input, as: UTF8.self).debugDescription) → \(code)@\(offset)" }
    }

    static let cases: [Case] = [
        Case("", .unexpectedEnd, 0),
        Case("   ", .unexpectedEnd, 3),
        Case("[1,2", .unexpectedEnd, 4),
        Case(#"{"a":1"#, .unexpectedEnd, 6),
        Case(#"{"a""#, .unexpectedEnd, 4),
        Case(#""abc"#, .unexpectedEnd, 4),
        Case(#""\u12"#, .unexpectedEnd, 5),
        Case("tru", .unexpectedEnd, 3),
        Case("-", .unexpectedEnd, 1),
        Case("1.", .unexpectedEnd, 2),
        Case("1e+", .unexpectedEnd, 3),

        Case("x", .expectedValue, 0),
        Case("[,1]", .expectedValue, 1),
        Case("[1,]", .expectedValue, 3),
        Case("+1", .expectedValue, 0),
        Case(".5", .expectedValue, 0),
        Case("\u{0C}1", .expectedValue, 0),
        Case("\u{FEFF}1", .expectedValue, 0),
        Case("'a'", .expectedValue, 0),

        Case("trux", .invalidLiteral, 0),
        Case("[nul]", .invalidLiteral, 1),
        Case("True", .expectedValue, 0),

        Case("01", .invalidNumber, 0),
        Case("[-01]", .invalidNumber, 1),
        Case("-a", .invalidNumber, 1),
        Case("1.e5", .invalidNumber, 2),
        Case("1e", .unexpectedEnd, 2),
        Case("[1ex]", .invalidNumber, 3),
        Case("1e400", .numberOutOfRange, 0),
        Case("[-1e400]", .numberOutOfRange, 1),

        Case(#"{"a":1,}"#, .expectedKey, 7),
        Case("{1:2}", .expectedKey, 1),
        Case(#"{"a" 1}"#, .expectedColon, 5),
        Case(#"{"a":1 "b":2}"#, .expectedCommaOrBrace, 7),
        Case(#"{"a":1]"#, .expectedCommaOrBrace, 6),
        Case("[1 2]", .expectedCommaOrBracket, 3),
        Case("[1.5x]", .expectedCommaOrBracket, 4),
        Case("[1}", .expectedCommaOrBracket, 2),

        Case("\"a\tb\"", .controlCharacter, 2),
        Case("\"\u{0}\"", .controlCharacter, 1),
        Case("\"aaaaaaaaaaaa\u{1F}\"", .controlCharacter, 13),
        Case("\"aaaaaaaaaaaa\nb\"", .controlCharacter, 13),

        Case(#""\x""#, .invalidEscape, 1),
        Case(#""ab\u12G4""#, .invalidEscape, 3),
        Case(#""\U0041""#, .invalidEscape, 1),

        Case(#""\uD800""#, .loneSurrogate, 1),
        Case(#""\uDC00""#, .loneSurrogate, 1),
        Case(#""x\uD83D\u0041""#, .loneSurrogate, 2),
        Case(#""\uD83Dabc""#, .loneSurrogate, 1),
        Case(#""\uD83D\uD83D""#, .loneSurrogate, 1),

        Case(bytes: [0x22, 0x61, 0xFF, 0x22], .invalidUTF8, 2),
        Case(bytes: [0x22, 0x80, 0x22], .invalidUTF8, 1),
        Case(bytes: [0x22, 0xC0, 0xAF, 0x22], .invalidUTF8, 1),
        Case(bytes: [0x22, 0xE0, 0x80, 0xAF, 0x22], .invalidUTF8, 1),
        Case(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, 1),
        Case(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8, 1),
        Case(bytes: [0x22, 0x61, 0xE6, 0x97, 0x22], .invalidUTF8, 2),
        Case(bytes: [0x22, 0xE6, 0x97], .invalidUTF8, 1),
        Case(bytes: [0xFF], .expectedValue, 0),

        Case("1 2", .trailingCharacters, 2),
        Case("{} x", .trailingCharacters, 3),
        Case("[]]", .trailingCharacters, 2),
        Case("nullnull", .trailingCharacters, 4),
    ]

    @Test(arguments: cases)
    func rejects(_ testCase: Case) {
        let error = #expect(throws: JSONError.self) { try JSONParser.parse(testCase.input) }
        #expect(error?.code == testCase.code)
        #expect(error?.offset == testCase.offset)
        #expect(error?.path == nil)
    }

    @Test func messageNamesTheByteAndTheProblem() {
        let error = #expect(throws: JSONError.self) { try JSONParser.parse(#"{"a":1 "b":2}"#) }
        #expect(error?.description == "invalid JSON at byte 7: expected ',' or '}' after object member")
        #expect(error?.code.description == "expected_comma_or_brace")
    }
}
