// Errors from starting the fake server (binding failures come from NIO as they are).

public struct FakeProviderError: Error, CustomStringConvertible, Equatable {
    private enum Code: Equatable { case stopped }
    private let code: Code

    /// `start()` after `stop()`: a server is not restartable, make a new one.
    public static let stopped = FakeProviderError(code: .stopped)

    public var description: String {
        switch code {
        case .stopped: "FakeProvider: the server was stopped and cannot be started again"
        }
    }
}
