// The VCR reader moved to the VCRImport target (the CLI's `cassette import`
// uses it); tests keep reaching it, and its old error name, through TestSupport.
@_exported import VCRImport

/// A conformance file that could not be read or understood.
public typealias FixtureError = VCRFormatError
