// libFuzzer target: the cassette codec. Any bytes decode or throw a
// CassetteFormatError; a decoded cassette encodes and decodes back equal.
import LLMCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCassette(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let cassette = try? CassetteCodec.decode(bytes) else { return 0 }
    let again = CassetteCodec.encode(cassette)
    guard let back = try? CassetteCodec.decode(again) else { fatalError("an encoded cassette did not decode") }
    precondition(CassetteCodec.encode(back) == again, "encode(decode(encode(x))) differs from encode(x)")
    return 0
}
