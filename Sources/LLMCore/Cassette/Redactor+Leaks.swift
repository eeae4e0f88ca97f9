// The last check before a cassette is written: any configured secret still in
// the encoded bytes, reported without the secret itself (the report goes to
// stderr and CI logs).
//
// The file is also decoded and its decoded forms scanned (issue 16): a chunk
// or body stored as base64 (bytes that are not UTF-8 on their own) and JSON
// strings written with `\u` escapes both turn back into the key on replay.

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
            if offsets.isEmpty, let place = decodedPlace(of: secret, in: encoded) {
                reports.append("\(name) found once decoded, in \(place)")
            }
        }
        return reports
    }

    /// Where `secret` appears once the cassette is decoded (base64 bytes
    /// decoded, JSON escapes undone), or nil.
    private func decodedPlace(of secret: String, in encoded: [UInt8]) -> String? {
        guard let cassette = try? CassetteCodec.decode(encoded) else { return nil }
        let needle = Array(secret.utf8)
        func holds(_ bytes: [UInt8]) -> Bool { !ByteSearch.occurrences(of: needle, in: bytes).isEmpty }
        for (i, interaction) in cassette.interactions.enumerated() {
            if let body = interaction.request.body, holds(body.bytes) { return "$.interactions[\(i)].request.body" }
            if let response = interaction.response {
                if let body = response.body, holds(body.bytes) { return "$.interactions[\(i)].response.body" }
                for (c, chunk) in (response.chunks ?? []).enumerated() where holds(chunk.bytes) {
                    return "$.interactions[\(i)].response.chunks[\(c)]"
                }
            }
        }
        return nil
    }

    /// Enough to tell secrets apart (`sk-a…, 51 chars`): at most an eighth of the
    /// secret and never more than 4 characters, so a short one is not half given away.
    static func hint(_ secret: String) -> String {
        let shown = min(4, secret.count / 8)
        return "\(secret.prefix(shown))…, \(secret.count) chars"
    }
}
