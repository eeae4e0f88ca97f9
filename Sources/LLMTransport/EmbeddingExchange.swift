// EmbeddingExchange: one embeddings call on the loop (a whole JSON body).
import LLMCore
import LLMProviders

public final class EmbeddingExchange {
    public let provider: any ChatProvider
    public let request: EmbeddingRequest
    public private(set) var result: Result<EmbeddingResponse, LLMError>? {
        didSet {
            guard oldValue == nil, result != nil else { return }
            let finished = onFinish
            onFinish = nil
            finished?()
        }
    }
    /// Called once when the exchange ends, after `result` is set.
    public var onFinish: (() -> Void)?
    /// The same cap as a chat body's (max_response_bytes); a batch of
    /// vectors as JSON floats is ~12 bytes a dimension, base64 ~5.3.
    public var maxBodyBytes = ResilienceConfig.defaultMaxResponseBytes

    private let transport: any HTTPTransport
    private var transfer: (any TransferHandle)?
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    public init(provider: any ChatProvider, request: EmbeddingRequest, transport: any HTTPTransport) {
        self.provider = provider
        self.request = request
        self.transport = transport
    }

    public var isDone: Bool { result != nil }
    /// The response's HTTP status, once its head arrived.
    public var status: Int? { head?.status }

    public func start() {
        let http: HTTPRequest
        do {
            http = try provider.embeddingRequest(request)
        } catch {
            result = .failure(error)
            return
        }
        transfer = transport.start(http, TransferCallbacks(
            onHead: { [unowned self] head in self.head = head },
            onBody: { [unowned self] bytes in self.received(bytes) },
            onComplete: { [unowned self] error in self.completed(error) }))
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        guard result == nil else { return }
        guard body.count + bytes.count <= maxBodyBytes else {
            cancel(LLMError(.badResponse, "response body larger than \(maxBodyBytes) bytes (max_response_bytes)", status: head?.status, provider: provider.name))
            return
        }
        body.append(contentsOf: bytes)
    }

    public func cancel(_ error: LLMError = LLMError(.cancelled, "cancelled")) {
        guard result == nil else { return }
        result = .failure(error)
        transfer?.cancel(error)
    }

    private func completed(_ error: LLMError?) {
        guard result == nil else { return }
        if var error {
            error.provider = provider.name
            result = .failure(error)
            return
        }
        guard let head else {
            result = .failure(LLMError(.network, "connection closed before a response", provider: provider.name))
            return
        }
        if !(200..<300).contains(head.status) {
            result = .failure(provider.error(for: head, body: body))
            return
        }
        do {
            result = .success(try provider.parseEmbeddingResponse(body))
        } catch {
            var e = error
            if e.provider == nil { e.provider = provider.name }
            result = .failure(e)
        }
    }
}
