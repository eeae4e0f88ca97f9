// Read-only conveniences for picking values out of a parsed document. Each returns
// nil on a type mismatch rather than converting, so an integer never silently
// comes from a float or a string.

extension JSONValue {
    /// The member named `key` if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at `index` if this is an array and the index is in range.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    public var stringValue: String? {
        guard case .string(let string) = self else { return nil }
        return string
    }

    /// Only `.int`: a float with an integral value is still a float (Lua keeps the
    /// same distinction).
    public var intValue: Int64? {
        guard case .int(let int) = self else { return nil }
        return int
    }

    /// `.double`, or `.int` converted (possibly rounded above 2^53).
    public var doubleValue: Double? {
        switch self {
        case .double(let double): double
        case .int(let int): Double(int)
        default: nil
        }
    }

    public var boolValue: Bool? {
        guard case .bool(let bool) = self else { return nil }
        return bool
    }

    public var arrayValue: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    public var objectValue: JSONObject? {
        guard case .object(let object) = self else { return nil }
        return object
    }

    public var isNull: Bool { self == .null }
}
