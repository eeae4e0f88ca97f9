// `moonwire run --log FILE`: one JSON line per call (plain, client, tool-loop
// turn, embedding), appended as each call ends, so a crash keeps every line
// written so far.
import Foundation
import JSON
import LLMCore

final class CallLogFile {
    private let handle: FileHandle

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ScriptFailure(message: "cannot create log file \(path) (\(String(cString: strerror(errno))))")
            }
        }
        guard let h = FileHandle(forWritingAtPath: path) else { throw ScriptFailure(message: "cannot open log file \(path)") }
        h.seekToEndOfFile()
        handle = h
    }

    func write(_ r: CallRecord) {
        var o = JSONObject()
        o["time"] = .double((Date().timeIntervalSince1970 * 1000).rounded() / 1000)
        o["kind"] = .string(r.kind.rawValue)
        o["provider"] = .string(r.provider)
        o["model"] = .string(r.model)
        o["outcome"] = .string(r.errorKind?.rawValue ?? "ok")
        if let e = r.error {
            if let status = e.status { o["status"] = .int(Int64(status)) }
            o["error"] = .string(e.message)
            if let id = e.requestID { o["request_id"] = .string(id) }
        }
        o["attempts"] = .int(Int64(r.attempts))
        o["hops"] = .int(Int64(r.hops))
        o["queue_wait_ms"] = .double(Self.ms(r.queueWait))
        if let t = r.ttft { o["ttft_ms"] = .double(Self.ms(t)) }
        o["latency_ms"] = .double(Self.ms(r.latency))
        o["input_tokens"] = .int(Int64(r.usage.inputTokens))
        o["output_tokens"] = .int(Int64(r.usage.outputTokens))
        o["cache_read_tokens"] = .int(Int64(r.usage.cacheReadTokens))
        o["cache_write_tokens"] = .int(Int64(r.usage.cacheWriteTokens))
        if r.usage.estimated { o["usage_estimated"] = .bool(true) }
        o["cost_usd"] = .double(r.cost)
        guard var line = try? JSONWriter().bytes(.object(o)) else { return }
        line.append(UInt8(ascii: "\n"))
        handle.write(Data(line))
    }

    private static func ms(_ s: Double) -> Double { (s * 10_000).rounded() / 10 }
}
