// A deliberately small blocking HTTP/1.1 client over a raw socket, so tests see
// exactly what crossed the wire: one connection, each chunk's framing, and EOF.
// Every read is bounded by SO_RCVTIMEO, so a broken server fails a test instead
// of hanging it.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class LoopbackHTTPClient {
    enum Failure: Error, Equatable {
        case connect(Int32)
        case timedOut
        case closedByServer
        case malformed(String)
    }

    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    private var fd: Int32
    private var buffered: [UInt8] = []

    init(port: Int, readTimeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.connect(errno) }
        var timeout = timeval(tv_sec: Int(readTimeout), tv_usec: Int((readTimeout.truncatingRemainder(dividingBy: 1)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            let code = errno
            close()
            throw Failure.connect(code)
        }
    }

    deinit { close() }

    /// Closes this side of the connection, as a client aborting a stream does.
    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    func send(_ method: String = "POST", _ path: String = "/v1/messages", headers: [(String, String)] = [], body: String = "") {
        var text = "\(method) \(path) HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: \(body.utf8.count)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        let bytes = Array((text + "\r\n" + body).utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Raw bytes, as a slow or hostile client sends them.
    func sendRaw(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// The status line and headers.
    func readHead() throws -> (status: Int, headers: [(String, String)]) {
        let lines = String(decoding: try readUntil(Array("\r\n\r\n".utf8)), as: UTF8.self)
            .split(separator: "\r\n", omittingEmptySubsequences: true)
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ")[1]) else {
            throw Failure.malformed("status line")
        }
        let headers = lines.dropFirst().map { line -> (String, String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return (status, headers)
    }

    /// The next chunk of a chunked body, or nil at the terminating zero chunk.
    func readChunk() throws -> [UInt8]? {
        let sizeLine = String(decoding: try readUntil(Array("\r\n".utf8)), as: UTF8.self)
        guard let size = Int(sizeLine.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16) else {
            throw Failure.malformed("chunk size \(sizeLine)")
        }
        let data = try read(count: size)
        guard try read(count: 2) == Array("\r\n".utf8) else { throw Failure.malformed("chunk end") }
        return size == 0 ? nil : data
    }

    /// A whole response, body framed by content-length or chunked encoding.
    func readResponse() throws -> Response {
        let (status, headers) = try readHead()
        var response = Response(status: status, headers: headers, body: [])
        if let length = response.header("content-length").flatMap({ Int($0) }) {
            response.body = try read(count: length)
        } else {
            while let chunk = try readChunk() { response.body += chunk }
        }
        return response
    }

    /// True when the server has closed the connection (EOF) with nothing unread.
    func readsEOF() throws -> Bool {
        guard buffered.isEmpty else { return false }
        do {
            try fill()
            return false
        } catch Failure.closedByServer {
            return true
        }
    }

    private func readUntil(_ delimiter: [UInt8]) throws -> [UInt8] {
        var searchFrom = 0
        while true {
            if buffered.count >= delimiter.count {
                for start in searchFrom...(buffered.count - delimiter.count)
                where buffered[start..<start + delimiter.count].elementsEqual(delimiter) {
                    let found = Array(buffered[..<start])
                    buffered.removeFirst(start + delimiter.count)
                    return found
                }
                searchFrom = buffered.count - delimiter.count + 1
            }
            try fill()
        }
    }

    private func read(count: Int) throws -> [UInt8] {
        while buffered.count < count { try fill() }
        let data = Array(buffered[..<count])
        buffered.removeFirst(count)
        return data
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffered += chunk[..<n]
        } else if n == 0 {
            throw Failure.closedByServer
        } else if errno == EAGAIN || errno == EWOULDBLOCK {
            throw Failure.timedOut
        } else {
            throw Failure.closedByServer  // ECONNRESET and friends
        }
    }
}
