// SchemaEvaluator: one validation run. It walks the value and the compiled schema
// together, holding the value's path so each violation can say where it is. The
// keyword groups live in extensions: objects, arrays, scalars, applicators.

import JSON

struct SchemaEvaluator {
    let nodes: [SchemaNode]
    /// Reporting stops here, and the walk with it.
    let limit: Int
    private(set) var violations: [SchemaViolation] = []
    private var path: InstancePath

    init(nodes: [SchemaNode], limit: Int, path: InstancePath = InstancePath()) {
        self.nodes = nodes
        self.limit = limit
        self.path = path
    }

    var isFull: Bool { violations.count >= limit }

    var pathText: String { path.text }

    mutating func report(_ message: String) {
        guard !isFull else { return }
        violations.append(SchemaViolation(path: path.text, message: message))
    }

    /// Checks `value` against node `index`, reporting at the current path.
    mutating func evaluate(_ value: JSONValue, _ index: Int) {
        guard !isFull else { return }
        let node = nodes[index]
        if let admitsAll = node.constant {
            if !admitsAll { report("no value is allowed here") }
            return
        }
        if !node.types.isEmpty, !node.types.contains(where: { $0.accepts(value) }) {
            // The other keywords would only restate the mismatch ("not one of …").
            report("expected \(SchemaType.list(node.types)), got \(SchemaType.name(of: value))")
            return
        }
        if let allowed = node.enumValues, !allowed.contains(where: value.schemaEquals) {
            report("value \(SchemaText.value(value)) is not one of \(SchemaText.list(allowed))")
        }
        if let expected = node.constValue, !value.schemaEquals(expected) {
            report("must be \(SchemaText.value(expected)), got \(SchemaText.value(value))")
        }
        switch value {
        case .object(let object): checkObject(object, node)
        case .array(let elements): checkArray(elements, node)
        case .string(let string): checkString(string, node)
        case .int, .double: checkNumber(SchemaNumber(value)!, node)
        case .null, .bool: break
        }
        checkApplicators(value, node)
    }

    /// Checks `value`, the member or element `component` of the current value.
    mutating func evaluate(_ value: JSONValue, _ index: Int, at component: InstancePath.Component) {
        path.components.append(component)
        evaluate(value, index)
        path.components.removeLast()
    }

    /// The violations of `value` against node `index` in a separate run at the
    /// current path, for keywords that must know whether a subschema passes
    /// before deciding what to report (anyOf, oneOf, not).
    func trial(_ value: JSONValue, _ index: Int, limit: Int? = nil) -> [SchemaViolation] {
        var trial = SchemaEvaluator(nodes: nodes, limit: limit ?? self.limit, path: path)
        trial.evaluate(value, index)
        return trial.violations
    }
}
