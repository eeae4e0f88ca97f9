// (a) Stream decoding to Lua: a long Anthropic stream, one text_delta event per
// token, consumed by an on_text callback and by a `for ev in llm.stream` loop.
import FakeProvider
import JSON

enum StreamBench {
    /// The anthropicText stream regrouped into a few big chunks: written one
    /// event per chunk, the server's 100k flushes would be measured instead of
    /// Moonwire. The bytes on the wire are the same SSE either way.
    static func body(tokens: Int, eventsPerChunk: Int) -> (ScriptedResponse, chunks: Int, bytes: Int) {
        let words = (0..<tokens).map { " w\($0 % 1000)" }
        let events = ScriptedResponse.anthropicText(words, model: "claude-test")
        guard case .chunks(let single) = events.body else { preconditionFailure("anthropicText is chunked") }
        var chunks: [ScriptedResponse.Chunk] = []
        for start in stride(from: 0, to: single.count, by: eventsPerChunk) {
            let group = single[start..<min(start + eventsPerChunk, single.count)]
            chunks.append(ScriptedResponse.Chunk(bytes: Array(group.map(\.bytes).joined())))
        }
        let response = ScriptedResponse(status: events.status, headers: events.headers, body: .chunks(chunks))
        return (response, chunks.count, chunks.reduce(0) { $0 + $1.bytes.count })
    }

    static let onText = """
        local n = 0
        llm.chat{ model = "claude-test", prompt = "x", max_tokens = 100, on_text = function(t) n = n + 1 end }
        bench_n = n
        """
    static let iterator = """
        local n = 0
        for ev in llm.stream{ model = "claude-test", prompt = "x", max_tokens = 100 } do
          if ev.type == "text" then n = n + 1 end
        end
        bench_n = n
        """

    static func run(tokens: Int, runs: Int) throws -> [Figure] {
        let (response, chunkCount, bytes) = body(tokens: tokens, eventsPerChunk: 1000)
        let server = FakeProviderServer(handler: { _ in response })
        try server.start()
        defer { server.stop() }
        let shape = "\(chunkCount) chunks of ~\(bytes / chunkCount / 1024) KB, \(bytes / 1_000_000) MB SSE"
        return try [
            measure("stream → on_text", onText, server: server, tokens: tokens, runs: runs, shape: shape),
            measure("stream → for ev in llm.stream", iterator, server: server, tokens: tokens, runs: runs, shape: shape),
        ]
    }

    private static func measure(
        _ name: String, _ script: String, server: FakeProviderServer, tokens: Int, runs: Int, shape: String
    ) throws -> Figure {
        let lua = BenchLua(server: server)
        var walls: [Double] = []
        var cpus: [Double] = []
        for round in 0...runs {  // round 0 warms up (connection, allocator, caches)
            try lua.run("collectgarbage()")
            let t = try Clocks.measure { try lua.run(script) }
            let seen = try lua.integer("bench_n")
            guard seen == tokens else { throw BenchError("\(name): Lua saw \(seen) tokens, expected \(tokens)") }
            if round > 0 { walls.append(t.wall); cpus.append(t.cpu) }
        }
        let wall = Sample(walls), cpu = Sample(cpus)
        let rate = Double(tokens) / wall.median
        return Figure(
            name: name, value: rate, unit: "tokens/s", target: "≥ 1,000,000",
            note: String(format: "%dk tokens in %.0f ms wall, %.0f ms CPU on Moonwire's thread (median of %d; %.0f–%.0f ms wall); ",
                         tokens / 1000, wall.median * 1e3, cpu.median * 1e3, runs, wall.min * 1e3, wall.max * 1e3) + shape,
            details: [
                ("tokens", .int(Int64(tokens))), ("runs", .int(Int64(runs))),
                ("wall_ms_median", .double(wall.median * 1e3)), ("wall_ms_min", .double(wall.min * 1e3)),
                ("wall_ms_max", .double(wall.max * 1e3)), ("thread_cpu_ms_median", .double(cpu.median * 1e3)),
                ("tokens_per_s_by_thread_cpu", .double(Double(tokens) / cpu.median)),
                ("server_body", .string(shape)),
            ])
    }
}
