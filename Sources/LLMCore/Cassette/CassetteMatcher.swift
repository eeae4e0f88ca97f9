// CassetteMatcher: finds the recorded interaction to replay for a live request.
// A request matches on method, path, query and canonical JSON body (the rules
// are listed in MatchRules.swift); each recording replays once, so identical
// requests replay in recorded order, or again and again with `repeats`.

public struct CassetteMatcher: Sendable {
    private let recorded: [RequestShape]
    private var used: [Bool]
    private var replays: [Int]
    private let rules: MatchRules
    public var redactor: Redactor
    /// Once every matching recording was used, replay them again in order.
    public var repeats = false

    /// - Parameters:
    ///   - rules: what counts as the same request (MatchRules: canonical forms, ignored fields).
    ///   - redactor: applied to live requests first, so they compare with the
    ///     recordings as those were stored (a `?key=` value, a secret in a body).
    public init(cassette: Cassette, rules: MatchRules = MatchRules(), redactor: Redactor = Redactor(secrets: [])) {
        recorded = cassette.interactions.map { RequestShape($0.request, rules: rules) }
        used = Array(repeating: false, count: cassette.interactions.count)
        replays = Array(repeating: 0, count: cassette.interactions.count)
        self.rules = rules
        self.redactor = redactor
    }

    /// Every recording unused again (`POST /__moonwire/reset`).
    public mutating func reset() {
        used = Array(repeating: false, count: used.count)
        replays = Array(repeating: 0, count: replays.count)
    }

    /// Index of the interaction to replay; each interaction is used once, so identical requests replay in recorded order.
    public mutating func match(_ request: HTTPRequest) -> Result<Int, CassetteMiss> {
        let live = RequestShape(redactor.redact(request), rules: rules)
        if let index = recorded.indices.first(where: { !used[$0] && recorded[$0].matches(live) }) {
            used[index] = true
            replays[index] += 1
            return .success(index)
        }
        if repeats {
            // The least replayed of the matching recordings, earliest first: in order, round and round.
            let matching = recorded.indices.filter { recorded[$0].matches(live) }
            if let index = matching.min(by: { (replays[$0], $0) < (replays[$1], $1) }) {
                replays[index] += 1
                return .success(index)
            }
        }
        return .failure(miss(for: live))
    }

    /// Makes a matched interaction available again: an injected fault was
    /// served instead of it, so the client's retry gets the recording (issue 12).
    public mutating func release(_ index: Int) {
        if used.indices.contains(index) {
            used[index] = false
            replays[index] -= 1
        }
    }

    /// Interactions never replayed (for a "cassette has N unused interactions" note).
    public var unused: [Int] { used.indices.filter { !used[$0] } }

    private func miss(for live: RequestShape) -> CassetteMiss {
        let candidates = recorded.indices.filter { recorded[$0].endpoint == live.endpoint }
        let replayedIdentical = candidates.filter { recorded[$0].matches(live) }.count
        // Prefer an unused recording: a used one can never be replayed again.
        let pool = candidates.contains { !used[$0] } ? candidates.filter { !used[$0] } : candidates
        let scored = pool.map { (index: $0, differences: recorded[$0].differences(from: live)) }
        let nearest = scored.min { $0.differences.count < $1.differences.count }  // first of equals: earliest
        var miss = CassetteMiss(request: live.label, nearest: nearest?.index, differences: nearest?.differences ?? [], alreadyReplayed: replayedIdentical)
        miss.sameEndpoint = candidates.count
        if let nearest {
            miss.nearestRequest = recorded[nearest.index].label
            miss.nearestReplayed = used[nearest.index]
        } else {
            miss.recordedEndpoints = endpointCounts()
        }
        return miss
    }

    private func endpointCounts() -> [(endpoint: String, count: Int)] {
        var counts: [(endpoint: String, count: Int)] = []
        for shape in recorded {
            if let i = counts.firstIndex(where: { $0.endpoint == shape.endpoint }) {
                counts[i].count += 1
            } else {
                counts.append((shape.endpoint, 1))
            }
        }
        return counts
    }
}
