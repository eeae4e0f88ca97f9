// (c) Sequential embeddings: one small JSON answer (a base64 vector of 256
// floats) over and over on one kept-alive connection.
import FakeProvider
import Foundation
import JSON

enum EmbedBench {
    static func body(dimensions: Int) -> String {
        var data = Data()
        for i in 0..<dimensions {
            withUnsafeBytes(of: Float(i % 17) / 16 - 0.5) { data.append(contentsOf: $0) }
        }
        return """
            {"object":"list","data":[{"object":"embedding","index":0,"embedding":"\(data.base64EncodedString())"}],\
            "model":"text-embedding-3-small","usage":{"prompt_tokens":1,"total_tokens":1}}
            """
    }

    static func run(requests: Int, rounds: Int) throws -> Figure {
        let dimensions = 256
        let response = ScriptedResponse.json(body(dimensions: dimensions))
        let server = FakeProviderServer(handler: { _ in response })
        try server.start()
        defer { server.stop() }
        let lua = BenchLua(server: server)
        func batch(_ count: Int) throws {
            try lua.run("""
                local n = 0
                for i = 1, \(count) do
                  n = n + #llm.embed{ model = "text-embedding-3-small", input = "x" }.vector
                end
                bench_n = n
                """)
            let floats = try lua.integer("bench_n")
            guard floats == count * dimensions else { throw BenchError("embed: got \(floats) floats, expected \(count * dimensions)") }
        }
        try batch(20)  // warm-up; also opens the one connection
        var walls: [Double] = []
        var cpus: [Double] = []
        for _ in 0..<rounds {
            try lua.run("collectgarbage()")
            let t = try Clocks.measure { try batch(requests) }
            walls.append(t.wall)
            cpus.append(t.cpu)
        }
        let wall = Sample(walls)
        // What Moonwire's own thread spent; the rest of the wall time is the
        // server's thread and two thread wake-ups per request.
        let cpuPerRequest = Sample(cpus).median / Double(requests)
        let connections = server.acceptedConnections
        let total = server.requests.count
        return Figure(
            name: "embeddings, sequential", value: Double(requests) / wall.median, unit: "req/s", target: "≥ 3,000",
            note: String(format: "%d requests in %.0f ms (median of %d; %.0f–%.0f req/s); %.0f µs CPU per request on Moonwire's thread; %d connection(s) for %d requests",
                         requests, wall.median * 1e3, rounds, Double(requests) / wall.max, Double(requests) / wall.min,
                         cpuPerRequest * 1e6, connections, total),
            details: [
                ("requests_per_round", .int(Int64(requests))), ("rounds", .int(Int64(rounds))),
                ("accepted_connections", .int(Int64(connections))), ("total_requests", .int(Int64(total))),
                ("keep_alive", .bool(connections == 1)), ("thread_cpu_us_per_request", .double(cpuPerRequest * 1e6)), ("dimensions", .int(Int64(dimensions))),
            ])
    }
}
