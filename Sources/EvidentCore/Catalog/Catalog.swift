import Foundation

/// One requirement of IEC 62443-4-1: its ID, clause, title, evident's own summary, and the record
/// kinds that serve as process (ML2) and practice (ML3) evidence.
public struct Requirement: Sendable, Hashable, Codable {
    public var id: String
    public var practice: String
    public var clause: String
    public var title: String
    public var summary: String
    public var processKinds: [String]
    public var practiceKinds: [String]
}

/// One of the 8 practices, with its requirements in order.
public struct Practice: Sendable, Hashable, Codable {
    public var id: String
    public var number: Int
    public var title: String
    public var requirements: [Requirement]
}

/// What the catalog says of a record kind: its ID prefix and the requirements it serves by default.
public struct KindInfo: Sendable, Hashable {
    public var name: String
    public var prefix: String
    /// Folder under the records root that `evident new` writes to.
    public var folder: String
    public var defaults: [String]
    /// Requirements taken from a field's value: field -> (value -> requirements); "*" means the value itself.
    public var byField: [String: [String: [String]]]
    public var supports: [String]
}

/// The catalog of practices, requirements and record kinds, loaded from the embedded data file.
public struct Catalog: Sendable {
    public var standard: String
    public var practices: [Practice]
    public var kinds: [String: KindInfo]

    /// All 47 requirements in catalog order.
    public var requirements: [Requirement] { practices.flatMap(\.requirements) }

    private var index: [String: Requirement]

    public func requirement(_ id: String) -> Requirement? { index[id] }

    /// Kind names, sorted.
    public var kindNames: [String] { kinds.keys.sorted() }

    /// The catalog shipped inside evident.
    public static func standard() throws -> Catalog {
        guard let data = EmbeddedResources.data("catalog/iec62443-4-1.yaml") else {
            throw CatalogError.missing("catalog/iec62443-4-1.yaml")
        }
        return try Catalog(yaml: data)
    }

    public init(yaml data: Data) throws {
        let document = YAMLLoader.load(data, limits: YAMLLimits())
        if let problem = document.problems.first {
            throw CatalogError.malformed("\(problem.mark): \(problem.message)")
        }
        guard let root = document.root else { throw CatalogError.malformed("empty catalog") }
        standard = root["standard"]?.string ?? "IEC 62443-4-1"
        guard case .sequence(let practiceNodes, _)? = root["practices"] else { throw CatalogError.malformed("no practices") }
        var practices: [Practice] = []
        for node in practiceNodes {
            guard let id = node["id"]?.string, let title = node["title"]?.string,
                  let number = node["number"]?.string.flatMap(Int.init),
                  case .sequence(let requirementNodes, _)? = node["requirements"] else {
                throw CatalogError.malformed("practice at \(node.mark) lacks id, number, title or requirements")
            }
            var requirements: [Requirement] = []
            for requirementNode in requirementNodes {
                guard let rid = requirementNode["id"]?.string, let clause = requirementNode["clause"]?.string,
                      let rtitle = requirementNode["title"]?.string, let summary = requirementNode["summary"]?.string else {
                    throw CatalogError.malformed("requirement at \(requirementNode.mark) lacks id, clause, title or summary")
                }
                requirements.append(Requirement(
                    id: rid, practice: id, clause: clause, title: rtitle, summary: summary,
                    processKinds: Self.strings(requirementNode["process"]),
                    practiceKinds: Self.strings(requirementNode["practice"])))
            }
            practices.append(Practice(id: id, number: number, title: title, requirements: requirements))
        }
        var kinds: [String: KindInfo] = [:]
        if case .mapping(let pairs, _)? = root["kinds"] {
            for pair in pairs {
                guard let name = pair.key.string, let prefix = pair.value["prefix"]?.string else {
                    throw CatalogError.malformed("kind at \(pair.key.mark) lacks a prefix")
                }
                var byField: [String: [String: [String]]] = [:]
                if case .mapping(let fieldPairs, _)? = pair.value["by-field"] {
                    for fieldPair in fieldPairs {
                        guard let field = fieldPair.key.string else { continue }
                        var map: [String: [String]] = [:]
                        switch fieldPair.value {
                        case .mapping(let valuePairs, _):
                            for valuePair in valuePairs {
                                if let value = valuePair.key.string { map[value] = Self.strings(valuePair.value) }
                            }
                        case .scalar(let scalar):
                            map[scalar.value] = []
                        case .sequence:
                            break
                        }
                        byField[field] = map
                    }
                }
                kinds[name] = KindInfo(name: name, prefix: prefix, folder: pair.value["folder"]?.string ?? name, defaults: Self.strings(pair.value["defaults"]),
                                       byField: byField, supports: Self.strings(pair.value["supports"]))
            }
        }
        self.practices = practices
        self.kinds = kinds
        var index: [String: Requirement] = [:]
        for requirement in practices.flatMap(\.requirements) { index[requirement.id] = requirement }
        self.index = index
    }

    private static func strings(_ node: YAMLNode?) -> [String] {
        guard case .sequence(let items, _)? = node else { return [] }
        return items.compactMap(\.string)
    }

    /// The closest requirement IDs to an unknown one, for "did you mean" hints.
    public func suggestions(for id: String, limit: Int = 2) -> [String] {
        let upper = id.uppercased()
        if index[upper] != nil { return [upper] }
        // Same practice, nearest number: "SR-9" -> "SR-5".
        let parts = upper.split(separator: "-")
        if parts.count == 2, let number = Int(parts[1]),
           let practice = practices.first(where: { $0.id == String(parts[0]) }) {
            let nearest = practice.requirements.min { lhs, rhs in
                abs((Int(lhs.id.split(separator: "-").last ?? "") ?? 0) - number) < abs((Int(rhs.id.split(separator: "-").last ?? "") ?? 0) - number)
            }
            return nearest.map { [$0.id] } ?? []
        }
        let scored = requirements.map { ($0.id, Self.distance(upper, $0.id)) }
            .filter { $0.1 <= 2 }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        return scored.prefix(limit).map(\.0)
    }

    /// Levenshtein distance, small strings only.
    static func distance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// The embedded catalog could not be read (a build problem, not user input).
public enum CatalogError: Error, CustomStringConvertible {
    case missing(String)
    case malformed(String)

    public var description: String {
        switch self {
        case .missing(let path): return "the embedded catalog \(path) is missing from this build"
        case .malformed(let detail): return "the embedded catalog is malformed: \(detail)"
        }
    }
}

extension KindInfo {
    /// What a kind serves, in words: its defaults, and the requirements its fields add
    /// ("SVV-5; by test-type: SVV-1, SVV-2, SVV-3, SVV-4"). Never empty.
    public var servesText: String {
        var parts: [String] = []
        if !defaults.isEmpty { parts.append(defaults.joined(separator: ", ")) }
        for (field, map) in byField.sorted(by: { $0.key < $1.key }) {
            if map["*"] != nil || map.isEmpty {
                parts.append("the requirements its \(field) names")
                continue
            }
            let requirements = Array(Set(map.values.flatMap { $0 })).sorted { $0.localizedStandardCompare($1) == .orderedAscending }
            parts.append("by \(field): \(requirements.joined(separator: ", "))")
        }
        if parts.isEmpty { parts.append("only the requirements its evidence-for names") }
        return parts.joined(separator: "; ")
    }
}

extension Catalog {
    /// `evident schema`: one line per kind with its ID form and what it serves.
    public func kindListing() -> String {
        kindNames.compactMap { name -> String? in
            guard let info = kinds[name] else { return nil }
            return "\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \((info.prefix + "-NNN").padding(toLength: 11, withPad: " ", startingAt: 0)) serves \(info.servesText)\n"
        }.joined()
    }
}
