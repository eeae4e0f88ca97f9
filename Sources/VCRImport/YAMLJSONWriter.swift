// Re-serialises a YAML node as JSON, for pydantic-ai's `parsed_body`. Written
// by hand rather than through JSONSerialization to keep the recorded key order
// and the numbers' text (1.0 stays 1.0).
import Foundation
import Yams

enum YAMLJSONWriter {
    /// The most JSON one body may become. YAML aliases repeat a node without
    /// repeating its text, so a few hundred bytes can stand for gigabytes
    /// ("billion laughs"); past this the import stops (issue 16).
    static let maxBytes = 64 << 20

    static func data(_ node: Node) throws -> Data {
        var out: [UInt8] = []
        try write(node, into: &out)
        return Data(out)
    }

    private static func write(_ node: Node, into out: inout [UInt8]) throws {
        guard out.count <= maxBytes else {
            throw unsupported("a body that expands past \(maxBytes) bytes of JSON (YAML aliases repeating nodes?)")
        }
        switch node {
        case .scalar(let scalar):
            try write(scalar, into: &out)
        case .mapping(let mapping):
            out.append(UInt8(ascii: "{"))
            for (index, pair) in mapping.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard let key = pair.key.scalar?.string else { throw unsupported("a non-scalar mapping key") }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                try write(pair.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .sequence(let sequence):
            out.append(UInt8(ascii: "["))
            for (index, element) in sequence.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .alias:
            throw unsupported("a YAML alias")
        }
    }

    private static func write(_ scalar: Node.Scalar, into out: inout [UInt8]) throws {
        let text = scalar.string
        // Node.tag runs the resolver over plain scalars; Scalar.tag does not.
        switch Tag.Name(rawValue: Node.scalar(scalar).tag.rawValue) {
        case .null:
            out += Array("null".utf8)
        case .bool:
            guard let value = Node.scalar(scalar).bool else { throw unsupported("bool '\(text)'") }
            out += Array((value ? "true" : "false").utf8)
        case .int, .float:
            if isJSONNumber(text) {
                out += Array(text.utf8)
            } else if let int = Node.scalar(scalar).int {
                out += Array(String(int).utf8)
            } else if let double = Node.scalar(scalar).float, double.isFinite {
                out += Array(String(double).utf8)
            } else {
                throw unsupported("number '\(text)'")
            }
        default:  // str, and timestamps, which JSON can only carry as text
            writeString(text, into: &out)
        }
    }

    private static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case ..<0x20: out += Array(("\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func isJSONNumber(_ text: String) -> Bool {
        text.wholeMatch(of: /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/) != nil
    }

    private static func unsupported(_ what: String) -> UnsupportedYAML {
        UnsupportedYAML(description: "cannot express \(what) as JSON")
    }

    struct UnsupportedYAML: Error, CustomStringConvertible {
        let description: String
    }
}
