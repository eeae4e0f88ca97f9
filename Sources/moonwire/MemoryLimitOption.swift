// --memory-limit SIZE (or MOONWIRE_MEMORY_LIMIT): a bound on a script's Lua
// heap, as Redis bounds its Lua scripts' memory. Past it Lua code gets the
// catchable error "not enough memory" long before the machine runs out.
import ArgumentParser
import Foundation

struct MemoryLimitOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Bound the Lua heap: past SIZE (bytes, or with k, M, G) Lua code gets the catchable error \"not enough memory\". Also MOONWIRE_MEMORY_LIMIT.",
        valueName: "SIZE"))
    var memoryLimit: String?

    func validate() throws {
        if let memoryLimit, case .failure(let message) = Self.bytes(memoryLimit) {
            throw ValidationError("--memory-limit: \(message)")
        }
    }

    /// The limit in bytes: the flag, else MOONWIRE_MEMORY_LIMIT, else none.
    func resolve(_ environment: [String: String]) throws -> Int? {
        if let memoryLimit { return try Self.bytes(memoryLimit).get() }
        guard let text = environment["MOONWIRE_MEMORY_LIMIT"], !text.isEmpty else { return nil }
        switch Self.bytes(text) {
        case .success(let n): return n
        case .failure(let message): throw ScriptFailure(message: "MOONWIRE_MEMORY_LIMIT: \(message)")
        }
    }

    struct Message: Error, CustomStringConvertible {
        let description: String
    }

    /// "1048576", "64k", "512M", "1.5G" (powers of 1024; a trailing B or iB is allowed).
    static func bytes(_ text: String) -> Result<Int, Message> {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        for suffix in ["iB", "B", "ib", "b"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
            digits = digits.dropLast(suffix.count)
            break
        }
        var scale = 1.0
        if let unit = digits.last, let power = ["k": 1, "K": 1, "m": 2, "M": 2, "g": 3, "G": 3, "t": 4, "T": 4][unit] {
            scale = Double(1 << (10 * power))
            digits = digits.dropLast()
        }
        guard let value = Double(digits), value.isFinite, value > 0 else {
            return .failure(Message(description: "expected a size such as 512M, 2G or 1048576 bytes, got '\(text)'"))
        }
        let bytes = value * scale
        let minimum = 64.0 * 1024, maximum = Double(1 << 50)
        guard bytes >= minimum, bytes <= maximum else {
            return .failure(Message(description: "'\(text)' is out of range (64k to 1P)"))
        }
        return .success(Int(bytes))
    }
}
