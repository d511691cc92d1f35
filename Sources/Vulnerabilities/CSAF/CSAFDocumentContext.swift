import Foundation
import JSONSchema

/// A CSAF document as the mandatory tests read it: where each product id and group id is defined and
/// referenced (with JSON pointers), computed once for all tests.
struct CSAFDocumentContext {
    let document: JSONValue
    var category: String { document["document"]?["category"]?.stringValue ?? "" }
    var vulnerabilities: [JSONValue] { document["vulnerabilities"]?.arrayValue ?? [] }
    var revisionHistory: [JSONValue] { document["document"]?["tracking"]?["revision_history"]?.arrayValue ?? [] }

    /// `product_id` of every full product name: in branches (any depth), `full_product_names`, relationships.
    private(set) var productDefinitions: [(id: String, pointer: String)] = []
    /// Every place a product id is referenced.
    private(set) var productReferences: [(id: String, pointer: String)] = []
    private(set) var groupDefinitions: [(id: String, pointer: String)] = []
    private(set) var groupReferences: [(id: String, pointer: String)] = []
    /// Group id -> its product ids.
    private(set) var groupMembers: [String: [String]] = [:]
    /// Every `product_identification_helper`, with its pointer.
    private(set) var helpers: [(value: JSONValue, pointer: String)] = []
    /// Every branch, with its pointer.
    private(set) var branches: [(value: JSONValue, pointer: String)] = []

    init(_ document: JSONValue) {
        self.document = document
        let tree = document["product_tree"]
        walkBranches(tree?["branches"], "/product_tree/branches")
        for (i, name) in (tree?["full_product_names"]?.arrayValue ?? []).enumerated() {
            define(name, "/product_tree/full_product_names/\(i)")
        }
        for (i, relationship) in (tree?["relationships"]?.arrayValue ?? []).enumerated() {
            let base = "/product_tree/relationships/\(i)"
            define(relationship["full_product_name"], base + "/full_product_name")
            for key in ["product_reference", "relates_to_product_reference"] {
                if let id = relationship[key]?.stringValue { productReferences.append((id, "\(base)/\(key)")) }
            }
        }
        for (i, group) in (tree?["product_groups"]?.arrayValue ?? []).enumerated() {
            let base = "/product_tree/product_groups/\(i)"
            let members = Self.strings(group["product_ids"], base + "/product_ids")
            productReferences += members
            if let id = group["group_id"]?.stringValue {
                groupDefinitions.append((id, base + "/group_id"))
                groupMembers[id, default: []] += members.map(\.id)
            }
        }
        for (v, vulnerability) in vulnerabilities.enumerated() {
            let base = "/vulnerabilities/\(v)"
            if let status = vulnerability["product_status"]?.objectValue {
                for (key, value) in status { productReferences += Self.strings(value, "\(base)/product_status/\(key)") }
            }
            for list in ["remediations", "threats", "flags"] {
                for (i, item) in (vulnerability[list]?.arrayValue ?? []).enumerated() {
                    productReferences += Self.strings(item["product_ids"], "\(base)/\(list)/\(i)/product_ids")
                    groupReferences += Self.strings(item["group_ids"], "\(base)/\(list)/\(i)/group_ids")
                }
            }
            for (i, score) in (vulnerability["scores"]?.arrayValue ?? []).enumerated() {
                productReferences += Self.strings(score["products"], "\(base)/scores/\(i)/products")
            }
        }
    }

    static func strings(_ value: JSONValue?, _ pointer: String) -> [(id: String, pointer: String)] {
        (value?.arrayValue ?? []).enumerated().compactMap { i, item in item.stringValue.map { ($0, "\(pointer)/\(i)") } }
    }

    private mutating func define(_ fullProductName: JSONValue?, _ pointer: String) {
        guard let fullProductName else { return }
        if let id = fullProductName["product_id"]?.stringValue { productDefinitions.append((id, pointer + "/product_id")) }
        if let helper = fullProductName["product_identification_helper"] {
            helpers.append((helper, pointer + "/product_identification_helper"))
        }
    }

    private mutating func walkBranches(_ value: JSONValue?, _ pointer: String) {
        for (i, branch) in (value?.arrayValue ?? []).enumerated() {
            let base = "\(pointer)/\(i)"
            branches.append((branch, base))
            define(branch["product"], base + "/product")
            walkBranches(branch["branches"], base + "/branches")
        }
    }

    /// The product ids an item (remediation, threat, flag) names, directly and through its groups.
    func products(of item: JSONValue) -> [String] {
        var ids = (item["product_ids"]?.arrayValue ?? []).compactMap(\.stringValue)
        for group in (item["group_ids"]?.arrayValue ?? []).compactMap(\.stringValue) { ids += groupMembers[group] ?? [] }
        return ids
    }
}

/// Document versions as CSAF 2.0 defines them: integer versioning or semantic versioning 2.0.0.
struct CSAFVersion: Comparable {
    enum Scheme { case integer, semantic }
    let scheme: Scheme
    let numbers: [Int]
    let preRelease: String?

    init?(_ text: String) {
        let noBuild = text.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
        if !noBuild.isEmpty, noBuild.allSatisfy(\.isASCIIDigit), let n = Int(noBuild) {
            scheme = .integer
            numbers = [n]
            preRelease = nil
            return
        }
        let parts = noBuild.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let core = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3, core.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        scheme = .semantic
        numbers = core.compactMap { Int($0) }
        preRelease = parts.count > 1 ? String(parts[1]) : nil
        guard numbers.count == 3 else { return nil }
    }

    var major: Int { numbers[0] }
    /// `0` or `0.y.z`: a version before the first release.
    var isInitialDevelopment: Bool { major == 0 }

    static func < (a: CSAFVersion, b: CSAFVersion) -> Bool {
        if a.scheme != b.scheme { return a.scheme == .integer }
        if a.numbers != b.numbers { return a.numbers.lexicographicallyPrecedes(b.numbers) }
        switch (a.preRelease, b.preRelease) {
        case (nil, nil), (nil, _?): return false
        case (_?, nil): return true
        case let (x?, y?): return preReleaseLess(x, y)
        }
    }

    static func == (a: CSAFVersion, b: CSAFVersion) -> Bool {
        a.scheme == b.scheme && a.numbers == b.numbers && a.preRelease == b.preRelease
    }

    private static func preReleaseLess(_ x: String, _ y: String) -> Bool {
        let xs = x.split(separator: "."), ys = y.split(separator: ".")
        for (a, b) in zip(xs, ys) where a != b {
            switch (Int(a), Int(b)) {
            case let (i?, j?): return i < j
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
        return xs.count < ys.count
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
