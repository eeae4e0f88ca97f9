// llm.chat{...}: a chat call that returns when the answer is complete (in a
// task, other tasks run meanwhile), streaming to on_text/on_event on the way,
// and running Lua tools in a loop (at most max_steps model turns) when the
// model asks for them.
import JSON
import LLMCore
import LLMProviders
import LLMTransport
import LuaBridge

/// max_steps reached: the error table also carries the transcript so far.
struct ToolLoopError: LuaRaisable {
    let error: LLMError
    let transcript: [Message]
    func pushLuaError(on L: OpaquePointer, functionName: String) {
        let call = LuaCall(L, name: functionName)
        call.push(error: error)
        call.push(messages: transcript)
        call.setField(call.absolute(-2), "transcript")
    }
}

enum ChatFunction {
    static func chat(_ call: LuaCall, runtime: LLMRuntime) throws -> Int32 {
        let options = try ChatOptions.read(call, at: 1, configuration: runtime.configuration)
        return try run(options, target: try plainTarget(options, runtime: runtime, call: call), call: call, runtime: runtime)
    }

    /// A plain call's route: resilient by default (llm.configure's retry and timeouts).
    static func plainTarget(_ options: ChatOptions, runtime: LLMRuntime, call: LuaCall) throws -> CallTarget {
        runtime.loadPlainPrices(call)
        let configuration = runtime.configuration
        let kind = try configuration.kind(forModel: options.request.model, explicit: options.provider, baseURL: options.baseURL)
        let provider = try configuration.provider(kind: kind, baseURL: options.baseURL, apiKey: options.apiKey, headers: options.headers)
        let endpoint = configuration.endpointKey(kind: kind, baseURL: options.baseURL, apiKey: options.apiKey, headers: options.headers)
        let (client, route) = runtime.plainRoute(provider, model: options.request.model, endpoint: endpoint)
        return CallTarget(client: client, priority: 0, chain: [route])
    }

    /// The tool loop and structured output over any target (a plain route or a client).
    static func run(_ options: ChatOptions, target: CallTarget, call: LuaCall, runtime: LLMRuntime) throws -> Int32 {
        let validator = try options.request.responseSchema.map { schema in
            do { return try JSONSchemaValidator(schema: schema) } catch {
                throw LuaArgumentError(argument: 1, "field 'schema' is not a valid JSON Schema: \(error)")
            }
        }
        try runtime.checkCanWait(call, what: "llm.chat")
        return try ChatRun(options: options, target: target, validator: validator, runtime: runtime).nextTurn(call)
    }
}

/// One llm.chat call: turns until the model stops asking for tools and the
/// answer fits the schema. Each turn is waited for through LLMRuntime.await,
/// so in a task the coroutine is suspended between turns, not the loop.
private final class ChatRun {
    let options: ChatOptions
    let target: CallTarget
    let validator: JSONSchemaValidator?
    let runtime: LLMRuntime
    let started: Double
    var request: ChatRequest
    var usage = Usage()
    var firstTokenAt: Double?
    var steps = 0
    var repairsLeft = 1
    var providerName = ""
    /// Every turn's cost (tool loops and repairs are several).
    var cost = 0.0

    init(options: ChatOptions, target: CallTarget, validator: JSONSchemaValidator?, runtime: LLMRuntime) {
        self.options = options
        self.target = target
        self.validator = validator
        self.runtime = runtime
        started = runtime.loop.clock.now
        request = options.request
    }

    func nextTurn(_ call: LuaCall) throws -> Int32 {
        steps += 1
        let turn = ChatTurn(target: target, request: request, options: options, call: call)
        let turnStarted = runtime.loop.clock.now
        turn.start(runtime: runtime)
        return try runtime.await(call, turn, what: "llm.chat") { c in try self.turnEnded(turn, startedAt: turnStarted, c) }
    }

    private func turnEnded(_ turn: ChatTurn, startedAt turnStarted: Double, _ call: LuaCall) throws -> Int32 {
        var response = try turn.finish()
        cost += turn.cost
        if firstTokenAt == nil, let t = turn.firstToken { firstTokenAt = turnStarted + t }
        providerName = turn.providerName
        usage.add(response.usage)
        request.messages.append(response.message)

        let toolCalls = response.toolCalls.filter { validator == nil || !StructuredOutput.isAnswerToolCall($0) }
        if !toolCalls.isEmpty && options.tools.contains(where: { $0.function != nil }) {
            guard steps < options.maxSteps else {
                throw ToolLoopError(
                    error: LLMError(.maxSteps, "the model still asked for tools after max_steps (\(options.maxSteps)) turns", provider: providerName),
                    transcript: request.messages)
            }
            for toolCall in toolCalls {
                request.messages.append(ToolRunner.run(toolCall, tools: options.tools, call: call))
            }
            // A forced tool applies to the first turn; forcing it again would loop until max_steps.
            if let choice = request.toolChoice, choice != .auto && choice != ToolChoice.none { request.toolChoice = .auto }
            return try nextTurn(call)
        }

        var object: JSONValue?
        if let validator {
            let problems: [String]
            switch StructuredOutput.candidate(in: response) {
            case .object(let candidate):
                problems = validator.validate(candidate).map(\.description)
                if problems.isEmpty { object = candidate }
            case .missing(let why):
                problems = [why]
            }
            if !problems.isEmpty {
                guard repairsLeft > 0 else {
                    throw LLMError(.badResponse, "the answer does not match the schema after a repair request: " + problems.joined(separator: "; "), provider: providerName)
                }
                repairsLeft -= 1
                request.messages += StructuredOutput.repairMessages(after: response, problems: problems)
                return try nextTurn(call)
            }
        }

        response.usage = usage
        let latency = runtime.loop.clock.now - started
        call.push(response: response, provider: providerName, timing: (latency, firstTokenAt.map { $0 - started }), cost: cost)
        let t = call.absolute(-1)
        call.push(messages: request.messages); call.setField(t, "messages")
        call.push(steps); call.setField(t, "steps")
        if let object { call.push(json: object); call.setField(t, "object") }
        return 1
    }
}

extension Usage {
    mutating func add(_ other: Usage) {
        inputTokens += other.inputTokens
        outputTokens += other.outputTokens
        cacheReadTokens += other.cacheReadTokens
        cacheWriteTokens += other.cacheWriteTokens
        if other.estimated { estimated = true }
    }
}

extension LuaCall {
    func push(messages: [Message]) {
        newTable(arrayCount: Int32(messages.count))
        let t = absolute(-1)
        for (i, m) in messages.enumerated() {
            push(message: m)
            setIndex(t, Int64(i + 1))
        }
    }
}
