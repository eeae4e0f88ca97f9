import FakeProvider
import Foundation
import JSON
import Testing
import TestSupport

/// The call log (issue 15), through the binary: scripts run against a
/// FakeProvider on 127.0.0.1 write to a database in a temporary folder, and
/// `moonwire logs`, `llm.logs` and `--metrics` read what they wrote.
@Suite("Call log: every call in SQLite, moonwire logs, llm.logs, --metrics", .serialized)
struct CallLogTests {
    static let anthropicKey = "sk-ant-calllog-0123456789abcdef"
    static let openAIKey = "sk-openai-calllog-0123456789abcdef"
    static let passedKey = "sk-passed-as-api-key-0123456789"

    /// Answers by path: Anthropic messages (a tool call when the prompt asks for
    /// one, an error when it says "fail"), OpenAI chat (no usage when the prompt
    /// says "local") and embeddings. Every answer echoes the key it was sent.
    static func server() -> FakeProviderServer {
        FakeProviderServer { request in
            let body = request.bodyText
            if request.path.hasSuffix("/embeddings") {
                return .json(#"{"data":[{"index":0,"embedding":[0.5,0.5]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":3,"total_tokens":3}}"#)
            }
            if request.path.hasSuffix("/chat/completions") {
                return .openAIText(["local ", "answer"], usage: !body.contains("local"))
            }
            let key = request.header("x-api-key") ?? "-"
            if body.contains("fail") {
                return .json(#"{"type":"error","error":{"type":"invalid_request_error","message":"bad prompt, key \#(key)"}}"#, status: 400,
                             headers: [("request-id", "req_calllog_1")])
            }
            if body.contains("weather"), !body.contains("tool_result") {
                return .sse(events: [
                    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"model\":\"claude-test\",\"content\":[],\"usage\":{\"input_tokens\":30,\"output_tokens\":1}}}\n\n",
                    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}\n\n",
                    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}\n\n",
                    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":10}}\n\n",
                    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
                ])
            }
            return .anthropicText(["The answer is ", "periwinkle marmalade", " (key ", key, ")"])
        }
    }

    static func environment(_ server: FakeProviderServer, db: URL) -> [String: String] {
        ["ANTHROPIC_API_KEY": anthropicKey, "ANTHROPIC_BASE_URL": server.baseURL, "OPENAI_API_KEY": openAIKey,
         "OPENAI_BASE_URL": server.baseURL + "/v1", "MOONWIRE_MODEL": "", "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": "",
         "MOONWIRE_LOG": "", "MOONWIRE_LOG_DB": db.path]
    }

    static let script = """
        local r = llm.chat{ model = "claude-test", prompt = "What colour is it?" }
        print("plain", r.text)
        local c = llm.client{ providers = { { name = "claude", kind = "anthropic", model = "claude-test", api_key = "\(passedKey)" } } }
        print("client", c:chat{ prompt = "And the client?" }.text)
        local ok, e = pcall(llm.chat, { model = "claude-test", prompt = "please fail" })
        print("failed", ok, e.kind, e.status)
        local t = llm.chat{ model = "claude-test", prompt = "weather in Paris?", max_steps = 3,
          tools = { { name = "get_weather", parameters = { type = "object", properties = { city = { type = "string" } } },
                      fn = function(a) return { city = a.city, temp_c = 21 } end } } }
        print("tools", t.steps)
        local l = llm.chat{ model = "smollm2", provider = "openai", prompt = "local model, no usage" }
        print("local", l.usage.estimated, l.usage.input_tokens > 0, l.usage.output_tokens > 0)
        local v = llm.embed{ model = "text-embedding-3-small", input = "embed me" }
        print("embed", #v.vector)
        local mine = llm.logs{ run = "current", n = 0 }
        print("logged", #mine, mine[1].kind, mine[#mine].prompt)
        """

    /// A temporary folder and a started `Self.server()`, both gone after `body`.
    private func withServer(_ name: String, _ body: (URL, FakeProviderServer) throws -> Void) throws {
        let dir = try TemporaryFiles.directory(name)
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = Self.server()
        try server.start()
        defer { server.stop() }
        try body(dir, server)
    }

    private func runScript(_ text: String, _ env: [String: String], arguments: [String] = [], dir: URL) throws -> ProcessResult {
        let url = dir.appendingPathComponent("job.lua")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return try ProcessRunner.moonwire(["run"] + arguments + [url.path, "item-7"], environment: env, currentDirectory: dir)
    }

    private func logs(_ arguments: [String], _ env: [String: String]) throws -> ProcessResult {
        try ProcessRunner.moonwire(["logs"] + arguments, environment: env)
    }

    private func jsonLines(_ text: String) throws -> [JSONValue] {
        try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    @Test("plain, client, failing, tool-loop and embedding calls are logged with their fields; the script reads them back")
    func everyCallLogged() throws {
        try withServer("calllog") { dir, server in
            let env = Self.environment(server, db: dir.appendingPathComponent("state/logs.db"))
            let r = try runScript(Self.script, env, dir: dir)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("failed\tfalse\tinvalid_request\t400"), "\(r.stdout)")
            #expect(r.stdout.contains("local\ttrue\ttrue\ttrue"), "\(r.stdout)")
            // 2 plain/client + 1 failed + 2 tool-loop turns + 1 local + 1 embedding; newest first.
            #expect(r.stdout.contains("logged\t7\tembedding\tWhat colour is it?"), "\(r.stdout)")

            let out = try logs(["--json", "-n", "0"], env)
            #expect(out.status == 0, "\(out.stderr)")
            let rows = try jsonLines(out.stdout)
            #expect(rows.count == 7)
            let oldest = try #require(rows.last)
            #expect(oldest["kind"]?.stringValue == "chat")
            #expect(oldest["provider"]?.stringValue == "anthropic")
            #expect(oldest["model"]?.stringValue == "claude-test")
            #expect(oldest["prompt"]?.stringValue == "What colour is it?")
            #expect(oldest["response"]?.stringValue?.hasPrefix("The answer is periwinkle marmalade") == true)
            #expect(oldest["stop_reason"]?.stringValue == "end_turn")
            #expect(oldest["script"]?.stringValue?.hasSuffix("job.lua") == true)
            #expect(oldest["args"] == .array(["item-7"]))
            #expect(oldest["usage"]?["input_tokens"] == .int(10))
            #expect(oldest["attempts"] == .int(1))
            #expect(oldest["replayed"] == .bool(false))
            #expect(oldest["request"]?["messages"]?[0]?["content"]?.stringValue == "What colour is it?")
            #expect(oldest["latency_ms"]?.doubleValue != nil && oldest["ttft_ms"]?.doubleValue != nil)

            #expect(rows[5]["route"]?.stringValue == "claude")  // the client's route name
            let failed = rows[4]
            #expect(failed["error"]?["kind"]?.stringValue == "invalid_request")
            #expect(failed["error"]?["status"] == .int(400))
            #expect(failed["error"]?["request_id"]?.stringValue == "req_calllog_1")
            #expect(failed["error"]?["message"]?.stringValue?.contains("bad prompt") == true)
            #expect(failed["attempt_log"]?[0]?["status"] == .int(400))

            let turn1 = rows[3], turn2 = rows[2]
            #expect(turn1["stop_reason"]?.stringValue == "tool_use")
            #expect(turn1["tool_calls"]?[0]?["name"]?.stringValue == "get_weather")
            #expect(turn1["tool_calls"]?[0]?["arguments"]?["city"]?.stringValue == "Paris")
            #expect(turn2["request"]?["messages"]?.arrayValue?.count == 3)  // user, assistant tool use, tool result

            #expect(rows[1]["usage"]?["estimated"] == .bool(true))
            #expect(rows[1]["model"]?.stringValue == "smollm2")
            #expect(rows[0]["kind"]?.stringValue == "embedding")
            #expect(rows[0]["prompt"]?.stringValue == "embed me")
            #expect(rows[0]["usage"]?["input_tokens"] == .int(3))

            // Filters, full-text search, SQL, stats, path.
            #expect(try jsonLines(try logs(["--json", "--errors"], env).stdout).count == 1)
            #expect(try jsonLines(try logs(["--json", "--model", "smollm2"], env).stdout).count == 1)
            #expect(try jsonLines(try logs(["--json", "--provider", "claude"], env).stdout).count == 1)
            #expect(try jsonLines(try logs(["--json", "--script", "job.lua", "--since", "1h"], env).stdout).count == 7)
            #expect(try logs(["--json", "--script", "other.lua"], env).stdout.isEmpty)
            let found = try jsonLines(try logs(["--json", "-q", "periwinkle marmalade"], env).stdout)
            #expect(found.count == 3 && found.allSatisfy { $0["response"]?.stringValue?.contains("periwinkle") == true })
            let plain = try logs(["-q", "colour"], env)
            #expect(plain.stdout.split(separator: "\n").count == 1 && plain.stdout.contains("\tWhat colour is it?\t"), "\(plain.stdout)")
            let sql = try logs(["--sql", "SELECT model, count(*) AS n FROM calls GROUP BY model ORDER BY model"], env)
            #expect(sql.stdout == "model\tn\nclaude-test\t5\nsmollm2\t1\ntext-embedding-3-small\t1\n", "\(sql.stdout)")
            let badSQL = try logs(["--sql", "SELEC nonsense"], env)
            #expect(badSQL.status == 1 && badSQL.stderr.contains("--sql:"), "\(badSQL.stderr)")
            let stats = try jsonLines(try logs(["stats", "--json"], env).stdout)
            let claude = try #require(stats.first { $0["model"]?.stringValue == "claude-test" })
            #expect(claude["calls"] == .int(5) && claude["errors"] == .int(1))
            #expect(claude["errors_by_kind"]?["invalid_request"] == .int(1))
            #expect(claude["latency_p50_ms"]?.doubleValue != nil && claude["ttft_p95_ms"]?.doubleValue != nil)
            #expect(try logs(["path"], env).stdout == env["MOONWIRE_LOG_DB"]! + "\n")
            let since = try logs(["--since", "yesterday"], env)
            #expect(since.status != 0 && since.stderr.contains("--since must be"), "\(since.stderr)")
        }
    }

    @Test("no key reaches the database: the environment's, one passed as api_key, echoed in answers and errors")
    func secretsRedacted() throws {
        try withServer("calllog-secrets") { dir, server in
            let db = dir.appendingPathComponent("logs.db")
            let r = try runScript(Self.script, Self.environment(server, db: db), dir: dir)
            #expect(r.status == 0, "\(r.stderr)")
            // The answers echoed each key: the log must hold none of them, in any of its files.
            var bytes = Data()
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasPrefix("logs.db") {
                bytes.append(try Data(contentsOf: dir.appendingPathComponent(name)))
            }
            #expect(bytes.count > 10_000)
            for key in [Self.anthropicKey, Self.openAIKey, Self.passedKey] {
                #expect(bytes.range(of: Data(key.utf8)) == nil, "\(key) is in the call log")
            }
            let rows = try jsonLines(try logs(["--json", "-n", "0"], Self.environment(server, db: db)).stdout)
            #expect(rows.contains { $0["response"]?.stringValue?.contains("(key <redacted>)") == true })
            #expect(rows.contains { $0["error"]?["message"]?.stringValue?.contains("key <redacted>") == true })
        }
    }

    @Test("an unwritable or locked database is a warning, never a failed call; --no-log and MOONWIRE_LOG=off write nothing")
    func databaseTrouble() throws {
        try withServer("calllog-trouble") { dir, server in
            let chat = #"print(llm.chat{ model = "claude-test", prompt = "hi" }.text)"#

            // A path under a regular file cannot be made (root ignores permissions; this it cannot get past).
            let blocker = dir.appendingPathComponent("not-a-folder")
            try Data("x".utf8).write(to: blocker)
            let bad = try runScript(chat, Self.environment(server, db: blocker.appendingPathComponent("logs.db")), dir: dir)
            #expect(bad.status == 0, "\(bad.stderr)")
            #expect(bad.stdout.hasPrefix("The answer is periwinkle marmalade"))
            #expect(bad.stderr.contains("moonwire: call log") && bad.stderr.contains("calls are not logged"), "\(bad.stderr)")
            #expect(bad.stderr.contains("1 call(s) were not logged"), "\(bad.stderr)")

            // Another process holds the write lock for a while: the run waits for it (busy timeout) and loses nothing.
            let db = dir.appendingPathComponent("locked.db")
            let env = Self.environment(server, db: db)
            #expect(try runScript(chat, env, dir: dir).status == 0)
            let holder = try ChildProcess("/usr/bin/python3", ["-c", """
                import sqlite3, sys, time
                c = sqlite3.connect(sys.argv[1], isolation_level=None)
                c.execute("BEGIN IMMEDIATE"); c.execute("INSERT INTO _moonwire_migrations VALUES (999, 'lock', 'now')")
                print("locked", flush=True); time.sleep(1.5); c.execute("ROLLBACK")
                """, db.path], environment: ProcessInfo.processInfo.environment, stderr: .null)
            defer { holder.signal(SIGKILL) }
            #expect(String(decoding: holder.standardOutput!.availableData, as: UTF8.self).hasPrefix("locked"))
            let locked = try runScript(chat, env, dir: dir)
            #expect(locked.status == 0, "\(locked.stderr)")
            #expect(holder.waitForExit(timeout: 20))
            #expect(try jsonLines(try logs(["--json", "-n", "0"], env).stdout).count == 2)

            // Off: nothing written, and no database made.
            let offDB = dir.appendingPathComponent("off.db")
            #expect(try runScript(chat, Self.environment(server, db: offDB), arguments: ["--no-log"], dir: dir).status == 0)
            var offEnv = Self.environment(server, db: offDB)
            offEnv["MOONWIRE_LOG"] = "off"
            #expect(try runScript(chat, offEnv, dir: dir).status == 0)
            #expect(!FileManager.default.fileExists(atPath: offDB.path))
            offEnv["MOONWIRE_LOG"] = "sometimes"
            let wrong = try runScript(chat, offEnv, dir: dir)
            #expect(wrong.status != 0 && wrong.stderr.contains("MOONWIRE_LOG must be on or off, got 'sometimes'"), "\(wrong.stderr)")
        }
    }

    @Test("two processes of 60 concurrent calls each write to one database at once and lose no row")
    func twoWriters() throws {
        let dir = try TemporaryFiles.directory("calllog-two")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = FakeProviderServer { _ in .anthropicText(["ok"]) }
        try server.start()
        defer { server.stop() }
        let env = Self.environment(server, db: dir.appendingPathComponent("logs.db"))
        let job = """
            local items = {}
            for i = 1, 60 do items[i] = "item " .. i end
            local out = llm.map(items, function(p) return llm.chat{ model = "claude-test", prompt = p }.text end, { concurrency = 30 })
            print(#out)
            """
        let url = dir.appendingPathComponent("two.lua")
        try job.write(to: url, atomically: true, encoding: .utf8)
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let r = try? ProcessRunner.moonwire(["run", url.path], environment: env)
            results.add(r)
        }
        #expect(results.all.count == 2 && results.all.allSatisfy { $0?.status == 0 && $0?.stdout == "60\n" })
        let counts = try logs(["--sql", "SELECT count(*), count(DISTINCT run_id), count(DISTINCT prompt) FROM calls"], env)
        #expect(counts.stdout == "count(*)\tcount(DISTINCT run_id)\tcount(DISTINCT prompt)\n120\t2\t60\n", "\(counts.stdout)")
    }

    @Test("replays and moonwire test log nothing unless MOONWIRE_LOG=on; then the rows say replayed")
    func replaysOffByDefault() throws {
        let dir = try TemporaryFiles.directory("calllog-replay")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("logs.db")
        var env = ["ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": "", "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": "", "MOONWIRE_MODEL": "",
                   "MOONWIRE_LOG": "", "MOONWIRE_LOG_DB": db.path]
        let example = Repository.root.appendingPathComponent("examples/fallback.lua").path
        #expect(try ProcessRunner.moonwire(["run", example], environment: env).status == 0)
        #expect(!FileManager.default.fileExists(atPath: db.path))
        env["MOONWIRE_LOG"] = "on"
        let r = try ProcessRunner.moonwire(["run", example], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try jsonLines(try logs(["--json"], env).stdout)
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0["replayed"] == .bool(true) && $0["route"]?.stringValue == "local" })
        #expect(rows.first?["cassette"]?.stringValue?.hasSuffix("examples/fallback.cassette.json") == true)
        #expect(rows.first?["attempt_log"]?.arrayValue?.count == 3)  // claude and openai refused, local answered
    }

    @Test("--metrics writes OpenMetrics that prometheus_client's parser reads, with the calls, tokens and histograms")
    func metrics() throws {
        try withServer("calllog-metrics") { dir, server in
            let file = dir.appendingPathComponent("moonwire.prom")
            var env = Self.environment(server, db: dir.appendingPathComponent("logs.db"))
            env["MOONWIRE_LOG"] = "off"
            let r = try runScript(Self.script.replacingOccurrences(of: #"llm.logs{ run = "current", n = 0 }"#, with: "{{}}"), env,
                                  arguments: ["--metrics", file.path], dir: dir)
            #expect(r.status == 0, "\(r.stderr)")
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.hasSuffix("# EOF\n"))
            #expect(text.contains(#"moonwire_calls_total{kind="chat",route="anthropic",model="claude-test",outcome="ok"} 3"#), "\(text)")
            #expect(text.contains(#"moonwire_calls_total{kind="chat",route="anthropic",model="claude-test",outcome="invalid_request"} 1"#))
            #expect(text.contains(#"moonwire_estimated_usage_calls_total{kind="chat",route="openai",model="smollm2"} 1"#))
            #expect(text.contains(#"moonwire_call_latency_seconds_count{kind="chat",route="claude",model="claude-test"} 1"#))
            guard let python = SDKVenv.python, (try? ProcessRunner.run(python, ["-c", "import prometheus_client"]).status) == 0 else { return }
            let check = try ProcessRunner.run(python, ["-c", """
                import sys
                from prometheus_client.openmetrics.parser import text_string_to_metric_families
                fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
                calls = sum(s.value for s in fams["moonwire_calls"].samples)
                hist = [s for s in fams["moonwire_call_latency_seconds"].samples if s.name.endswith("_count")]
                print(int(calls), fams["moonwire_call_latency_seconds"].type, len(hist), fams["moonwire_tokens"].type)
                """, file.path])
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout == "7 histogram 4 counter\n", "\(check.stdout)")
        }
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [ProcessResult?] = []
    func add(_ r: ProcessResult?) { lock.lock(); results.append(r); lock.unlock() }
    var all: [ProcessResult?] { lock.lock(); defer { lock.unlock() }; return results }
}
