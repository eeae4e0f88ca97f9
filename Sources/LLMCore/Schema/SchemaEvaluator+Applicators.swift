// Keywords that apply other schemas to the same value: $ref, allOf, anyOf, oneOf,
// not. allOf and $ref report their subschemas' violations as they are; the others
// report one summary, because a list of every alternative's failures mostly
// describes alternatives the value was never meant to match.

import JSON

extension SchemaEvaluator {
    mutating func checkApplicators(_ value: JSONValue, _ node: SchemaNode) {
        if let ref = node.ref { evaluate(value, ref) }
        for subschema in node.allOf { evaluate(value, subschema) }
        if !node.anyOf.isEmpty { checkAnyOf(value, node.anyOf) }
        if !node.oneOf.isEmpty { checkOneOf(value, node.oneOf) }
        if let not = node.not, trial(value, not, limit: 1).isEmpty {
            report("must not match the schema in 'not'")
        }
    }

    private mutating func checkAnyOf(_ value: JSONValue, _ alternatives: [Int]) {
        var failures: [[SchemaViolation]] = []
        for alternative in alternatives {
            let violations = trial(value, alternative)
            if violations.isEmpty { return }
            failures.append(violations)
        }
        report(noneMatched("anyOf", value, alternatives, failures))
    }

    private mutating func checkOneOf(_ value: JSONValue, _ alternatives: [Int]) {
        var failures: [[SchemaViolation]] = []
        var matching: [Int] = []
        for (position, alternative) in alternatives.enumerated() {
            let violations = trial(value, alternative)
            if violations.isEmpty { matching.append(position) } else { failures.append(violations) }
        }
        switch matching.count {
        case 0:
            report(noneMatched("oneOf", value, alternatives, failures))
        case 1:
            break
        default:
            let positions = matching.map(String.init).joined(separator: ", ")
            report("matches \(matching.count) of the \(alternatives.count) alternatives in oneOf (\(positions)); exactly one must match")
        }
    }

    /// Names the first violation of the alternative the value came closest to: one
    /// whose `type` admits the value, then the one with fewest violations, then the
    /// earliest. For a tagged union that is the variant the tag chose.
    private func noneMatched(
        _ keyword: String, _ value: JSONValue, _ alternatives: [Int], _ failures: [[SchemaViolation]]
    ) -> String {
        func distance(_ position: Int) -> (Int, Int, Int) {
            (admitsType(value, alternatives[position]) ? 0 : 1, failures[position].count, position)
        }
        let closest = failures.indices.min { distance($0) < distance($1) }!
        let first = failures[closest][0]
        let detail = first.path == pathText ? first.message : first.description
        if alternatives.count == 1 { return "does not match the alternative in \(keyword): \(detail)" }
        return "matches none of the \(alternatives.count) alternatives in \(keyword): \(detail)"
    }

    /// Whether node `index`'s `type` (or that of the schema its `$ref` names) admits
    /// `value`. Ref chains end: the compiler rejected cycles.
    private func admitsType(_ value: JSONValue, _ index: Int) -> Bool {
        let node = nodes[index]
        if node.constant == false { return false }
        if !node.types.isEmpty, !node.types.contains(where: { $0.accepts(value) }) { return false }
        return node.ref.map { admitsType(value, $0) } ?? true
    }
}
