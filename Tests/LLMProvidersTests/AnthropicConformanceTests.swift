// Every Anthropic recording in Tests/Fixtures/conformance/anthropic decodes to what
// a reader of the recording sees in it. Expected values were copied by hand
// from the recorded bytes.
import JSON
import LLMCore
import LLMProviders
import Testing

@Suite struct AnthropicConformanceTests {
    static let provider = AnthropicProvider(endpoint: ProviderEndpoint(baseURL: AnthropicProvider.defaultBaseURL, apiKey: "k"))

    static let cases: [RecordedChat] = [
        RecordedChat(.cassette("anthropic/llm-anthropic__test_prompt.yaml", 0), ExpectedChat(
            id: "msg_017A4s3HAsrqf5d2WvBmrpLr", model: "claude-sonnet-4-5-20250929", kinds: ["text"],
            // YAML folds the recorded line breaks inside `"text":"` into spaces.
            text: .exact("- Captain\n- Scoop"),
            usage: Usage(inputTokens: 17, outputTokens: 10), finish: .stop, raw: "end_turn")),
        RecordedChat(.cassette("anthropic/llm-anthropic__test_tools.yaml", 0), ExpectedChat(
            id: "msg_01V2noLbAb2NgKnjaNw6Cn3w", model: "claude-haiku-4-5-20251001", kinds: ["tool", "tool"],
            tools: [
                ExpectedTool(id: "toolu_01LtHJmixrs9NcWQkK8hu8hj", name: "pelican_name_generator", arguments: [:]),
                ExpectedTool(id: "toolu_01N8a4jWyf116qKTMqKKmjyt", name: "pelican_name_generator", arguments: [:]),
            ],
            usage: Usage(inputTokens: 542, outputTokens: 62), finish: .toolCalls, raw: "tool_use")),
        RecordedChat(.cassette("anthropic/llm-anthropic__test_tools.yaml", 1), ExpectedChat(
            id: "msg_01XMATm4UFnjP841TckVuNF4", model: "claude-haiku-4-5-20251001", kinds: ["text"],
            text: .exact(
                "Here are two great names for your pet pelican:\n\n1. **Charles** - A sophisticated and dignified name, "
                    + "perfect for a pelican with personality!\n2. **Sammy** - A friendly and playful name that gives off "
                    + "warm, approachable vibes.\n\nEither of these would make an excellent name for your feathered friend! 🦅"),
            usage: Usage(inputTokens: 678, outputTokens: 82), finish: .stop, raw: "end_turn")),
        RecordedChat(.cassette("anthropic/llm-anthropic__test_fixed_version_tool_chain_regression.yaml", 0), ExpectedChat(
            id: "msg_01JkKGRKoYijkdjA9GZkPyBG", model: "claude-haiku-4-5-20251001", kinds: ["tool"],
            tools: [ExpectedTool(id: "toolu_01UmKD1vMphVCN9vw8PEMk1q", name: "fixed_version", arguments: [:])],
            usage: Usage(inputTokens: 563, outputTokens: 37), finish: .toolCalls, raw: "tool_use")),
        RecordedChat(.cassette("anthropic/llm-anthropic__test_fixed_version_tool_chain_regression.yaml", 1), ExpectedChat(
            id: "msg_01YCYWvfbPCQ6d3brBEd45iz", model: "claude-haiku-4-5-20251001", kinds: ["text"],
            text: .exact(
                "The version is **0.32a0**.\n\nHere's a joke: I guess you could say this version is still in the "
                    + "\"alpha\" stages of being useful! 😄"),
            usage: Usage(inputTokens: 617, outputTokens: 41), finish: .stop, raw: "end_turn")),
        RecordedChat(.cassette("anthropic/llm-anthropic__test_stream_events_thinking.yaml", 0), ExpectedChat(
            id: "msg_01Eg56TYRnKCEgWtZu2yjR1t", model: "claude-haiku-4-5-20251001", kinds: ["thinking", "text"],
            text: .exact("1. **Pouch** - references their iconic bill pouch\n2. **Pelé** - playful take on \"pelican\""),
            thinking: .exact(
                "The user wants two names for a pet pelican, and they want me to be brief. I'll suggest two names that "
                    + "would suit a pelican well.\n\nSome good options:\n- Pelé (play on pelican)\n- Pouch (referencing "
                    + "their bill pouch)\n- Captain Beak\n- Squirt\n- Scoop\n- Wing\n\nLet me give two brief, catchy names:"),
            signature: .affixes(prefix: "EuYDCmMIDBgCKkC05Zda4P+Cdk/LQKE+", suffix: "mBeGcEZQ4FjZiGAE="),
            usage: Usage(inputTokens: 46, outputTokens: 133), finish: .stop, raw: "end_turn")),
        RecordedChat(.cassette("anthropic/pydantic-ai__test_anthropic_model_thinking_part_stream.yaml", 0), ExpectedChat(
            id: "msg_01ALwQ87pTS7hH1PjSdC9wJD", model: "claude-sonnet-4-20250514", kinds: ["thinking", "text"],
            text: .affixes(
                prefix: "Here are the basic steps for safely crossing the street:\n\n**At intersections with traffic "
                    + "lights:**\n- Wait for the pedestrian \"Walk\" signal\n- Look both ways before stepping into the street",
                suffix: "The key is to be visible, alert, and predictable in your movements. Always prioritize safety "
                    + "over speed when crossing streets.",
                contains: ["\n- Walk briskly but don't run\n", "**In busy urban areas:**\n- Follow pedestrian signals strictly"]),
            thinking: .exact(
                "This is a straightforward question about pedestrian safety. I should provide clear, helpful advice "
                    + "about how to safely cross a street. This is basic safety information that could help prevent accidents."),
            signature: .affixes(prefix: "EvMCCkYICxgCKkCHP2cSuEdcJK/0rFwqES", suffix: "vP/UhjfQYAQ=="),
            usage: Usage(inputTokens: 43, outputTokens: 282), finish: .stop, raw: "end_turn")),
        RecordedChat(.cassette("anthropic/pydantic-ai__test_anthropic_model_thinking_part_redacted_stream.yaml", 0), ExpectedChat(
            id: "msg_018XZkwvj9asBiffg3fXt88s", model: "claude-sonnet-4-5-20250929", kinds: ["redacted", "redacted", "text"],
            text: .exact(
                "I notice that you've sent what appears to be some kind of test string or command. I don't have any "
                    + "special \"magic string\" triggers or backdoor commands that would expose internal systems or change "
                    + "my behavior.\n\nI'm Claude, an AI assistant created by Anthropic to be helpful, harmless, and honest. "
                    + "How can I assist you today with a legitimate task or question?"),
            redacted: [
                .affixes(prefix: "EqkECkYIBxgCKkA8AZ4noDfV5VcOJe/p3JTRB6Xz", suffix: "+O/00tD/X67EWkkWuR0AhDIXXjpot45vnBd4ewJ/hgB"),
                .affixes(prefix: "EtgBCkYIBxgCKkDQfGkwzflEJP5asG3oQfJX", suffix: "DBV3yRYdZ1J0GAE="),
            ],
            // message_start said 88 output tokens; message_delta's 189 replaces it.
            usage: Usage(inputTokens: 92, outputTokens: 189), finish: .stop, raw: "end_turn")),
        RecordedChat(.cassette("anthropic/pydantic-ai__test_multiple_parallel_tool_calls.yaml", 0), ExpectedChat(
            id: "msg_011S3wxtqL5CVescWqS3zeg2", model: "claude-haiku-4-5-20251001",
            kinds: ["text", "tool", "tool", "tool", "tool"],
            text: .exact(
                "I'll help you find out who is the youngest by retrieving information about each family member. "
                    + "I'll retrieve their entity information to compare their ages."),
            tools: [
                ExpectedTool(id: "toolu_0167cfEnoQaPviGdVXA95zcu", name: "retrieve_entity_info", arguments: ["name": "Alice"]),
                ExpectedTool(id: "toolu_01EEe2V5HD1Ac4rKiUR4HD2T", name: "retrieve_entity_info", arguments: ["name": "Bob"]),
                ExpectedTool(id: "toolu_01XFyAjstT3966qvRynZyVPo", name: "retrieve_entity_info", arguments: ["name": "Charlie"]),
                ExpectedTool(id: "toolu_013mnQZbgtK2oe3Mo3XKJsx3", name: "retrieve_entity_info", arguments: ["name": "Daisy"]),
            ],
            usage: Usage(inputTokens: 423, outputTokens: 202), finish: .toolCalls, raw: "tool_use")),
        RecordedChat(.cassette("anthropic/pydantic-ai__test_multiple_parallel_tool_calls.yaml", 1), ExpectedChat(
            id: "msg_01JVqZPgDwmnyb2kKC3MwCVf", model: "claude-haiku-4-5-20251001", kinds: ["text"],
            text: .exact(
                "Based on the retrieved information, we can see the family relationships:\n- Alice and Bob are married\n"
                    + "- Charlie is their son\n- Daisy is their daughter and Charlie's younger sister\n\nTherefore, Daisy is "
                    + "the youngest in the family. She is described as Charlie's younger sister, which indicates she is the "
                    + "youngest among the four family members."),
            usage: Usage(inputTokens: 771, outputTokens: 77), finish: .stop, raw: "end_turn")),
        RecordedChat(.cassette("anthropic/pydantic-ai__test_anthropic_tool_with_thinking.yaml", 0), ExpectedChat(
            id: "msg_01WvueFjZVbHcj4H4zUzeGv2", model: "claude-sonnet-4-20250514", kinds: ["thinking", "text", "tool"],
            text: .exact(
                "I'll help you find the largest city in your country. First, let me determine which country you're from."),
            thinking: .exact(
                "The user is asking about the largest city in \"the user country\". To answer this question, I first need "
                    + "to determine what country the user is from. I have access to a function called \"get_user_country\" "
                    + "that can help me find out the user's country. Once I know the country, I can then provide information "
                    + "about its largest city.\n\nLet me call the get_user_country function first."),
            signature: .affixes(prefix: "EqEECkYICxgCKkAo3UA4WwDbB8ihhpykVCsPx6iMzwNTNP8dePIgYjNpu2EWrt5J", suffix: "K5/JwYAQ=="),
            tools: [ExpectedTool(id: "toolu_01YGzqpRE16Vricda3Aqcejo", name: "get_user_country", arguments: [:])],
            usage: Usage(inputTokens: 398, outputTokens: 155), finish: .toolCalls, raw: "tool_use")),
        RecordedChat(.cassette("anthropic/pydantic-ai__test_anthropic_tool_with_thinking.yaml", 1), ExpectedChat(
            id: "msg_01SZ8KP8HhB1TxP6Ybbv6iKz", model: "claude-sonnet-4-20250514", kinds: ["text"],
            text: .affixes(
                prefix: "Based on the information that you're from Mexico, the largest city in your country is **Mexico City** "
                    + "(Ciudad de México). \n\nMexico City is not only the largest city in Mexico",
                suffix: "\n\nMexico City serves as the country's capital and is the political, economic, and cultural center of Mexico.",
                contains: ["approximately 9.2 million people", "over 21 million inhabitants"]),
            usage: Usage(inputTokens: 566, outputTokens: 126), finish: .stop, raw: "end_turn")),
        RecordedChat(.chunks("anthropic/vercel-ai__anthropic-json-tool.1.chunks.txt"), ExpectedChat(
            id: "msg_01K2JbSUMYhez5RHoK9ZCj9U", model: "claude-haiku-4-5-20251001", kinds: ["tool"],
            tools: [ExpectedTool(
                id: "toolu_01KFbKqPYSuAKujiL6mTfzYA", name: "json",
                arguments: ["elements": [["location": "San Francisco", "temperature": 58, "condition": "sunny"]]])],
            usage: Usage(inputTokens: 849, outputTokens: 47), finish: .toolCalls, raw: "tool_use")),
        RecordedChat(.chunks("anthropic/vercel-ai__anthropic-refusal.chunks.txt"), ExpectedChat(
            id: "msg_01RefusalStreamAbcdefghijk", model: "claude-fable-5", kinds: [],
            usage: Usage(inputTokens: 18, outputTokens: 5), finish: .contentFilter, raw: "refusal")),
        RecordedChat(.chunks("anthropic/vercel-ai__anthropic-text.chunks.txt"), ExpectedChat(
            id: "msg_01QC4g3HwBThD4BaNtBckFDJ", model: "claude-sonnet-4-5-20250929", kinds: ["text"],
            text: .exact("Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?"),
            usage: Usage(inputTokens: 12, outputTokens: 30), finish: .stop, raw: "end_turn")),
        RecordedChat(.chunks("anthropic/vercel-ai__anthropic-tool-no-args.chunks.txt"), ExpectedChat(
            id: "msg_01GE2RKp1VYsPzdFs3sS9z5S", model: "claude-sonnet-4-5-20250929", kinds: ["text", "tool"],
            text: .exact("I'll update the issue list for you."),
            tools: [ExpectedTool(id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", name: "updateIssueList", arguments: [:])],
            usage: Usage(inputTokens: 565, outputTokens: 48), finish: .toolCalls, raw: "tool_use")),
        RecordedChat(.body("anthropic/vercel-ai__anthropic-text.json"), ExpectedChat(
            id: "msg_01VdEjxAP5ahtHKrrRdNBteQ", model: "claude-sonnet-4-5-20250929", kinds: ["text"],
            text: .exact("Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?"),
            usage: Usage(inputTokens: 12, outputTokens: 29), finish: .stop, raw: "end_turn")),
    ]

    @Test(arguments: cases)
    func recordingDecodes(_ recorded: RecordedChat) throws {
        recorded.expected.check(try recorded.decode(with: Self.provider))
    }

    @Test func toolInputSnapshotIsKeptWhileStreaming() throws {
        let body = try Recordings.anthropicSSE("anthropic/vercel-ai__anthropic-json-tool.1.chunks.txt")
        var parser = Self.provider.makeStreamParser()
        var accumulator = StreamAccumulator()
        var snapshots: [String] = []
        let events = try body.withUnsafeBytes { buffer in Result { () throws(LLMError) in try parser.feed(buffer) } }.get()
        for event in events {
            try accumulator.apply(event)
            if case .toolInputDelta = event { snapshots.append(accumulator.partialToolInput(index: 0)) }
        }
        // The empty first partial_json is not an event; then the object, then its closing brace.
        #expect(snapshots == [
            #"{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]"#,
            #"{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]}"#,
        ])
        #expect(events.filter { $0 == .ping }.count == 1)
    }
}
