// What the matcher treats as the same request: what the provider treats as
// the same (issue 12), so a cassette recorded by Moonwire replays to an
// ordinary SDK request and the other way round. The rules, in one list:
//
//  1. Method and path must be equal; scheme, host, port and headers are ignored.
//  2. The query must be equal, except the providers' version flags that SDK
//     upgrades add or drop (`beta=true`); `--match query:ignore` ignores it all.
//  3. JSON bodies are compared as JSON (key order, number spelling and
//     whitespace do not matter), after these canonical forms:
//     - Anthropic: `content: "hello"` is `content: [{"type": "text", "text": "hello"}]`,
//       and the same for a string `system`;
//     - OpenAI: `stream_options.include_usage` is dropped (Moonwire sends it, a
//       plain `create(stream=True)` does not); tool-call `arguments` are compared
//       as the JSON they hold; `content: ""` (or none) next to `tool_calls` is `null`;
//     - embeddings: `encoding_format` is ignored (a server converts the vectors
//       to what the client asked for).
//  4. Top-level `metadata` and `user` are ignored (they vary between runs);
//     `--match ignore:FIELD` (a dotted path: `temperature`, `metadata.user_id`)
//     ignores more.
//  5. Each recording replays once, in recorded order for identical requests;
//     `--repeat` lets used ones replay again, in order.
import JSON

public struct MatchRules: Sendable, Equatable {
    /// Dotted paths into the body that are left out of the comparison.
    public var ignoredFields: Set<String> = ["metadata", "user"]
    public var ignoreQuery = false
    /// Query parameters never compared.
    public static let versionFlags: Set<String> = ["beta"]

    public init() {}

    /// `ignore:FIELD` or `query:ignore`, as `--match` takes them.
    public mutating func add(parsing spec: String) throws(LLMError) {
        if spec == "query:ignore" { ignoreQuery = true; return }
        if spec.hasPrefix("ignore:"), spec.count > 7 { ignoredFields.insert(String(spec.dropFirst(7))); return }
        throw LLMError(.config, "--match '\(spec)': expected ignore:FIELD (a dotted path into the body) or query:ignore")
    }

    /// The query as compared: parameters in order, without the version flags.
    func canonicalQuery(_ query: String) -> String {
        if ignoreQuery { return "" }
        return query.split(separator: "&").filter { pair in
            !Self.versionFlags.contains(String(pair.split(separator: "=", maxSplits: 1).first ?? ""))
        }.joined(separator: "&")
    }

    /// The body as compared, for a request to `path`.
    func canonicalBody(_ body: JSONValue, path: String) -> JSONValue {
        guard case .object(var object) = body else { return body }
        for field in ignoredFields { Self.remove(field.split(separator: ".").map(String.init), from: &object) }
        if path.hasSuffix("/messages") {
            if case .array(let messages)? = object["messages"] {
                object["messages"] = .array(messages.map { m in
                    guard case .object(var message) = m, case .string(let text)? = message["content"] else { return m }
                    message["content"] = Self.textBlocks(text)
                    return .object(message)
                })
            }
            if case .string(let text)? = object["system"] { object["system"] = Self.textBlocks(text) }
        }
        if path.hasSuffix("/chat/completions") {
            if case .object(var options)? = object["stream_options"] {
                options["include_usage"] = nil
                object["stream_options"] = options.isEmpty ? nil : .object(options)
            }
            if case .array(let messages)? = object["messages"] {
                object["messages"] = .array(messages.map(Self.canonicalToolMessage))
            }
        }
        if path.hasSuffix("/embeddings") { object["encoding_format"] = nil }
        return .object(object)
    }

    private static func textBlocks(_ text: String) -> JSONValue {
        .array([.object(JSONObject([("type", .string("text")), ("text", .string(text))]))])
    }

    private static func canonicalToolMessage(_ m: JSONValue) -> JSONValue {
        guard case .object(var message) = m, case .array(let calls)? = message["tool_calls"] else { return m }
        switch message["content"] {
        case nil, .string("")?: message["content"] = .null  // missing, null and "" are the same next to tool calls
        default: break
        }
        message["tool_calls"] = .array(calls.map { c in
            guard case .object(var call) = c, case .object(var function)? = call["function"],
                  case .string(let arguments)? = function["arguments"],
                  let parsed = try? JSONParser().parse(arguments) else { return c }
            function["arguments"] = parsed
            call["function"] = .object(function)
            return .object(call)
        })
        return .object(message)
    }

    private static func remove(_ path: [String], from object: inout JSONObject) {
        guard let first = path.first else { return }
        if path.count == 1 { object[first] = nil; return }
        guard case .object(var inner)? = object[first] else { return }
        remove(Array(path.dropFirst()), from: &inner)
        object[first] = .object(inner)
    }
}
