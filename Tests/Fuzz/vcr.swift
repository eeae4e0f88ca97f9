// libFuzzer target: the VCR cassette importer (`moonwire cassette import`):
// YAML through Yams into VCRInteraction values, converted to a Moonwire
// cassette and encoded. Any text is imported or rejected with a
// VCRFormatError; nothing traps, and the output bounds (the YAML→JSON
// writer's 64 MiB, gzip's 256 MiB) keep memory under libFuzzer's limit.
import LLMCore
import VCRImport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVCR(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let vcr = try VCRCassette(yaml: text, source: "fuzz.yaml")
        let cassette = VCRConverter.convert(vcr)
        guard (try? CassetteCodec.decode(CassetteCodec.encode(cassette))) != nil else {
            fatalError("an imported cassette did not decode after encoding")
        }
    } catch is VCRFormatError {
    } catch {
        fatalError("import threw something other than a VCRFormatError: \(error)")
    }
    return 0
}
