// InstancePath: where the evaluator is in the value being validated. It is kept as
// components and only rendered when a violation is reported, so valid values
// cost no string building.

import JSON

struct InstancePath: Sendable {
    enum Component: Sendable {
        case key(String)
        case index(Int)
    }

    var components: [Component] = []

    /// `$.items[2].name`; a key that is not an identifier is written as a JSON
    /// string in brackets (`$["two words"]`) so the path stays unambiguous.
    var text: String {
        var text = "$"
        for component in components {
            switch component {
            case .index(let index): text += "[\(index)]"
            case .key(let key) where Self.isIdentifier(key): text += ".\(key)"
            case .key(let key): text += "[\((try? JSONWriter.string(.string(key))) ?? key)]"
            }
        }
        return text
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || scalar == "_"
        }
    }
}
