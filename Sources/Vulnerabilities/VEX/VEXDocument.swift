import Foundation

/// What a VEX document says, independent of its format: for each vulnerability, its status for each
/// product version (identified by purl). OpenVEX and CycloneDX writers render it; CSAF VEX is built
/// from it as a `CSAFDocument`.
public struct VEXDocument: Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case notAffected = "not_affected", affected, fixed, underInvestigation = "under_investigation"
    }

    /// CycloneDX vulnerability-analysis justifications (evident's defect vocabulary).
    public enum Justification: String, Sendable, CaseIterable {
        case codeNotPresent = "code_not_present", codeNotReachable = "code_not_reachable"
        case requiresConfiguration = "requires_configuration", requiresDependency = "requires_dependency"
        case requiresEnvironment = "requires_environment", protectedByCompiler = "protected_by_compiler"
        case protectedAtRuntime = "protected_at_runtime", protectedAtPerimeter = "protected_at_perimeter"
        case protectedByMitigatingControl = "protected_by_mitigating_control"

        /// The OpenVEX justification (also the CSAF 2.0 flag label) closest in meaning.
        public var openVEX: String {
            switch self {
            case .codeNotPresent: return "vulnerable_code_not_present"
            case .codeNotReachable: return "vulnerable_code_not_in_execute_path"
            case .requiresDependency: return "component_not_present"
            case .requiresConfiguration, .requiresEnvironment, .protectedAtPerimeter:
                return "vulnerable_code_cannot_be_controlled_by_adversary"
            case .protectedByCompiler, .protectedAtRuntime, .protectedByMitigatingControl:
                return "inline_mitigations_already_exist"
            }
        }
    }

    /// A product version (or the component inside it that carries the vulnerability).
    public struct Product: Sendable, Hashable {
        public var name: String
        public var version: String
        public var purl: String
        public init(name: String, version: String, purl: String) {
            self.name = name
            self.version = version
            self.purl = purl
        }
    }

    public struct Statement: Sendable {
        public var vulnerability: String
        public var description: String?
        public var cwe: Int?
        /// CVSS v3.x / v4.0 vector with the score evident computed from it.
        public var cvss: (vector: String, method: String, score: Double)?
        public var products: [Product]
        /// The vulnerable component inside the products, when it is not the product itself.
        public var subcomponent: String?
        public var status: Status
        public var justification: Justification?
        public var impactStatement: String?
        public var actionStatement: String?
        /// CycloneDX analysis responses (`update`, `workaround_available`...).
        public var responses: [String]
        public var detail: String?
        public var timestamp: String

        public init(vulnerability: String, products: [Product], status: Status, timestamp: String) {
            self.vulnerability = vulnerability
            self.products = products
            self.status = status
            self.timestamp = timestamp
            self.responses = []
        }
    }

    public var id: String
    public var author: String
    public var timestamp: String
    public var toolVersion: String
    /// The product the document is about (its version left empty when it covers every version).
    public var product: Product
    public var statements: [Statement]

    public init(id: String, author: String, timestamp: String, toolVersion: String, product: Product, statements: [Statement]) {
        self.id = id
        self.author = author
        self.timestamp = timestamp
        self.toolVersion = toolVersion
        self.product = product
        self.statements = statements
    }
}
