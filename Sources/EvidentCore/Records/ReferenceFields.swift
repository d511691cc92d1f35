import Foundation
import JSONSchema

/// What a field names, as the schemas annotate it (`x-evident-ref` on a definition).
public enum ReferenceTarget: String, Sendable, Hashable, CaseIterable {
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

    /// The target's place in `allCases`.
    var slot: Int {
        switch self {
        case .record: 0
        case .requirement: 1
        case .person: 2
        case .date: 3
        case .commit: 4
        case .commitRange: 5
        case .tag: 6
        case .path: 7
        case .local: 8
        case .threatRef: 9
        }
    }
}

/// One field of a kind that names something else: where it sits in the record, what it names,
/// and for record references which kinds the named record may have (`x-evident-kinds` beside the
/// `$ref`; empty means any kind). A class: every value a record gives in the field points at the
/// one reading of it (a large check holds millions of values).
public final class ReferenceField: Sendable, Hashable {
    public enum Step: Sendable, Hashable {
        case key(String)
        /// Each item of a list.
        case each
        /// Each value of a mapping whose keys are free (`additionalProperties`, `patternProperties`).
        case anyKey
    }

    public let steps: [Step]
    public let target: ReferenceTarget
    public let kinds: [String]
    /// For local ids: the lists of the record whose items' `id`s the value may name.
    public let scopes: [String]
    /// Whether a step takes a mapping's free keys (values there keep their location spelled out).
    let hasAnyKey: Bool

    public init(steps: [Step], target: ReferenceTarget, kinds: [String], scopes: [String] = []) {
        self.steps = steps
        self.target = target
        self.kinds = kinds
        self.scopes = scopes
        hasAnyKey = steps.contains(.anyKey)
    }

    /// Every field a `ReferenceFields` reads values of, kept for the life of the process so that
    /// values may hold theirs unowned (a reading makes a few hundred; evident makes one).
    private nonisolated(unsafe) static var kept: [ReferenceField] = []
    private static let keptLock = NSLock()

    static func keep(_ fields: [ReferenceField]) {
        keptLock.lock()
        kept += fields
        keptLock.unlock()
    }

    public static func == (lhs: ReferenceField, rhs: ReferenceField) -> Bool {
        lhs.steps == rhs.steps && lhs.target == rhs.target && lhs.kinds == rhs.kinds && lhs.scopes == rhs.scopes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(steps)
        hasher.combine(target)
        hasher.combine(kinds)
        hasher.combine(scopes)
    }

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

/// A value a record gives in a reference field, with its position. Kept small (the field by
/// reference, list positions packed, the text read from the node): every rule asks for them and a
/// large check holds millions.
public struct ReferenceValue: Sendable {
    /// Held without a reference count: fields live as long as the process (`ReferenceField.keep`),
    /// and counting one object shared by every record's values made the threads that collect them
    /// fight over its cache line.
    public unowned(unsafe) let field: ReferenceField
    /// The value's node (the mapping, for a `threat-ref`).
    public let node: YAMLNode
    private let positions: Positions
    /// Where the value stands among the record's values, in field order (last: the struct packs
    /// into 64 bytes).
    var ordinal: Int32

    /// The list positions (from 0) of the field's `[]` steps, four of 16 bits each, or the whole
    /// location when there are more, larger ones, or a step over free keys.
    enum Positions: Sendable {
        case packed(UInt64)
        case spelled(String)

        static let slots = 4
        static let slotLimit = 0xFFFF
    }

    init(field: ReferenceField, node: YAMLNode, ordinal: Int, positions: Positions) {
        self.field = field
        self.node = node
        self.ordinal = Int32(truncatingIfNeeded: ordinal)
        self.positions = positions
    }

    /// The scalar's text; empty for a mapping-valued reference (`threat-ref`).
    public var value: String {
        if case .scalar(let scalar) = node { return scalar.value }
        return ""
    }

    public var mark: Mark { node.mark }

    /// The field with list positions, e.g. `threats[2].mitigations[1].record` (made for a finding).
    public var location: String {
        switch positions {
        case .spelled(let text):
            return text
        case .packed(let packed):
            let count = field.steps.count { $0 == .each }
            return Self.spell(field.steps, (0..<count).map { .position(Int((packed >> (16 * UInt64($0))) & 0xFFFF)) })
        }
    }

    /// A list position or a free key a walk passed, in step order.
    enum Part { case position(Int), key(String) }

    /// The steps as a user reads them, each `[]` and free-key step filled from `parts` in order.
    static func spell(_ steps: [ReferenceField.Step], _ parts: [Part]) -> String {
        var text = ""
        var parts = parts.makeIterator()
        for step in steps {
            switch step {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .each:
                if case .position(let position)? = parts.next() { text += "[\(position + 1)]" }
            case .anyKey:
                if case .key(let key)? = parts.next() { text += ".\(key)" }
            }
        }
        return text
    }
}

/// The reference fields of every kind, read once from the embedded kind schemas: the schemas are
/// the one place that says which fields name records (of which kinds), requirements, people,
/// commits, tags and files.
public struct ReferenceFields: Sendable {
    public static let shared = ReferenceFields(schemas: Templates.schemaFiles, isShared: true)

    private var byKind: [String: [ReferenceField]] = [:]
    /// Per kind, the indices of its fields grouped by target (`ReferenceTarget.slot`), each group
    /// in field order: the order `table(of:)` walks them in.
    private var groupedOrder: [String: [Int]] = [:]
    /// Whether this is the embedded schemas' reading, the one records remember their values of.
    private let isShared: Bool

    init(schemas: [(name: String, data: Data)], isShared: Bool = false) {
        self.isShared = isShared
        // Read with evident's own JSON parser: objects keep their key order (so fields come in the
        // schema's order in every run), and nothing is bridged through `Any`.
        var documents: [String: JSONObject] = [:]
        for schema in schemas {
            if let object = (try? JSONValue.parse(schema.data))?.objectValue { documents[schema.name] = object }
        }
        for (name, document) in documents where name.hasSuffix(".schema.json") {
            guard let kind = document["properties"]?["kind"]?["const"]?.stringValue else { continue }
            var walker = Walker(documents: documents)
            walker.walk(document, in: name, steps: [], kinds: [], depth: 0)
            ReferenceField.keep(walker.found)
            byKind[kind] = walker.found
            groupedOrder[kind] = walker.found.indices.sorted { (walker.found[$0].target.slot, $0) < (walker.found[$1].target.slot, $1) }
        }
    }

    /// The reference fields of a kind (the envelope's included).
    public func fields(of kind: String) -> [ReferenceField] { byKind[kind] ?? [] }

    /// Every value a record gives in its kind's reference fields, optionally only of some targets,
    /// in field order. The shared reading's values are worked out once per record
    /// (`Record.referenceValues`) and one target's are handed out without copying.
    public func values(in record: Record, targets: Set<ReferenceTarget>? = nil) -> ArraySlice<ReferenceValue> {
        guard isShared else {
            let all = collectValues(in: record)
            return targets.map { targets in all.filter { targets.contains($0.field.target) }[...] } ?? all[...]
        }
        let table = record.referenceValues
        guard let targets else { return table.all[...] }
        if targets.count == 1, let only = targets.first { return table.values(of: only) }
        // Several targets: when the record has values of only one of them (or none), that list is
        // the answer as it stands; otherwise the lists are merged back into field order.
        var present: [ArraySlice<ReferenceValue>] = []
        for target in targets {
            let values = table.values(of: target)
            if !values.isEmpty { present.append(values) }
        }
        if present.count <= 1 { return present.first ?? [] }
        return present.joined().sorted { $0.ordinal < $1.ordinal }[...]
    }

    /// Every value of every reference field of the record's kind, field by field.
    func collectValues(in record: Record) -> [ReferenceValue] {
        table(of: record).all
    }

    /// Every value of every reference field of the record's kind, grouped by target. The fields are
    /// walked in `groupedOrder`, so the values land in their groups as they are found (no copy);
    /// their ordinals are then set to their places in field order.
    func table(of record: Record) -> Record.ReferenceTable {
        guard let kind = record.kind, let fields = byKind[kind], let order = groupedOrder[kind] else {
            return Record.ReferenceTable(grouped: [], ends: Array(repeating: 0, count: ReferenceTarget.allCases.count))
        }
        var values: [ReferenceValue] = []
        var walk = Walk()
        var starts = [Int](repeating: 0, count: fields.count)
        var counts = [Int](repeating: 0, count: fields.count)
        var ends = [Int32](repeating: 0, count: ReferenceTarget.allCases.count)
        for index in order {
            starts[index] = values.count
            walk.collect(record.node, fields[index], 0, into: &values)
            counts[index] = values.count - starts[index]
            ends[fields[index].target.slot] = Int32(truncatingIfNeeded: values.count)
        }
        // A target without fields ends where the one before it does.
        for slot in ends.indices.dropFirst() where ends[slot] < ends[slot - 1] { ends[slot] = ends[slot - 1] }
        var ordinal = 0
        values.withUnsafeMutableBufferPointer { buffer in
            for index in fields.indices {
                for place in starts[index]..<(starts[index] + counts[index]) {
                    buffer[place].ordinal = Int32(truncatingIfNeeded: ordinal)
                    ordinal += 1
                }
            }
        }
        return Record.ReferenceTable(grouped: values, ends: ends)
    }

    /// A walk along one field's steps through a record, with the list positions and free keys
    /// passed on the way (one buffer for all the record's fields).
    private struct Walk {
        var trail: [ReferenceValue.Part] = []

        mutating func collect(_ node: YAMLNode, _ field: ReferenceField, _ index: Int, into result: inout [ReferenceValue]) {
            guard index < field.steps.count else {
                let wanted: Bool
                if field.target == .threatRef {
                    if case .mapping = node { wanted = true } else { wanted = false }
                } else {
                    wanted = node.scalarString != nil
                }
                if wanted { result.append(ReferenceValue(field: field, node: node, ordinal: 0, positions: positions(field))) }
                return
            }
            switch field.steps[index] {
            case .key(let key):
                guard let child = node[key] else { return }
                collect(child, field, index + 1, into: &result)
            case .each:
                guard case .sequence(let items, _) = node else { return }
                for (position, item) in items.enumerated() {
                    trail.append(.position(position))
                    collect(item, field, index + 1, into: &result)
                    trail.removeLast()
                }
            case .anyKey:
                guard case .mapping(let pairs, _) = node else { return }
                for pair in pairs {
                    trail.append(.key(pair.key.string ?? "?"))
                    collect(pair.value, field, index + 1, into: &result)
                    trail.removeLast()
                }
            }
        }

        /// The trail packed, or spelled out when it holds a free key or a position that does not fit.
        private func positions(_ field: ReferenceField) -> ReferenceValue.Positions {
            var packed: UInt64 = 0
            var fits = !field.hasAnyKey && trail.count <= ReferenceValue.Positions.slots
            if fits {
                for (slot, part) in trail.enumerated() {
                    guard case .position(let position) = part, position < ReferenceValue.Positions.slotLimit else { fits = false; break }
                    packed |= UInt64(position) << (16 * UInt64(slot))
                }
            }
            return fits ? .packed(packed) : .spelled(ReferenceValue.spell(field.steps, trail))
        }
    }

    /// Walks a schema alongside the record shape it describes, following `$ref`s into the
    /// envelope's and the schema's own `$defs`, and notes every annotated field.
    private struct Walker {
        var documents: [String: JSONObject]
        var found: [ReferenceField] = []
        private var seen: Set<ReferenceField> = []

        init(documents: [String: JSONObject]) { self.documents = documents }

        /// A list of strings, or nil when the value is anything else.
        private static func strings(_ value: JSONValue?) -> [String]? {
            guard let items = value?.arrayValue else { return nil }
            let texts = items.compactMap(\.stringValue)
            return texts.count == items.count ? texts : nil
        }

        mutating func walk(_ schema: JSONObject, in document: String, steps: [ReferenceField.Step], kinds: [String], depth: Int) {
            guard depth < 24 else { return }
            let kinds = Self.strings(schema["x-evident-kinds"]) ?? kinds
            if let scopes = Self.strings(schema["x-evident-local"]) {
                note(ReferenceField(steps: steps, target: .local, kinds: [], scopes: scopes))
                return
            }
            if let annotation = schema["x-evident-ref"]?.stringValue {
                // `none` marks a field that has a reference's shape but names nothing (a record's own id).
                if let target = ReferenceTarget(rawValue: annotation) {
                    note(ReferenceField(steps: steps, target: target, kinds: target == .record ? kinds : []))
                }
                // A threat-ref is a mapping: its own fields (the record id) are references too.
                if annotation != ReferenceTarget.threatRef.rawValue { return }
            }
            if let reference = schema["$ref"]?.stringValue, let (resolved, resolvedDocument) = resolve(reference, from: document) {
                walk(resolved, in: resolvedDocument, steps: steps, kinds: kinds, depth: depth + 1)
            }
            for combinator in ["allOf", "anyOf", "oneOf"] {
                for branch in schema[combinator]?.arrayValue ?? [] {
                    if let branch = branch.objectValue { walk(branch, in: document, steps: steps, kinds: kinds, depth: depth + 1) }
                }
            }
            for (key, value) in schema["properties"]?.objectValue ?? JSONObject([]) {
                if let child = value.objectValue { walk(child, in: document, steps: steps + [.key(key)], kinds: [], depth: depth + 1) }
            }
            if let items = schema["items"]?.objectValue {
                walk(items, in: document, steps: steps + [.each], kinds: kinds, depth: depth + 1)
            }
            if let extra = schema["additionalProperties"]?.objectValue {
                walk(extra, in: document, steps: steps + [.anyKey], kinds: [], depth: depth + 1)
            }
            for (_, value) in schema["patternProperties"]?.objectValue ?? JSONObject([]) {
                if let child = value.objectValue { walk(child, in: document, steps: steps + [.anyKey], kinds: [], depth: depth + 1) }
            }
        }

        private mutating func note(_ field: ReferenceField) {
            if seen.insert(field).inserted { found.append(field) }
        }

        /// `#/$defs/x` in the same document, `other.schema.json#/$defs/x`, or a whole document.
        private func resolve(_ reference: String, from document: String) -> (JSONObject, String)? {
            let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0].isEmpty ? document : String(parts[0].split(separator: "/").last ?? "")
            guard var node = documents[name] else { return nil }
            if parts.count == 2 {
                for component in parts[1].split(separator: "/") {
                    guard let next = node[String(component)]?.objectValue else { return nil }
                    node = next
                }
            }
            return (node, name)
        }
    }
}
