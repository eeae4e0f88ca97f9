// VCR's record modes, as Moonwire reads them from --mode / MOONWIRE_RECORD_MODE.

public enum CassetteMode: String, Sendable, CaseIterable {
    /// Replay only; a request with no recording fails with replay_mismatch.
    case none
    /// Replay when the cassette exists, otherwise record a new one.
    case once
    /// Replay what matches, record what does not (appended).
    case new
    /// Record everything live, replacing the cassette.
    case all
}
