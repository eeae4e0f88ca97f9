// `moonwire cassette import FILE.yaml [-o OUT.json]`: converts a vcrpy /
// pytest-recording cassette (gzip bodies and pydantic-ai's parsed_body
// included) into a Moonwire cassette, so existing recordings replay here.
import ArgumentParser
import Foundation
import LLMCore
import VCRImport

struct CassetteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cassette",
        abstract: "Work with cassette files.",
        subcommands: [Import.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a VCR cassette (vcrpy / pytest-recording YAML) to a Moonwire cassette.",
            discussion: """
                Credential headers and cookies become <redacted>, as do the values of every provider's key \
                variable (ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY, GOOGLE_API_KEY) and MOONWIRE_SECRETS. Gzip-encoded bodies are stored decoded. VCR keeps no \
                timing: every response head is at 0 ms and a stream's events (one chunk each) 1 ms apart.
                """
        )

        @Argument(help: ArgumentHelp("The VCR cassette.", valueName: "FILE.yaml"))
        var file: String

        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Where to write (default: FILE with .json).", valueName: "OUT.json"))
        var output: String?

        func run() throws {
            let vcr: VCRCassette
            do {
                vcr = try VCRCassette.load(path: file)
            } catch {
                throw ScriptFailure(message: "\(error)")
            }
            let out = output ?? Self.defaultOutput(for: file)
            let redactor = Redactor(secrets: EnvironmentSecrets.values(ProcessInfo.processInfo.environment))
            let name = URL(fileURLWithPath: file).lastPathComponent
            let note = "imported from \(name) by moonwire \(Moonwire.version); VCR keeps no timing: "
                + "heads at 0 ms, stream events \(Int(VCRConverter.chunkSpacingMs)) ms apart"
            let bytes = CassetteCodec.encode(VCRConverter.convert(vcr, redactor: redactor, note: note))
            let leaks = redactor.leaks(in: bytes)
            guard leaks.isEmpty else {
                throw ScriptFailure(message: "\(out) not written: it would contain a secret (\(leaks.joined(separator: "; ")))")
            }
            try AtomicFile.write(bytes, to: out)
            print("imported \(vcr.interactions.count) interaction(s) from \(file) to \(out)")
        }

        /// `x.yaml` / `x.yml` → `x.json`; any other name gets `.json` added.
        static func defaultOutput(for file: String) -> String {
            for suffix in [".yaml", ".yml"] where file.lowercased().hasSuffix(suffix) {
                return String(file.dropLast(suffix.count)) + ".json"
            }
            return file + ".json"
        }
    }
}
