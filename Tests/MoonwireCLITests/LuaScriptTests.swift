import Foundation
import Testing
import TestSupport

/// Every `Tests/lua/*_test.lua` runs through the built binary and must exit 0.
@Suite("Lua-level tests run by the binary")
struct LuaScriptTests {
    static let scripts: [String] = {
        let dir = Repository.root.appendingPathComponent("Tests/lua")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix("_test.lua") }.sorted()
    }()

    @Test("script passes", arguments: scripts)
    func script(_ name: String) throws {
        let path = Repository.root.appendingPathComponent("Tests/lua/\(name)").path
        let r = try ProcessRunner.moonwire(["run", path], environment: ["MOONWIRE_REPO": Repository.root.path])
        #expect(r.status == 0, "\(name) failed:\n\(r.stderr)")
        #expect(!r.timedOut)
    }

    @Test("the suite found its scripts")
    func found() { #expect(!Self.scripts.isEmpty) }
}
