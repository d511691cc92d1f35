import JSONSchema

/// A named SBOM completeness profile: which elements every component, and the document itself,
/// should carry. Completeness is judged apart from validity (a schema-valid SBOM from a real
/// generator often lacks suppliers), reported per element, never per component, with a score.
public enum SBOMQualityProfile: String, CaseIterable, Sendable {
    /// NTIA "The Minimum Elements For a Software Bill of Materials" (2021): supplier, component
    /// name, version, other unique identifiers, dependency relationship, author of SBOM data, timestamp.
    case ntia
    /// BSI TR-03183-2 (v2.0) required fields as far as the JSON formats carry them: NTIA's, plus
    /// each component's licence and SHA-512 hash, and a creator contact (email or URL).
    case bsi = "bsi-tr-03183-2"
    /// No completeness judgement.
    case none

    public var displayName: String {
        switch self {
        case .ntia: return "NTIA minimum elements"
        case .bsi: return "BSI TR-03183-2"
        case .none: return "none"
        }
    }
}

/// The completeness verdict of one SBOM under a profile.
struct SBOMQualityReport {
    /// An element every component should have, and how many lack it.
    struct ComponentElement {
        var name: String
        var missing: Int
    }
    /// An element the document should have, and whether it does.
    struct DocumentElement {
        var name: String
        var present: Bool
    }

    var profile: SBOMQualityProfile
    var components: Int
    var componentElements: [ComponentElement]
    var documentElements: [DocumentElement]

    /// 0...10: the mean share of components carrying each component element, and of document
    /// elements present, times ten (one decimal), as sbomqs scores.
    var score: Double {
        var shares: [Double] = componentElements.map { components == 0 ? 1 : Double(components - $0.missing) / Double(components) }
        shares += documentElements.map { $0.present ? 1 : 0 }
        guard !shares.isEmpty else { return 10 }
        return (shares.reduce(0, +) / Double(shares.count) * 100).rounded() / 10
    }

    var isComplete: Bool { componentElements.allSatisfy { $0.missing == 0 } && documentElements.allSatisfy(\.present) }
}

extension SBOMDocument {
    /// Judges the document's completeness under a profile.
    func quality(_ profile: SBOMQualityProfile) -> SBOMQualityReport {
        let items = componentObjects
        var elements: [(String, (JSONValue) -> Bool)] = [
            ("supplier", { self.hasSupplier($0) }),
            ("name", { ($0["name"]?.stringValue ?? "").isEmpty == false }),
            ("version", { self.version(of: $0) }),
            ("unique identifier (purl, CPE or SWID)", { self.hasIdentifier($0) }),
        ]
        var document: [(String, Bool)] = [
            ("dependency relationships", hasDependencies),
            ("author of the SBOM data", hasAuthor),
            ("timestamp", hasTimestamp),
        ]
        if profile == .bsi {
            elements.append(("licence", { self.hasLicence($0) }))
            elements.append(("SHA-512 hash", { self.hasSHA512($0) }))
            document.append(("creator contact (email or URL)", hasCreatorContact))
        }
        let componentElements = elements.map { name, has in
            SBOMQualityReport.ComponentElement(name: name, missing: items.filter { !has($0) }.count)
        }
        return SBOMQualityReport(profile: profile, components: items.count, componentElements: componentElements,
                                 documentElements: document.map { SBOMQualityReport.DocumentElement(name: $0.0, present: $0.1) })
    }

    /// The component objects `components` lists (CycloneDX nested components, SPDX packages but the described ones).
    private var componentObjects: [JSONValue] {
        components.compactMap { component in
            var value: JSONValue? = self.value
            for token in component.pointer.split(separator: "/") {
                if let index = Int(token) { value = value?.arrayValue.flatMap { $0.indices.contains(index) ? $0[index] : nil } } else { value = value?[String(token)] }
            }
            return value
        }
    }

    private func nonEmpty(_ value: JSONValue?) -> Bool {
        guard let text = value?.stringValue else { return false }
        return !text.isEmpty && text != "NOASSERTION" && text != "NONE"
    }

    private func hasSupplier(_ component: JSONValue) -> Bool {
        switch format {
        case .cyclonedx:
            return nonEmpty(component["supplier"]?["name"]) || !(component["supplier"]?["url"]?.arrayValue ?? []).isEmpty
                || nonEmpty(component["manufacturer"]?["name"]) || nonEmpty(component["publisher"])
        case .spdx: return nonEmpty(component["supplier"]) || nonEmpty(component["originator"])
        case nil: return false
        }
    }

    private func version(of component: JSONValue) -> Bool {
        format == .spdx ? nonEmpty(component["versionInfo"]) : nonEmpty(component["version"])
    }

    private func hasIdentifier(_ component: JSONValue) -> Bool {
        switch format {
        case .cyclonedx: return nonEmpty(component["purl"]) || nonEmpty(component["cpe"]) || component["swid"]?.objectValue != nil
        case .spdx:
            return (component["externalRefs"]?.arrayValue ?? []).contains { reference in
                ["purl", "cpe22Type", "cpe23Type", "swid"].contains(reference["referenceType"]?.stringValue ?? "") && nonEmpty(reference["referenceLocator"])
            }
        case nil: return false
        }
    }

    private func hasLicence(_ component: JSONValue) -> Bool {
        switch format {
        case .cyclonedx: return !(component["licenses"]?.arrayValue ?? []).isEmpty || !(component["evidence"]?["licenses"]?.arrayValue ?? []).isEmpty
        case .spdx: return nonEmpty(component["licenseConcluded"]) || nonEmpty(component["licenseDeclared"])
        case nil: return false
        }
    }

    private func hasSHA512(_ component: JSONValue) -> Bool {
        let hashes = format == .spdx ? component["checksums"]?.arrayValue ?? [] : component["hashes"]?.arrayValue ?? []
        return hashes.contains { hash in
            let algorithm = (hash["alg"] ?? hash["algorithm"])?.stringValue?.uppercased().replacingOccurrences(of: "-", with: "")
            return algorithm == "SHA512" && nonEmpty(hash["content"] ?? hash["checksumValue"])
        }
    }

    private var hasDependencies: Bool {
        switch format {
        case .cyclonedx: return (value["dependencies"]?.arrayValue ?? []).contains { !($0["dependsOn"]?.arrayValue ?? []).isEmpty }
        case .spdx:
            return (value["relationships"]?.arrayValue ?? []).contains {
                ["DEPENDS_ON", "DEPENDENCY_OF", "CONTAINS", "CONTAINED_BY"].contains($0["relationshipType"]?.stringValue ?? "")
            }
        case nil: return false
        }
    }

    private var hasAuthor: Bool {
        switch format {
        case .cyclonedx:
            let metadata = value["metadata"]
            return !(metadata?["authors"]?.arrayValue ?? []).isEmpty || nonEmpty(metadata?["supplier"]?["name"])
                || nonEmpty(metadata?["manufacture"]?["name"]) || nonEmpty(metadata?["manufacturer"]?["name"])
                || metadata?["tools"] != nil
        case .spdx: return !(value["creationInfo"]?["creators"]?.arrayValue ?? []).isEmpty
        case nil: return false
        }
    }

    private var hasTimestamp: Bool {
        format == .spdx ? nonEmpty(value["creationInfo"]?["created"]) : nonEmpty(value["metadata"]?["timestamp"])
    }

    private var hasCreatorContact: Bool {
        switch format {
        case .cyclonedx:
            let metadata = value["metadata"]
            let people = (metadata?["authors"]?.arrayValue ?? []) + [metadata?["supplier"], metadata?["manufacturer"], metadata?["manufacture"]].compactMap { $0 }
            return people.contains { person in
                nonEmpty(person["email"]) || !(person["url"]?.arrayValue ?? []).isEmpty || !(person["contact"]?.arrayValue ?? []).isEmpty
            }
        case .spdx:
            return (value["creationInfo"]?["creators"]?.arrayValue ?? []).contains { ($0.stringValue ?? "").contains("@") || ($0.stringValue ?? "").contains("(") }
        case nil: return false
        }
    }
}
