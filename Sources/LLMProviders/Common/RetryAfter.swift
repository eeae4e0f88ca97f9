// How long the server asked us to wait, read the way openai-python and
// anthropic-sdk-python read it (`_base_client.py`, `_parse_retry_after_header`):
// `retry-after-ms` (milliseconds, fractional allowed) first, then `retry-after`
// as seconds, then `retry-after` as an HTTP date. Whether to honour the value
// (the 0 < v ≤ max_retry_after window) is the retry policy's business, not ours.
import Foundation
import LLMCore

public enum RetryAfter {
    /// Seconds to wait, or nil when the headers do not say. `headers` has
    /// lower-cased names (HTTPResponseHead). An HTTP date is measured against
    /// the response's own `date` header when present — the server's clock, and
    /// recorded in cassettes so replays agree — else against `now`.
    public static func seconds(in headers: [String: String], now: Double? = nil) -> Double? {
        if let ms = headers["retry-after-ms"].flatMap(number) { return ms / 1000 }
        guard let value = headers["retry-after"] else { return nil }
        if let seconds = number(value) { return seconds }
        guard let date = HTTPDate.parse(value) else { return nil }
        let reference = headers["date"].flatMap(HTTPDate.parse) ?? now ?? Date().timeIntervalSince1970
        return date - reference
    }

    private static func number(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }
}
