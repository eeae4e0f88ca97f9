import FakeProvider
import Foundation
import Testing
import TestSupport

/// llm.map through the binary: the summary line on a pipe, and Ctrl-C that
/// keeps the finished results.
@Suite("llm.map through the binary")
struct MapCommandTests {
    private func script(_ text: String) throws -> URL {
        try TemporaryFiles.script(text, prefix: "map", name: "map.lua")
    }

    private func env(_ server: FakeProviderServer) -> [String: String] {
        ["ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-ant-test", "MOONWIRE_MODEL": "claude-test",
         "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": ""]
    }

    @Test("progress = true on a pipe: no bar, one summary line at the end")
    func summaryOnAPipe() throws {
        let server = FakeProviderServer { request in
            request.bodyText.contains("item 7")
                ? .json(#"{"type":"error","error":{"type":"api_error","message":"boom"}}"#, status: 500)
                : .anthropicText(["ok"])
        }
        try server.start()
        defer { server.stop() }
        let url = try script("""
            local items = {}
            for i = 1, 20 do items[i] = "item " .. i end
            local results, summary = llm.map(items, function(p) return llm.chat{ prompt = p }.text end, { concurrency = 5, progress = true })
            print(summary.ok, summary.failed, results[7].kind, results[7].index)
            """)
        let r = try ProcessRunner.moonwire(["run", url.path], environment: env(server))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "19\t1\tserver\t7\n")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1] == "", "one line: \(r.stderr.debugDescription)")
        #expect(lines[0].hasPrefix("llm.map: 20 of 20 items in "), "\(lines[0])")
        #expect(lines[0].hasSuffix(": 19 ok, 1 failed (server 1)"), "\(lines[0])")
        #expect(!r.stderr.contains("\u{1B}"), "no terminal codes on a pipe")
    }

    @Test("Ctrl-C during llm.map: the transfers stop, a note says so, and the finished results are in the error")
    func interruptKeepsResults() throws {
        let server = FakeProviderServer { request in
            // Items 1-8 answer at once; the rest take long enough to be cut.
            let quick = (1...8).contains { request.bodyText.contains("\"item \($0)\"") }
            return .anthropicText(["done"], interval: quick ? 0 : 30)
        }
        try server.start()
        defer { server.stop() }
        let run = try InterruptibleRun(script: { marker in """
            local items = {}
            for i = 1, 40 do items[i] = "item " .. i end
            local answered = 0
            local ok, err = pcall(llm.map, items, function(p)
              local text = llm.chat{ prompt = p }.text
              answered = answered + 1
              if answered == 8 then io.open("\(marker)", "w"):close() end  -- tells the test: Ctrl-C now
              return text
            end, { concurrency = 12 })
            local finished = 0
            for i = 1, err.results.n do if err.results[i] == "done" then finished = finished + 1 end end
            print(ok, err.kind, finished, err.summary.ok, err.summary.cancelled, err.summary.not_started, err.results[9].kind)
            """ }, environment: env(server))
        // Wait until the quick items reached the script and 12 slow ones are in flight.
        let inFlight = run.waitForMarker() && server.waitUntil(timeout: 30) { $0.requests.count >= 20 }
        #expect(inFlight, "requests seen: \(server.requests.count)")
        run.pressCtrlC()
        let result = try #require(run.finish(), "moonwire did not stop after Ctrl-C")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "false\tcancelled\t8\t8\t12\t20\tcancelled\n", "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("llm.map: interrupted after 8 of 40 items (8 ok, 0 failed, 12 cancelled, 20 not started); the finished results are in the error's `results` field"), "\(result.stderr)")
        #expect(server.waitUntil(timeout: 10) { $0.openConnections == 0 }, "the transfers in flight were closed")
        #expect(server.requests.count == 20, "no new item started after Ctrl-C")
    }

    @Test("Ctrl-C in busy Lua code raises \"interrupted\" once, as in lua: a pcall catches it and the script goes on")
    func interruptBusyLoopOnce() throws {
        let run = try InterruptibleRun(script: { marker in """
            local ok, err = pcall(function()
              io.open("\(marker)", "w"):close()
              local n = 0
              while true do n = n + 1 end
            end)
            print(ok, err)
            local sum = 0
            for i = 1, 3000000 do sum = sum + i end  -- long enough for a hook that fired twice to show
            print("after", sum)
            """ })
        #expect(run.waitForMarker())
        run.pressCtrlC()
        let result = try #require(run.finish(), "moonwire did not stop the loop")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "false\tinterrupted\nafter\t4500001500000\n", "\(result.stdout)")
    }

    @Test("Ctrl-C stops a busy loop even when the script set a hook of its own, in the main chunk and in a task (issue 11)")
    func interruptWithTheScriptsOwnHook() throws {
        let run = try InterruptibleRun(script: { marker in """
            local calls = 0
            debug.sethook(function() calls = calls + 1 end, "", 100000)
            for _ = 1, 1000000 do end  -- the script's hook has run by now
            local ok, err = pcall(function()
              io.open("\(marker)", "w"):close()
              local n = 0
              while true do n = n + 1 end
            end)
            print(ok, err, calls > 0)
            """ })
        #expect(run.waitForMarker())
        run.pressCtrlC()
        let result = try #require(run.finish(), "moonwire did not stop the loop")
        #expect(result.stdout == "false\tinterrupted\ttrue\n", "\(result.stdout) \(result.stderr)")

        let inTask = try InterruptibleRun(script: { marker in """
            local t = llm.spawn(function()
              io.open("\(marker)", "w"):close()
              local n = 0
              while true do n = n + 1 end
            end)
            local ok, err = pcall(t.wait, t)
            print(ok, tostring(err):match("interrupted") ~= nil)
            """ })
        #expect(inTask.waitForMarker())
        inTask.pressCtrlC()
        let taskResult = try #require(inTask.finish(), "moonwire did not stop the task's loop")
        #expect(taskResult.stdout == "false\ttrue\n", "\(taskResult.stdout) \(taskResult.stderr)")

        // A coroutine the script made itself (coroutine.wrap): one Ctrl-C stops it too.
        let inCoroutine = try InterruptibleRun(script: { marker in """
            local ok, err = pcall(coroutine.wrap(function()
              io.open("\(marker)", "w"):close()
              local n = 0
              while true do n = n + 1 end
            end))
            print(ok, tostring(err):match("interrupted") ~= nil)
            """ })
        #expect(inCoroutine.waitForMarker())
        inCoroutine.pressCtrlC()
        let coResult = try #require(inCoroutine.finish(), "moonwire did not stop the coroutine's loop")
        #expect(coResult.stdout == "false\ttrue\n", "\(coResult.stdout) \(coResult.stderr)")
    }
}
