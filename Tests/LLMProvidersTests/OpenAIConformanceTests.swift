// Every OpenAI and OpenAI-compatible (OpenRouter, Groq, Ollama) chat recording
// in Tests/Fixtures/conformance decodes to what a reader of the recording sees in
// it. Expected values were copied by hand from the recorded bytes.
import JSON
import LLMCore
import LLMProviders
import Testing

@Suite struct OpenAIConformanceTests {
    static let provider = OpenAIProvider()

    static let cases: [RecordedChat] = [
        RecordedChat(.cassette("openai/llm__test_tool_use_basic.yaml", 0), ExpectedChat(
            id: "chatcmpl-BWlJBDk2xe66hjff60joVYpXi1hh4", model: "gpt-4o-mini-2024-07-18", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_1EYWDzueHEp8OsB8jJSEp7WB", name: "multiply", arguments: ["a": 1231, "b": 2331])],
            usage: Usage(inputTokens: 54, outputTokens: 20), finish: .toolCalls, raw: "tool_calls")),
        RecordedChat(.cassette("openai/llm__test_tool_use_basic.yaml", 1), ExpectedChat(
            id: "chatcmpl-BWlJCN7VZTtSHROczp0AbrjFGhRMA", model: "gpt-4o-mini-2024-07-18", kinds: ["text"],
            text: .exact(#"The result of \( 1231 \times 2331 \) is \( 2,869,461 \)."#),
            usage: Usage(inputTokens: 87, outputTokens: 26), finish: .stop, raw: "stop")),
        // OpenRouter (kimi-k2): the first tool-call delta is sent twice with id "0", and no finish_reason comes.
        RecordedChat(.cassette("openai/llm__test_tools_streaming_variant_a.yaml", 0), ExpectedChat(
            id: "gen-1753242299-QZRAt5HJHd1ptY8sdS0s", model: "moonshotai/kimi-k2", kinds: ["tool"],
            tools: [ExpectedTool(id: "0", name: "llm_version", arguments: [:])],
            usage: Usage(inputTokens: 57, outputTokens: 17), finish: .toolCalls, raw: nil)),
        RecordedChat(.cassette("openai/llm__test_tools_streaming_variant_a.yaml", 1), ExpectedChat(
            id: "gen-1753242300-j60LWi6MpN4lMZw1zTHK", model: "moonshotai/kimi-k2", kinds: ["text"],
            text: .exact("The current version of *llm* is **0.fixed-version**."),
            usage: Usage(inputTokens: 107, outputTokens: 15), finish: .stop, raw: "stop")),
        RecordedChat(.cassette("openai/pydantic-ai__test_complex_agent_run_in_flow.yaml", 0), ExpectedChat(
            id: "chatcmpl-CMKAtIAKW1eiFzDAZmCcrbvHgyoSw", model: "gpt-4o-2024-08-06", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_rI3WKPYvVwlOgCGRjsPP2hEx", name: "get_country", arguments: [:])],
            usage: Usage(inputTokens: 398, outputTokens: 10), finish: .toolCalls, raw: "tool_calls")),
        RecordedChat(.cassette("openai/pydantic-ai__test_complex_agent_run_in_flow.yaml", 1), ExpectedChat(
            id: "chatcmpl-CMKAuuvC6E26nL6HLZzTrysEvC8Ln", model: "gpt-4o-2024-08-06", kinds: ["tool", "tool"],
            tools: [
                ExpectedTool(id: "call_NS4iQj14cDFwc0BnrKqDHavt", name: "get_weather", arguments: ["city": "Mexico City"]),
                ExpectedTool(id: "call_SkGkkGDvHQEEk0CGbnAh2AQw", name: "get_product_name", arguments: [:]),
            ],
            usage: Usage(inputTokens: 417, outputTokens: 44), finish: .toolCalls, raw: "tool_calls")),
        RecordedChat(.cassette("openai/pydantic-ai__test_complex_agent_run_in_flow.yaml", 2), ExpectedChat(
            id: "chatcmpl-CMKAvMbnOLyW5XeC6KvbEQWnTGlKj", model: "gpt-4o-2024-08-06", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_QcKhHXwXzqOXJUUHJb1TB2V5", name: "final_result", arguments: ["answers": [
                ["label": "Capital of the country", "answer": "Mexico City"],
                ["label": "Weather in the capital", "answer": "Sunny"],
                ["label": "Product name", "answer": "Pydantic AI"],
            ]])],
            usage: Usage(inputTokens: 481, outputTokens: 49), finish: .toolCalls, raw: "tool_calls")),
        RecordedChat(.cassette("openai/pydantic-ai__test_run_stream_sync_streams_real_model.yaml", 0), ExpectedChat(
            id: "chatcmpl-Dx0XpqH8w09uBXwq1zFGYdETjtnEl", model: "gpt-4o-mini-2024-07-18", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_ZR5UUuTt3pf61kjwAJIYdVMj", name: "get_capital", arguments: ["country": "UK"])],
            usage: Usage(inputTokens: 53, outputTokens: 15), finish: .toolCalls, raw: "tool_calls")),
        RecordedChat(.cassette("openai/pydantic-ai__test_run_stream_sync_streams_real_model.yaml", 1), ExpectedChat(
            id: "chatcmpl-Dx0Xq5Xx9rHB2ehcHZCRDsnuymUXc", model: "gpt-4o-mini-2024-07-18", kinds: ["text"],
            text: .exact("The capital of the UK is London."),
            usage: Usage(inputTokens: 78, outputTokens: 9), finish: .stop, raw: "stop")),
        RecordedChat(.cassette("openai/pydantic-ai__test_openai_tool_output.yaml", 0), ExpectedChat(
            id: "chatcmpl-BSXk0dWkG4hfPt0lph4oFO35iT73I", model: "gpt-4o-2024-08-06", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_iXFttys57ap0o16JSlC8yhYo", name: "get_user_country", arguments: [:])],
            usage: Usage(inputTokens: 68, outputTokens: 12), finish: .toolCalls, raw: "tool_calls")),
        RecordedChat(.cassette("openai/pydantic-ai__test_openai_tool_output.yaml", 1), ExpectedChat(
            id: "chatcmpl-BSXk1xGHYzbhXgUkSutK08bdoNv5s", model: "gpt-4o-2024-08-06", kinds: ["tool"],
            tools: [ExpectedTool(
                id: "call_gmD2oUZUzSoCkmNmp3JPUF7R", name: "final_result", arguments: ["city": "Mexico City", "country": "Mexico"])],
            usage: Usage(inputTokens: 89, outputTokens: 36), finish: .toolCalls, raw: "tool_calls")),
        // Groq puts `index` last in the tool call and sends usage twice (x_groq.usage and usage).
        RecordedChat(.chunks("openai/vercel-ai__groq-tool-call.chunks.txt"), ExpectedChat(
            id: "chatcmpl-b610d559-f156-4aca-8827-24b4fe6af54f", model: "llama-3.3-70b-versatile", kinds: ["tool"],
            tools: [ExpectedTool(id: "tk85n1k4m", name: "weather", arguments: [:])],
            usage: Usage(inputTokens: 210, outputTokens: 15), finish: .toolCalls, raw: "tool_calls")),
        RecordedChat(.chunks("openai/vercel-ai__openai-text.chunks.txt"), ExpectedChat(
            id: "chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0", model: "gpt-4.1-nano-2025-04-14", kinds: ["text"],
            text: .affixes(
                prefix: "**Holiday Name:** Harmony Day\n\n**Date:** Celebrated annually on the first Saturday of May\n\n"
                    + "**Purpose:** Harmony Day is dedicated to fostering understanding, kindness, and unity among diverse communities.",
                suffix: "despite our differences, we are all connected through shared human experiences and mutual respect.",
                contains: [
                    "different cultures—flags, traditional art, and meaningful motifs—to visually celebrate diversity.\n\n4.",
                    "various cultures’ histories",
                ]),
            usage: Usage(inputTokens: 16, outputTokens: 300), finish: .stop, raw: "stop")),
        // Ollama's OpenAI-compatible endpoint, whole bodies: reasoning arrives as `reasoning`.
        RecordedChat(.cassette("ollama/pydantic-ai__test_ollama_cloud_prompted_output.yaml", 0), ExpectedChat(
            id: "chatcmpl-887", model: "gpt-oss:20b", kinds: ["thinking", "text"],
            text: .exact(#"{"name":"Loki","animal":"cat","age":3}"#),
            thinking: .exact(
                "We need to output JSON with name, animal, age. It's a 3 year old black cat named Loki. So name: \"Loki\". "
                    + "animal: \"cat\" or \"black cat\"? Schema: animal is string. Use \"cat\". age: 3. Output JSON. No markdown."),
            usage: Usage(inputTokens: 172, outputTokens: 88), finish: .stop, raw: "stop")),
        RecordedChat(.cassette("ollama/pydantic-ai__test_ollama_cloud_tool_output.yaml", 0), ExpectedChat(
            id: "chatcmpl-395", model: "gpt-oss:20b", kinds: ["thinking", "text"],
            text: .exact("Paris."),
            thinking: .affixes(
                prefix: "We need to answer question: \"What is the capital of France?\" The answer: Paris.",
                suffix: "Just give the answer. Ensure no extra marks. Just plain text."),
            usage: Usage(inputTokens: 134, outputTokens: 122), finish: .stop, raw: "stop")),
        // content "" next to the tool call: no empty text block.
        RecordedChat(.cassette("ollama/pydantic-ai__test_ollama_cloud_tool_output.yaml", 1), ExpectedChat(
            id: "chatcmpl-273", model: "gpt-oss:20b", kinds: ["thinking", "tool"],
            thinking: .affixes(
                prefix: "The conversation: user asked \"What is the capital of France?\" assistant responded \"Paris.\"",
                suffix: "We need to provide answer in JSON format. Let's do that."),
            tools: [ExpectedTool(id: "call_o2vnpxrw", name: "final_result", arguments: ["city": "Paris", "country": "France"])],
            usage: Usage(inputTokens: 206, outputTokens: 194), finish: .toolCalls, raw: "tool_calls")),
        RecordedChat(.cassette("ollama/pydantic-ai__test_ollama_local_native_output_uses_json_schema.yaml", 0), ExpectedChat(
            id: "chatcmpl-150", model: "qwen3:0.6b", kinds: ["thinking", "text"],
            text: .exact(#"{ "city": "Paris", "country": "France" }"#),
            thinking: .affixes(
                prefix: "Okay, the user is asking for the capital of France. I know that France's capital is Paris.",
                suffix: "Double-checking my knowledge to avoid any mistakes. Yep, I'm confident the answer is Paris.\n"),
            usage: Usage(inputTokens: 136, outputTokens: 15), finish: .stop, raw: "stop")),
    ]

    @Test(arguments: cases)
    func recordingDecodes(_ recorded: RecordedChat) throws {
        recorded.expected.check(try recorded.decode(with: Self.provider))
    }

    @Test func argumentSnapshotGrowsFragmentByFragment() throws {
        let response = try Recordings.interaction("openai/llm__test_tool_use_basic.yaml", 0).response
        var parser = Self.provider.makeStreamParser()
        var accumulator = StreamAccumulator()
        var snapshots: [String] = []
        let events = try Array(response.body).withUnsafeBytes { buffer in
            Result { () throws(LLMError) in try parser.feed(buffer) }
        }.get()
        for event in events {
            try accumulator.apply(event)
            if case .toolInputDelta = event { snapshots.append(accumulator.partialToolInput(index: 0)) }
        }
        #expect(snapshots.first == #"{""#)
        #expect(snapshots.count == 11)
        #expect(snapshots.last == #"{"a":1231,"b":2331}"#)
    }
}
