// JSONValue: the one JSON model shared by the Lua bridge, the providers and the
// cassettes. Integers and floats stay apart (a Lua integer round-trips as an
// integer), and objects keep their key order so written documents are stable.

/// A JSON document. `int` holds numbers written without fraction or exponent that
/// fit in Int64; every other number is `double`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// An insertion-ordered JSON object. A repeated key keeps its first position and
/// takes the last value, as most parsers do.
public struct JSONObject: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var values: [JSONValue] = []
    private var index: [String: Int]? = nil

    public init() {}

    public init(_ pairs: [(String, JSONValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }

    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { values[$0] } }
        set {
            if let newValue {
                if let p = position(of: key) { values[p] = newValue; return }
                if keys.isEmpty { keys.reserveCapacity(8); values.reserveCapacity(8) }
                keys.append(key); values.append(newValue)
                if index != nil { index![key] = keys.count - 1 }
                else if keys.count > 12 {
                    index = Dictionary(uniqueKeysWithValues: zip(keys, keys.indices))
                }
            } else if let p = position(of: key) {
                keys.remove(at: p); values.remove(at: p)
                if index != nil { index = Dictionary(uniqueKeysWithValues: zip(keys, keys.indices)) }
            }
        }
    }

    /// Key/value pairs in insertion order.
    public var entries: [(key: String, value: JSONValue)] {
        Array(zip(keys, values))
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (k, v) in zip(lhs.keys, lhs.values) where rhs[k] != v { return false }
        return true
    }
}
