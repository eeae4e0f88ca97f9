// Where the conformance recordings live: the repository's own copy in
// `Tests/Fixtures/conformance` (refreshed from the team's shared folder by hand;
// SOURCES.md there keeps the notices the licenses require). Nothing reads
// outside the repository, so a fresh clone stands alone (issue 12).
import Foundation

public enum Fixtures {
    /// The repository root, found by walking up from this source file. When the
    /// file is reached through a symlink (a scratch package), the root that
    /// holds `Tests/Fixtures/conformance` wins.
    public static let repoRoot: URL = {
        let here = URL(fileURLWithPath: #filePath)
        let roots = [here, here.resolvingSymlinksInPath()].compactMap(packageRoot(above:))
        return roots.first { FileManager.default.fileExists(atPath: conformance(under: $0).path) }
            ?? roots.first
            ?? here.deletingLastPathComponent()
    }()

    public static var conformanceRoot: URL { conformance(under: repoRoot) }

    /// A file under the conformance root, e.g. `"anthropic/llm-anthropic__test_prompt.yaml"`.
    public static func conformance(_ relativePath: String) -> URL {
        conformanceRoot.appendingPathComponent(relativePath)
    }

    /// Every file directly inside the conformance root's subfolders whose name
    /// ends in `suffix` (e.g. ".yaml"), sorted by relative path.
    public static func conformanceFiles(endingWith suffix: String) throws -> [URL] {
        let manager = FileManager.default
        let folders = try manager.contentsOfDirectory(atPath: conformanceRoot.path).sorted()
        return try folders.flatMap { folder -> [URL] in
            let url = conformanceRoot.appendingPathComponent(folder)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else { return [] }
            return try manager.contentsOfDirectory(atPath: url.path).sorted()
                .filter { $0.hasSuffix(suffix) }
                .map { url.appendingPathComponent($0) }
        }
    }

    private static func conformance(under root: URL) -> URL {
        root.appendingPathComponent("Tests/Fixtures/conformance")
    }

    private static func packageRoot(above file: URL) -> URL? {
        var folder = file.deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}
