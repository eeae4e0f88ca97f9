// llm.spawn, llm.wait_all, llm.sleep and the llm.Task methods.
//   local t = llm.spawn(function(x) return llm.chat{ prompt = x }.text end, "Hi")
//   print(t:wait())                        -- its results, or its error raised here
//   local texts = llm.wait_all{ t1, t2 }   -- first result of each, in order
import LLMCore
import LLMTransport
import LuaBridge

/// Waits until every task in `tasks` is over.
final class TaskWait: PendingOperation {
    private let tasks: [LuaTask]
    private var remaining: Int
    private(set) var cancelled: LLMError?
    var onReady: (() -> Void)?

    init(_ tasks: [LuaTask]) {
        self.tasks = tasks
        remaining = tasks.count
        for task in tasks {
            task.whenOver { [weak self] in
                guard let self else { return }
                self.remaining -= 1
                if self.remaining == 0 { self.onReady?() }
            }
        }
    }

    var isReady: Bool { remaining == 0 || cancelled != nil }
    func cancel(_ error: LLMError) {
        cancelled = error
        onReady?()
    }
}

/// A timer on the loop (virtual time under replay).
final class SleepOperation: PendingOperation {
    private let loop: EventLoop
    private var timer: TimerID?
    private var fired = false
    private(set) var cancelled: LLMError?
    var onReady: (() -> Void)?

    init(seconds: Double, loop: EventLoop) {
        self.loop = loop
        timer = loop.schedule(after: seconds) { [weak self] in
            self?.fired = true
            self?.onReady?()
        }
    }

    var isReady: Bool { fired || cancelled != nil }
    func cancel(_ error: LLMError) {
        if let timer { loop.cancelTimer(timer) }
        cancelled = error
        onReady?()
    }
}

enum TaskFunctions {
    static func register(in call: LuaCall, module t: Int32, runtime: LLMRuntime) {
        call.pushFunction(name: "spawn") { c in try spawn(c, runtime) }
        call.setField(t, "spawn")
        call.pushFunction(name: "wait_all") { c in try waitAll(c, runtime) }
        call.setField(t, "wait_all")
        call.pushFunction(name: "sleep") { c in try sleep(c, runtime) }
        call.setField(t, "sleep")
        call.pushFunction(name: "map") { c in try MapFunction.map(c, runtime: runtime) }
        call.setField(t, "map")
    }

    /// llm.spawn(fn, ...) -> task
    static func spawn(_ call: LuaCall, _ runtime: LLMRuntime) throws -> Int32 {
        try call.checkFunction(1)
        let task = try runtime.tasks.spawn(call, functionAt: 1, argumentCount: call.count - 1)
        push(task, runtime: runtime, on: call)
        return 1
    }

    /// llm.wait_all(tasks) -> { first result of each task }; if any failed, the
    /// first failed one's error is raised once all are over.
    static func waitAll(_ call: LuaCall, _ runtime: LLMRuntime) throws -> Int32 {
        try call.checkTable(1)
        let n = call.rawLength(1)
        var tasks: [LuaTask] = []
        for i in stride(from: 1, through: Int64(n), by: 1) {
            call.pushIndex(1, i)
            defer { call.pop() }
            guard let task = try? call.object(-1, typeName: LuaTask.typeName, as: LuaTask.self) else {
                throw LuaArgumentError(argument: 1, "element \(i) is a \(call.typeName(-1)), not an llm.Task")
            }
            tasks.append(task)
        }
        try checkNotSelf(tasks, call, runtime)
        try runtime.checkCanWait(call, what: "llm.wait_all")
        let wait = TaskWait(tasks)
        return try runtime.await(call, wait, what: "llm.wait_all") { c in
            if let cancelled = wait.cancelled { throw cancelled }
            if let failed = tasks.first(where: { $0.state == .failed }) {
                for task in tasks where task.state == .failed { task.failureObserved = true }
                throw TaskFailure(task: failed)
            }
            c.newTable(arrayCount: Int32(tasks.count))
            let list = c.absolute(-1)
            for (i, task) in tasks.enumerated() {
                task.pushFirstResultOrError(on: c)
                c.setIndex(list, Int64(i + 1))
            }
            return 1
        }
    }

    /// llm.sleep(seconds): on the loop's clock, so a replay does not wait.
    static func sleep(_ call: LuaCall, _ runtime: LLMRuntime) throws -> Int32 {
        let seconds = try call.number(1)
        guard seconds.isFinite, seconds >= 0 else {
            throw LuaArgumentError(argument: 1, "seconds must be a finite number >= 0")
        }
        try runtime.checkCanWait(call, what: "llm.sleep")
        let sleep = SleepOperation(seconds: seconds, loop: runtime.loop)
        return try runtime.await(call, sleep, what: "llm.sleep") { _ in
            if let cancelled = sleep.cancelled { throw cancelled }
            return 0
        }
    }

    private static func checkNotSelf(_ tasks: [LuaTask], _ call: LuaCall, _ runtime: LLMRuntime) throws {
        if let me = runtime.tasks.task(running: call.L), tasks.contains(where: { $0 === me }) {
            throw LuaRuntimeError("task \(me.id) cannot wait for itself")
        }
    }

    static func push(_ task: LuaTask, runtime: LLMRuntime, on call: LuaCall) {
        call.pushObject(task, typeName: LuaTask.typeName) { c, mt in
            c.newTable(recordCount: 4)
            let methods = c.absolute(-1)
            c.pushFunction(name: "wait") { c in try wait(c, runtime) }
            c.setField(methods, "wait")
            c.pushFunction(name: "cancel") { c in
                let task = try c.object(1, typeName: LuaTask.typeName, as: LuaTask.self)
                runtime.tasks.cancel(task)
                return 0
            }
            c.setField(methods, "cancel")
            c.pushFunction(name: "status") { c in
                c.push(try c.object(1, typeName: LuaTask.typeName, as: LuaTask.self).statusName)
                return 1
            }
            c.setField(methods, "status")
            c.setField(mt, "__index")
            c.pushFunction(name: "__tostring") { c in
                let task = try c.object(1, typeName: LuaTask.typeName, as: LuaTask.self)
                c.push("llm.Task \(task.id) (\(task.statusName))")
                return 1
            }
            c.setField(mt, "__tostring")
        }
    }

    /// task:wait() -> the task's results, or its error raised here.
    private static func wait(_ call: LuaCall, _ runtime: LLMRuntime) throws -> Int32 {
        let task = try call.object(1, typeName: LuaTask.typeName, as: LuaTask.self)
        try checkNotSelf([task], call, runtime)
        if task.isOver { return try task.pushResults(on: call) }
        try runtime.checkCanWait(call, what: "task:wait")
        let wait = TaskWait([task])
        return try runtime.await(call, wait, what: "task:wait") { c in
            if let cancelled = wait.cancelled { throw cancelled }
            return try task.pushResults(on: c)
        }
    }
}
