// `headers = { ["api-key"] = "...", ["x-goog-api-key"] = "..." }` on a call,
// a client's provider or llm.configure's provider settings: extra request
// headers, for providers that take credentials in headers other than the two
// Moonwire sends (Azure's `api-key`, Google's `x-goog-api-key`). Names must be
// HTTP tokens and values free of control characters; the value of every
// credential-like name is registered with `Secrets`, so it is redacted by
// value wherever it travels (issue 16).
import LLMCore
import LuaBridge

enum HeaderOptions {
    /// The `headers` field of the options table, or [] when absent.
    static func read(_ call: LuaCall, _ o: LuaOptions, field: String = "headers") throws -> [(name: String, value: String)] {
        guard try o.pushTable("headers") else { return [] }
        defer { call.pop() }
        let (pairs, problem) = call.stringPairs(-1)
        if let problem { throw LuaArgumentError(argument: 1, "field '\(field)' must map header names to strings: \(problem)") }
        return try pairs.map { name, value in
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
                throw LuaArgumentError(argument: 1, "field '\(field)': '\(name)' is not a header name")
            }
            if let problem = Secrets.headerProblem(value) {
                throw LuaArgumentError(argument: 1, "field '\(field)[\"\(name)\"]' \(problem)")
            }
            if Redactor.isSensitiveHeader(name) { Secrets.register(value) }
            return (name: name, value: value)
        }
    }

    /// RFC 9110 token characters.
    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }
}
