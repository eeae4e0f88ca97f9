// Drives `moonwire` on a real pseudo-terminal through tmux: type text, press
// keys, read the screen. Each session has its own tmux server (a unique
// socket), a temporary HOME and XDG_STATE_HOME, and is killed by `close()`;
// every wait polls the screen against a deadline.
import Foundation
import TestSupport

final class TmuxSession {
    static let executable: URL? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .map(URL.init(fileURLWithPath:)).first { FileManager.default.isExecutableFile(atPath: $0.path) }
    static var isAvailable: Bool { executable != nil }

    let socket = "moonwire-test-\(getpid())-\(UUID().uuidString.prefix(8))"
    let target = "repl"
    /// HOME and XDG_STATE_HOME point inside it; tests may put files here.
    let home: URL
    private let statusFile: URL
    var historyPath: String { home.appendingPathComponent("state/moonwire/history").path }

    /// Starts `moonwire arguments...` in a 100×30 terminal. `home` may be
    /// shared with an earlier session (history across restarts).
    init(_ arguments: [String] = [], environment: [String: String] = [:], home: URL? = nil) throws {
        if let home {
            self.home = home
        } else {
            self.home = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-tmux-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.home, withIntermediateDirectories: true)
        }
        statusFile = self.home.appendingPathComponent("status-\(UUID().uuidString)")
        let config = self.home.appendingPathComponent("tmux.conf")
        // Keep the pane after moonwire exits, to read its exit status.
        try "set -g remain-on-exit on\nset -g history-limit 5000\n".write(to: config, atomically: true, encoding: .utf8)
        var env = [
            "HOME": self.home.path, "XDG_STATE_HOME": self.home.appendingPathComponent("state").path,
            "LANG": "C.UTF-8", "LC_ALL": "", "NO_COLOR": "", "MOONWIRE_MODEL": "", "MOONWIRE_CASSETTE": "",
            "ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": "",
        ]
        for (k, v) in environment { env[k] = v }
        var command = ["-L", socket, "-f", config.path, "new-session", "-d", "-s", target, "-x", "100", "-y", "30"]
        for (k, v) in env.sorted(by: { $0.key < $1.key }) { command += ["-e", "\(k)=\(v)"] }
        // bash writes moonwire's exit status to a file: tmux's own
        // #{pane_dead_status} sometimes never arrives (the child is not reaped).
        // bash traps SIGINT (Ctrl-C reaches its process group too) so it lives
        // to write the status; the trap is not inherited by moonwire.
        let wrapper = "trap : INT; \"$@\"; echo $? > '\(statusFile.path)'"
        command += ["--", "/bin/bash", "-c", wrapper, "moonwire", Repository.moonwireBinary.path] + arguments
        guard let executable = Self.executable else { throw TmuxError("tmux is not installed") }
        var serverEnvironment = ProcessInfo.processInfo.environment.filter { $0.key != "TMUX" }
        for (k, v) in env { serverEnvironment[k] = v }
        // The server, and moonwire under it, must not inherit the test thread's blocked signals.
        let status = try CleanSpawn.run(executable.path, command, environment: ChildProcess.childEnvironment(serverEnvironment))
        guard status == 0 else { throw TmuxError("tmux new-session failed with status \(status)") }
        let pids = try tmux(["display-message", "-p", "-t", target, "#{pid} #{pane_pid}"]).stdout
        processes = pids.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { pid_t($0) }
    }

    /// The tmux server and bash, killed by `close()` whatever state they are in.
    private var processes: [pid_t] = []

    deinit { close() }

    /// Ends moonwire, bash and the tmux server. Idempotent.
    func close() {
        let children = processes.last.map(Self.children(of:)) ?? []
        _ = try? tmux(["kill-server"])
        for pid in children + processes where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        processes = []
    }

    private static func children(of pid: pid_t) -> [pid_t] {
        let list = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return list.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    @discardableResult
    private func tmux(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        guard let executable = Self.executable else { throw TmuxError("tmux is not installed") }
        return try ProcessRunner.run(executable, ["-L", socket] + arguments, environment: environment, timeout: 15)
    }

    /// Types `text` literally.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", target, "-l", "--", text])
    }

    /// Presses keys by tmux name: "Enter", "C-c", "C-d", "Up", "Tab".
    func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", target] + keys)
    }

    /// Types a line and presses Enter.
    func enter(_ line: String) throws {
        try type(line)
        try press("Enter")
    }

    /// Pastes `text` as a terminal paste would deliver it (no key names).
    func paste(_ text: String) throws {
        let file = home.appendingPathComponent("paste-\(UUID().uuidString)")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try tmux(["load-buffer", "-b", "p", file.path])
        try tmux(["paste-buffer", "-d", "-b", "p", "-t", target])
    }

    /// The visible screen, wrapped lines joined, trailing blank lines dropped;
    /// with `escapes`, the colours and attributes as escape sequences too.
    func screen(scrollback: Bool = false, escapes: Bool = false) -> String {
        let flags = (scrollback ? ["-S", "-"] : []) + (escapes ? ["-e"] : [])
        guard let r = try? tmux(["capture-pane", "-p", "-J", "-t", target] + flags) else { return "" }
        var lines = r.stdout.components(separatedBy: "\n")
        while lines.last?.trimmingCharacters(in: .whitespaces) == "" && !lines.isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Polls the screen until `condition` holds; returns the screen that
    /// satisfied it, or throws with the last screen after `timeout` seconds.
    @discardableResult
    /// With `scrollback`, the whole history (tmux may clear the visible screen
    /// when the program ends).
    func waitFor(_ what: String, timeout: Double = 20, scrollback: Bool = false, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date(timeIntervalSinceNow: timeout)
        var last = ""
        while Date() < deadline {
            last = screen(scrollback: scrollback)
            if condition(last) { return last }
            usleep(50_000)
        }
        throw TmuxError("timed out waiting for \(what); \(diagnosis()); screen:\n\(last)")
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 20) throws -> String {
        try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    /// The last line of the screen is an empty prompt ("> ").
    @discardableResult
    func waitForPrompt(timeout: Double = 20) throws -> String {
        try waitFor("an empty prompt", timeout: timeout) { $0.components(separatedBy: "\n").last == ">" || $0.hasSuffix("\n> ") || $0 == ">" }
    }

    /// moonwire's exit status once it has exited, waiting up to `timeout`.
    func exitStatus(timeout: Double = 20) throws -> Int32 {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if let text = try? String(contentsOf: statusFile, encoding: .utf8),
               let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            usleep(50_000)
        }
        throw TmuxError("moonwire did not exit; \(diagnosis()); screen:\n\(screen())")
    }

    /// What tmux says about the pane, and moonwire's exit status if known.
    private func diagnosis() -> String {
        let panes = try? tmux(["list-panes", "-a", "-F", "dead=#{pane_dead} pid=#{pane_pid} status=#{pane_dead_status}"])
        let status = (try? String(contentsOf: statusFile, encoding: .utf8)) ?? "none"
        return "tmux: \(panes?.stdout ?? "") \(panes?.stderr ?? "") exit status file: \(status)"
    }
}

struct TmuxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
