// Number and string keywords: minimum, maximum, exclusiveMinimum,
// exclusiveMaximum, multipleOf, minLength, maxLength, pattern.

import JSON

extension SchemaEvaluator {
    mutating func checkNumber(_ number: SchemaNumber, _ node: SchemaNode) {
        if let bound = node.minimum, number < bound { report("must be ≥ \(bound)") }
        if let bound = node.exclusiveMinimum, number <= bound { report("must be > \(bound)") }
        if let bound = node.maximum, number > bound { report("must be ≤ \(bound)") }
        if let bound = node.exclusiveMaximum, number >= bound { report("must be < \(bound)") }
        if let divisor = node.multipleOf, !number.isMultiple(of: divisor) {
            report("must be a multiple of \(divisor)")
        }
    }

    mutating func checkString(_ string: String, _ node: SchemaNode) {
        if node.minLength != nil || node.maxLength != nil {
            // JSON Schema counts code points, not grapheme clusters: "é" written as
            // e + U+0301 is 2 long, an emoji flag (two regional indicators) is 2.
            let length = string.unicodeScalars.count
            if let min = node.minLength, length < min {
                report("string shorter than \(SchemaText.count(min, "character", "characters"))")
            }
            if let max = node.maxLength, length > max {
                report("string longer than \(SchemaText.count(max, "character", "characters"))")
            }
        }
        if let pattern = node.pattern, !pattern.matches(string) {
            report("string does not match pattern \(SchemaText.quoted(pattern.source))")
        }
    }
}
