// Paths tests need: the repository root (found from this file), the built
// `moonwire` binary.
import Foundation

public enum Repository {
    /// The folder holding Package.swift.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("TestSupport: no Package.swift above \(#filePath)")
    }()

    /// The build products folder that holds the running test bundle (and the
    /// `moonwire` executable built with it).
    public static let productsDirectory: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        var dir = bundle.deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("moonwire").path) {
            dir.deleteLastPathComponent()
        }
        return dir
    }()

    public static var moonwireBinary: URL { productsDirectory.appendingPathComponent("moonwire") }
}
