// The floor under benchmark (b): the same 20 ms-delayed token read by a bare
// blocking socket instead of Moonwire, so the report shows how much of the
// first-byte latency is the OS waking a thread on this machine and how much is
// curl, the decoders and Lua.
import FakeProvider
import Glibc

enum RawSocketFloor {
    /// Latencies in ms of `requests` sequential exchanges on one kept-alive connection.
    static func latencies(requests: Int) throws -> [Double] {
        let server = FakeProviderServer(handler: { _ in .anthropicText(["tok"], interval: 0.02) })
        let port = try server.start()
        defer { server.stop() }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw BenchError("connect: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))

        let request = Array("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}".utf8)
        var seen: [Double] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let needle = Array("text_delta".utf8)
        for _ in 0..<requests {
            guard send(fd, request, request.count, 0) == request.count else { throw BenchError("send: errno \(errno)") }
            var response: [UInt8] = []
            var stamped = false
            // Reads until the chunked body's last chunk; stamps the read that brings the token.
            while !response.ends(with: Array("0\r\n\r\n".utf8)) {
                let n = recv(fd, &buffer, buffer.count, 0)
                guard n > 0 else { throw BenchError("recv: connection closed") }
                // The token comes 20 ms after the framing, so in a read of its own.
                if !stamped, buffer[0..<n].contains(needle) {
                    seen.append(server.now)
                    stamped = true
                }
                response += buffer[0..<n]
            }
        }
        let sent = server.chunkSendTimes
        guard seen.count == requests, sent.count == requests, sent.allSatisfy({ $0.count > LatencyBench.tokenChunk }) else {
            throw BenchError("raw socket floor: \(seen.count) tokens seen for \(sent.count) requests")
        }
        return zip(seen, sent).map { ($0 - $1[LatencyBench.tokenChunk]) * 1e3 }
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }

}
