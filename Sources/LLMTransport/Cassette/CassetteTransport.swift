// CassetteTransport: replays recorded interactions on the loop's timers and,
// when the session's mode allows, sends misses live and records them (the
// script still sees tokens live while they are recorded).
import LLMCore

public final class CassetteTransport: HTTPTransport {
    public let loop: EventLoop
    public let session: CassetteSession
    private let live: (any HTTPTransport)?
    /// Recorded offsets are divided by this; 0 replays without waiting.
    public let speed: Double
    public var faults: FaultPlan?
    /// Errors saving the cassette, reported once the run ends.
    public private(set) var saveErrors: [CassetteFileError] = []
    private var requestCount = 0

    public init(session: CassetteSession, loop: EventLoop, live: (any HTTPTransport)?, speed: Double = 0, faults: FaultPlan? = nil) {
        self.session = session
        self.loop = loop
        self.live = live
        self.speed = speed
        self.faults = faults
    }

    public func start(_ request: HTTPRequest, _ callbacks: TransferCallbacks) -> any TransferHandle {
        requestCount += 1
        _ = session.redactor  // picks up credentials registered since the last request
        var miss: CassetteMiss?
        if session.replaysHits {
            switch session.matcher.match(request) {
            case .success(let index):
                let fault = faults?.fault(forRequest: requestCount)
                // A fault is served instead of the recording: the next identical request gets it.
                if let fault, fault.replacesRecording(session.cassette.interactions[index]) { session.matcher.release(index) }
                let player = ReplayPlayer(interaction: session.cassette.interactions[index], loop: loop, speed: speed, fault: fault, callbacks: callbacks)
                player.start()
                return player
            case .failure(let m):
                miss = m
            }
        }
        if session.recordsMisses, let live {
            return record(request, callbacks, via: live)
        }
        let message = miss?.description ?? "no recording for \(request.method) \(request.url) and recording is off (mode \(session.mode.rawValue))"
        let failure = ImmediateFailure(error: LLMError(.replayMismatch, message), loop: loop, callbacks: callbacks)
        failure.start()
        return failure
    }

    private func record(_ request: HTTPRequest, _ callbacks: TransferCallbacks, via live: any HTTPTransport) -> any TransferHandle {
        let recorder = InteractionRecorder(request: session.redactor.redact(request), redactor: session.redactor, startedAt: loop.clock.now)
        let clock = loop.clock
        return live.start(request, TransferCallbacks(
            onHead: { head in
                recorder.head(head, at: clock.now)
                callbacks.onHead(head)
            },
            onBody: { bytes in
                recorder.body(bytes, at: clock.now)
                callbacks.onBody(bytes)
            },
            onComplete: { [weak self] error in
                if let self {
                    do throws(CassetteFileError) {
                        try self.session.append(recorder.finish(error: error, at: clock.now))
                    } catch {
                        self.saveErrors.append(error)
                    }
                }
                callbacks.onComplete(error)
            }))
    }
}

/// A transfer that fails at once (on the next loop turn, never re-entrantly).
final class ImmediateFailure: TransferHandle {
    private let error: LLMError
    private let loop: EventLoop
    private var callbacks: TransferCallbacks?

    init(error: LLMError, loop: EventLoop, callbacks: TransferCallbacks) {
        self.error = error
        self.loop = loop
        self.callbacks = callbacks
    }

    func start() {
        loop.schedule(after: 0) { [self] in
            callbacks?.onComplete(error)
            callbacks = nil
        }
    }

    func cancel(_ error: LLMError) {
        callbacks?.onComplete(error)
        callbacks = nil
    }
}
