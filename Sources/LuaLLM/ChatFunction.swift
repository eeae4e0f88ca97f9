// llm.chat{...}: a chat call that blocks until the answer is complete,
// streaming to on_text/on_event on the way, and running Lua tools in a loop
// (at most max_steps model turns) when the model asks for them.
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
        let kind = try runtime.configuration.kind(forModel: options.request.model, explicit: options.provider, baseURL: options.baseURL)
        let provider = try runtime.configuration.provider(kind: kind, baseURL: options.baseURL, apiKey: options.apiKey)
        let started = runtime.loop.clock.now
        var request = options.request
        var usage = Usage()
        var firstTokenAt: Double?
        var steps = 0
        while true {
            steps += 1
            let turn = ChatTurn(runtime: runtime, provider: provider, request: request, options: options, call: call)
            var response = try turn.run(runtime: runtime)
            if firstTokenAt == nil { firstTokenAt = turn.exchange.timing.firstToken }
            usage.add(response.usage)
            request.messages.append(response.message)
            let toolCalls = response.toolCalls
            let runnable = !toolCalls.isEmpty && toolCalls.allSatisfy { c in options.tools.contains { $0.definition.name == c.name && $0.function != nil } || !options.tools.contains { $0.definition.name == c.name } }
            if !runnable || options.tools.allSatisfy({ $0.function == nil }) {
                response.usage = usage
                let latency = runtime.loop.clock.now - started
                call.push(response: response, provider: provider.name, timing: (latency, firstTokenAt.map { $0 - started }))
                let t = call.absolute(-1)
                call.push(messages: request.messages); call.setField(t, "messages")
                call.push(steps); call.setField(t, "steps")
                return 1
            }
            if steps >= options.maxSteps {
                throw ToolLoopError(
                    error: LLMError(.maxSteps, "the model still asked for tools after max_steps (\(options.maxSteps)) turns", provider: provider.name),
                    transcript: request.messages)
            }
            for toolCall in toolCalls {
                request.messages.append(ToolRunner.run(toolCall, tools: options.tools, call: call))
            }
        }
    }
}

extension Usage {
    mutating func add(_ other: Usage) {
        inputTokens += other.inputTokens
        outputTokens += other.outputTokens
        cacheReadTokens += other.cacheReadTokens
        cacheWriteTokens += other.cacheWriteTokens
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
