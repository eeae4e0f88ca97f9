// Compares a recorded request body with a live one as JSON values: key order
// and whitespace never matter, and `1` equals `1.0` (serialisers disagree on
// how to write a whole float, and the server reads the same number either way).
import JSON

enum JSONDiff {
    /// Longest rendering of a value in a difference before it is cut with `…`.
    static let valueLimit = 60

    static func equal(_ recorded: JSONValue, _ live: JSONValue) -> Bool {
        switch (recorded, live) {
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            return a.entries.allSatisfy { entry in b[entry.key].map { equal(entry.value, $0) } ?? false }
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        default:
            return scalarsEqual(recorded, live)
        }
    }

    private static func scalarsEqual(_ recorded: JSONValue, _ live: JSONValue) -> Bool {
        switch (recorded, live) {
        case (.int(let i), .double(let d)), (.double(let d), .int(let i)):
            return Int64(exactly: d) == i
        case (.string(let r), .string) where r == Redactor.placeholder:
            // Replays often run without the secret configured; a value redacted
            // when recording cannot be compared, so it matches any string.
            return true
        default:
            return recorded == live
        }
    }

    /// One line per differing leaf, `path: recorded X, now Y`, in recorded key order.
    static func differences(_ recorded: JSONValue?, _ live: JSONValue?, at path: String, into out: inout [String]) {
        switch (recorded, live) {
        case (.object(let a)?, .object(let b)?):
            for (key, value) in a.entries {
                differences(value, b[key], at: path + JSONPathComponent.key(key), into: &out)
            }
            for (key, value) in b.entries where a[key] == nil {
                differences(nil, value, at: path + JSONPathComponent.key(key), into: &out)
            }
        case (.array(let a)?, .array(let b)?):
            for i in 0..<max(a.count, b.count) {
                differences(a.indices.contains(i) ? a[i] : nil, b.indices.contains(i) ? b[i] : nil,
                            at: path + JSONPathComponent.index(i), into: &out)
            }
        case (let r?, let l?) where scalarsEqual(r, l):
            break
        default:
            out.append("\(path): recorded \(show(recorded)), now \(show(live, against: recorded))")
        }
    }

    private static func show(_ value: JSONValue?, against recorded: JSONValue? = nil) -> String {
        guard let value else { return "missing" }
        // Never echo what took the place of a redacted value: it may be the secret.
        if case .string(let r)? = recorded, case .string = value, r.contains(Redactor.placeholder) {
            return "a different string (not shown: the recorded one was redacted)"
        }
        return abbreviated((try? JSONWriter.string(value)) ?? "?")
    }

    static func abbreviated(_ text: String) -> String {
        text.count <= valueLimit ? text : text.prefix(valueLimit - 1) + "…"
    }
}
