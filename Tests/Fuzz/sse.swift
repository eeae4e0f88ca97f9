// libFuzzer target: the SSE decoder, fed the input whole and split at every
// position chosen by the input's first byte; both ways give the same events
// or both fail.
import LLMCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSE(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    func run(_ step: Int) -> [SSEEvent]? {
        var decoder = SSEDecoder(maxLineBytes: 4096, maxEventBytes: 16384)
        var events: [SSEEvent] = []
        var i = 0
        do {
            while i < bytes.count {
                let end = min(bytes.count, i + step)
                events += try decoder.feed(bytes[i..<end])
                i = end
            }
            events += try decoder.finish()
        } catch {
            return nil
        }
        return events
    }
    let whole = run(max(1, bytes.count))
    let split = run(Int(bytes.first ?? 1) % 7 + 1)
    precondition(whole == split, "splitting the input changed the events")
    return 0
}
