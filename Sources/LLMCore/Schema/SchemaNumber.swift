// SchemaNumber: a JSON number for the numeric keywords, kept as written (integer or
// float) so bounds compare exactly. Converting an Int64 above 2^53 to Double rounds,
// and then `"maximum": 9007199254740992` would admit 9007199254740993.

import JSON

enum SchemaNumber: Sendable, Comparable, CustomStringConvertible {
    case int(Int64)
    case double(Double)

    init?(_ value: JSONValue) {
        switch value {
        case .int(let int): self = .int(int)
        case .double(let double): self = .double(double)
        default: return nil
        }
    }

    static func < (lhs: SchemaNumber, rhs: SchemaNumber) -> Bool { compare(lhs, rhs) < 0 }
    static func == (lhs: SchemaNumber, rhs: SchemaNumber) -> Bool { compare(lhs, rhs) == 0 }

    /// -1, 0 or 1 as `lhs` is below, equal to or above `rhs`, by mathematical value.
    static func compare(_ lhs: SchemaNumber, _ rhs: SchemaNumber) -> Int {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): a == b ? 0 : (a < b ? -1 : 1)
        case (.double(let a), .double(let b)): a == b ? 0 : (a < b ? -1 : 1)
        case (.int(let a), .double(let b)): compare(a, b)
        case (.double(let a), .int(let b)): -compare(b, a)
        }
    }

    private static func compare(_ int: Int64, _ double: Double) -> Int {
        // Outside Int64's range the answer is known; inside it, compare the whole
        // parts as integers and let the fraction break a tie.
        if double >= 0x1p63 { return -1 }
        if double < -0x1p63 { return 1 }
        let whole = double.rounded(.towardZero)
        let wholeInt = Int64(whole)
        if int != wholeInt { return int < wholeInt ? -1 : 1 }
        let fraction = double - whole
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }

    /// `divisor` is positive (checked when the schema is compiled).
    func isMultiple(of divisor: SchemaNumber) -> Bool {
        if case .int(let value) = self, case .int(let divisor) = divisor {
            return value % divisor == 0
        }
        let quotient = doubleValue / divisor.doubleValue
        guard quotient.isFinite else { return false }
        // Decimals are inexact in binary: 0.3 / 0.1 is 2.9999999999999996, yet a model
        // answering 0.3 to "multipleOf": 0.1 is right. Allow the few ulps of error that
        // rounding both operands and the division can introduce.
        let nearest = quotient.rounded()
        return (quotient - nearest).magnitude <= 4 * max(nearest.magnitude, 1).ulp
    }

    private var doubleValue: Double {
        switch self {
        case .int(let int): Double(int)
        case .double(let double): double
        }
    }

    /// As JSON writes it: `5`, `0.5`, `5.0`.
    var description: String {
        switch self {
        case .int(let int): String(int)
        case .double(let double): SchemaText.json(.double(double))
        }
    }
}
