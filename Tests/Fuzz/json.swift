// libFuzzer target: the JSON parser. Any input either parses or throws a
// JSONError; a parsed value re-encodes and parses back to the same value.
import JSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let value = try? JSONParser().parse(bytes) else { return 0 }
    guard let again = try? JSONWriter().bytes(value), let back = try? JSONParser.parse(again) else {
        fatalError("a parsed value did not re-encode and parse back")
    }
    precondition(back == value, "round trip changed the value")
    return 0
}

