// HTTPTransport: how an exchange's request reaches a server (or a recording
// of one). Live (curl), recording and replay transports share this shape, so
// providers, exchanges and the Lua layer never know which one is in use.
import LLMCore

/// What a transport reports about one request, always on the loop's thread
/// and never from inside curl.
public struct TransferCallbacks {
    public var onHead: (HTTPResponseHead) -> Void
    public var onBody: (UnsafeRawBufferPointer) -> Void
    /// nil when the whole body was delivered.
    public var onComplete: (LLMError?) -> Void

    public init(
        onHead: @escaping (HTTPResponseHead) -> Void, onBody: @escaping (UnsafeRawBufferPointer) -> Void,
        onComplete: @escaping (LLMError?) -> Void
    ) {
        self.onHead = onHead
        self.onBody = onBody
        self.onComplete = onComplete
    }
}

public protocol TransferHandle: AnyObject {
    /// Stops the transfer; no more callbacks except a final onComplete(error).
    func cancel(_ error: LLMError)
}

public protocol HTTPTransport: AnyObject {
    var loop: EventLoop { get }
    func start(_ request: HTTPRequest, _ callbacks: TransferCallbacks) -> any TransferHandle
}

/// The live transport: every request is a curl transfer on the loop.
public final class CurlTransport: HTTPTransport {
    public let loop: EventLoop
    public var options: TransferOptions

    public init(loop: EventLoop, options: TransferOptions = TransferOptions()) {
        self.loop = loop
        self.options = options
    }

    public func start(_ request: HTTPRequest, _ callbacks: TransferCallbacks) -> any TransferHandle {
        if let reason = CurlLibrary.loadFailure {
            return UnstartedTransfer(on: loop, callbacks, LLMError(.config, "cannot make HTTP requests: \(reason)"))
        }
        let transfer = CurlTransfer(request: request, options: options)
        transfer.onHead = callbacks.onHead
        transfer.onBody = callbacks.onBody
        transfer.onComplete = callbacks.onComplete
        loop.start(transfer)
        return transfer
    }
}

extension CurlTransfer: TransferHandle {}

/// A request that could not be started: it fails on the loop's next turn
/// (never inside the caller), like a transfer that fails at once.
final class UnstartedTransfer: TransferHandle {
    private var callbacks: TransferCallbacks?

    init(on loop: EventLoop, _ callbacks: TransferCallbacks, _ error: LLMError) {
        self.callbacks = callbacks
        loop.post { [self] in finish(error) }
    }

    func cancel(_ error: LLMError) { finish(error) }

    private func finish(_ error: LLMError) {
        guard let callbacks else { return }
        self.callbacks = nil
        callbacks.onComplete(error)
    }
}
