// ChildProcess: a program the tests start, through posix_spawn rather than
// Foundation's Process. Process closes the child's descriptors by scanning
// /proc/self/fd in the child, which AddressSanitizer reports as a heap
// overflow inside Foundation (a toolchain bug), so the suite could not run
// under `scripts/test --sanitize`. Here glibc's closefrom action does that
// job (CSpawn).
//
// The child also starts with no signals blocked and the usual signals at
// their default dispositions: tests run on pool threads that block signals,
// and a mask is inherited across exec (a child would never see SIGINT).
import CSpawn
import Foundation

public final class ChildProcess: @unchecked Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream {
        case null
        /// A pipe the test reads (stdout, stderr) or writes (stdin).
        case pipe
        /// An open file the child writes to (or reads from).
        case file(FileHandle)
    }

    public let pid: pid_t
    /// The test's ends of the `.pipe` streams.
    public let standardInput: FileHandle?
    public let standardOutput: FileHandle?
    public let standardError: FileHandle?

    private let lock = NSLock()
    private var waitStatus: Int32?

    public init(
        _ executable: String, _ arguments: [String], environment: [String: String],
        currentDirectory: String? = nil, stdin: Stream = .null, stdout: Stream = .pipe, stderr: Stream = .pipe
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [Int32] = []
        defer { childEnds.forEach { close($0) } }
        var testEnds: [FileHandle?] = []
        for (fd, stream) in [(STDIN_FILENO, stdin), (STDOUT_FILENO, stdout), (STDERR_FILENO, stderr)] {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
                testEnds.append(nil)
            case .file(let handle):
                posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, fd)
                testEnds.append(nil)
            case .pipe:
                var ends: [Int32] = [0, 0]
                guard mw_pipe_cloexec(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                let (child, test) = fd == STDIN_FILENO ? (ends[0], ends[1]) : (ends[1], ends[0])
                childEnds.append(child)
                posix_spawn_file_actions_adddup2(&actions, child, fd)
                testEnds.append(FileHandle(fileDescriptor: test, closeOnDealloc: true))
            }
        }
        // Nothing else of the test process: a server holding some test's pipe would hold that test.
        mw_spawn_add_closefrom(&actions, 3)
        if let currentDirectory { mw_spawn_add_chdir(&actions, currentDirectory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGPIPE, SIGWINCH, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = Self.childEnvironment(environment).sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw ChildProcessError("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        (standardInput, standardOutput, standardError) = (testEnds[0], testEnds[1], testEnds[2])
    }

    /// Under `scripts/test --sanitize address` the test runner itself is not
    /// leak-checked (what it reports is Foundation's and the test harness's),
    /// but every child is: MOONWIRE_CHILD_ASAN_OPTIONS becomes its ASAN_OPTIONS.
    public static func childEnvironment(_ environment: [String: String]) -> [String: String] {
        guard let options = environment["MOONWIRE_CHILD_ASAN_OPTIONS"] ?? ProcessInfo.processInfo.environment["MOONWIRE_CHILD_ASAN_OPTIONS"],
              environment["ASAN_OPTIONS"] == ProcessInfo.processInfo.environment["ASAN_OPTIONS"] else { return environment }
        var env = environment
        env["ASAN_OPTIONS"] = options
        return env
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            _ = waitForExit(timeout: 5)
        }
    }

    /// Reaps the child if it has ended (without waiting).
    public var isRunning: Bool {
        lock.withLock {
            if waitStatus != nil { return false }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { waitStatus = status; return false }
            return r == 0 || (r < 0 && errno == EINTR)
        }
    }

    /// Waits up to `timeout` seconds; false if the child is still running.
    @discardableResult
    public func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        var pause: useconds_t = 1_000
        while isRunning {
            if Date() >= deadline { return false }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
        return true
    }

    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// As Foundation's Process has it: the exit code, or the number of the
    /// signal that ended the child; -1 while it runs.
    public var terminationStatus: Int32 {
        guard !isRunning, let status = lock.withLock({ waitStatus }) else { return -1 }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : signal
    }

    /// Whether a signal ended the child.
    public var wasSignaled: Bool {
        guard !isRunning, let status = lock.withLock({ waitStatus }) else { return false }
        let signal = status & 0x7F
        return signal != 0 && signal != 0x7F
    }
}

public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
