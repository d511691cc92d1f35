import Testing
@testable import EvidentCore

struct CatalogTests {
    let catalog: Catalog

    init() throws { catalog = try Catalog.standard() }

    @Test func practicesAndCounts() {
        #expect(catalog.practices.map(\.id) == ["SM", "SR", "SD", "SI", "SVV", "DM", "SUM", "SG"])
        #expect(catalog.practices.map(\.requirements.count) == [13, 5, 4, 2, 5, 6, 5, 7])
        #expect(catalog.requirements.count == 47)
        #expect(Set(catalog.requirements.map(\.id)).count == 47)
    }

    static let titles: [String: String] = [
        "SM-1": "Development process", "SM-2": "Identification of responsibilities", "SM-3": "Identification of applicability",
        "SM-4": "Security expertise", "SM-5": "Process scoping", "SM-6": "File integrity", "SM-7": "Development environment security",
        "SM-8": "Controls for private keys", "SM-9": "Security requirements for externally provided components",
        "SM-10": "Custom developed components from third-party suppliers", "SM-11": "Assessing and addressing security-related issues",
        "SM-12": "Process verification", "SM-13": "Continuous improvement", "SR-1": "Product security context", "SR-2": "Threat model",
        "SR-3": "Product security requirements", "SR-4": "Product security requirements content", "SR-5": "Security requirements review",
        "SD-1": "Secure design principles", "SD-2": "Defense in depth design", "SD-3": "Security design review",
        "SD-4": "Secure design best practices", "SI-1": "Security implementation review", "SI-2": "Secure coding standards",
        "SVV-1": "Security requirements testing", "SVV-2": "Threat mitigation testing", "SVV-3": "Vulnerability testing",
        "SVV-4": "Penetration testing", "SVV-5": "Independence of testers", "DM-1": "Receiving notifications of security-related issues",
        "DM-2": "Reviewing security-related issues", "DM-3": "Assessing security-related issues", "DM-4": "Addressing security-related issues",
        "DM-5": "Disclosing security-related issues", "DM-6": "Periodic review of security defect management practice",
        "SUM-1": "Security update qualification", "SUM-2": "Security update documentation",
        "SUM-3": "Dependent component or operating system security update documentation", "SUM-4": "Security update delivery",
        "SUM-5": "Timely delivery of security patches", "SG-1": "Product defense in depth",
        "SG-2": "Defense in depth measures expected in the environment", "SG-3": "Security hardening guidelines",
        "SG-4": "Secure disposal guidelines", "SG-5": "Secure operation guidelines", "SG-6": "Account management guidelines",
        "SG-7": "Documentation review",
    ]

    @Test func everyTitle() {
        #expect(Self.titles.count == 47)
        for requirement in catalog.requirements {
            #expect(Self.titles[requirement.id] == requirement.title, "\(requirement.id)")
        }
    }

    @Test func clausesFollowPracticeNumbering() {
        // Practice n is clause n+4; SI starts at 8.3.
        #expect(catalog.requirement("SM-1")?.clause == "5.2")
        #expect(catalog.requirement("SI-1")?.clause == "8.3")
        #expect(catalog.requirement("SG-7")?.clause == "12.8")
    }

    @Test func everyKindHasSchemaAndTemplate() {
        #expect(catalog.kinds.count == 16)
        for kind in catalog.kindNames {
            #expect(EmbeddedResources.data("schema/\(kind).schema.json") != nil, "schema for \(kind)")
            #expect(EmbeddedResources.data("templates/\(kind).yaml") != nil, "template for \(kind)")
        }
    }

    @Test func suggestions() {
        #expect(catalog.suggestions(for: "SR-9") == ["SR-5"])
        #expect(catalog.suggestions(for: "sr-2") == ["SR-2"])
        #expect(catalog.suggestions(for: "SVV-6").first == "SVV-5")
    }
}
