// One HTTP/1.1 connection of the fake server. NIO's HTTPServerPipelineHandler in
// front of it hands over one request at a time (it holds pipelined ones back until
// the response ends), so a connection plays at most one response at once.
// Everything here runs on the connection's event loop; delays are NIO timers.

import NIOCore
import NIOHTTP1

final class ExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The response being played on this connection.
    private struct Playback {
        var slot: Int
        var response: ScriptedResponse
        var closeWhenDone: Bool
        var chunksSent = 0
        var timer: Scheduled<Void>?
    }

    private let ledger: ServerLedger
    private let limits: ServerLimits
    /// Closes a connection that has not sent a whole request in time
    /// (slowloris, or an idle keep-alive); armed while no response plays.
    private var requestDeadline: Scheduled<Void>?
    /// The request's body passed the limit: it is answered 413 and the rest ignored.
    private var rejecting = false
    private var requestHead: HTTPRequestHead?
    private var requestBody: [UInt8] = []
    private var playback: Playback?
    /// True from a request's head until its response ends or the connection goes.
    private var requestInFlight = false
    /// Set when this side closes on purpose, so the close is not blamed on the client.
    private var closingOnPurpose = false

    init(ledger: ServerLedger, limits: ServerLimits) {
        self.ledger = ledger
        self.limits = limits
    }

    private func armRequestDeadline(context: ChannelHandlerContext) {
        requestDeadline?.cancel()
        let delay = TimeAmount.nanoseconds(Int64(min(max(limits.requestTimeout, 0.001), 86_400) * 1e9))
        requestDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            guard self.playback == nil else { return }
            self.closingOnPurpose = true
            context.close(promise: nil)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        armRequestDeadline(context: context)
        let channel = context.channel
        ledger.update {
            $0.acceptedConnections += 1
            $0.openConnections += 1
            $0.channels[ObjectIdentifier(channel)] = channel
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        playback?.timer?.cancel()
        requestDeadline?.cancel()
        let abandoned = playback != nil && !closingOnPurpose
        let wasInFlight = requestInFlight
        playback = nil
        requestInFlight = false
        let id = ObjectIdentifier(context.channel)
        ledger.update {
            $0.openConnections -= 1
            $0.channels[id] = nil
            if wasInFlight { $0.inFlightRequests -= 1 }
            if abandoned && !$0.stopping { $0.closedByClientCount += 1 }
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestHead = head
            requestBody = []
            rejecting = false
            requestInFlight = true
            ledger.update {
                $0.inFlightRequests += 1
                $0.maxConcurrentRequests = max($0.maxConcurrentRequests, $0.inFlightRequests)
            }
            if head.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                // curl waits a full second for this before sending a large body.
                let interim = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
            }
        case .body(let buffer):
            guard !rejecting else { return }
            guard requestBody.count + buffer.readableBytes <= limits.maxRequestBodyBytes else {
                rejectTooLarge(context: context)
                return
            }
            requestBody += buffer.readableBytesView
        case .end:
            guard !rejecting, let head = requestHead else { return }
            requestDeadline?.cancel()
            requestHead = nil
            let headers = head.headers.map { ($0.name, $0.value) }
            let (slot, response) = ledger.exchange(
                method: head.method.rawValue, path: head.uri, headers: headers, body: requestBody)
            requestBody = []
            start(response, slot: slot, for: head, context: context)
        }
    }

    /// A body past the limit: a 413 naming it, then the connection closes
    /// (what is still coming is never read into memory).
    private func rejectTooLarge(context: ChannelHandlerContext) {
        rejecting = true
        requestBody = []
        requestHead = nil
        if requestInFlight {
            requestInFlight = false
            ledger.update { $0.inFlightRequests -= 1 }
        }
        let text = #"{"error":{"type":"request_too_large","message":"request body larger than \#(limits.maxRequestBodyBytes) bytes"}}"#
        var headers = HTTPHeaders([("content-type", "application/json"), ("connection", "close")])
        headers.add(name: "content-length", value: String(text.utf8.count))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .payloadTooLarge, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        closingOnPurpose = true
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset from a client that went away mid-stream; the close that follows
        // is counted in channelInactive.
        context.close(promise: nil)
    }

    private func start(_ response: ScriptedResponse, slot: Int, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        let closeWhenDone = !request.isKeepAlive
            || response.headers.contains { $0.0.lowercased() == "connection" && $0.1.lowercased() == "close" }
        playback = Playback(slot: slot, response: response, closeWhenDone: closeWhenDone)
        if response.fault == .stallBeforeHeaders { return }
        if response.headDelay > 0 {
            var rest = response
            rest.headDelay = 0
            let delay = TimeAmount.nanoseconds(Int64(min(response.headDelay, 86_400) * 1e9))
            playback?.timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
                self.playback?.timer = nil
                self.start(rest, slot: slot, for: request, context: context)
            }
            return
        }
        if response.fault == .dropBeforeHeaders {
            closingOnPurpose = true
            context.close(promise: nil)
            return
        }

        var headers = HTTPHeaders(response.headers)
        switch response.body {
        case .whole(let bytes) where !headers.contains(name: "content-length"):
            headers.add(name: "content-length", value: String(bytes.count))
        case .chunks where !headers.contains(name: "content-length") && !headers.contains(name: "transfer-encoding"):
            headers.add(name: "transfer-encoding", value: "chunked")
        default:
            break
        }
        if closeWhenDone && !headers.contains(name: "connection") {
            headers.add(name: "connection", value: "close")
        }
        let head = HTTPResponseHead(version: request.version, status: Self.status(response.status), headers: headers)
        // Flushed at once: a client's first-token timeout starts from the head.
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        sendNext(context: context)
    }

    /// The status with a reason phrase, the providers' own for the codes HTTP does not name.
    static func status(_ code: Int) -> HTTPResponseStatus {
        switch code {
        case 529: return .custom(code: 529, reasonPhrase: "Overloaded")
        default: return HTTPResponseStatus(statusCode: code)
        }
    }

    /// Sends every chunk that is due now, then arms a timer for the next one or
    /// ends the response. A loop rather than recursion: long zero-delay streams.
    private func sendNext(context: ChannelHandlerContext) {
        while let current = playback {
            let chunks: [ScriptedResponse.Chunk] = switch current.response.body {
            case .whole(let bytes): [ScriptedResponse.Chunk(bytes: bytes)]
            case .chunks(let chunks): chunks
            }
            let index = current.chunksSent
            switch current.response.fault {
            case .dropAfterChunks(let n) where index >= min(n, chunks.count):
                drop(context: context)
                return
            case .stallAfterChunks(let n) where index >= min(n, chunks.count):
                return
            default:
                break
            }
            guard index < chunks.count else {
                finish(context: context)
                return
            }
            let chunk = chunks[index]
            if chunk.delay > 0 && current.timer == nil {
                let delay = TimeAmount.nanoseconds(Int64(min(max(0, chunk.delay), 86_400) * 1e9))
                playback?.timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
                    self.sendNext(context: context)
                }
                return
            }
            playback?.timer = nil
            playback?.chunksSent += 1
            write(chunk.bytes, slot: current.slot, context: context)
        }
    }

    private func write(_ bytes: [UInt8], slot: Int, context: ChannelHandlerContext) {
        // Stamped as the write and flush are issued (microseconds before the bytes
        // leave), so the stamp exists by the time a client has read the chunk.
        ledger.chunkSent(slot: slot)
        let buffer = context.channel.allocator.buffer(bytes: bytes)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
    }

    private func finish(context: ChannelHandlerContext) {
        let closeWhenDone = playback?.closeWhenDone ?? true
        playback = nil
        requestInFlight = false
        ledger.update { $0.inFlightRequests -= 1 }
        let ended = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !closeWhenDone { armRequestDeadline(context: context) }
        if closeWhenDone {
            closingOnPurpose = true
            ended.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// The fault: close once what was sent has reached the socket, without the
    /// terminating chunk, so the client sees a truncated body.
    private func drop(context: ChannelHandlerContext) {
        closingOnPurpose = true
        let flushed = context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer()))))
        flushed.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
