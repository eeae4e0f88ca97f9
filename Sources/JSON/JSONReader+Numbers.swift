// Number reading for JSONReader. Integers are accumulated directly; most decimals
// are converted exactly with Clinger's fast path, and only the rest pay for a
// String and the standard library's correctly rounded strtod.

extension JSONReader {
    /// Exact powers of ten for the fast path: 10^22 is the largest that Double holds exactly.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Reads the number starting at `index` (a '-' or a digit).
    mutating func readNumber() throws(JSONError) -> JSONValue {
        let start = index
        let negative = bytes[index] == ASCII.minus
        if negative { index += 1 }

        // Significant digits of integer and fraction; `exact` drops once they no
        // longer fit in 53 bits, which is where the fast path stops being exact.
        var mantissa: UInt64 = 0
        var exact = true
        var fractionDigits = 0
        guard index < bytes.count else { throw unexpectedEnd("expected a digit after '-'") }
        let first = bytes[index]
        if first == ASCII.zero {
            index += 1
            if index < bytes.count, ASCII.zero...ASCII.nine ~= bytes[index] {
                throw error(.invalidNumber, "leading zeros are not allowed", at: start)
            }
        } else if ASCII.zero...ASCII.nine ~= first {
            readDigits(into: &mantissa, exact: &exact)
        } else {
            throw error(.invalidNumber, "expected a digit after '-'")
        }

        var isInteger = true
        if index < bytes.count && bytes[index] == ASCII.period {
            isInteger = false
            index += 1
            let fractionStart = index
            try requireDigit("expected a digit after '.'")
            readDigits(into: &mantissa, exact: &exact)
            fractionDigits = index - fractionStart
        }

        var exponent = 0
        if index < bytes.count && (bytes[index] | 0x20) == ASCII.lowerE {
            isInteger = false
            index += 1
            var exponentNegative = false
            if index < bytes.count && (bytes[index] == ASCII.plus || bytes[index] == ASCII.minus) {
                exponentNegative = bytes[index] == ASCII.minus
                index += 1
            }
            try requireDigit("expected a digit in the exponent")
            while index < bytes.count, ASCII.zero...ASCII.nine ~= bytes[index] {
                // Past 10^6 the value is 0 or infinity anyway; stop before overflow.
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(bytes[index] - ASCII.zero) }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }

        if isInteger && exact {
            if !negative && mantissa <= UInt64(Int64.max) { return .int(Int64(mantissa)) }
            if negative && mantissa <= Int64.min.magnitude { return .int(Int64(truncatingIfNeeded: 0 &- mantissa)) }
        }
        let decimalExponent = exponent - fractionDigits
        if exact && mantissa <= 1 << 53 && abs(decimalExponent) <= 22 {
            var value = Double(mantissa)
            if decimalExponent < 0 {
                value /= Self.powersOfTen[-decimalExponent]
            } else {
                value *= Self.powersOfTen[decimalExponent]
            }
            return .double(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error(.numberOutOfRange, "number is too large for a double", at: start)
        }
        return .double(value)
    }

    /// Reads decimal digits into `mantissa` while it stays exact; afterwards only skips.
    @inline(__always)
    private mutating func readDigits(into mantissa: inout UInt64, exact: inout Bool) {
        while index < bytes.count {
            let digit = bytes[index] &- ASCII.zero
            if digit > 9 { return }
            if exact {
                let (times10, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
                if overflow1 || overflow2 { exact = false } else { mantissa = sum }
            }
            index += 1
        }
    }

    private mutating func requireDigit(_ reason: String) throws(JSONError) {
        guard index < bytes.count else { throw unexpectedEnd(reason) }
        guard ASCII.zero...ASCII.nine ~= bytes[index] else { throw error(.invalidNumber, reason) }
    }
}
