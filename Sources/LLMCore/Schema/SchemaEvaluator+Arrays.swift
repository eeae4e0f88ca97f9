// Array keywords: prefixItems, items, minItems, maxItems, uniqueItems.

import JSON

extension SchemaEvaluator {
    mutating func checkArray(_ elements: [JSONValue], _ node: SchemaNode) {
        if let min = node.minItems, elements.count < min {
            report("must have at least \(SchemaText.count(min, "item", "items"))")
        }
        if let max = node.maxItems, elements.count > max {
            report("must have at most \(SchemaText.count(max, "item", "items"))")
        }
        if node.uniqueItems, let (first, second) = Self.firstDuplicate(in: elements) {
            report("must have unique items, but items \(first) and \(second) are equal")
        }
        for (position, element) in elements.enumerated() {
            guard !isFull else { return }
            if position < node.prefixItems.count {
                evaluate(element, node.prefixItems[position], at: .index(position))
            } else if let items = node.items {
                if nodes[items].constant == false {
                    // A closed tuple: one message for the array, not one per extra element.
                    report("must have at most \(SchemaText.count(node.prefixItems.count, "item", "items"))")
                    return
                }
                evaluate(element, items, at: .index(position))
            }
        }
    }

    /// The first pair of equal elements. Quadratic, but schema equality (1 equals
    /// 1.0, key order ignored) has no cheap hash and model answers are short.
    private static func firstDuplicate(in elements: [JSONValue]) -> (Int, Int)? {
        for second in elements.indices {
            for first in 0..<second where elements[first].schemaEquals(elements[second]) {
                return (first, second)
            }
        }
        return nil
    }
}
