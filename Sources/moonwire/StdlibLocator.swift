// Finds Moonwire's Lua stdlib relative to the executable, so a build in the
// repository, an installed copy (PREFIX/bin + PREFIX/share/moonwire/stdlib) and
// a copied folder all work without configuration.
import Foundation

enum StdlibLocator {
    /// A file every stdlib folder has; it tells Moonwire's stdlib from any other.
    static let marker = "pretty.lua"

    static func find() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let explicit = env["MOONWIRE_STDLIB"], isStdlib(explicit) { return explicit }
        guard let exe = executablePath() else { return nil }
        var dir = (exe as NSString).deletingLastPathComponent
        let installed = ((dir as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/moonwire/stdlib")
        if isStdlib(installed) { return installed }
        // A build tree: walk up from .build/<config>/ to the folder holding stdlib/.
        for _ in 0..<6 {
            let candidate = (dir as NSString).appendingPathComponent("stdlib")
            if isStdlib(candidate) { return candidate }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir { break }
            dir = parent
        }
        return nil
    }

    private static func isStdlib(_ dir: String) -> Bool {
        FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(marker))
    }

    private static func executablePath() -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
    }
}
