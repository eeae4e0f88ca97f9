// HTTP dates (RFC 9110 §5.6.7) for `retry-after` and `date` headers. The
// preferred IMF-fixdate is what servers send ("Sun, 06 Nov 1994 08:49:37 GMT");
// the obsolete RFC 850 and asctime forms are accepted too, as the RFC asks.

public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970-01-01T00:00:00Z, or nil if `text` is not an HTTP date.
    public static func parse(_ text: String) -> Double? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map { $0.lowercased() }
        let day: Int?, month: Int?, year: Int?, clock: Substring
        switch words.count {
        case 6 where words[5] == "gmt":  // Sun, 06 Nov 1994 08:49:37 GMT
            (day, month, year, clock) = (Int(words[1]), months.firstIndex(of: words[2]), Int(words[3]), Substring(words[4]))
        case 4 where words[3] == "gmt":  // Sunday, 06-Nov-94 08:49:37 GMT
            let parts = words[1].split(separator: "-")
            guard parts.count == 3, let yy = Int(parts[2]) else { return nil }
            // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
            (day, month, year, clock) = (Int(parts[0]), months.firstIndex(of: String(parts[1])), 2000 + yy, Substring(words[2]))
        case 5:  // Sun Nov  6 08:49:37 1994
            (day, month, year, clock) = (Int(words[2]), months.firstIndex(of: words[1]), Int(words[4]), Substring(words[3]))
        default:
            return nil
        }
        let hms = clock.split(separator: ":").compactMap { Int($0) }
        guard let day, let month, var year, hms.count == 3, (1...31).contains(day),
              (0...23).contains(hms[0]), (0...59).contains(hms[1]), (0...60).contains(hms[2])
        else { return nil }
        if words.count == 4, year > 2049 { year -= 100 }
        let days = daysFromCivil(year: year, month: month + 1, day: day)
        return Double(days * 86_400 + hms[0] * 3_600 + hms[1] * 60 + hms[2])
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard
    /// Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
