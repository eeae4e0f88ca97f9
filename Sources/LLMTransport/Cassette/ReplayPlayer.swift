// Plays one recorded interaction on the loop: the head and each chunk at its
// recorded offset (scaled by speed; in virtual time with speed 0), then the
// recorded end: success, or the transport error. A fault may replace or cut it.
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
        if fault == .stallBeforeHead { return }  // nothing, ever: the connect timeout ends it
        if let fault, let replacement = fault.replacementResponse(for: interaction.request) {
            play(CassetteInteraction(request: interaction.request, response: replacement, error: nil), cutAfter: nil)
            return
        }
        play(interaction, cutAfter: fault?.cutAfterChunks)
    }

    private func play(_ interaction: CassetteInteraction, cutAfter: Int?) {
        guard let response = interaction.response else {
            let e = interaction.error ?? CassetteTransportError(kind: "network", message: "recorded without a response", atMs: 0)
            at(e.atMs) { [self] in finish(LLMError(LLMError.Kind(rawValue: e.kind) ?? .network, e.message)) }
            return
        }
        at(response.headAtMs) { [self] in callbacks?.onHead(HTTPResponseHead(status: response.status, headers: response.headers)) }
        var lastMs = response.headAtMs
        if let chunks = response.chunks {
            for (i, chunk) in chunks.enumerated() {
                if let cutAfter, i >= cutAfter {
                    let kind = fault?.cutKind ?? .network
                    let message = kind == .timeout ? "injected fault: stream stalled after \(cutAfter) chunks" : "injected fault: connection dropped after \(cutAfter) chunks"
                    if kind == .timeout { return }  // a stall: nothing more, ever; timeouts end it
                    at(chunk.atMs) { [self] in finish(LLMError(kind, message)) }
                    return
                }
                let bytes = fault?.corrupt(chunk.bytes, index: i) ?? chunk.bytes
                at(chunk.atMs) { [self] in bytes.withUnsafeBytes { callbacks?.onBody($0) } }
                lastMs = chunk.atMs
            }
            if let cutAfter, cutAfter >= chunks.count {
                // Cut after the last chunk: a stall never ends; a drop ends in an error.
                if fault?.cutKind == .timeout { return }
                at(lastMs) { [self] in finish(LLMError(.network, "injected fault: connection dropped after \(cutAfter) chunks")) }
                return
            }
        } else if let body = response.body {
            if cutAfter == 0 {
                // drop:0 / stall:0 on a whole body: cut before it, as `serve` does.
                if fault?.cutKind == .timeout { return }
                at(response.headAtMs) { [self] in finish(LLMError(.network, "injected fault: connection dropped before the body")) }
                return
            }
            let bytes = body.bytes
            at(response.headAtMs) { [self] in bytes.withUnsafeBytes { callbacks?.onBody($0) } }
        }
        if let e = interaction.error {
            at(max(e.atMs, lastMs)) { [self] in finish(LLMError(LLMError.Kind(rawValue: e.kind) ?? .network, e.message)) }
        } else {
            at(lastMs) { [self] in finish(nil) }
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
