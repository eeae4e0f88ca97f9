// One HTTP request on the loop's curl multi handle. Curl's callbacks only
// buffer into this object; the loop delivers head, body and completion after
// curl returns, never from inside curl. What waits for delivery is bounded:
// past `maxPendingBytes` the transfer pauses until the loop has delivered, so
// a body that inflates (a gzip bomb) reaches the consumer, and its limits,
// in bounded steps instead of all at once (issue 16).
import CCurl
import CShims
import Foundation
import LLMCore

public struct TransferOptions: Sendable {
    public var connectTimeout: Double = 10
    public var verbose = false
    public init() {}
}

public final class CurlTransfer {
    public let request: HTTPRequest
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    weak var loop: EventLoop?
    var isQueued = false

    // Response as curl reports it; reset on every new status line (redirects, 100-continue).
    private var status = 0
    private var headers: [String: String] = [:]
    private var headComplete = false
    private var headDelivered = false
    private var pendingBody: [UInt8] = []
    /// Bytes (decoded) that may wait for delivery before curl is paused.
    static let maxPendingBytes = 1 << 20
    private var paused = false
    private var stopped = false
    private var completed = false

    public var onHead: (HTTPResponseHead) -> Void = { _ in }
    public var onBody: (UnsafeRawBufferPointer) -> Void = { _ in }
    /// nil on success (the whole body was delivered).
    public var onComplete: (LLMError?) -> Void = { _ in }

    public init(request: HTTPRequest, options: TransferOptions = TransferOptions()) {
        self.request = request
        guard let handle = mw_curl_easy_init() else { fatalError("moonwire: curl_easy_init failed") }
        easy = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        configure(options)
    }

    deinit {
        mw_curl_easy_cleanup(easy)
        if let headerList { mw_curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    private func configure(_ options: TransferOptions) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = mw_curl_set_str(easy, CURLOPT_URL, request.url)
        _ = mw_curl_set_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = mw_curl_set_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = mw_curl_set_ptr(easy, CURLOPT_PRIVATE, me)
        _ = mw_curl_set_str(easy, CURLOPT_ACCEPT_ENCODING, "")  // every encoding this libcurl decodes
        _ = mw_curl_set_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        _ = mw_curl_set_long(easy, CURLOPT_TCP_NODELAY, 1)
        _ = mw_curl_set_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        if options.verbose { _ = mw_curl_set_long(easy, CURLOPT_VERBOSE, 1) }
        _ = mw_curl_set_data_fn(easy, CURLOPT_WRITEFUNCTION, curlWrite)
        _ = mw_curl_set_ptr(easy, CURLOPT_WRITEDATA, me)
        _ = mw_curl_set_data_fn(easy, CURLOPT_HEADERFUNCTION, curlHeader)
        _ = mw_curl_set_ptr(easy, CURLOPT_HEADERDATA, me)
        if request.method == "POST" {
            _ = mw_curl_set_long(easy, CURLOPT_POST, 1)
            _ = mw_curl_set_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            request.body.withUnsafeBufferPointer { buf in
                // COPYPOSTFIELDS copies now, so the body needs no stable storage.
                _ = mw_curl_set_ptr(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buf.baseAddress ?? UnsafePointer(bitPattern: 1)!))
            }
        } else if request.method != "GET" {
            _ = mw_curl_set_str(easy, CURLOPT_CUSTOMREQUEST, request.method)
        }
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for (name, value) in request.headers {
            list = mw_curl_slist_append(list, "\(name): \(value)")
        }
        // curl adds "Expect: 100-continue" to large POSTs; providers do not need the extra round trip.
        list = mw_curl_slist_append(list, "Expect:")
        headerList = list
        _ = mw_curl_set_slist(easy, CURLOPT_HTTPHEADER, list)
    }

    // MARK: Called from curl (buffer only)

    fileprivate func received(header line: UnsafeRawBufferPointer) {
        // Trimmed on bytes: Foundation's trimming cost more than the rest of a small request.
        var bytes = line[...]
        while let b = bytes.first, b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A { bytes = bytes.dropFirst() }
        while let b = bytes.last, b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A { bytes = bytes.dropLast() }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.isEmpty {
            // The blank line ends a header block; 1xx blocks are followed by another.
            if status >= 200 {
                headComplete = true
                loop?.markReady(self)
            }
        } else if text.hasPrefix("HTTP/") {
            headers = [:]
            headComplete = false
            let parts = text.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        } else if let colon = text.firstIndex(of: ":") {
            let name = text[..<colon].lowercased()
            let value = String(text[text.index(after: colon)...].drop { $0 == " " || $0 == "\t" })
            headers[name] = value
        }
    }

    /// What curl's write callback returns: all taken, pause (curl keeps the
    /// bytes and offers them again once unpaused), or stop.
    fileprivate enum Take { case taken, pause, stop }

    fileprivate func received(body: UnsafeRawBufferPointer) -> Take {
        if stopped { return .stop }
        if pendingBody.count >= Self.maxPendingBytes {
            paused = true
            loop?.markReady(self)
            return .pause
        }
        pendingBody.append(contentsOf: body)
        loop?.markReady(self)
        return .taken
    }

    // MARK: Called from the loop (outside curl)

    func deliverPending() {
        guard !stopped else { return }
        if !headDelivered && headComplete {
            headDelivered = true
            onHead(HTTPResponseHead(status: status, headers: headers))
        }
        guard headDelivered, !pendingBody.isEmpty, !stopped else { return }
        let chunk = pendingBody
        pendingBody.removeAll(keepingCapacity: true)
        chunk.withUnsafeBytes { onBody($0) }
        if paused && !stopped {
            paused = false
            _ = mw_curl_unpause(easy)  // may offer the kept bytes at once
        }
    }

    func detach(from multi: UnsafeMutableRawPointer) {
        stopped = true
        mw_curl_multi_remove_handle(multi, easy)
    }

    func complete(curlCode: CURLcode) {
        if curlCode == CURLE_OK {
            complete(with: nil)
            return
        }
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: mw_curl_easy_strerror(curlCode)) : detail
        let kind: LLMError.Kind
        switch curlCode {
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_WRITE_ERROR, CURLE_ABORTED_BY_CALLBACK: kind = .cancelled
        default: kind = .network
        }
        complete(with: LLMError(kind, message))
    }

    func complete(with error: LLMError?) {
        guard !completed else { return }
        completed = true
        stopped = true
        onComplete(error)
        // Break reference cycles through the callbacks' captures.
        onHead = { _ in }
        onBody = { _ in }
        onComplete = { _ in }
    }

    /// Stops delivery and asks the loop to drop the transfer.
    public func cancel(_ error: LLMError = LLMError(.cancelled, "cancelled")) {
        if let loop { loop.cancel(self, error: error) } else { complete(with: error) }
    }
}

private func curlWrite(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
    switch transfer.received(body: bytes) {
    case .taken: return size * count
    case .pause: return mw_curl_writefunc_pause()
    case .stop: return mw_curl_writefunc_error()
    }
}

private func curlHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.received(header: UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}
