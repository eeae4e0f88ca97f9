// A URL split just enough for cassettes: the matcher ignores where a request
// was sent (replays against another base URL must match) but keeps the path
// and query; the redactor rewrites query values and leaves the rest alone.

struct URLParts: Sendable, Equatable {
    /// `scheme://authority`, or empty for a relative URL.
    var origin: Substring
    var path: Substring
    /// Without the `?`; nil when the URL has none.
    var query: Substring?
    /// Without the `#`; nil when the URL has none.
    var fragment: Substring?

    init(_ url: String) {
        var rest = Substring(url)
        origin = ""
        if let scheme = rest.firstRange(of: "://"), !rest[..<scheme.lowerBound].contains(where: { "/?#".contains($0) }) {
            let authorityEnd = rest[scheme.upperBound...].firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
            origin = rest[..<authorityEnd]
            rest = rest[authorityEnd...]
        }
        fragment = nil
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        query = nil
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        path = rest
    }

    var string: String {
        var url = String(origin) + path
        if let query { url += "?" + query }
        if let fragment { url += "#" + fragment }
        return url
    }
}
