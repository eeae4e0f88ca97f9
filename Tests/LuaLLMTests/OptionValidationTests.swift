import JSON
import Testing
import TestSupport

@Suite("llm functions validate their options before any work")
struct OptionValidationTests {
    private func errorMessage(_ script: String, environment: [String: String] = [:]) -> String? {
        let harness = LuaHarness(environment: environment)
        if case .failure(let e) = harness.run(script) { return e.message }
        return nil
    }

    @Test("a missing API key names the variable to set")
    func missingKey() throws {
        let message = try #require(errorMessage("llm.chat{ model = 'claude-sonnet-4-5', prompt = 'hi' }"))
        #expect(message.contains("auth"))
        #expect(message.contains("ANTHROPIC_API_KEY is not set"))
        let openai = try #require(errorMessage("llm.embed{ model = 'text-embedding-3-small', input = 'x' }"))
        #expect(openai.contains("OPENAI_API_KEY is not set"))
    }

    @Test("errors are tables with kind and message that pcall catches")
    func errorTable() throws {
        let harness = LuaHarness()
        try harness.mustRun("""
            local ok, err = pcall(llm.chat, { model = 'claude-x', prompt = 'hi' })
            result = { ok = ok, kind = err.kind, provider = err.provider, text = tostring(err) }
            """)
        let result = try harness.global("result")
        #expect(result["ok"] == .bool(false))
        #expect(result["kind"] == .string("auth"))
        #expect(result["provider"] == .string("anthropic"))
        #expect(result["text"]?.stringValue?.hasPrefix("auth from anthropic: ANTHROPIC_API_KEY is not set") == true)
    }

    @Test("unknown options, wrong types and missing prompt are named", arguments: [
        ("llm.chat{ model = 'm', prompt = 'x', temprature = 1 }", "unknown option 'temprature' to 'chat'"),
        ("llm.chat{ model = 'm', prompt = 42 }", "bad argument #1 to 'chat' (field 'prompt' must be a string, got number)"),
        ("llm.chat{ model = 'm' }", "give 'prompt' or 'messages'"),
        ("llm.chat('hi')", "bad argument #1 to 'chat' (table expected, got string)"),
        ("llm.chat{ prompt = 'x' }", "no model given"),
        ("llm.chat{ model = 'mystery', prompt = 'x' }", "cannot tell which provider serves model 'mystery'"),
        ("llm.chat{ model = 'm', prompt = 'x', provider = 'acme' }", "field 'provider' must be \"anthropic\", \"openai\" or \"gemini\", got \"acme\""),
        ("llm.chat{ model = 'm', messages = { { role = 'robot', content = 'x' } } }", "messages[1]: unknown role 'robot'"),
        ("llm.chat{ model = 'm', prompt = 'x', tools = { { description = 'no name' } } }", "tools[1] needs a 'name'"),
        ("llm.chat{ model = 'm', prompt = 'x', max_steps = 0 }", "field 'max_steps' must be at least 1"),
        ("llm.embed{ model = 'text-embedding-3-small', input = { 'a', 2 } }", "input[2] must be a string, got number"),
        ("llm.configure{ modle = 'x' }", "unknown option 'modle' to 'configure'"),
    ])
    func badOptions(_ script: String, _ expected: String) throws {
        let message = try #require(errorMessage(script))
        #expect(message.contains(expected), "\(message)")
    }

    @Test("llm.configure sets the default model and provider endpoint")
    func configure() throws {
        let message = try #require(errorMessage("""
            llm.configure{ model = 'claude-haiku-4-5', anthropic = { api_key = 'k', base_url = 'http://127.0.0.1:9' } }
            llm.chat{ prompt = 'hi' }
            """))
        // Port 9 (discard) refuses connections: the call got as far as the network.
        #expect(message.contains("network"), "\(message)")
    }
}
