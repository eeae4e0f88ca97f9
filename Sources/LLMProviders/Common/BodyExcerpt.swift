// A short, readable excerpt of a body that was not what we expected, for
// error messages: an HTML error page shows its <title>, anything else its
// first characters with whitespace collapsed.
import LLMCore

public enum BodyExcerpt {
    static let limit = 200

    public static func text(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(16 << 10), as: UTF8.self)
        if let title = htmlTitle(text) { return "HTML page \"\(title)\"" }
        let collapsed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if collapsed.isEmpty { return "(empty body)" }
        return collapsed.count > limit ? String(collapsed.prefix(limit)) + "…" : collapsed
    }

    /// The message for an error response without the API's error shape,
    /// typically a proxy's or load balancer's HTML page.
    static func unexpected(_ head: HTTPResponseHead, _ body: [UInt8]) -> String {
        let type = head.headers["content-type"].map { " (\($0))" } ?? ""
        return "HTTP \(head.status) with an unexpected body\(type): \(text(body))"
    }

    private static func htmlTitle(_ text: String) -> String? {
        // Byte offsets, with ASCII-only lower-casing, so they stay valid in `text`.
        let bytes = Array(text.utf8)
        let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        guard let open = lower.firstRange(of: Array("<title".utf8)),
              let tagEnd = lower[open.upperBound...].firstIndex(of: UInt8(ascii: ">")),
              let close = lower[tagEnd...].firstRange(of: Array("</title>".utf8))
        else { return nil }
        let title = String(decoding: bytes[(tagEnd + 1)..<close.lowerBound], as: UTF8.self)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return title.isEmpty ? nil : title
    }
}
