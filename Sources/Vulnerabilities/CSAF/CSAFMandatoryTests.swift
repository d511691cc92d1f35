import Foundation
import JSONSchema

/// The mandatory tests of CSAF 2.0 section 6.1, each a function from the document to its findings.
enum CSAFMandatoryTests {
    typealias Test = (CSAFDocumentContext) -> [CSAFFinding]

    static let all: [(id: String, run: Test)] = [
        ("6.1.1", missingProductDefinition), ("6.1.2", multipleProductDefinition), ("6.1.3", circularProductDefinition),
        ("6.1.4", missingGroupDefinition), ("6.1.5", multipleGroupDefinition), ("6.1.6", contradictingProductStatus),
        ("6.1.7", multipleScoresPerVersion), ("6.1.8", invalidCVSS), ("6.1.9", invalidCVSSComputation),
        ("6.1.10", inconsistentCVSS), ("6.1.11", invalidCWE), ("6.1.12", invalidLanguage), ("6.1.13", invalidPURL),
        ("6.1.14", sortedRevisionHistory), ("6.1.15", translator), ("6.1.16", latestDocumentVersion),
        ("6.1.17", documentStatusDraft), ("6.1.18", releasedRevisionHistory), ("6.1.19", preReleaseRevisionHistory),
        ("6.1.20", nonDraftDocumentVersion), ("6.1.21", missingRevisionHistoryItem),
        ("6.1.22", multipleRevisionHistoryDefinition), ("6.1.23", multipleCVE), ("6.1.24", multipleInvolvements),
        ("6.1.25", multipleHashAlgorithms), ("6.1.26", prohibitedCategoryName), ("6.1.27", profileTests),
        ("6.1.28", translation), ("6.1.29", remediationWithoutProduct), ("6.1.30", mixedVersioning),
        ("6.1.31", versionRangeInProductVersion), ("6.1.32", flagWithoutProduct), ("6.1.33", multipleVEXFlags),
    ]

    static func run(_ context: CSAFDocumentContext) -> [CSAFFinding] {
        all.flatMap { test in test.run(context) }
    }

    static func finding(_ test: String, _ pointer: String, _ message: String) -> CSAFFinding {
        CSAFFinding(test: test, pointer: pointer, message: message)
    }

    // MARK: Product and group ids (6.1.1 - 6.1.7)

    static func missingProductDefinition(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        let defined = Set(c.productDefinitions.map(\.id))
        return c.productReferences.filter { !defined.contains($0.id) }.map {
            finding("6.1.1", $0.pointer, "product id '\($0.id)' is not defined in the product tree")
        }
    }

    /// Items whose key an earlier item already has, with where that earlier item is.
    static func repeats(_ items: [(id: String, pointer: String)]) -> [(id: String, pointer: String, first: String)] {
        var first: [String: String] = [:]
        var out: [(id: String, pointer: String, first: String)] = []
        for item in items {
            if let earlier = first[item.id] { out.append((item.id, item.pointer, earlier)) } else { first[item.id] = item.pointer }
        }
        return out
    }

    static func multipleProductDefinition(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        repeats(c.productDefinitions).map { finding("6.1.2", $0.pointer, "product id '\($0.id)' is already defined at \($0.first)") }
    }

    static func circularProductDefinition(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        let relationships = c.document["product_tree"]?["relationships"]?.arrayValue ?? []
        var edges: [String: Set<String>] = [:]
        for relationship in relationships {
            guard let id = relationship["full_product_name"]?["product_id"]?.stringValue else { continue }
            for key in ["product_reference", "relates_to_product_reference"] {
                if let target = relationship[key]?.stringValue { edges[id, default: []].insert(target) }
            }
        }
        var out: [CSAFFinding] = []
        for (i, relationship) in relationships.enumerated() {
            guard let id = relationship["full_product_name"]?["product_id"]?.stringValue else { continue }
            // Is `id` reachable from the products it is built from?
            var seen: Set<String> = []
            var stack = Array(edges[id] ?? [])
            var circular = false
            while let next = stack.popLast() {
                if next == id { circular = true; break }
                if seen.insert(next).inserted { stack += edges[next] ?? [] }
            }
            if circular {
                out.append(finding("6.1.3", "/product_tree/relationships/\(i)/full_product_name/product_id",
                                   "product id '\(id)' is defined through itself (circular relationship)"))
            }
        }
        return out
    }

    static func missingGroupDefinition(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        let defined = Set(c.groupDefinitions.map(\.id))
        return c.groupReferences.filter { !defined.contains($0.id) }.map {
            finding("6.1.4", $0.pointer, "product group id '\($0.id)' is not defined in the product tree")
        }
    }

    static func multipleGroupDefinition(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        repeats(c.groupDefinitions).map { finding("6.1.5", $0.pointer, "product group id '\($0.id)' is already defined at \($0.first)") }
    }

    static let statusGroups: [String: String] = [
        "first_affected": "affected", "known_affected": "affected", "last_affected": "affected",
        "known_not_affected": "not affected", "first_fixed": "fixed", "fixed": "fixed",
        "under_investigation": "under investigation",
    ]

    static func contradictingProductStatus(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        var out: [CSAFFinding] = []
        for (v, vulnerability) in c.vulnerabilities.enumerated() {
            guard let status = vulnerability["product_status"]?.objectValue else { continue }
            var groupOf: [String: (group: String, key: String)] = [:]
            for (key, value) in status {
                guard let group = statusGroups[key] else { continue }
                for (i, id) in (value.arrayValue ?? []).enumerated() {
                    guard let id = id.stringValue else { continue }
                    if let earlier = groupOf[id], earlier.group != group {
                        out.append(finding("6.1.6", "/vulnerabilities/\(v)/product_status/\(key)/\(i)",
                                           "product '\(id)' is both \(earlier.group) (\(earlier.key)) and \(group) (\(key))"))
                    } else if groupOf[id] == nil {
                        groupOf[id] = (group, key)
                    }
                }
            }
        }
        return out
    }

    static func multipleScoresPerVersion(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        var out: [CSAFFinding] = []
        for (v, vulnerability) in c.vulnerabilities.enumerated() {
            var seen: Set<String> = []
            for (s, score) in (vulnerability["scores"]?.arrayValue ?? []).enumerated() {
                var versions: [String] = []
                if score["cvss_v2"] != nil { versions.append(score["cvss_v2"]?["version"]?.stringValue ?? "2.0") }
                if let v3 = score["cvss_v3"] { versions.append(v3["version"]?.stringValue ?? "3") }
                for (p, product) in (score["products"]?.arrayValue ?? []).enumerated() {
                    guard let id = product.stringValue else { continue }
                    for version in versions where !seen.insert("\(id)\u{0}\(version)").inserted {
                        out.append(finding("6.1.7", "/vulnerabilities/\(v)/scores/\(s)/products/\(p)",
                                           "product '\(id)' has more than one CVSS \(version) score in this vulnerability"))
                    }
                }
            }
        }
        return out
    }

    // MARK: Hashes, remediations, flags, versions (6.1.25, 6.1.29 - 6.1.33)

    static func multipleHashAlgorithms(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        var out: [CSAFFinding] = []
        for helper in c.helpers {
            for (h, hash) in (helper.value["hashes"]?.arrayValue ?? []).enumerated() {
                var seen: Set<String> = []
                for (f, fileHash) in (hash["file_hashes"]?.arrayValue ?? []).enumerated() {
                    guard let algorithm = fileHash["algorithm"]?.stringValue else { continue }
                    if !seen.insert(algorithm).inserted {
                        out.append(finding("6.1.25", "\(helper.pointer)/hashes/\(h)/file_hashes/\(f)/algorithm",
                                           "hash algorithm '\(algorithm)' is used more than once for the same file"))
                    }
                }
            }
        }
        return out
    }

    static func remediationWithoutProduct(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        itemsWithoutProducts(c, list: "remediations", test: "6.1.29", what: "remediation")
    }

    static func flagWithoutProduct(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        itemsWithoutProducts(c, list: "flags", test: "6.1.32", what: "flag")
    }

    private static func itemsWithoutProducts(_ c: CSAFDocumentContext, list: String, test: String, what: String) -> [CSAFFinding] {
        var out: [CSAFFinding] = []
        for (v, vulnerability) in c.vulnerabilities.enumerated() {
            for (i, item) in (vulnerability[list]?.arrayValue ?? []).enumerated() where item["product_ids"] == nil && item["group_ids"] == nil {
                out.append(finding(test, "/vulnerabilities/\(v)/\(list)/\(i)", "\(what) names no product_ids nor group_ids"))
            }
        }
        return out
    }

    static func mixedVersioning(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        var entries: [(String, String)] = []
        if let version = c.document["document"]?["tracking"]?["version"]?.stringValue { entries.append((version, "/document/tracking/version")) }
        for (i, item) in c.revisionHistory.enumerated() {
            if let number = item["number"]?.stringValue { entries.append((number, "/document/tracking/revision_history/\(i)/number")) }
        }
        let schemes = entries.compactMap { CSAFVersion($0.0)?.scheme }
        guard Set(schemes.map { $0 == .integer }).count > 1, let first = schemes.first else { return [] }
        return entries.filter { CSAFVersion($0.0).map { $0.scheme != first } ?? false }.map {
            finding("6.1.30", $0.1, "'\($0.0)' uses \(first == .integer ? "semantic" : "integer") versioning, the document \(first == .integer ? "integer" : "semantic") versioning")
        }
    }

    /// Words and signs that make a version name a range (CSAF 2.0 section 6.1.31).
    static let rangeWords = ["after", "all", "before", "earlier", "later", "prior", "versions"]

    static func versionRangeInProductVersion(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        c.branches.compactMap { branch -> CSAFFinding? in
            guard branch.value["category"]?.stringValue == "product_version", let name = branch.value["name"]?.stringValue else { return nil }
            let lower = name.lowercased()
            let words = lower.split(whereSeparator: \.isWhitespace)
            // Stricter than the words the standard lists: a wildcard component (`R210.X`, `2.*`) is a range too.
            let wildcard = lower.split(separator: ".").dropFirst().contains { $0 == "x" || $0 == "*" }
            let isRange = ["<", ">"].contains(where: lower.contains) || words.contains(where: { rangeWords.contains(String($0)) }) || wildcard
            return isRange ? finding("6.1.31", branch.pointer + "/name",
                                     "product version '\(name)' is a range: use category product_version_range with a vers or vls expression") : nil
        }
    }

    static func multipleVEXFlags(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        var out: [CSAFFinding] = []
        for (v, vulnerability) in c.vulnerabilities.enumerated() {
            var flagged: [String: Int] = [:]
            for (i, flag) in (vulnerability["flags"]?.arrayValue ?? []).enumerated() {
                for id in Set(c.products(of: flag)).sorted() {
                    if let earlier = flagged[id] {
                        out.append(finding("6.1.33", "/vulnerabilities/\(v)/flags/\(i)",
                                           "product '\(id)' already has a flag (flags/\(earlier)): one VEX justification per product"))
                    } else {
                        flagged[id] = i
                    }
                }
            }
        }
        return out
    }
}
