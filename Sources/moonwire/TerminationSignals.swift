// SIGINT and SIGTERM turned into an event a command can wait for, so a
// long-running command (`moonwire serve`) stops cleanly instead of dying
// mid-write. Ignoring the signals first routes them to the dispatch sources.
import Foundation

final class TerminationSignals {
    private let received = DispatchSemaphore(value: 0)
    private let sources: [any DispatchSourceSignal]

    init() {
        let received = self.received
        let queue = DispatchQueue(label: "moonwire.termination-signals")
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { received.signal() }
            source.resume()
            return source
        }
    }

    /// Blocks until one of the signals arrives (or has arrived since init).
    func wait() {
        received.wait()
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
