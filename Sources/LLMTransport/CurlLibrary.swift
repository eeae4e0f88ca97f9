// libcurl is loaded with the first HTTP request, not at start-up (CShims'
// CurlLibrary.h): moonwire runs scripts, replays and the REPL without mapping
// it, and a machine without libcurl gets a clear error at the first request
// instead of a binary that does not start.
import CShims

enum CurlLibrary {
    /// nil once libcurl is loaded and initialised; otherwise why it could not be.
    /// MOONWIRE_LIBCURL names another libcurl to load (a path or a SONAME).
    static let loadFailure: String? = {
        var reason = [CChar](repeating: 0, count: 512)
        guard mw_curl_library_load(&reason, reason.count) == 0 else { return nil }
        return String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}
