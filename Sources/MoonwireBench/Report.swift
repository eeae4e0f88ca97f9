// What a benchmark reports, and the two ways it leaves the program: a table on
// stdout for people and a JSON file for tools. Figures are never asserted: the
// machine is shared, so they are reported with their spread.
import Foundation
import JSON

struct Figure {
    var name: String
    var value: Double
    var unit: String
    var target: String
    /// How the figure was made and how much it varied, for the table's last column.
    var note: String
    /// Extra numbers for the JSON file (spread, counts, checks).
    var details: [(String, JSONValue)] = []
}

enum Report {
    static func table(_ figures: [Figure]) -> String {
        let rows = [["benchmark", "figure", "unit", "target", "notes"]]
            + figures.map { [$0.name, format($0.value), $0.unit, $0.target, $0.note] }
        // The notes column is last and left ragged, so long notes do not widen the rest.
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            (0..<4).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                + "  " + row[4]
        }.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        switch abs(value) {
        case 10_000...: grouped(Int(value.rounded()))
        case 100...: String(Int(value.rounded()))
        case 1...: String(format: "%.2f", value)
        default: String(format: "%.3f", value)
        }
    }

    /// 1234567 → "1,234,567": rates are easier to read against their targets.
    static func grouped(_ n: Int) -> String {
        var digits = String(n)
        for i in stride(from: digits.count - 3, to: 0, by: -3) {
            digits.insert(",", at: digits.index(digits.startIndex, offsetBy: i))
        }
        return digits
    }

    static func json(_ figures: [Figure], environment: [(String, JSONValue)]) throws -> [UInt8] {
        let benchmarks: [JSONValue] = figures.map { f in
            .object(JSONObject([
                ("name", .string(f.name)), ("value", .double(f.value)), ("unit", .string(f.unit)),
                ("target", .string(f.target)), ("note", .string(f.note)),
            ] + f.details))
        }
        let root = JSONValue.object(JSONObject([
            ("environment", .object(JSONObject(environment))),
            ("benchmarks", .array(benchmarks)),
        ]))
        return try JSONWriter.bytes(root, options: .pretty) + [UInt8(ascii: "\n")]
    }
}

/// Order statistics of a sample (nearest-rank, so every figure is a real observation).
struct Sample {
    let sorted: [Double]

    init(_ values: [Double]) { sorted = values.sorted() }

    func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }
    var median: Double { percentile(50) }
    var min: Double { sorted.first ?? .nan }
    var max: Double { sorted.last ?? .nan }
}
