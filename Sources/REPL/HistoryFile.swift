// The REPL's history on disk: `$XDG_STATE_HOME/moonwire/history` (else
// `~/.local/state/moonwire/history`), one entry per line with `\`, newline and
// carriage return escaped, so a multi-line chunk stays one entry. Each entry is
// appended as it is entered (a crash loses nothing, and two sessions do not
// overwrite each other); the file is cut back to the last `limit` entries,
// atomically, when it grows a quarter past the limit.
import Foundation
import LLMCore

public final class HistoryFile {
    public let path: String
    public let limit: Int
    /// A pasted blob is not worth recalling and would bloat the file.
    public static let maxEntryBytes = 64 * 1024
    private var linesInFile = 0
    private var failed = false
    /// Called once with a message if the file cannot be written.
    public var onError: ((String) -> Void)?

    public init(path: String, limit: Int = 1000) {
        self.path = path
        self.limit = max(1, limit)
    }

    /// The standard location for this environment, nil when neither
    /// XDG_STATE_HOME nor HOME is set.
    public static func standard(environment env: [String: String]) -> HistoryFile? {
        let base: String
        if let state = env["XDG_STATE_HOME"], state.hasPrefix("/") {
            base = state  // the spec: relative values are ignored
        } else if let home = env["HOME"], !home.isEmpty {
            base = home + "/.local/state"
        } else {
            return nil
        }
        return HistoryFile(path: base + "/moonwire/history")
    }

    /// The saved entries, oldest first (at most `limit`).
    public func load() -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        linesInFile = lines.count
        return lines.suffix(limit).map { Self.decode(Array($0)) }
    }

    /// Whether a line holds a credential: one the process has registered
    /// (the environment's keys, an `api_key` configured earlier), an
    /// `api_key = "..."` being configured by this very line, or a string
    /// shaped like a provider key (`sk-…`, `AIza…`).
    public static func holdsSecret(_ entry: String) -> Bool {
        if Secrets.redact(entry) != entry { return true }
        if entry.contains("api_key"), entry.contains("\"") || entry.contains("'") || entry.contains("[[") { return true }
        let words = entry.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        return words.contains { w in (w.hasPrefix("sk-") || w.hasPrefix("AIza")) && w.count >= 20 }
    }

    public static func shouldRecord(_ entry: String) -> Bool {
        !entry.allSatisfy(\.isWhitespace) && entry.utf8.count <= maxEntryBytes
    }

    /// Appends one entry, creating the folder (0700) and file (0600) if needed.
    public func append(_ entry: String) {
        guard !failed else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            defer { close(fd) }
            // One write call per entry: concurrent sessions append whole lines.
            try Self.writeAll(fd, Self.encode(entry) + [UInt8(ascii: "\n")])
            linesInFile += 1
            if linesInFile > limit + limit / 4 { try compact() }
        } catch {
            failed = true
            onError?("cannot save history to \(path): \(error.localizedDescription)")
        }
    }

    /// Keeps the last `limit` entries (re-reading the file, so entries other
    /// sessions appended are kept too), through a temporary file and a rename.
    private func compact() throws {
        let entries = load()
        let temp = path + ".tmp\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var bytes: [UInt8] = []
        for entry in entries { bytes += Self.encode(entry) + [UInt8(ascii: "\n")] }
        do {
            try Self.writeAll(fd, bytes)
            close(fd)
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        guard rename(temp, path) == 0 else {
            unlink(temp)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        linesInFile = entries.count
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            offset += n
        }
    }

    static func encode(_ entry: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entry.utf8.count)
        for b in entry.utf8 {
            switch b {
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: out.append(b)
            }
        }
        return out
    }

    static func decode(_ line: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var escaped = false
        for b in line {
            if escaped {
                switch b {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r"))
                default: out.append(b)
                }
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
