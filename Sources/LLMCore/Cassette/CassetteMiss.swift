// Why a live request found nothing to replay, phrased for the person fixing
// the script or re-recording: the nearest recording and what differs from it.
// Values come from the redacted request, so a miss never prints a secret.

public struct CassetteMiss: Error, Sendable, CustomStringConvertible {
    /// The live request, `POST /v1/messages` (with its query, if any).
    public var request: String
    /// Index of the nearest recorded interaction with the same method and path, if any.
    public var nearest: Int?
    /// How the nearest differs, at most `listedDifferences` lines of `path: recorded X, now Y`.
    public var differences: [String]
    /// Differences beyond those listed.
    public var unlistedDifferences: Int
    /// How many identical recordings there were, all replayed already (0: none).
    public var alreadyReplayed: Int

    static let listedDifferences = 5

    /// The nearest's request, and whether it was replayed already.
    var nearestRequest: String?
    var nearestReplayed = false
    /// Endpoints the cassette does have, with counts, when none shares the request's.
    var recordedEndpoints: [(endpoint: String, count: Int)] = []
    /// Recordings sharing the request's method and path.
    var sameEndpoint = 0

    init(request: String, nearest: Int?, differences: [String], alreadyReplayed: Int) {
        self.request = request
        self.nearest = nearest
        self.differences = Array(differences.prefix(Self.listedDifferences))
        self.unlistedDifferences = max(0, differences.count - Self.listedDifferences)
        self.alreadyReplayed = alreadyReplayed
    }

    /// A short stable code for logs and metrics.
    public var code: String { alreadyReplayed > 0 ? "cassette_exhausted" : "cassette_miss" }

    public var description: String {
        var text = alreadyReplayed > 0 ? "no unused recorded interaction matches \(request); " : "no recorded interaction matches \(request); "
        let endpoint = request.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request
        if alreadyReplayed > 0 {
            let all = alreadyReplayed == sameEndpoint
            let which = all ? "for \(endpoint)" : "identical to it"
            text += alreadyReplayed == 1
                ? "the only recorded interaction \(which) was already replayed"
                : "all \(alreadyReplayed) recorded interactions \(which) were already replayed"
            guard let nearest, !nearestReplayed else { return text }
            text += "; nearest unused is #\(nearest)"
        } else if let nearest {
            text += "nearest is #\(nearest)"
        } else if recordedEndpoints.isEmpty {
            return text + "the cassette is empty"
        } else {
            let listed = recordedEndpoints.prefix(5).map { $0.count == 1 ? $0.endpoint : "\($0.endpoint) (×\($0.count))" }
            let more = recordedEndpoints.count > 5 ? ", …" : ""
            return text + "the cassette has no \(endpoint), only \(listed.joined(separator: ", "))\(more)"
        }
        text += " (\(nearestRequest ?? "?")\(nearestReplayed ? ", already replayed" : ""))"
        guard !differences.isEmpty else { return text }
        text += ": " + differences.joined(separator: "; ")
        if unlistedDifferences > 0 { text += "; and \(unlistedDifferences) more difference\(unlistedDifferences == 1 ? "" : "s")" }
        return text
    }
}
