// Redactor: keeps secrets out of cassettes (and logs). Two nets: by name
// (credential headers and query parameters, whatever their value) and by value
// (every configured secret of 16 characters or more, in header values, query
// values, JSON string values and other text, but never in JSON keys or URL
// paths, which a replay must match as they were). Saving re-checks the encoded
// file with `leaks(in:)`, so a secret that slipped through both is never written.
import JSON

public struct Redactor: Sendable {
    public static let placeholder = "<redacted>"
    static let placeholderBytes = Array(placeholder.utf8)

    /// Shorter values are not redacted by value: replacing them would mangle
    /// ordinary text (a key `messages` would rewrite the JSON). Real API keys
    /// are far longer; a short one is said when a cassette records.
    public static let minimumSecretLength = 16

    /// Exact header names that always carry credentials.
    private static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "api-key", "cookie", "set-cookie",
    ]
    private static let credentialQueryNames: Set<String> = [
        "key", "api_key", "apikey", "api-key", "x-goog-api-key", "access_token", "token", "sig", "signature", "password",
    ]

    /// In the order given (so leak reports can say "secret 2 of 3"), duplicates removed.
    let secrets: [String]
    /// Per secret, the byte forms to look for: as is, and as a JSON string holds
    /// it (quotes and backslashes escaped, and `/` as `\/`, which other writers emit).
    let forms: [[[UInt8]]]
    /// Indices into `secrets`, longest first, so a secret containing another is replaced whole.
    private let replacementOrder: [Int]
    /// Secrets given that are too short to redact by value, as `hint`s
    /// (`s…, 11 chars`), never the values themselves.
    public let tooShort: [String]

    public init(secrets: [String]) {
        var seen = Set<String>()
        // Values from the environment often carry a trailing newline.
        let distinct = secrets.map { Self.trimmed($0) }.filter { !$0.isEmpty && seen.insert($0).inserted }
        let kept = distinct.filter { $0.utf8.count >= Self.minimumSecretLength }
        tooShort = distinct.filter { $0.utf8.count < Self.minimumSecretLength }.map(Self.hint)
        self.secrets = kept
        forms = kept.map(Self.forms(of:))
        replacementOrder = kept.indices.sorted { kept[$0].utf8.count > kept[$1].utf8.count }
    }

    /// Whether a header's value is a credential by its name alone: the fixed
    /// names, anything naming an organization or a secret, and `-key`/`token` words.
    /// `token` only as a word ending: `x-ratelimit-remaining-tokens` is a count the
    /// rate limiter must replay, not a credential.
    public static func isSensitiveHeader(_ name: String) -> Bool {
        let name = name.lowercased()
        if credentialHeaders.contains(name) || name.contains("organization") || name.contains("secret") { return true }
        return name.split(whereSeparator: { $0 == "-" || $0 == "_" }).contains { word in
            word == "key" || word == "apikey" || word.hasSuffix("token")
        }
    }

    public func redact(_ request: HTTPRequest) -> CassetteRequest {
        var headers: [String: String] = [:]
        for (name, value) in request.headers {
            let name = name.lowercased()
            let clean = Self.isSensitiveHeader(name) ? Self.placeholder : redact(text: value)
            // A repeated header is one comma-joined value (RFC 9110 §5.3).
            if let earlier = headers[name], earlier != Self.placeholder || clean != Self.placeholder {
                headers[name] = earlier + ", " + clean
            } else {
                headers[name] = clean
            }
        }
        let url = redact(url: request.url)
        let body = request.body.isEmpty ? nil : redact(body: request.body)
        return CassetteRequest(method: request.method, url: url, headers: headers, body: body)
    }

    public func redact(responseHeaders: [String: String]) -> [String: String] {
        var headers: [String: String] = [:]
        for (name, value) in responseHeaders {
            let name = name.lowercased()
            headers[name] = Self.isSensitiveHeader(name) ? Self.placeholder : redact(text: value)
        }
        return headers
    }

    public func redact(text: String) -> String {
        guard !secrets.isEmpty else { return text }
        // Secrets are whole UTF-8 sequences and the placeholder is ASCII, so the
        // result is valid UTF-8 whenever the input was.
        return String(decoding: redact(bytes: Array(text.utf8)), as: UTF8.self)
    }

    /// Every form of every secret replaced, e.g. in a response chunk before it is recorded.
    public func redact(bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        for index in replacementOrder {
            for form in forms[index] {
                bytes = ByteSearch.replacing(form, with: Self.placeholderBytes, in: bytes)
            }
        }
        return bytes
    }

    /// A JSON body: its string values (parsed, so a secret spelt with `\u`
    /// escapes is caught too), never its keys. Any other body: its bytes.
    private func redact(body: [UInt8]) -> CassetteBody {
        let stored = CassetteBody(bytes: body)
        guard !secrets.isEmpty else { return stored }
        guard case .json(let value) = stored else { return CassetteBody(bytes: redact(bytes: body)) }
        return .json(redact(json: value))
    }

    private func redact(json: JSONValue) -> JSONValue {
        switch json {
        case .string(let s): .string(redact(text: s))
        case .array(let items): .array(items.map(redact(json:)))
        case .object(let o): .object(JSONObject(o.entries.map { ($0.key, redact(json: $0.value)) }))
        case .null, .bool, .int, .double: json
        }
    }

    /// Credentials by name (`redactingQuery`), then every query value by
    /// value; the scheme, host and path stay as they are.
    func redact(url: String) -> String {
        var parts = URLParts(Self.redactingQuery(of: url))
        guard !secrets.isEmpty, let query = parts.query else { return parts.string }
        parts.query = Substring(query.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
            guard let equals = item.firstIndex(of: "=") else { return String(item) }
            return String(item[...equals]) + redact(text: String(item[item.index(after: equals)...]))
        }.joined(separator: "&"))
        return parts.string
    }

    /// Values of credential query parameters and a password in the URL
    /// (`https://user:pass@host`) replaced; the URL otherwise byte for byte.
    static func redactingQuery(of url: String) -> String {
        var parts = URLParts(url)
        if let scheme = parts.origin.firstRange(of: "://"), let at = parts.origin.lastIndex(of: "@"), at > scheme.upperBound {
            let userinfo = parts.origin[scheme.upperBound..<at]
            let user = userinfo.firstIndex(of: ":").map { String(userinfo[..<$0]) + ":" } ?? ""
            parts.origin = Substring(String(parts.origin[..<scheme.upperBound]) + user + placeholder + String(parts.origin[at...]))
        }
        guard let query = parts.query else { return parts.string }
        let items = query.split(separator: "&", omittingEmptySubsequences: false).map { item -> Substring in
            guard let equals = item.firstIndex(of: "="),
                  credentialQueryNames.contains(item[..<equals].lowercased()) else { return item }
            return item[...equals] + placeholder
        }
        parts.query = Substring(items.joined(separator: "&"))
        return parts.string
    }

    private static func forms(of secret: String) -> [[UInt8]] {
        let raw = Array(secret.utf8)
        let escaped = Array(JSONPathComponent.quoted(secret).utf8.dropFirst().dropLast())
        let slashEscaped = ByteSearch.replacing([UInt8(ascii: "/")], with: Array(#"\/"#.utf8), in: escaped)
        var forms: [[UInt8]] = []
        for form in [raw, escaped, slashEscaped] where !forms.contains(form) { forms.append(form) }
        return forms
    }

    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...last])
    }
}
