// Fresh folders and script files under the system's temporary directory, one
// per test, so tests that write files never share or collide.
import Foundation

public enum TemporaryFiles {
    /// A new, empty folder named `moonwire-PREFIX-<uuid>`.
    public static func directory(_ prefix: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// `text` written as `NAME` in a new folder; its URL.
    public static func script(_ text: String, prefix: String, name: String = "script.lua") throws -> URL {
        let url = try directory(prefix).appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
