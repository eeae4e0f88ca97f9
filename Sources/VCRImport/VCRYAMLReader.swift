// Turns a composed YAML cassette into VCR values. Works on Yams nodes, not
// `Yams.load`'s Any, so header values keep their recorded text ("600", not 600)
// and `!!binary` bodies can be told apart from strings.
import Foundation
import Yams

struct VCRYAMLReader {
    let source: String

    func cassette(_ root: Node) throws -> VCRCassette {
        guard let list = root["interactions"]?.sequence else { throw failure("not a VCR cassette (no 'interactions' list)") }
        return VCRCassette(interactions: try list.enumerated().map { index, node in
            let place = "interactions[\(index)]"
            guard let request = node["request"], let response = node["response"] else {
                throw failure("\(place) lacks request or response")
            }
            return VCRInteraction(
                request: try self.request(request, place + ".request"),
                response: try self.response(response, place + ".response"))
        })
    }

    private func request(_ node: Node, _ place: String) throws -> VCRInteraction.Request {
        guard let method = node["method"]?.scalar?.string, let uri = node["uri"]?.scalar?.string else {
            throw failure("\(place) lacks method or uri")
        }
        let body = try node["parsed_body"].map { try json($0, place) } ?? body(node["body"], place)?.bytes
        return .init(method: method, uri: uri, headers: try headers(node["headers"], place), body: body)
    }

    private func response(_ node: Node, _ place: String) throws -> VCRInteraction.Response {
        guard let status = node["status"]?["code"]?.int else { throw failure("\(place) lacks status.code") }
        guard (100...599).contains(status) else { throw failure("\(place): status.code \(status) is not an HTTP status (100-599)") }
        let headers = try headers(node["headers"], place)
        var body = Data(), wasGzipped = false, reserialized = false
        if let parsed = node["parsed_body"] {
            body = try json(parsed, place)
            reserialized = true
        } else if let recorded = try self.body(node["body"], place) {
            body = recorded.bytes
            let encoding = VCRInteraction.values(of: "content-encoding", in: headers).joined(separator: ",")
            // vcrpy stores compressed bodies as !!binary and leaves the header as sent.
            if recorded.isBinary, encoding.lowercased().contains("gzip") {
                do { body = try Gzip.decompress(body) } catch { throw failure("\(place).body: \(error)") }
                wasGzipped = true
            }
        }
        return .init(
            status: status, statusMessage: node["status"]?["message"]?.scalar?.string,
            headers: headers, body: body, bodyWasGzipped: wasGzipped, bodyWasReserialized: reserialized)
    }

    private func json(_ parsedBody: Node, _ place: String) throws -> Data {
        do { return try YAMLJSONWriter.data(parsedBody) } catch { throw failure("\(place).parsed_body: \(error)") }
    }

    /// `body: '...'`, `body: {string: ...}`, `body: !!binary ...` or null.
    private func body(_ node: Node?, _ place: String) throws -> (bytes: Data, isBinary: Bool)? {
        guard let node else { return nil }
        guard let scalar = (node.mapping == nil ? node : node["string"])?.scalar else {
            throw failure("\(place).body is neither a string nor {string: ...}")
        }
        switch Tag.Name(rawValue: Node.scalar(scalar).tag.rawValue) {
        case .null:
            return nil
        case .binary:
            guard let bytes = Data(base64Encoded: scalar.string, options: .ignoreUnknownCharacters) else {
                throw failure("\(place).body: bad base64")
            }
            return (bytes, true)
        default:
            return (Data(scalar.string.utf8), false)
        }
    }

    private func headers(_ node: Node?, _ place: String) throws -> [String: [String]] {
        guard let node else { return [:] }
        guard let mapping = node.mapping else { throw failure("\(place).headers is not a mapping") }
        var result: [String: [String]] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw failure("\(place).headers has a non-string key") }
            let values = value.sequence.map { $0.compactMap(\.scalar?.string) } ?? value.scalar.map { [$0.string] }
            guard let values else { throw failure("\(place).headers[\(name)] is not a list of strings") }
            result[name, default: []] += values
        }
        return result
    }

    private func failure(_ message: String) -> VCRFormatError { VCRFormatError(source, message) }
}
