// The state a server's connections share: the script, what happened, and the
// counters tests read. Connections run on the event loop while tests read from
// their own threads, so one NSCondition guards it all: readers get consistent
// snapshots, and `waitUntil` sleeps until something changes instead of polling.

import Foundation
import NIOCore

final class ServerLedger: @unchecked Sendable {
    enum Script: Sendable {
        case queue([ScriptedResponse])
        case handler(@Sendable (RecordedRequest) -> ScriptedResponse)
    }

    /// The mutable part, read and written only under `condition`.
    struct Record {
        var startedAt = NIODeadline.now()
        var nextScripted = 0
        var requests: [RecordedRequest] = []
        var chunkSendTimes: [[Double]] = []
        var acceptedConnections = 0
        var openConnections = 0
        var closedByClientCount = 0
        var inFlightRequests = 0
        var maxConcurrentRequests = 0
        var channels: [ObjectIdentifier: any Channel] = [:]
        var stopping = false
        /// Bumped on every change, so waiters can tell a change from a spurious wake-up.
        var version = 0

        func seconds(since start: NIODeadline, at now: NIODeadline = .now()) -> Double {
            Double((now - start).nanoseconds) / 1e9
        }
        var now: Double { seconds(since: startedAt) }
    }

    private let condition = NSCondition()
    private var record = Record()
    private let script: Script

    init(script: Script) {
        self.script = script
    }

    func read<T>(_ body: (Record) -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body(record)
    }

    @discardableResult
    func update<T>(_ body: (inout Record) -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        let result = body(&record)
        record.version += 1
        condition.broadcast()
        return result
    }

    /// Blocks until the record changes after `version` or until `deadline`.
    func waitForChange(after version: Int, until deadline: Date) {
        condition.lock()
        defer { condition.unlock() }
        while record.version == version, condition.wait(until: deadline) {}
    }

    /// Records a complete request and picks its response. Returns the slot that
    /// pairs `requests[slot]` with `chunkSendTimes[slot]`.
    func exchange(method: String, path: String, headers: [(String, String)], body: [UInt8]) -> (Int, ScriptedResponse) {
        let (slot, request, scripted) = update { record in
            let request = RecordedRequest(method: method, path: path, headers: headers, body: body, receivedAt: record.now)
            record.requests.append(request)
            record.chunkSendTimes.append([])
            var scripted: ScriptedResponse?
            if case .queue(let responses) = script, record.nextScripted < responses.count {
                scripted = responses[record.nextScripted]
                record.nextScripted += 1
            }
            return (record.requests.count - 1, request, scripted)
        }
        switch script {
        case .queue:
            return (slot, scripted ?? Self.exhausted(method: method, path: path))
        case .handler(let handler):
            // Outside the lock: the handler may read the server's own properties.
            return (slot, handler(request))
        }
    }

    func chunkSent(slot: Int) {
        update { $0.chunkSendTimes[slot].append($0.now) }
    }

    /// A 500 that names the unexpected request, so a test that sends more requests
    /// than it scripted fails with a clear message instead of a hang.
    static func exhausted(method: String, path: String) -> ScriptedResponse {
        let message = "FakeProvider: no scripted response left for \(method) \(path)"
        return .json(
            #"{"type":"error","error":{"type":"api_error","message":\#(JSONText.quoted(message))}}"#,
            status: 500
        )
    }
}
