// SchemaPattern: a compiled `pattern` or `patternProperties` key.

import Foundation

/// NSRegularExpression rather than Swift's `Regex`, because `Regex` is not
/// `Sendable` and a validator is shared across tasks. Its ICU syntax agrees with
/// the ECMA-262 dialect JSON Schema names for the patterns schemas use in practice;
/// one difference is that `\d` and `\w` also match non-ASCII digits and letters.
struct SchemaPattern: Sendable {
    let source: String
    private let regex: NSRegularExpression

    init?(_ source: String) {
        guard let regex = try? NSRegularExpression(pattern: source) else { return nil }
        self.source = source
        self.regex = regex
    }

    /// Unanchored, as the spec says: a match anywhere counts, so `^…$` is the
    /// schema author's to write.
    func matches(_ string: String) -> Bool {
        regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
    }
}
