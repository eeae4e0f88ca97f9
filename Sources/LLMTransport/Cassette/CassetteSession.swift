// CassetteSession: one cassette file in use by a run. It decides per request
// whether to replay or go live (by mode), records live exchanges through the
// redactor, and saves atomically after every recorded interaction, refusing
// to write a file that still contains a secret.
import Foundation
import LLMCore

public struct CassetteFileError: Error, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "cassette \(path): \(message)" }
}

public final class CassetteSession {
    public let path: String
    public let mode: CassetteMode
    public private(set) var cassette: Cassette
    /// The secrets given at creation and every credential registered with
    /// `Secrets` since (a key a script passes is redacted like the environment's).
    public var redactor: Redactor {
        let (registered, generation) = Secrets.snapshot
        if generation != redactorGeneration {
            redactorGeneration = generation
            cachedRedactor = Redactor(secrets: givenSecrets + registered)
            matcher.redactor = cachedRedactor
            if recordsMisses {
                for hint in cachedRedactor.tooShort where warnedShort.insert(hint).inserted {
                    warn?("cassette \(path): a secret (\(hint)) is shorter than \(Redactor.minimumSecretLength) characters, so it is not "
                          + "redacted by value; credential headers and query parameters are still redacted by name")
                }
            }
        }
        return cachedRedactor
    }
    /// Where a recording session says what it cannot redact (stderr in the CLI).
    public var warn: ((String) -> Void)?
    private var warnedShort: Set<String> = []
    private let givenSecrets: [String]
    private var cachedRedactor: Redactor
    private var redactorGeneration = -1
    var matcher: CassetteMatcher
    /// True when the file existed and is replayed from.
    public let replaying: Bool
    public private(set) var recordedCount = 0

    public init(path: String, mode: CassetteMode, secrets: [String], note: String? = nil) throws(CassetteFileError) {
        self.path = path
        self.mode = mode
        givenSecrets = secrets
        cachedRedactor = Redactor(secrets: secrets)
        let existing = FileManager.default.fileExists(atPath: path)
        switch mode {
        case .none:
            guard existing else { throw CassetteFileError(path: path, message: "no such file (record it first with --record \(path))") }
            cassette = try Self.load(path)
            replaying = true
        case .once:
            cassette = existing ? try Self.load(path) : Cassette(note: note)
            replaying = existing
        case .new:
            cassette = existing ? try Self.load(path) : Cassette(note: note)
            replaying = true
        case .all:
            cassette = Cassette(note: note)
            replaying = false
        }
        matcher = CassetteMatcher(cassette: cassette, redactor: cachedRedactor)
    }

    public static func load(_ path: String) throws(CassetteFileError) -> Cassette {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CassetteFileError(path: path, message: "cannot be read")
        }
        do {
            return try CassetteCodec.decode(Array(data))
        } catch {
            throw CassetteFileError(path: path, message: error.description)
        }
    }

    /// Whether a request that matched nothing may go to the network.
    public var recordsMisses: Bool {
        switch mode {
        case .none: false
        case .once: !replaying
        case .new, .all: true
        }
    }

    /// Whether recorded interactions are looked up at all.
    var replaysHits: Bool { mode != .all && replaying }

    func append(_ interaction: CassetteInteraction) throws(CassetteFileError) {
        cassette.interactions.append(interaction)
        recordedCount += 1
        try save()
    }

    /// Writes the cassette: scan for secrets, then temp file + rename, so a
    /// crash or Ctrl-C never leaves a half-written cassette.
    public func save() throws(CassetteFileError) {
        let bytes = CassetteCodec.encode(cassette)
        let leaks = redactor.leaks(in: bytes)
        guard leaks.isEmpty else {
            throw CassetteFileError(path: path, message: "not saved: it would contain a secret (\(leaks.joined(separator: "; ")))")
        }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temp.path, contents: Data(bytes)) else {
            throw CassetteFileError(path: path, message: "cannot write to \(dir.path) (\(String(cString: strerror(errno))))")
        }
        if rename(temp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temp.path)
            throw CassetteFileError(path: path, message: "cannot replace the file (\(reason))")
        }
    }
}
