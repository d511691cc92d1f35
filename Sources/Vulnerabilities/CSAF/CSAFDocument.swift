import Foundation
import JSONSchema

/// A CSAF 2.0 document as evident writes it (security advisory or VEX): the parts evident fills,
/// rendered in the standard's key order. `json` gives the value, `text` the file's bytes.
public struct CSAFDocument: Sendable {
    public enum Category: String, Sendable { case securityAdvisory = "csaf_security_advisory", vex = "csaf_vex" }
    public enum Status: String, Sendable { case draft, interim, final }

    public struct Publisher: Sendable {
        public var category = "vendor"
        public var name: String
        public var namespace: String
        public var contactDetails: String?
        public init(name: String, namespace: String, contactDetails: String? = nil) {
            self.name = name
            self.namespace = namespace
            self.contactDetails = contactDetails
        }
    }

    public struct Revision: Sendable {
        public var number: String
        public var date: String
        public var summary: String
        public init(number: String, date: String, summary: String) {
            self.number = number
            self.date = date
            self.summary = summary
        }
    }

    public struct Tracking: Sendable {
        public var id: String
        public var status: Status
        public var version: String
        public var initialReleaseDate: String
        public var currentReleaseDate: String
        public var revisions: [Revision]
        public var generatorName = "evident"
        public var generatorVersion: String
        public init(id: String, status: Status, version: String, initialReleaseDate: String, currentReleaseDate: String,
                    revisions: [Revision], generatorVersion: String) {
            self.id = id
            self.status = status
            self.version = version
            self.initialReleaseDate = initialReleaseDate
            self.currentReleaseDate = currentReleaseDate
            self.revisions = revisions
            self.generatorVersion = generatorVersion
        }
    }

    public struct Note: Sendable {
        public var category: String
        public var title: String?
        public var text: String
        public init(category: String, title: String? = nil, text: String) {
            self.category = category
            self.title = title
            self.text = text
        }
    }

    public struct Reference: Sendable {
        public var category: String
        public var summary: String
        public var url: String
        public init(category: String = "external", summary: String, url: String) {
            self.category = category
            self.summary = summary
            self.url = url
        }
    }

    /// A product: its id, full name and (when known) purl; `version` is a version or a vers range.
    public struct Product: Sendable, Hashable {
        public var id: String
        public var vendor: String
        public var productName: String
        public var version: String
        public var isRange: Bool
        public var purl: String?
        public init(id: String, vendor: String, productName: String, version: String, isRange: Bool, purl: String?) {
            self.id = id
            self.vendor = vendor
            self.productName = productName
            self.version = version
            self.isRange = isRange
            self.purl = purl
        }
    }

    public struct Score: Sendable {
        /// A CVSS v3.0/v3.1 vector; base score and severity are computed from it.
        public var vector: CVSSVector
        public var vectorString: String
        public var products: [String]
        public init(vector: CVSSVector, vectorString: String, products: [String]) {
            self.vector = vector
            self.vectorString = vectorString
            self.products = products
        }
    }

    public struct Remediation: Sendable {
        public var category: String
        public var details: String
        public var products: [String]
        public var url: String?
        public init(category: String, details: String, products: [String], url: String? = nil) {
            self.category = category
            self.details = details
            self.products = products
            self.url = url
        }
    }

    public struct Flag: Sendable {
        public var label: String
        public var products: [String]
        public init(label: String, products: [String]) {
            self.label = label
            self.products = products
        }
    }

    public struct Threat: Sendable {
        public var category: String
        public var details: String
        public var products: [String]
        public init(category: String, details: String, products: [String]) {
            self.category = category
            self.details = details
            self.products = products
        }
    }

    public struct Vulnerability: Sendable {
        public var cve: String?
        /// Other identifiers: (system name, id).
        public var ids: [(system: String, text: String)] = []
        public var cwe: CWECatalog.Entry?
        public var title: String?
        public var discoveryDate: String?
        public var releaseDate: String?
        public var notes: [Note] = []
        public var scores: [Score] = []
        /// `known_affected`, `fixed`, `known_not_affected`, `under_investigation` -> product ids.
        public var knownAffected: [String] = []
        public var fixed: [String] = []
        public var knownNotAffected: [String] = []
        public var underInvestigation: [String] = []
        public var flags: [Flag] = []
        public var threats: [Threat] = []
        public var remediations: [Remediation] = []
        public var acknowledgments: [(names: [String], organization: String?, summary: String?)] = []
        public var references: [Reference] = []
        public init() {}
    }

    public var category: Category
    public var title: String
    public var lang = "en"
    public var publisher: Publisher
    public var tracking: Tracking
    public var notes: [Note] = []
    public var references: [Reference] = []
    /// Document acknowledgments, each a summary ("Rosa Reyes for coordinated disclosure").
    public var acknowledgments: [String] = []
    public var products: [Product] = []
    public var vulnerabilities: [Vulnerability] = []

    public init(category: Category, title: String, publisher: Publisher, tracking: Tracking) {
        self.category = category
        self.title = title
        self.publisher = publisher
        self.tracking = tracking
    }

    /// The file name section 5.1 prescribes: the tracking id lowercased, every run of characters other
    /// than `+`, `-`, `a-z` and `0-9` replaced by one `_`, then `.json`.
    public static func fileName(forTrackingID id: String) -> String {
        var out = ""
        for scalar in id.lowercased().unicodeScalars {
            if scalar == "+" || scalar == "-" || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("_") {
                out += "_"
            }
        }
        return out + ".json"
    }

    public var fileName: String { Self.fileName(forTrackingID: tracking.id) }

    /// The document's bytes.
    public var text: String { JSONOutput.pretty(json) }

    public var json: JSONValue {
        var root = JSONBuilder()
        root.add("document", documentJSON)
        if !products.isEmpty { root.add("product_tree", productTreeJSON) }
        root.add("vulnerabilities", list: vulnerabilities.map(vulnerabilityJSON))
        return root.value
    }

    private static func notes(_ notes: [Note]) -> [JSONValue] {
        notes.map { note in
            var b = JSONBuilder()
            b.add("category", note.category)
            b.add("text", note.text)
            b.add("title", note.title)
            return b.value
        }
    }

    private static func references(_ references: [Reference]) -> [JSONValue] {
        references.map { reference in
            var b = JSONBuilder()
            b.add("category", reference.category)
            b.add("summary", reference.summary)
            b.add("url", reference.url)
            return b.value
        }
    }

    private var documentJSON: JSONValue {
        var d = JSONBuilder()
        d.add("acknowledgments", list: acknowledgments.map { JSONValue.object(JSONObject([("summary", .string($0))])) })
        d.add("category", category.rawValue)
        d.add("csaf_version", "2.0")
        d.add("lang", lang)
        d.add("notes", list: Self.notes(notes))
        var p = JSONBuilder()
        p.add("category", publisher.category)
        p.add("contact_details", publisher.contactDetails)
        p.add("name", publisher.name)
        p.add("namespace", publisher.namespace)
        d.add("publisher", p.value)
        d.add("references", list: Self.references(references))
        d.add("title", title)
        var t = JSONBuilder()
        t.add("current_release_date", tracking.currentReleaseDate)
        t.add("generator", .object(JSONObject([("engine", .object(JSONObject([
            ("name", .string(tracking.generatorName)), ("version", .string(tracking.generatorVersion)),
        ])))])))
        t.add("id", tracking.id)
        t.add("initial_release_date", tracking.initialReleaseDate)
        t.add("revision_history", list: tracking.revisions.map { revision in
            .object(JSONObject([("date", .string(revision.date)), ("number", .string(revision.number)), ("summary", .string(revision.summary))]))
        })
        t.add("status", tracking.status.rawValue)
        t.add("version", tracking.version)
        d.add("tracking", t.value)
        return d.value
    }

    /// vendor -> product name -> product version (or version range) -> product.
    private var productTreeJSON: JSONValue {
        var vendors: [String] = []
        for product in products where !vendors.contains(product.vendor) { vendors.append(product.vendor) }
        let vendorBranches = vendors.map { vendor -> JSONValue in
            let ofVendor = products.filter { $0.vendor == vendor }
            var names: [String] = []
            for product in ofVendor where !names.contains(product.productName) { names.append(product.productName) }
            let nameBranches = names.map { name -> JSONValue in
                let versions = ofVendor.filter { $0.productName == name }.map { product -> JSONValue in
                    var full = JSONBuilder()
                    full.add("name", "\(vendor) \(name) \(product.version)")
                    full.add("product_id", product.id)
                    if let purl = product.purl {
                        full.add("product_identification_helper", .object(JSONObject([("purl", .string(purl))])))
                    }
                    return .object(JSONObject([
                        ("category", .string(product.isRange ? "product_version_range" : "product_version")),
                        ("name", .string(product.version)), ("product", full.value),
                    ]))
                }
                return .object(JSONObject([("branches", .array(versions)), ("category", .string("product_name")), ("name", .string(name))]))
            }
            return .object(JSONObject([("branches", .array(nameBranches)), ("category", .string("vendor")), ("name", .string(vendor))]))
        }
        return .object(JSONObject([("branches", .array(vendorBranches))]))
    }

    private func vulnerabilityJSON(_ v: Vulnerability) -> JSONValue {
        var b = JSONBuilder()
        b.add("acknowledgments", list: v.acknowledgments.map { ack in
            var a = JSONBuilder()
            a.add("names", strings: ack.names)
            a.add("organization", ack.organization)
            a.add("summary", ack.summary)
            return a.value
        })
        b.add("cve", v.cve)
        if let cwe = v.cwe { b.add("cwe", .object(JSONObject([("id", .string(cwe.id)), ("name", .string(cwe.name))]))) }
        b.add("discovery_date", v.discoveryDate)
        b.add("flags", list: v.flags.map { .object(JSONObject([("label", .string($0.label)), ("product_ids", .array($0.products.map(JSONValue.string)))])) })
        b.add("ids", list: v.ids.map { .object(JSONObject([("system_name", .string($0.system)), ("text", .string($0.text))])) })
        b.add("notes", list: Self.notes(v.notes))
        var status = JSONBuilder()
        status.add("fixed", strings: v.fixed)
        status.add("known_affected", strings: v.knownAffected)
        status.add("known_not_affected", strings: v.knownNotAffected)
        status.add("under_investigation", strings: v.underInvestigation)
        if !status.pairs.isEmpty { b.add("product_status", status.value) }
        b.add("references", list: Self.references(v.references))
        b.add("release_date", v.releaseDate)
        b.add("remediations", list: v.remediations.map { r in
            var x = JSONBuilder()
            x.add("category", r.category)
            x.add("details", r.details)
            x.add("product_ids", strings: r.products)
            x.add("url", r.url)
            return x.value
        })
        b.add("scores", list: v.scores.compactMap { score -> JSONValue? in
            guard let base = score.vector.baseScore else { return nil }
            let cvss = JSONObject([
                ("version", .string(score.vector.version.rawValue)), ("vectorString", .string(score.vectorString)),
                ("baseScore", .score(base)), ("baseSeverity", .string(CVSSVector.severity(of: base).uppercased())),
            ])
            return .object(JSONObject([("cvss_v3", .object(cvss)), ("products", .array(score.products.map(JSONValue.string)))]))
        })
        b.add("threats", list: v.threats.map { t in
            .object(JSONObject([("category", .string(t.category)), ("details", .string(t.details)), ("product_ids", .array(t.products.map(JSONValue.string)))]))
        })
        b.add("title", v.title)
        return b.value
    }
}
