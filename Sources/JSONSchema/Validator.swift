import Foundation

/// One reason an instance fails its schema: where in the instance, which keyword, and why.
public struct ValidationError: Hashable, Sendable, CustomStringConvertible {
    /// JSON pointer to the failing value in the instance.
    public let instanceLocation: String
    /// JSON pointer to the failing keyword along the evaluation path (through `$ref`s).
    public let keywordLocation: String
    public let message: String

    public init(instanceLocation: String, keywordLocation: String, message: String) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.message = message
    }

    public var description: String {
        "\(instanceLocation.isEmpty ? "/" : instanceLocation): \(message) (at \(keywordLocation.isEmpty ? "/" : keywordLocation))"
    }
}

/// The outcome of validating one instance: valid when there are no errors.
public struct ValidationResult: Sendable {
    public let errors: [ValidationError]
    public var isValid: Bool { errors.isEmpty }
}

/// Options of a validation run.
public struct ValidationOptions: Sendable {
    /// Treat `format` as an assertion rather than an annotation.
    public var assertFormat: Bool
    /// Deepest nesting of schema evaluation (instance depth plus `$ref` chains) before giving up.
    public var maxDepth: Int

    public init(assertFormat: Bool = false, maxDepth: Int = 2_000) {
        self.assertFormat = assertFormat
        self.maxDepth = maxDepth
    }
}

/// A schema compiled and checked against its registry, ready to validate many instances.
public struct Schema {
    let root: CompiledSchema
    /// The absolute URI of the schema.
    public var uri: String { root.location.key }
}

/// What a large-stack thread hands back to its waiting caller.
private final class LargeStackResult<T>: @unchecked Sendable {
    var result: T?
    let done = DispatchSemaphore(value: 0)
}

/// Validates instances against schemas of a registry (JSON Schema 2020-12 and draft-07).
public struct Validator {
    public let registry: SchemaRegistry
    public var options: ValidationOptions

    public init(registry: SchemaRegistry, options: ValidationOptions = ValidationOptions()) {
        self.registry = registry
        self.options = options
    }

    /// Compiles the schema at `uri` and checks that every reachable `$ref` resolves and every
    /// pattern compiles; throws a `SchemaError` listing the problems.
    public func schema(_ uri: String) throws -> Schema {
        let compiler = SchemaCompiler(registry: registry)
        guard let root = compiler.compile(uri: uri) else {
            throw SchemaError("unknown schema '\(uri)': no schema is registered under that URI")
        }
        let problems = SchemaChecker(compiler: compiler).problems(from: root)
        if !problems.isEmpty {
            throw SchemaError(problems.joined(separator: "\n"))
        }
        return Schema(root: root)
    }

    /// Registers `schema` (anonymously unless it has an `$id`) and compiles it.
    public func schema(_ schema: JSONValue) throws -> Schema {
        try self.schema(try registry.add(schema))
    }

    /// Validates an instance against a compiled schema.
    public func validate(instance: JSONValue, against schema: Schema) -> ValidationResult {
        Validator.onLargeStack { evaluate(instance, schema) }
    }

    /// Validates many instances, each against its schema, on one large-stack thread: the same
    /// results as `validate(instance:against:)` one by one, without a thread per instance.
    public func validate(_ batch: [(instance: JSONValue, schema: Schema)]) -> [ValidationResult] {
        Validator.onLargeStack { batch.map { evaluate($0.instance, $0.schema) } }
    }

    /// One evaluation on the current thread's stack.
    private func evaluate(_ instance: JSONValue, _ schema: Schema) -> ValidationResult {
        let evaluation = Evaluation(compiler: SchemaCompiler(registry: registry), options: options)
        var annotations: Annotations?
        let valid = evaluation.evaluate(schema.root, instance, &annotations)
        if !valid, evaluation.errors.isEmpty {
            evaluation.errors.append(ValidationError(instanceLocation: "", keywordLocation: "", message: "value does not match the schema"))
        }
        return ValidationResult(errors: valid ? [] : evaluation.errors)
    }

    /// Evaluation recurses once per level of instance and schema nesting; a thread with a large
    /// stack makes `maxDepth`, not the caller's stack size, the limit.
    static func onLargeStack<T>(_ body: @escaping () -> T) -> T {
        let box = LargeStackResult<T>()
        let thread = Thread {
            box.result = body()
            box.done.signal()
        }
        thread.stackSize = 256 << 20
        thread.start()
        box.done.wait()
        return box.result!
    }

    /// Validates an instance against the schema registered under `uri`.
    public func validate(instance: JSONValue, against uri: String) throws -> ValidationResult {
        validate(instance: instance, against: try schema(uri))
    }

    /// Validates without checking references first: unresolvable ones become validation errors.
    func validateLeniently(instance: JSONValue, against uri: String) -> ValidationResult {
        let compiler = SchemaCompiler(registry: registry)
        guard let root = compiler.compile(uri: uri) else {
            return ValidationResult(errors: [ValidationError(instanceLocation: "", keywordLocation: "", message: "unknown schema '\(uri)'")])
        }
        return validate(instance: instance, against: Schema(root: root))
    }
}

/// Walks a compiled schema graph (following references) and lists what cannot work.
struct SchemaChecker {
    let compiler: SchemaCompiler

    func problems(from root: CompiledSchema) -> [String] {
        var problems: [String] = []
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
        var stack = [root]
        func visit(_ node: CompiledSchema?) {
            guard let node, seen.insert(ObjectIdentifier(node)).inserted else { return }
            stack.append(node)
        }
        while let node = stack.popLast() {
            for (token, keyword) in node.keywords {
                let at = "\(node.location.key)/\(token)"
                switch keyword {
                case .ref(let slot), .dynamicRef(let slot, _):
                    if let target = Evaluation.resolve(slot, compiler) {
                        visit(target)
                    } else {
                        problems.append("cannot resolve \(token) '\(slot.uri)' (at \(at)): no schema is registered under that URI")
                    }
                case .pattern(let regex, let source):
                    if regex == nil { problems.append("invalid regular expression '\(source)' in pattern (at \(at))") }
                case .allOf(let children), .anyOf(let children), .oneOf(let children):
                    children.forEach { visit($0.schema) }
                case .not(let c), .propertyNames(let c), .unevaluatedItems(let c), .unevaluatedProperties(let c):
                    visit(c.schema)
                case .contains(let c, _, _):
                    visit(c.schema)
                case .conditional(let i, let t, let e):
                    visit(i.schema)
                    visit(t?.schema)
                    visit(e?.schema)
                case .dependentSchemas(let pairs):
                    pairs.forEach { visit($0.1.schema) }
                case .items(let prefix, let rest):
                    prefix.forEach { visit($0.schema) }
                    visit(rest?.schema)
                case .properties(let named, let patterns, let additional):
                    named.values.forEach { visit($0.schema) }
                    for (regex, child) in patterns {
                        if regex == nil { problems.append("invalid regular expression '\(child.path.last ?? "")' in patternProperties (at \(node.location.key))") }
                        visit(child.schema)
                    }
                    visit(additional?.schema)
                default:
                    break
                }
            }
        }
        return problems
    }
}

/// Which properties and items of the current instance some keyword has evaluated.
struct Annotations {
    var properties: Set<String> = []
    var allProperties = false
    var itemCount = 0
    var allItems = false
    var containsIndices: Set<Int> = []

    mutating func merge(_ other: Annotations) {
        properties.formUnion(other.properties)
        allProperties = allProperties || other.allProperties
        itemCount = max(itemCount, other.itemCount)
        allItems = allItems || other.allItems
        containsIndices.formUnion(other.containsIndices)
    }
}

enum PathToken {
    case key(String)
    case index(Int)
}

struct ActiveRef: Hashable {
    let schema: ObjectIdentifier
    let depth: Int
}

/// The state of one validation: errors so far, where we are, and the dynamic scope.
final class Evaluation {
    let compiler: SchemaCompiler
    let options: ValidationOptions
    // One evaluation runs on one thread and never holds two accesses to these at once; the
    // dynamic exclusivity checks on every push and pop were a measurable share of validation.
    @exclusivity(unchecked) var errors: [ValidationError] = []
    @exclusivity(unchecked) var muted = 0
    @exclusivity(unchecked) var instancePath: [PathToken] = []
    @exclusivity(unchecked) var keywordPath: [String] = []
    @exclusivity(unchecked) var dynamicScope: [(id: Int, uri: String)] = []
    /// The references being followed, outermost first; their instance depths never decrease.
    @exclusivity(unchecked) var activeRefs: [ActiveRef] = []
    @exclusivity(unchecked) var depth = 0

    init(compiler: SchemaCompiler, options: ValidationOptions) {
        self.compiler = compiler
        self.options = options
    }

    static func resolve(_ slot: RefSlot, _ compiler: SchemaCompiler) -> CompiledSchema? {
        if let target = slot.target { return target }
        if slot.failed { return nil }
        slot.target = compiler.compile(uri: slot.uri)
        slot.failed = slot.target == nil
        return slot.target
    }

    // MARK: - Recording

    func pointer(_ tokens: [PathToken]) -> String {
        var s = ""
        for token in tokens {
            s += "/"
            switch token {
            case .key(let k): s += JSONPointer.escape(k)
            case .index(let i): s += String(i)
            }
        }
        return s
    }

    func fail(_ token: String?, _ message: @autoclosure () -> String) {
        guard muted == 0 else { return }
        var keyword = keywordPath.isEmpty ? "" : "/" + keywordPath.joined(separator: "/")
        if let token { keyword += "/" + token }
        errors.append(ValidationError(instanceLocation: pointer(instancePath), keywordLocation: keyword, message: message()))
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .number(let n): return n.description
        case .string(let s): return s.count > 60 ? "\"\(s.prefix(57))...\"" : "\"\(s)\""
        case .array(let a): return "an array of \(a.count) items"
        case .object(let o): return "an object with \(o.count) properties"
        }
    }

    // MARK: - Evaluation

    func evaluate(_ node: CompiledSchema, _ instance: JSONValue, _ annotations: inout Annotations?) -> Bool {
        if let constant = node.constant {
            if !constant { fail(nil, "no value is allowed here (the schema is false)") }
            return constant
        }
        depth += 1
        defer { depth -= 1 }
        if depth > options.maxDepth {
            fail(nil, "evaluation nested deeper than \(options.maxDepth) levels; giving up")
            return false
        }
        let pushed = dynamicScope.last?.id != node.resourceID
        if pushed { dynamicScope.append((node.resourceID, node.location.resource)) }
        defer { if pushed { dynamicScope.removeLast() } }

        var local: Annotations? = (annotations != nil || node.hasUnevaluated) ? Annotations() : nil
        var valid = true
        for (token, keyword) in node.keywords {
            if !evaluate(keyword, token, instance, &local) {
                valid = false
                if muted > 0 { return false }
            }
        }
        if valid, annotations != nil, let local { annotations?.merge(local) }
        return valid
    }

    /// Evaluates a subschema at a child keyword path and, optionally, a child instance location.
    @inline(__always)
    func evaluate(_ child: Child, _ instance: JSONValue, at token: PathToken?, _ annotations: inout Annotations?) -> Bool {
        if let token { instancePath.append(token) }
        keywordPath.append(contentsOf: child.path)
        let ok = evaluate(child.schema, instance, &annotations)
        keywordPath.removeLast(child.path.count)
        if token != nil { instancePath.removeLast() }
        return ok
    }

    func evaluate(_ child: Child, _ instance: JSONValue, at token: PathToken?) -> Bool {
        var none: Annotations?
        return evaluate(child, instance, at: token, &none)
    }

    func muted<T>(_ body: () -> T) -> T {
        muted += 1
        defer { muted -= 1 }
        return body()
    }

    func follow(_ target: CompiledSchema, _ token: String, _ instance: JSONValue, _ annotations: inout Annotations?) -> Bool {
        let key = ActiveRef(schema: ObjectIdentifier(target), depth: instancePath.count)
        // Only the references active at this same instance location can form a cycle.
        var i = activeRefs.count - 1
        while i >= 0, activeRefs[i].depth == key.depth {
            if activeRefs[i].schema == key.schema {
                fail(token, "infinite \(token) cycle: '\(target.location.key)' refers back to itself without consuming the instance")
                return false
            }
            i -= 1
        }
        activeRefs.append(key)
        keywordPath.append(token)
        let ok = evaluate(target, instance, &annotations)
        keywordPath.removeLast()
        activeRefs.removeLast()
        return ok
    }

    func evaluate(_ keyword: Keyword, _ token: String, _ instance: JSONValue, _ annotations: inout Annotations?) -> Bool {
        switch keyword {
        case .ref(let slot):
            guard let target = Evaluation.resolve(slot, compiler) else {
                fail(token, "cannot resolve $ref '\(slot.uri)'")
                return false
            }
            return follow(target, token, instance, &annotations)
        case .dynamicRef(let slot, let anchor):
            return evaluateDynamicRef(slot, anchor, token, instance, &annotations)
        case .type(let set, let names):
            if set.admits(instance) { return true }
            fail(token, "expected \(names.joined(separator: " or ")), found \(instance.typeName)")
            return false
        case .enumeration(let values):
            if values.contains(instance) { return true }
            fail(token, "\(Evaluation.describe(instance)) is not one of the allowed values")
            return false
        case .constant(let value):
            if value == instance { return true }
            fail(token, "value must be \(Evaluation.describe(value))")
            return false
        case .multipleOf(let divisor):
            guard case .number(let n) = instance else { return true }
            if Evaluation.isMultiple(n, of: divisor) { return true }
            fail(token, "\(n) is not a multiple of \(divisor)")
            return false
        case .maximum(let limit, let exclusive):
            guard case .number(let n) = instance else { return true }
            let c = JSONNumber.compare(n, limit)
            if exclusive ? c < 0 : c <= 0 { return true }
            fail(token, "\(n) is greater than \(exclusive ? "or equal to " : "")\(limit)")
            return false
        case .minimum(let limit, let exclusive):
            guard case .number(let n) = instance else { return true }
            let c = JSONNumber.compare(n, limit)
            if exclusive ? c > 0 : c >= 0 { return true }
            fail(token, "\(n) is less than \(exclusive ? "or equal to " : "")\(limit)")
            return false
        case .maxLength(let limit):
            guard case .string(let s) = instance else { return true }
            if s.utf8.count <= limit || s.unicodeScalars.count <= limit { return true }
            fail(token, "string is longer than \(limit) characters")
            return false
        case .minLength(let limit):
            guard case .string(let s) = instance else { return true }
            if s.unicodeScalars.count >= limit { return true }
            fail(token, "string is shorter than \(limit) characters")
            return false
        case .pattern(let regex, let source):
            guard case .string(let s) = instance else { return true }
            guard let regex else {
                fail(token, "invalid regular expression '\(source)' in schema")
                return false
            }
            if regex.matches(s) { return true }
            fail(token, "\(Evaluation.describe(instance)) does not match pattern '\(source)'")
            return false
        case .maxItems(let limit):
            guard case .array(let a) = instance, a.count > limit else { return true }
            fail(token, "array has more than \(limit) items")
            return false
        case .minItems(let limit):
            guard case .array(let a) = instance, a.count < limit else { return true }
            fail(token, "array has fewer than \(limit) items")
            return false
        case .uniqueItems:
            guard case .array(let a) = instance else { return true }
            if let repeated = Evaluation.firstRepeated(a) {
                fail(token, "array items are not unique: \(Evaluation.describe(repeated)) is repeated")
                return false
            }
            return true
        case .maxProperties(let limit):
            guard case .object(let o) = instance, o.count > limit else { return true }
            fail(token, "object has more than \(limit) properties")
            return false
        case .minProperties(let limit):
            guard case .object(let o) = instance, o.count < limit else { return true }
            fail(token, "object has fewer than \(limit) properties")
            return false
        case .required(let names):
            guard case .object(let o) = instance else { return true }
            var ok = true
            for name in names where o[name] == nil {
                fail(token, "required property '\(name)' is missing")
                ok = false
                if muted > 0 { break }
            }
            return ok
        case .dependentRequired(_, let pairs):
            guard case .object(let o) = instance else { return true }
            var ok = true
            for (name, required) in pairs where o[name] != nil {
                for other in required where o[other] == nil {
                    fail(token + "/" + JSONPointer.escape(name), "property '\(other)' is required when '\(name)' is present")
                    ok = false
                }
            }
            return ok
        case .format(let format):
            guard options.assertFormat, case .string(let s) = instance else { return true }
            if FormatChecker.check(format, s) { return true }
            fail(token, "\(Evaluation.describe(instance)) is not a valid \(format)")
            return false
        case .allOf(let children):
            var ok = true
            for child in children {
                var sub: Annotations? = annotations != nil ? Annotations() : nil
                if evaluate(child, instance, at: nil, &sub) {
                    if let sub { annotations?.merge(sub) }
                } else {
                    ok = false
                    if muted > 0 { return false }
                }
            }
            return ok
        case .anyOf(let children):
            var matched = false
            muted += 1
            for child in children {
                var sub: Annotations? = annotations != nil ? Annotations() : nil
                if evaluate(child, instance, at: nil, &sub) {
                    matched = true
                    if let sub { annotations?.merge(sub) } else { break }
                }
            }
            muted -= 1
            if matched { return true }
            fail(token, "value does not match any of the \(children.count) schemas in anyOf")
            return false
        case .oneOf(let children):
            var matches: [Int] = []
            var matchedAnnotations: Annotations?
            muted += 1
            for (i, child) in children.enumerated() {
                var sub: Annotations? = annotations != nil ? Annotations() : nil
                if evaluate(child, instance, at: nil, &sub) {
                    matches.append(i)
                    matchedAnnotations = sub
                    if matches.count > 1 { break }
                }
            }
            muted -= 1
            if matches.count == 1 {
                if let matchedAnnotations { annotations?.merge(matchedAnnotations) }
                return true
            }
            if matches.isEmpty {
                fail(token, "value does not match any of the \(children.count) schemas in oneOf")
            } else {
                fail(token, "value matches more than one schema in oneOf (\(matches.map(String.init).joined(separator: " and ")))")
            }
            return false
        case .not(let child):
            let matched = muted { evaluate(child, instance, at: nil) }
            if !matched { return true }
            fail(token, "value must not match the schema in not")
            return false
        case .conditional(let ifChild, let thenChild, let elseChild):
            var sub: Annotations? = annotations != nil ? Annotations() : nil
            let condition = muted { evaluate(ifChild, instance, at: nil, &sub) }
            if condition, let sub { annotations?.merge(sub) }
            guard let branch = condition ? thenChild : elseChild else { return true }
            var branchAnnotations: Annotations? = annotations != nil ? Annotations() : nil
            let ok = evaluate(branch, instance, at: nil, &branchAnnotations)
            if ok, let branchAnnotations { annotations?.merge(branchAnnotations) }
            return ok
        case .dependentSchemas(let pairs):
            guard case .object(let o) = instance else { return true }
            var ok = true
            for (name, child) in pairs where o[name] != nil {
                var sub: Annotations? = annotations != nil ? Annotations() : nil
                if evaluate(child, instance, at: nil, &sub) {
                    if let sub { annotations?.merge(sub) }
                } else {
                    ok = false
                    if muted > 0 { return false }
                }
            }
            return ok
        case .items(let prefix, let rest):
            return evaluateItems(prefix, rest, instance, &annotations)
        case .contains(let child, let min, let max):
            return evaluateContains(child, min, max, token, instance, &annotations)
        case .properties(let named, let patterns, let additional):
            return evaluateProperties(named, patterns, additional, instance, &annotations)
        case .propertyNames(let child):
            guard case .object(let o) = instance else { return true }
            var ok = true
            for key in o.keys where !muted({ evaluate(child, .string(key), at: nil) }) {
                fail(token, "property name '\(key)' does not match the propertyNames schema")
                ok = false
                if muted > 0 { break }
            }
            return ok
        case .unevaluatedItems(let child):
            guard case .array(let a) = instance else { return true }
            let seen = annotations ?? Annotations()
            if seen.allItems { return true }
            var ok = true
            for i in seen.itemCount..<max(seen.itemCount, a.count) where !seen.containsIndices.contains(i) {
                if !evaluate(child, a[i], at: .index(i)) {
                    ok = false
                    if muted > 0 { return false }
                }
            }
            if ok { annotations?.allItems = true }
            return ok
        case .unevaluatedProperties(let child):
            guard case .object(let o) = instance else { return true }
            let seen = annotations ?? Annotations()
            if seen.allProperties { return true }
            var ok = true
            for (key, value) in o where !seen.properties.contains(key) {
                if !evaluate(child, value, at: .key(key)) {
                    ok = false
                    if muted > 0 { return false }
                }
            }
            if ok { annotations?.allProperties = true }
            return ok
        }
    }

    func evaluateDynamicRef(_ slot: RefSlot, _ anchor: String?, _ token: String, _ instance: JSONValue, _ annotations: inout Annotations?) -> Bool {
        guard let initial = Evaluation.resolve(slot, compiler) else {
            fail(token, "cannot resolve $dynamicRef '\(slot.uri)'")
            return false
        }
        var target = initial
        if let anchor, initial.dynamicAnchor == anchor {
            for scope in dynamicScope {
                if let location = compiler.registry.dynamicAnchors[scope.uri]?[anchor],
                   let found = compiler.compile(location: location) {
                    target = found
                    break
                }
            }
        }
        return follow(target, token, instance, &annotations)
    }

    func evaluateItems(_ prefix: [Child], _ rest: Child?, _ instance: JSONValue, _ annotations: inout Annotations?) -> Bool {
        guard case .array(let a) = instance else { return true }
        var ok = true
        let prefixCount = min(prefix.count, a.count)
        for i in 0..<prefixCount where !evaluate(prefix[i], a[i], at: .index(i)) {
            ok = false
            if muted > 0 { return false }
        }
        if let current = annotations?.itemCount { annotations?.itemCount = max(current, prefixCount) }
        if let rest {
            if prefix.count < a.count {
                for i in prefix.count..<a.count where !evaluate(rest, a[i], at: .index(i)) {
                    ok = false
                    if muted > 0 { return false }
                }
            }
            annotations?.allItems = true
        }
        return ok
    }

    func evaluateContains(_ child: Child, _ min: Int, _ max: Int?, _ token: String, _ instance: JSONValue, _ annotations: inout Annotations?) -> Bool {
        guard case .array(let a) = instance else { return true }
        var count = 0
        muted += 1
        for (i, item) in a.enumerated() where evaluate(child, item, at: .index(i)) {
            count += 1
            annotations?.containsIndices.insert(i)
            if max == nil, annotations == nil, count >= min { break }
        }
        muted -= 1
        if count < min {
            fail(token, min == 1 ? "array does not contain a matching item" : "array contains \(count) matching items, fewer than \(min)")
            return false
        }
        if let max, count > max {
            fail(token, "array contains \(count) matching items, more than \(max)")
            return false
        }
        return true
    }

    func evaluateProperties(_ named: [String: Child], _ patterns: [(ECMARegex?, Child)], _ additional: Child?, _ instance: JSONValue, _ annotations: inout Annotations?) -> Bool {
        guard case .object(let o) = instance else { return true }
        var ok = true
        for (key, value) in o {
            var matched = false
            if let child = named[key] {
                matched = true
                if !evaluate(child, value, at: .key(key)) {
                    ok = false
                    if muted > 0 { return false }
                }
            }
            for (regex, child) in patterns {
                guard let regex else {
                    keywordPath.append(contentsOf: child.path)
                    fail(nil, "invalid regular expression in patternProperties")
                    keywordPath.removeLast(child.path.count)
                    ok = false
                    continue
                }
                guard regex.matches(key) else { continue }
                matched = true
                if !evaluate(child, value, at: .key(key)) {
                    ok = false
                    if muted > 0 { return false }
                }
            }
            if matched {
                annotations?.properties.insert(key)
            } else if let additional {
                if additional.schema.constant == false {
                    keywordPath.append(contentsOf: additional.path)
                    instancePath.append(.key(key))
                    fail(nil, "additional property '\(key)' is not allowed")
                    instancePath.removeLast()
                    keywordPath.removeLast(additional.path.count)
                    ok = false
                    if muted > 0 { return false }
                } else if !evaluate(additional, value, at: .key(key)) {
                    ok = false
                    if muted > 0 { return false }
                }
            }
        }
        if additional != nil { annotations?.allProperties = true }
        return ok
    }

    /// The first item equal to an earlier one. Items are bucketed by a shallow hash so that large
    /// nested objects are not hashed in full at every level.
    static func firstRepeated(_ items: [JSONValue]) -> JSONValue? {
        var buckets: [Int: [Int]] = [:]
        for (i, item) in items.enumerated() {
            let key = shallowHash(item)
            if let earlier = buckets[key] {
                if earlier.contains(where: { items[$0] == item }) { return item }
                buckets[key]?.append(i)
            } else {
                buckets[key] = [i]
            }
        }
        return nil
    }

    static func shallowHash(_ value: JSONValue) -> Int {
        var hasher = Hasher()
        switch value {
        case .array(let a):
            hasher.combine(4)
            hasher.combine(a.count)
        case .object(let o):
            hasher.combine(5)
            hasher.combine(o.count)
            var sum = 0
            for (key, child) in o {
                switch child {
                case .array, .object: sum = sum &+ key.hashValue
                default: sum = sum &+ key.hashValue &+ child.hashValue &* 31
                }
            }
            hasher.combine(sum)
        default:
            hasher.combine(value)
        }
        return hasher.finalize()
    }

    /// JSON Schema `multipleOf`: exact for integers and short decimals, through Double otherwise.
    static func isMultiple(_ n: JSONNumber, of d: JSONNumber) -> Bool {
        if let x = n.int64Value, let y = d.int64Value, y != 0 { return x % y == 0 }
        let (_, nd, ne) = n.decimalParts
        let (_, dd, de) = d.decimalParts
        if nd == "0" { return true }
        if let y = d.int64Value, y > 0, ne >= 0 {
            // A huge integer modulo a machine integer, digit by digit.
            var remainder: Int64 = 0
            let modulus = Int64(y)
            for digit in nd.utf8 { remainder = (remainder * 10 + Int64(digit - 48)) % modulus }
            for _ in 0..<min(ne, 1_000_000) { remainder = (remainder * 10) % modulus }
            return remainder == 0
        }
        if nd.count <= 18, dd.count <= 18, let a = Int64(nd), let b = Int64(dd), b != 0 {
            let e = min(ne, de)
            if let scaledA = scale(a, ne - e), let scaledB = scale(b, de - e) {
                return scaledA % scaledB == 0
            }
        }
        let quotient = n.double / d.double
        guard quotient.isFinite else { return false }
        return quotient == quotient.rounded()
    }

    static func scale(_ value: Int64, _ power: Int) -> Int64? {
        guard power >= 0, power <= 18 else { return nil }
        var result = value
        for _ in 0..<power {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = product
        }
        return result
    }
}
