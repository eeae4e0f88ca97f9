// What a provider says about its own limits, read from the headers of every
// response (success or error), so a route's limiter can pace a bulk job before
// the first 429 instead of after it:
//
//   Anthropic  anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}
//              reset: an RFC 3339 instant ("2026-12-03T12:00:30Z"), when the bucket is full again
//   OpenAI     x-ratelimit-{limit,remaining,reset}-{requests,tokens}
//              reset: a duration until the bucket is full again ("1s", "6m0s", "12ms", "1h2m3.5s")
//
// An instant is turned into seconds from now against the response's own `date`
// header when the local clock disagrees with it by more than a few seconds (a
// replayed recording, a skewed clock), else against the local wall clock.

public struct RateLimitReport: Sendable, Equatable {
    public enum Resource: String, Sendable, CaseIterable, Comparable {
        case requests, tokens
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"

        public static func < (a: Resource, b: Resource) -> Bool { a.rawValue < b.rawValue }
    }

    /// One bucket as the provider sees it after counting this request.
    public struct Window: Sendable, Equatable {
        public var limit: Int?
        public var remaining: Int
        /// Seconds until the bucket is full again; nil when not said.
        public var resetIn: Double?

        public init(limit: Int?, remaining: Int, resetIn: Double?) {
            self.limit = limit
            self.remaining = remaining
            self.resetIn = resetIn
        }
    }

    public var windows: [Resource: Window]

    public init(windows: [Resource: Window]) { self.windows = windows }

    /// nil when the head carries no rate-limit headers. `wallNow` is the local
    /// wall clock in seconds since 1970.
    public init?(head: HTTPResponseHead, wallNow: Double) {
        var windows: [Resource: Window] = [:]
        let dateHeader = head.headers["date"].flatMap(HTTPDate.parse)
        let reference = dateHeader.map { abs($0 - wallNow) > 5 ? $0 : wallNow } ?? wallNow
        for resource in Resource.allCases {
            let anthropic = "anthropic-ratelimit-" + resource.rawValue.replacingUnderscores
            if let remaining = head.headers[anthropic + "-remaining"].flatMap(Self.integer) {
                let reset = head.headers[anthropic + "-reset"].flatMap(RFC3339.parse).map { max(0, $0 - reference) }
                windows[resource] = Window(limit: head.headers[anthropic + "-limit"].flatMap(Self.integer), remaining: remaining, resetIn: reset)
                continue
            }
            guard resource == .requests || resource == .tokens else { continue }
            let suffix = "-" + resource.rawValue
            if let remaining = head.headers["x-ratelimit-remaining" + suffix].flatMap(Self.integer) {
                let reset = head.headers["x-ratelimit-reset" + suffix].flatMap(Self.duration)
                windows[resource] = Window(limit: head.headers["x-ratelimit-limit" + suffix].flatMap(Self.integer), remaining: remaining, resetIn: reset)
            }
        }
        guard !windows.isEmpty else { return nil }
        self.windows = windows
    }

    static func integer(_ text: String) -> Int? {
        Int(text.trimmingSpaces).map { max(0, $0) }
    }

    /// Go-style durations as OpenAI sends them: "1s", "6m0s", "12ms", "1h2m3.5s", "0.5s".
    public static func duration(_ text: String) -> Double? {
        let s = Array(text.trimmingSpaces.utf8)
        guard !s.isEmpty else { return nil }
        var total = 0.0, i = 0
        while i < s.count {
            let start = i
            while i < s.count, (s[i] >= 0x30 && s[i] <= 0x39) || s[i] == 0x2E { i += 1 }
            guard i > start, let value = Double(String(decoding: s[start..<i], as: UTF8.self)) else { return nil }
            let unitStart = i
            while i < s.count, s[i] >= 0x61 && s[i] <= 0x7A { i += 1 }
            switch String(decoding: s[unitStart..<i], as: UTF8.self) {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s", "": total += value
            case "ms": total += value / 1000
            case "us", "µs": total += value / 1e6
            case "ns": total += value / 1e9
            default: return nil
            }
        }
        return total.isFinite ? total : nil
    }
}

/// RFC 3339 instants ("2026-12-03T12:00:30Z", "…30.25+01:00") to seconds since 1970.
enum RFC3339 {
    static func parse(_ text: String) -> Double? {
        let s = Array(text.trimmingSpaces.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= s.count else { return nil }
            var n = 0
            for b in s[from..<from + count] {
                guard b >= 0x30 && b <= 0x39 else { return nil }
                n = n * 10 + Int(b - 0x30)
            }
            return n
        }
        guard s.count >= 20, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < s.count, s[i] == 0x2E {
            i += 1
            var scale = 0.1
            while i < s.count, s[i] >= 0x30 && s[i] <= 0x39 {
                fraction += Double(s[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        guard i < s.count else { return nil }
        var offset = 0
        if s[i] == 0x5A || s[i] == 0x7A {
            i += 1
        } else if s[i] == 0x2B || s[i] == 0x2D, let h = number(i + 1, 2), let m = number(i + 4, 2) {
            offset = (h * 3600 + m * 60) * (s[i] == 0x2B ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        let days = HTTPDate.daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = self[...]
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }

    var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }
}

extension Substring {
    var trimmingSpaces: Substring { String(self).trimmingSpaces }
}
