import Foundation

/// What a field names, as the schemas annotate it (`x-evident-ref` on a definition).
public enum ReferenceTarget: String, Sendable, Hashable {
    case record
    case requirement
    case person
    case date
    case commit
    case commitRange = "commit-range"
    case tag
    case path
    /// An id local to a record (a threat's `targets`, a flow's `crosses`): the field's `scopes`
    /// name the lists of the same record whose items' ids it may take (`x-evident-local`).
    case local
    /// A `{record, threats}` mapping naming threats of a threat model (`x-evident-ref: threat-ref`).
    case threatRef = "threat-ref"
}

/// One field of a kind that names something else: where it sits in the record, what it names,
/// and for record references which kinds the named record may have (`x-evident-kinds` beside the
/// `$ref`; empty means any kind).
public struct ReferenceField: Sendable, Hashable {
    public enum Step: Sendable, Hashable {
        case key(String)
        /// Each item of a list.
        case each
        /// Each value of a mapping whose keys are free (`additionalProperties`, `patternProperties`).
        case anyKey
    }

    public var steps: [Step]
    public var target: ReferenceTarget
    public var kinds: [String]
    /// For local ids: the lists of the record whose items' `id`s the value may name.
    public var scopes: [String] = []

    /// The field as a user reads it, e.g. `threats[].mitigations[].record`.
    public var display: String {
        var text = ""
        for step in steps {
            switch step {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .each: text += "[]"
            case .anyKey: text += ".*"
            }
        }
        return text
    }
}

/// A value a record gives in a reference field, with its position.
public struct ReferenceValue: Sendable {
    public var field: ReferenceField
    /// The field with list positions, e.g. `threats[2].mitigations[1].record`.
    public var location: String
    /// The scalar's text; empty for a mapping-valued reference (`threat-ref`).
    public var value: String
    public var mark: Mark
    /// The value's node (the mapping, for a `threat-ref`).
    public var node: YAMLNode
}

/// The reference fields of every kind, read once from the embedded kind schemas: the schemas are
/// the one place that says which fields name records (of which kinds), requirements, people,
/// commits, tags and files.
public struct ReferenceFields: Sendable {
    public static let shared = ReferenceFields(schemas: Templates.schemaFiles, isShared: true)

    private var byKind: [String: [ReferenceField]] = [:]
    /// Whether this is the embedded schemas' reading, the one records remember their values of.
    private let isShared: Bool

    init(schemas: [(name: String, data: Data)], isShared: Bool = false) {
        self.isShared = isShared
        var documents: [String: [String: Any]] = [:]
        for schema in schemas {
            if let object = try? JSONSerialization.jsonObject(with: schema.data) as? [String: Any] { documents[schema.name] = object }
        }
        for (name, document) in documents where name.hasSuffix(".schema.json") {
            guard let kind = ((document["properties"] as? [String: Any])?["kind"] as? [String: Any])?["const"] as? String else { continue }
            var walker = Walker(documents: documents)
            walker.walk(document, in: name, steps: [], kinds: [], depth: 0)
            byKind[kind] = walker.found
        }
    }

    /// The reference fields of a kind (the envelope's included).
    public func fields(of kind: String) -> [ReferenceField] { byKind[kind] ?? [] }

    /// Every value a record gives in its kind's reference fields, optionally only of some targets.
    /// The shared reading's values are worked out once per record (`Record.referenceValues`).
    public func values(in record: Record, targets: Set<ReferenceTarget>? = nil) -> [ReferenceValue] {
        guard isShared else {
            let all = collectValues(in: record)
            return targets.map { targets in all.filter { targets.contains($0.field.target) } } ?? all
        }
        let table = record.referenceValues
        guard let targets else { return table.all }
        if targets.count == 1, let only = targets.first { return table.byTarget[only] ?? [] }
        // Several targets: when the record has values of only one of them (or none), that list is
        // the answer as it stands, in field order, without filtering every value of the record.
        var present: [ReferenceValue]?
        var kinds = 0
        for target in targets {
            if let values = table.byTarget[target] {
                present = values
                kinds += 1
            }
        }
        if kinds <= 1 { return present ?? [] }
        return table.all.filter { targets.contains($0.field.target) }
    }

    /// Every value of every reference field of the record's kind, field by field.
    func collectValues(in record: Record) -> [ReferenceValue] {
        guard let kind = record.kind else { return [] }
        var result: [ReferenceValue] = []
        for field in fields(of: kind) {
            Self.collect(record.node, field.steps[...], field: field, location: "", into: &result)
        }
        return result
    }

    private static func collect(_ node: YAMLNode, _ steps: ArraySlice<ReferenceField.Step>, field: ReferenceField, location: String, into result: inout [ReferenceValue]) {
        guard let step = steps.first else {
            if field.target == .threatRef {
                if case .mapping = node { result.append(ReferenceValue(field: field, location: location, value: "", mark: node.mark, node: node)) }
            } else if case .scalar = node, let value = node.scalarString {
                result.append(ReferenceValue(field: field, location: location, value: value, mark: node.mark, node: node))
            }
            return
        }
        let rest = steps.dropFirst()
        switch step {
        case .key(let key):
            guard let child = node[key] else { return }
            collect(child, rest, field: field, location: location.isEmpty ? key : "\(location).\(key)", into: &result)
        case .each:
            guard case .sequence(let items, _) = node else { return }
            for (index, item) in items.enumerated() { collect(item, rest, field: field, location: "\(location)[\(index + 1)]", into: &result) }
        case .anyKey:
            guard case .mapping(let pairs, _) = node else { return }
            for pair in pairs {
                collect(pair.value, rest, field: field, location: "\(location).\(pair.key.string ?? "?")", into: &result)
            }
        }
    }

    /// Walks a schema alongside the record shape it describes, following `$ref`s into the
    /// envelope's and the schema's own `$defs`, and notes every annotated field.
    private struct Walker {
        var documents: [String: [String: Any]]
        var found: [ReferenceField] = []
        private var seen: Set<ReferenceField> = []

        init(documents: [String: [String: Any]]) { self.documents = documents }

        mutating func walk(_ schema: [String: Any], in document: String, steps: [ReferenceField.Step], kinds: [String], depth: Int) {
            guard depth < 24 else { return }
            let kinds = (schema["x-evident-kinds"] as? [String]) ?? kinds
            if let scopes = schema["x-evident-local"] as? [String] {
                note(ReferenceField(steps: steps, target: .local, kinds: [], scopes: scopes))
                return
            }
            if let annotation = schema["x-evident-ref"] as? String {
                // `none` marks a field that has a reference's shape but names nothing (a record's own id).
                if let target = ReferenceTarget(rawValue: annotation) {
                    note(ReferenceField(steps: steps, target: target, kinds: target == .record ? kinds : []))
                }
                // A threat-ref is a mapping: its own fields (the record id) are references too.
                if annotation != ReferenceTarget.threatRef.rawValue { return }
            }
            if let reference = schema["$ref"] as? String, let (resolved, resolvedDocument) = resolve(reference, from: document) {
                walk(resolved, in: resolvedDocument, steps: steps, kinds: kinds, depth: depth + 1)
            }
            for combinator in ["allOf", "anyOf", "oneOf"] {
                for branch in schema[combinator] as? [[String: Any]] ?? [] {
                    walk(branch, in: document, steps: steps, kinds: kinds, depth: depth + 1)
                }
            }
            for (key, value) in (schema["properties"] as? [String: Any]) ?? [:] {
                if let child = value as? [String: Any] { walk(child, in: document, steps: steps + [.key(key)], kinds: [], depth: depth + 1) }
            }
            if let items = schema["items"] as? [String: Any] {
                walk(items, in: document, steps: steps + [.each], kinds: kinds, depth: depth + 1)
            }
            if let extra = schema["additionalProperties"] as? [String: Any] {
                walk(extra, in: document, steps: steps + [.anyKey], kinds: [], depth: depth + 1)
            }
            for value in ((schema["patternProperties"] as? [String: Any]) ?? [:]).values {
                if let child = value as? [String: Any] { walk(child, in: document, steps: steps + [.anyKey], kinds: [], depth: depth + 1) }
            }
        }

        private mutating func note(_ field: ReferenceField) {
            if seen.insert(field).inserted { found.append(field) }
        }

        /// `#/$defs/x` in the same document, `other.schema.json#/$defs/x`, or a whole document.
        private func resolve(_ reference: String, from document: String) -> ([String: Any], String)? {
            let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0].isEmpty ? document : String(parts[0].split(separator: "/").last ?? "")
            guard var node = documents[name] else { return nil }
            if parts.count == 2 {
                for component in parts[1].split(separator: "/") {
                    guard let next = node[String(component)] as? [String: Any] else { return nil }
                    node = next
                }
            }
            return (node, name)
        }
    }
}
