// EmbeddingExchange: one embeddings call on the loop (a whole JSON body).
import LLMCore
import LLMProviders

public final class EmbeddingExchange {
    public let provider: any ChatProvider
    public let request: EmbeddingRequest
    public private(set) var result: Result<EmbeddingResponse, LLMError>?
    public var maxBodyBytes = 256 << 20

    private let loop: EventLoop
    private var transfer: CurlTransfer?
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    public init(provider: any ChatProvider, request: EmbeddingRequest, loop: EventLoop) {
        self.provider = provider
        self.request = request
        self.loop = loop
    }

    public var isDone: Bool { result != nil }

    public func start(options: TransferOptions = TransferOptions()) {
        let http: HTTPRequest
        do {
            http = try provider.embeddingRequest(request)
        } catch {
            result = .failure(error)
            return
        }
        let transfer = CurlTransfer(request: http, options: options)
        transfer.onHead = { [unowned self] head in self.head = head }
        transfer.onBody = { [unowned self] bytes in
            guard self.result == nil else { return }
            guard self.body.count + bytes.count <= self.maxBodyBytes else {
                self.cancel(LLMError(.badResponse, "response body larger than \(self.maxBodyBytes) bytes", provider: self.provider.name))
                return
            }
            self.body.append(contentsOf: bytes)
        }
        transfer.onComplete = { [unowned self] error in self.completed(error) }
        self.transfer = transfer
        loop.start(transfer)
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
