// Typed reads from a decoded cassette document, with errors naming the path.
import JSON

struct Reader {
    let value: JSONValue
    let path: String

    var object: JSONObject {
        if case .object(let o) = value { return o }
        return JSONObject()
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    private func fail(_ key: String, _ what: String) -> CassetteFormatError {
        CassetteFormatError(path: "\(path).\(key)", what)
    }

    private func field(_ key: String) throws(CassetteFormatError) -> JSONValue {
        guard case .object(let o) = value else { throw CassetteFormatError(path: path, "expected an object") }
        guard let v = o[key] else { throw fail(key, "missing field \"\(key)\"") }
        return v
    }

    func string(_ key: String) throws(CassetteFormatError) -> String {
        guard case .string(let s) = try field(key) else { throw fail(key, "expected a string") }
        return s
    }

    func optionalString(_ key: String) throws(CassetteFormatError) -> String? {
        guard has(key) else { return nil }
        return try string(key)
    }

    func int(_ key: String) throws(CassetteFormatError) -> Int64 {
        guard case .int(let i) = try field(key) else { throw fail(key, "expected an integer") }
        return i
    }

    func optionalInt(_ key: String) throws(CassetteFormatError) -> Int64? {
        guard has(key) else { return nil }
        return try int(key)
    }

    func number(_ key: String) throws(CassetteFormatError) -> Double {
        switch try field(key) {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: throw fail(key, "expected a number")
        }
    }

    func optionalNumber(_ key: String) throws(CassetteFormatError) -> Double? {
        guard has(key) else { return nil }
        return try number(key)
    }

    func array(_ key: String) throws(CassetteFormatError) -> [JSONValue] {
        guard case .array(let a) = try field(key) else { throw fail(key, "expected an array") }
        return a
    }

    func child(_ key: String) throws(CassetteFormatError) -> Reader {
        let v = try field(key)
        guard case .object = v else { throw fail(key, "expected an object") }
        return Reader(value: v, path: "\(path).\(key)")
    }

    func optionalChild(_ key: String) throws(CassetteFormatError) -> Reader? {
        guard has(key) else { return nil }
        return try child(key)
    }

    func stringMap(_ key: String) throws(CassetteFormatError) -> [String: String] {
        guard has(key) else { return [:] }
        guard case .object(let o) = try field(key) else { throw fail(key, "expected an object of strings") }
        var map: [String: String] = [:]
        for (k, v) in o.entries {
            guard case .string(let s) = v else {
                throw CassetteFormatError(path: path + JSONPathComponent.key(key) + JSONPathComponent.key(k), "expected a string")
            }
            map[k] = s
        }
        return map
    }
}
