// Secrets: every credential this process sends, registered when it is
// configured (the environment's keys, `api_key` options, MOONWIRE_SECRETS),
// so that redaction by value covers keys a script passes as well as the
// environment's (issue 16). Cassettes read it when they record and save;
// every LLMError message is passed through it, since servers echo keys back
// in error bodies (`invalid x-api-key: sk-…`).
import Synchronization

public enum Secrets {
    private struct State {
        var values: [String] = []
        var known: Set<String> = []
        var generation = 0
    }
    private static let state = Mutex(State())

    /// Adds a credential (ignored when shorter than Redactor's minimum or known).
    public static func register(_ value: String) {
        let trimmed = Redactor.trimmed(value)
        guard trimmed.utf8.count >= Redactor.minimumSecretLength else { return }
        state.withLock { s in
            if s.known.insert(trimmed).inserted {
                s.values.append(trimmed)
                s.generation += 1
            }
        }
    }

    public static func register(_ values: [String]) {
        for v in values { register(v) }
    }

    /// What is registered, and a number that changes whenever it does.
    public static var snapshot: (values: [String], generation: Int) {
        state.withLock { ($0.values, $0.generation) }
    }

    /// `text` with every registered secret replaced by `<redacted>`.
    public static func redact(_ text: String) -> String {
        let values = state.withLock { $0.values }
        guard !values.isEmpty, values.contains(where: { text.contains($0) }) else { return text }
        return Redactor(secrets: values).redact(text: text)
    }

    /// Why `value` cannot go into an HTTP header, or nil: a control character
    /// (CR or LF would start a header of its own).
    public static func headerProblem(_ value: String) -> String? {
        guard let bad = value.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        let name = bad == "\r" ? "a carriage return (\\r)" : bad == "\n" ? "a line feed (\\n)" : "the control character U+\(String(bad.value, radix: 16, uppercase: true))"
        return "contains \(name), which a header value cannot hold"
    }
}
