// The `llm` module table. Its functions arrive with the providers issue; the
// table exists now so scripts and stubs can rely on it.
import LuaBridge

enum LLMModule {
    static let version = "0.1.0"

    static func push(_ stack: LuaCall) {
        stack.newTable(recordCount: 4)
        let t = stack.absolute(-1)
        stack.push(version)
        stack.setField(t, "version")
    }
}
