/// A conformance file that could not be read or understood.
public struct FixtureError: Error, CustomStringConvertible {
    public let file: String
    public let message: String

    public init(_ file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
