// Plays one recorded interaction on the loop: the head and each chunk at its
// recorded offset (scaled by speed; in virtual time with speed 0), then the
// recorded end: success, or the transport error, as FaultedResponse says
// under the fault.
import LLMCore

public final class ReplayPlayer: TransferHandle {
    private let interaction: CassetteInteraction
    private let loop: EventLoop
    private let speed: Double
    private let fault: Fault?
    private var callbacks: TransferCallbacks?
    private var timers: [TimerID] = []

    public init(interaction: CassetteInteraction, loop: EventLoop, speed: Double, fault: Fault?, callbacks: TransferCallbacks) {
        self.interaction = interaction
        self.loop = loop
        self.speed = speed
        self.fault = fault
        self.callbacks = callbacks
    }

    /// Seconds after start for a recorded offset. Speed 0 keeps recorded time
    /// on a virtual clock (exact and instant) and plays at once on a real one.
    private func delay(_ ms: Double) -> Double {
        if speed > 0 { return ms / 1000 / speed }
        return loop.clock.isVirtual ? ms / 1000 : 0
    }

    private func at(_ ms: Double, _ action: @escaping () -> Void) {
        timers.append(loop.schedule(after: delay(ms)) { [weak self] in
            guard self?.callbacks != nil else { return }
            action()
        })
    }

    public func start() {
        let faulted = FaultedResponse(interaction, fault: fault)
        if let response = faulted.response {
            at(response.headAtMs) { [self] in callbacks?.onHead(HTTPResponseHead(status: response.status, headers: response.headers)) }
            if let chunks = response.chunks {
                for chunk in chunks {
                    at(chunk.atMs) { [self] in chunk.bytes.withUnsafeBytes { callbacks?.onBody($0) } }
                }
            } else if let body = response.body {
                at(response.headAtMs) { [self] in body.bytes.withUnsafeBytes { callbacks?.onBody($0) } }
            }
        }
        switch faulted.ending {
        case .complete:
            at(faulted.response.map(FaultedResponse.lastMs) ?? 0) { [self] in finish(nil) }
        case .error(let kind, let message, let atMs):
            at(atMs) { [self] in finish(LLMError(kind, message)) }
        case .silence:
            break  // nothing more, ever: the client's timeouts end it
        }
    }

    private func finish(_ error: LLMError?) {
        let c = callbacks
        callbacks = nil
        c?.onComplete(error)
    }

    public func cancel(_ error: LLMError) {
        for t in timers { loop.cancelTimer(t) }
        timers.removeAll()
        finish(error)
    }
}
