// Writes a whole file or nothing (temporary file beside it + rename), so an
// interrupted or failed write never leaves half a cassette behind.
import Foundation

enum AtomicFile {
    /// Throws a ScriptFailure naming `path` and the system's reason.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temp.path, contents: Data(bytes)) else {
            throw ScriptFailure(message: "cannot write \(path) (\(String(cString: strerror(errno))))")
        }
        if rename(temp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temp.path)
            throw ScriptFailure(message: "cannot write \(path) (\(reason))")
        }
    }
}
