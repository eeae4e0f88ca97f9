// gzip decoding for recorded bodies kept compressed (`content-encoding: gzip`).
import CZlib
import Foundation

public enum Gzip {
    /// The most one body may inflate to: a small compressed body can stand
    /// for gigabytes (a gzip bomb), so past this decoding stops (issue 16).
    public static let maxOutputBytes = 256 << 20

    /// Inflates a gzip stream (several concatenated members are joined, as
    /// `gunzip` does). Throws on a corrupt or truncated stream, or one that
    /// inflates past `limit` bytes.
    public static func decompress(_ data: Data, limit: Int = maxOutputBytes) throws -> Data {
        guard !data.isEmpty else { throw GzipError("empty input") }
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header and trailer, not a raw zlib stream.
        var status = inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GzipError("inflateInit2 failed (\(status))") }
        defer { inflateEnd(&stream) }

        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(out.baseAddress!, count: out.count - Int(stream.avail_out))
                }
                if output.count > limit { throw GzipError("inflates past \(limit) bytes (a gzip bomb?)") }
                switch status {
                case Z_STREAM_END:
                    if stream.avail_in == 0 { return }
                    inflateReset(&stream)
                case Z_OK:
                    if stream.avail_in == 0 && stream.avail_out != 0 { throw GzipError("truncated stream") }
                case Z_BUF_ERROR:
                    throw GzipError("truncated stream")
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                    throw GzipError("corrupt stream: \(reason)")
                }
            }
        }
        return output
    }
}

public struct GzipError: Error, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { "gzip: \(message)" }
}
