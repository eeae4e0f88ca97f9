// The cassette file format, version 1 (documented in the README):
// {
//   "moonwire_cassette": 1, "note": "...",
//   "interactions": [ {
//     "request": { "method": "POST", "url": "...", "headers": {...}, "body": <json> | "body_text": "..." },
//     "response": { "status": 200, "headers": {...}, "head_at_ms": 12.5,
//                   "chunks": [ { "at_ms": 30.1, "text": "event: ..." } | { "at_ms": 31, "base64": "..." } ]
//                   | "body": <json> | "body_text": "..." | "body_base64": "..." },
//     "error": { "kind": "network", "message": "...", "at_ms": 900 } } ] }
// Written pretty-printed with sorted keys so diffs stay readable.
import JSON

public struct CassetteFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the document (`$.interactions[2].response.status`).
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path == "$" ? message : "\(message) at \(path)" }
}

public enum CassetteCodec {
    public static func encode(_ cassette: Cassette) -> [UInt8] {
        var root = JSONObject()
        root["moonwire_cassette"] = .int(Int64(cassette.version))
        if let note = cassette.note { root["note"] = .string(note) }
        root["interactions"] = .array(cassette.interactions.map(encode))
        // Cassettes hold only finite numbers and valid strings: writing cannot fail.
        var bytes = (try? JSONWriter(options: [.pretty, .sortedKeys]).bytes(.object(root))) ?? []
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private static func encode(_ i: CassetteInteraction) -> JSONValue {
        var o = JSONObject()
        var request = JSONObject()
        request["method"] = .string(i.request.method)
        request["url"] = .string(i.request.url)
        request["headers"] = headers(i.request.headers)
        if let body = i.request.body { put(body, into: &request) }
        o["request"] = .object(request)
        if let r = i.response {
            var response = JSONObject()
            response["status"] = .int(Int64(r.status))
            response["headers"] = headers(r.headers)
            response["head_at_ms"] = ms(r.headAtMs)
            if let chunks = r.chunks {
                response["chunks"] = .array(chunks.map { chunk in
                    var c = JSONObject()
                    c["at_ms"] = ms(chunk.atMs)
                    if let text = String(validating: chunk.bytes, as: UTF8.self) {
                        c["text"] = .string(text)
                    } else {
                        c["base64"] = .string(Base64Codec.encode(chunk.bytes))
                    }
                    return .object(c)
                })
            } else if let body = r.body {
                put(body, into: &response)
            }
            o["response"] = .object(response)
        }
        if let e = i.error {
            o["error"] = .object(JSONObject([("kind", .string(e.kind)), ("message", .string(e.message)), ("at_ms", ms(e.atMs))]))
        }
        return .object(o)
    }

    /// A NaN or infinite offset (a broken clock) is written as 0: JSON cannot hold
    /// it, and one bad number must not make the whole cassette unwritable.
    private static func ms(_ value: Double) -> JSONValue {
        .double(value.isFinite ? value : 0)
    }

    private static func headers(_ h: [String: String]) -> JSONValue {
        .object(JSONObject(h.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }

    private static func put(_ body: CassetteBody, into o: inout JSONObject) {
        switch body {
        case .json(let v): o["body"] = v
        case .text(let t): o["body_text"] = .string(t)
        case .bytes(let b): o["body_base64"] = .string(Base64Codec.encode(b))
        }
    }

    // MARK: Decoding

    public static func decode(_ bytes: [UInt8]) throws(CassetteFormatError) -> Cassette {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw CassetteFormatError(path: "$", "not valid JSON: \(error)")
        }
        let r = Reader(value: root, path: "$")
        guard let version = try r.optionalInt("moonwire_cassette") else {
            throw CassetteFormatError(path: "$", "not a Moonwire cassette (no \"moonwire_cassette\" version field)")
        }
        guard version == Cassette.currentVersion else {
            throw CassetteFormatError(path: "$.moonwire_cassette", "unsupported cassette version \(version) (this Moonwire reads version \(Cassette.currentVersion))")
        }
        var cassette = Cassette(version: Int(version), note: try r.optionalString("note"))
        for (index, item) in try r.array("interactions").enumerated() {
            cassette.interactions.append(try interaction(Reader(value: item, path: "$.interactions[\(index)]")))
        }
        return cassette
    }

    private static func interaction(_ r: Reader) throws(CassetteFormatError) -> CassetteInteraction {
        let q = try r.child("request")
        var request = CassetteRequest(method: try q.string("method"), url: try q.string("url"), headers: try q.stringMap("headers"))
        request.body = try body(q)
        var response: CassetteResponse?
        if let p = try r.optionalChild("response") {
            let status = try p.int("status")
            guard (100...599).contains(status) else { throw CassetteFormatError(path: p.path + ".status", "status \(status) is not an HTTP status") }
            var res = CassetteResponse(status: Int(status), headers: try p.stringMap("headers"), headAtMs: try p.optionalNumber("head_at_ms") ?? 0)
            if p.has("chunks") {
                var chunks: [CassetteChunk] = []
                var last = res.headAtMs
                for (i, c) in try p.array("chunks").enumerated() {
                    let cr = Reader(value: c, path: p.path + ".chunks[\(i)]")
                    let at = try cr.number("at_ms")
                    guard at >= last else {
                        throw CassetteFormatError(path: cr.path + ".at_ms", "chunk offsets must not go backwards (\(at) after \(last))")
                    }
                    last = at
                    let bytes: [UInt8]
                    if let text = try cr.optionalString("text") {
                        bytes = Array(text.utf8)
                    } else if let b64 = try cr.optionalString("base64") {
                        guard let decoded = Base64Codec.decode(b64) else { throw CassetteFormatError(path: cr.path + ".base64", "invalid base64") }
                        bytes = decoded
                    } else {
                        throw CassetteFormatError(path: cr.path, "a chunk needs \"text\" or \"base64\"")
                    }
                    chunks.append(CassetteChunk(atMs: at, bytes: bytes))
                }
                res.chunks = chunks
            } else {
                res.body = try body(p)
            }
            response = res
        }
        var error: CassetteTransportError?
        if let e = try r.optionalChild("error") {
            error = CassetteTransportError(kind: try e.string("kind"), message: try e.string("message"), atMs: try e.optionalNumber("at_ms") ?? 0)
        }
        if response == nil && error == nil {
            throw CassetteFormatError(path: r.path, "an interaction needs a \"response\" or an \"error\"")
        }
        return CassetteInteraction(request: request, response: response, error: error)
    }

    private static func body(_ r: Reader) throws(CassetteFormatError) -> CassetteBody? {
        if let v = r.object["body"] { return .json(v) }
        if let t = try r.optionalString("body_text") { return .text(t) }
        if let b = try r.optionalString("body_base64") {
            guard let bytes = Base64Codec.decode(b) else { throw CassetteFormatError(path: r.path + ".body_base64", "invalid base64") }
            return .bytes(bytes)
        }
        return nil
    }
}
