// What the matcher compares: a redacted request reduced to method, path, query
// and a canonical body. Scheme, host, port and headers are left out, so a
// cassette replays against any base URL and with any credentials.
import JSON

struct RequestShape: Sendable {
    enum Body: Sendable {
        /// Top-level ignored fields already removed.
        case json(JSONValue)
        /// Not JSON: compared byte for byte (empty when there is no body).
        case raw([UInt8])
    }

    let method: String
    let path: String
    let query: String
    let body: Body

    init(_ request: CassetteRequest, rules: MatchRules) {
        let url = URLParts(request.url)
        method = request.method.uppercased()
        path = url.path.isEmpty ? "/" : String(url.path)
        query = rules.canonicalQuery(String(url.query ?? ""))
        switch request.body {
        case .json(let value)?: body = .json(rules.canonicalBody(value, path: path))
        case .text(let text)?: body = .raw(Array(text.utf8))
        case .bytes(let bytes)?: body = .raw(bytes)
        case nil: body = .raw([])
        }
    }

    /// `POST /v1/messages`: what a miss message calls the request.
    var endpoint: String { "\(method) \(path)" }
    var label: String { query.isEmpty ? endpoint : "\(endpoint)?\(query)" }

    /// Whether `live` replays this recorded request.
    func matches(_ live: RequestShape) -> Bool {
        guard method == live.method, path == live.path, query == live.query else { return false }
        switch (body, live.body) {
        case (.json(let a), .json(let b)): return JSONDiff.equal(a, b)
        case (.raw(let a), .raw(let b)): return a == b
        default: return false
        }
    }

    /// Every difference from `live`, this being the recorded one.
    func differences(from live: RequestShape) -> [String] {
        var out: [String] = []
        if method != live.method || path != live.path { out.append("request: recorded \(endpoint), now \(live.endpoint)") }
        if query != live.query {
            out.append("query: recorded \(Self.show(query)), now \(Self.show(live.query, against: query))")
        }
        switch (body, live.body) {
        case (.json(let a), .json(let b)):
            JSONDiff.differences(a, b, at: "body", into: &out)
        case (.raw(let a), .raw(let b)) where a != b:
            let common = min(a.count, b.count)
            let at = (0..<common).first { a[$0] != b[$0] } ?? common
            out.append("body (first difference at byte \(at)): recorded \(Self.show(a, near: at)), now \(Self.show(b, near: at, against: a))")
        case (.raw, .raw):
            break
        case (.json(let a), .raw(let b)):
            out.append("body: recorded JSON \(Self.show(a)), now \(Self.show(b, near: 0))")
        case (.raw(let a), .json(let b)):
            out.append("body: recorded \(Self.show(a, near: 0)), now JSON \(Self.show(b))")
        }
        return out
    }

    private static func show(_ query: String, against recorded: String? = nil) -> String {
        if query.isEmpty { return "missing" }
        if let recorded, recorded.contains(Redactor.placeholder) { return "a different query (not shown: the recorded one was redacted)" }
        return JSONDiff.abbreviated(JSONPathComponent.quoted(query))
    }

    private static func show(_ json: JSONValue) -> String {
        JSONDiff.abbreviated((try? JSONWriter.string(json)) ?? "?")
    }

    /// Text around `offset` (from a little before it), or a size for binary bytes.
    private static func show(_ bytes: [UInt8], near offset: Int, against recorded: [UInt8]? = nil) -> String {
        if bytes.isEmpty { return "no body" }
        guard String(validating: bytes, as: UTF8.self) != nil else { return "\(bytes.count) bytes of binary data" }
        if let recorded, !ByteSearch.occurrences(of: Redactor.placeholderBytes, in: recorded).isEmpty {
            return "different text (not shown: the recorded body was redacted)"
        }
        var start = max(0, offset - 20)
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }  // back to a character boundary
        // Enough bytes for the abbreviated text; a character cut at the end is cut anyway.
        let snippet = String(decoding: bytes[start..<min(bytes.count, start + 4 * JSONDiff.valueLimit)], as: UTF8.self)
        return JSONDiff.abbreviated(JSONPathComponent.quoted((start > 0 ? "…" : "") + snippet))
    }
}
