// Object keywords: required, properties, patternProperties, additionalProperties,
// minProperties, maxProperties.

import JSON

extension SchemaEvaluator {
    mutating func checkObject(_ object: JSONObject, _ node: SchemaNode) {
        // Reported at the object: the missing member has no path of its own.
        for name in node.required where object[name] == nil {
            report("missing required property \(SchemaText.quoted(name))")
        }
        if let min = node.minProperties, object.count < min {
            report("must have at least \(SchemaText.count(min, "property", "properties"))")
        }
        if let max = node.maxProperties, object.count > max {
            report("must have at most \(SchemaText.count(max, "property", "properties"))")
        }
        for (key, value) in object.entries {
            guard !isFull else { return }
            var declared = false
            if let property = node.properties[key] {
                evaluate(value, property, at: .key(key))
                declared = true
            }
            for (pattern, subschema) in node.patternProperties where pattern.matches(key) {
                evaluate(value, subschema, at: .key(key))
                declared = true
            }
            guard !declared, let additional = node.additionalProperties else { continue }
            if nodes[additional].constant == false {
                // Say which key is extra rather than "no value is allowed here".
                report("additional property \(SchemaText.quoted(key)) is not allowed")
            } else {
                evaluate(value, additional, at: .key(key))
            }
        }
    }
}
