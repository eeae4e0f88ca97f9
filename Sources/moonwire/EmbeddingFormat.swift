// `moonwire serve` answers an embeddings request in the encoding the client
// asked for, whatever the recording holds (issue 12): Moonwire records base64
// (four times smaller), a plain SDK call may ask for floats, and the matcher
// ignores `encoding_format`, so the vectors are converted here.
import Foundation
import JSON
import LLMCore

enum EmbeddingFormat {
    /// True for base64, false for floats (the API's default when not asked).
    static func requested(in body: [UInt8]) -> Bool {
        guard case .object(let o)? = try? JSONParser().parse(body), case .string(let format)? = o["encoding_format"] else { return false }
        return format == "base64"
    }

    /// The recorded body with every `data[].embedding` in the wanted encoding;
    /// nil when nothing needed converting (or it is not an embeddings list).
    static func convert(_ body: [UInt8], toBase64 wanted: Bool) -> [UInt8]? {
        guard case .object(var o)? = try? JSONParser().parse(body), case .array(let data)? = o["data"] else { return nil }
        var changed = false
        let converted: [JSONValue] = data.map { item in
            guard case .object(var entry) = item else { return item }
            switch (entry["embedding"], wanted) {
            case (.string(let text)?, false):
                guard let floats = Base64Codec.float32s(text) else { return item }
                entry["embedding"] = .array(floats.map { .double(Double($0)) })
                changed = true
            case (.array(let values)?, true):
                var bytes: [UInt8] = []
                bytes.reserveCapacity(values.count * 4)
                for v in values {
                    let x: Float
                    switch v {
                    case .double(let d): x = Float(d)
                    case .int(let i): x = Float(i)
                    default: return item
                    }
                    withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 }
                }
                entry["embedding"] = .string(Base64Codec.encode(bytes))
                changed = true
            default:
                return item
            }
            return .object(entry)
        }
        guard changed else { return nil }
        o["data"] = .array(converted)
        return try? JSONWriter().bytes(.object(o))
    }
}
