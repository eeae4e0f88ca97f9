// The last check before a cassette is written: any configured secret still in
// the encoded bytes, reported without the secret itself (the report goes to
// stderr and CI logs).
//
// Out of scope: a secret inside a base64 chunk or body (`"base64": ...`). Those
// hold bytes that are not UTF-8 text, which no provider puts a key into, and
// finding one would mean decoding every such string.

extension Redactor {
    /// Occurrences listed per secret before the rest are summarised.
    private static let listedPerSecret = 3

    /// Human descriptions such as `secret 1 of 2 (sk-a…, 51 chars) found at byte 1234
    /// (in $.interactions[0].response.chunks[3].text)`; empty means clean.
    public func leaks(in encoded: [UInt8]) -> [String] {
        var reports: [String] = []
        for (index, secret) in secrets.enumerated() {
            let offsets = Set(forms[index].flatMap { ByteSearch.occurrences(of: $0, in: encoded) }).sorted()
            let name = "secret \(index + 1) of \(secrets.count) (\(Self.hint(secret)))"
            for offset in offsets.prefix(Self.listedPerSecret) {
                // The path itself may hold the secret (as an object key).
                let path = JSONPathLocator.path(at: offset, in: encoded).map { " (in \(redact(text: $0)))" } ?? ""
                reports.append("\(name) found at byte \(offset)\(path)")
            }
            if offsets.count > Self.listedPerSecret {
                reports.append("\(name) found \(offsets.count - Self.listedPerSecret) more times")
            }
        }
        return reports
    }

    /// Enough to tell secrets apart (`sk-a…, 51 chars`): at most an eighth of the
    /// secret and never more than 4 characters, so a short one is not half given away.
    static func hint(_ secret: String) -> String {
        let shown = min(4, secret.count / 8)
        return "\(secret.prefix(shown))…, \(secret.count) chars"
    }
}
