/// A route's gate at a glance, for `stats()` and the metrics file.
public struct RouteGauge: Sendable, Equatable {
    public var name: String
    public var model: String
    public var concurrencyLimit: Int?
    public var inFlight: Int
    public var queued: Int
    public var retriesInWindow: Int
    public var callsInWindow: Int

    public init(name: String, model: String, concurrencyLimit: Int?, inFlight: Int, queued: Int, retriesInWindow: Int, callsInWindow: Int) {
        self.name = name
        self.model = model
        self.concurrencyLimit = concurrencyLimit
        self.inFlight = inFlight
        self.queued = queued
        self.retriesInWindow = retriesInWindow
        self.callsInWindow = callsInWindow
    }
}
