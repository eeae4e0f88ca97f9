// A LineReader that plays a fixed list of inputs, for tests of the evaluation
// logic without a terminal. It records the prompts it was asked to show.

public final class ScriptedLineReader: LineReader {
    private var inputs: [LineInput]
    private var next = 0
    public private(set) var prompts: [String] = []
    public private(set) var history: [String] = []
    /// Runs before each read, with the number of reads done so far (tests use
    /// it to look at the output between inputs).
    public var beforeRead: ((Int) -> Void)?

    public init(_ inputs: [LineInput]) {
        self.inputs = inputs
    }

    /// Lines of text; `nil` stands for Ctrl-C at the prompt.
    public convenience init(lines: [String?]) {
        self.init(lines.map { $0.map { .line(Array($0.utf8)) } ?? .interrupted })
    }

    public func readLine(prompt: String) -> LineInput {
        beforeRead?(next)
        prompts.append(prompt)
        guard next < inputs.count else { return .end }
        defer { next += 1 }
        return inputs[next]
    }

    public func addHistory(_ entry: String) {
        history.append(entry)
    }
}
