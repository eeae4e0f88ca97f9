/// A VCR cassette that could not be read or understood, naming the file so the
/// message stands alone on a command line or in a test failure.
public struct VCRFormatError: Error, CustomStringConvertible {
    public let file: String
    public let message: String

    public init(_ file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
