// JSON in and out of provider bodies, with every failure already an LLMError:
// what the server sent is `bad_response`, what we could not encode is
// `invalid_request`. One place, so every message names the same things.
import JSON
import LLMCore

enum WireJSON {
    /// Parses a server's JSON; `what` names it in the error ("response body").
    static func parse(_ bytes: some Collection<UInt8>, what: @autoclosure () -> String, provider: String) throws(LLMError) -> JSONValue {
        do {
            return try JSONParser().parse(bytes)
        } catch {
            let excerpt = BodyExcerpt.text(Array(bytes))
            throw LLMError(.badResponse, "\(what()) is not valid JSON (\(error.reason)): \(excerpt)", provider: provider)
        }
    }

    static func encode(_ value: JSONValue, provider: String) throws(LLMError) -> [UInt8] {
        do {
            return try JSONWriter().bytes(value)
        } catch {
            throw LLMError(.invalidRequest, "request cannot be written as JSON: \(error)", provider: provider)
        }
    }

    static func string(_ value: JSONValue, provider: String) throws(LLMError) -> String {
        String(decoding: try encode(value, provider: provider), as: UTF8.self)
    }

    /// A tool call's complete argument text. Empty means no arguments (Anthropic
    /// streams `""` for a tool without input; vercel/ai reads it the same way).
    static func toolArguments(_ text: String, tool: String, provider: String) throws(LLMError) -> JSONValue {
        if text.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object([:]) }
        do {
            return try JSONParser().parse(text)
        } catch {
            let excerpt = BodyExcerpt.text(Array(text.utf8))
            throw LLMError(
                .badResponse, "arguments of tool '\(tool)' are not valid JSON (\(error.reason)): \(excerpt)",
                provider: provider)
        }
    }
}

extension JSONValue {
    /// An integer member as Int, whether the server wrote `12` or `12.0`.
    func int(_ key: String) -> Int? {
        guard let value = self[key] else { return nil }
        if let int = value.intValue { return Int(exactly: int) }
        if let double = value.doubleValue, double.rounded() == double, abs(double) < 1e15 { return Int(double) }
        return nil
    }

    /// A non-empty string member.
    func text(_ key: String) -> String? {
        guard let string = self[key]?.stringValue, !string.isEmpty else { return nil }
        return string
    }
}
