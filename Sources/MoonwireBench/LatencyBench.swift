// (b) First byte to Lua: the server sends one token 20 ms after the stream's
// framing; on_text calls a Swift function that reads the server's clock, and
// the difference to the token chunk's send stamp is the latency. Both stamps
// come from the same clock (FakeProviderServer.now), so no clock skew enters.
import FakeProvider
import JSON

enum LatencyBench {
    /// anthropicText writes 3 framing chunks before the first token.
    static let tokenChunk = 3

    static func run(requests: Int) throws -> Figure {
        let response = ScriptedResponse.anthropicText(["tok"], interval: 0.02)
        let server = FakeProviderServer(handler: { _ in response })
        try server.start()
        defer { server.stop() }
        let lua = BenchLua(server: server)
        final class Stamps { var seen: [Double] = [] }
        let stamps = Stamps()
        lua.lua.register("stamp") { _ in
            stamps.seen.append(server.now)
            return 0
        }
        try lua.run("""
            for i = 1, \(requests) do
              llm.chat{ model = "claude-test", prompt = "x", max_tokens = 10, on_text = function() stamp() end }
            end
            """)
        let sent = server.chunkSendTimes
        guard stamps.seen.count == requests, sent.count == requests, sent.allSatisfy({ $0.count > tokenChunk }) else {
            throw BenchError("latency: \(stamps.seen.count) callbacks for \(sent.count) requests, expected \(requests)")
        }
        let latencies = Sample(zip(stamps.seen, sent).map { ($0 - $1[tokenChunk]) * 1e3 })
        let floor = Sample(try RawSocketFloor.latencies(requests: requests / 2))
        return Figure(
            name: "first byte → on_text (p50)", value: latencies.median, unit: "ms", target: "well under 1",
            note: String(format: "p95 %.3f, min %.3f, max %.3f ms over %d sequential requests; a bare blocking socket: p50 %.3f, min %.3f ms",
                         latencies.percentile(95), latencies.min, latencies.max, requests, floor.median, floor.min),
            details: [
                ("requests", .int(Int64(requests))), ("p50_ms", .double(latencies.median)),
                ("p95_ms", .double(latencies.percentile(95))), ("min_ms", .double(latencies.min)),
                ("max_ms", .double(latencies.max)),
                ("bare_socket_p50_ms", .double(floor.median)), ("bare_socket_min_ms", .double(floor.min)),
            ])
    }
}
