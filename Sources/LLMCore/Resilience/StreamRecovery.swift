// What a call does when its stream breaks after content already reached the
// script (DESIGN "Resilience semantics", Streams). Retrying silently would
// splice two different answers together, so the default is to fail.

public enum StreamRecovery: String, Sendable, Equatable, CaseIterable {
    /// Report the error; the script keeps what it already received.
    case fail
    /// Retry from scratch; the owner emits a `recovered` event first.
    case restart
    /// Retry asking the provider to continue from the partial text; the owner
    /// builds that request and emits `recovered`.
    case `continue`
}
