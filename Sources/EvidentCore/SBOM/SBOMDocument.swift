import Foundation
import JSONSchema

/// An SBOM file that a `kind: sbom` record names, read through the project's evidence source
/// (so `--staged` and `--rev` judge the staged or committed bytes, never the working tree).
struct SBOMDocument {
    /// The SBOM standards evident reads, as a record's `format` names them.
    enum Format: String, CaseIterable {
        case cyclonedx, spdx

        var displayName: String { self == .cyclonedx ? "CycloneDX" : "SPDX" }
    }

    static let cycloneDXVersions = ["1.4", "1.5", "1.6"]
    static let spdxVersions = ["SPDX-2.3"]

    /// Repository path of the document.
    let path: String
    let data: Data
    let value: JSONValue
    /// The standard the document declares (`bomFormat`/`specVersion` or `spdxVersion`), if any.
    let format: Format?
    /// `specVersion` ("1.5") or `spdxVersion` ("SPDX-2.3") as written.
    let version: String?

    /// The version in the record's `spec-version` spelling: "1.5" or "2.3".
    var shortVersion: String? {
        guard let version else { return nil }
        return version.hasPrefix("SPDX-") ? String(version.dropFirst(5)) : version
    }
}

/// Why a record's SBOM document could not be read, and where to say so.
struct SBOMProblem: Error {
    /// Repository path the problem is reported at (the record, or the SBOM file).
    var path: String
    var mark: Mark
    var message: String
}

/// Why a document could not be read; the rules decide where to report it.
enum SBOMReadProblem: Error {
    /// Missing, a symlink or not a regular file, or unreadable: reported at each record naming it.
    case unreadable(String)
    /// Not JSON: reported once, in the document.
    case invalidJSON(Mark, String)
}

extension SBOMDocument {
    /// The repository path of the document a record names. Refuses absolute paths and `..`.
    static func path(for record: Record) -> Result<String, SBOMProblem> {
        func problem(_ message: String) -> Result<String, SBOMProblem> {
            .failure(SBOMProblem(path: record.path, mark: record.mark(of: "document"), message: message))
        }
        guard let raw = record.string("document"), !raw.isEmpty else {
            return problem("the record names no SBOM 'document'")
        }
        let isAbsolute = raw.hasPrefix("/") || raw.hasPrefix("\\") || (raw.count >= 2 && raw.dropFirst().first == ":")
        let parts = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        guard !isAbsolute, !parts.contains(".."), let path = RepositoryPath.normalize(raw), !path.isEmpty else {
            return problem("SBOM document '\(raw)' must be a path inside the repository, relative to its root, without '..'")
        }
        return .success(path)
    }

    /// Reads and parses the document at a repository path. Never follows symlinks.
    static func read(_ path: String, from source: any EvidenceSource) -> Result<SBOMDocument, SBOMReadProblem> {
        let data: Data
        do {
            data = try source.read(path)
        } catch SourceError.notFound {
            return .failure(.unreadable("SBOM document '\(path)' does not exist in the \(source.label)"))
        } catch SourceError.outsideRepository {
            return .failure(.unreadable("SBOM document '\(path)' is a symlink or not a regular file; evident does not follow links"))
        } catch {
            return .failure(.unreadable("cannot read SBOM document '\(path)': \(PlainError.describe(error))"))
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch let error as JSONParseError {
            return .failure(.invalidJSON(Mark(line: error.line, column: error.column), error.message))
        } catch {
            return .failure(.invalidJSON(Mark(line: 1, column: 1), "\(error)"))
        }
        var format: Format?
        var version: String?
        if let object = value.objectValue {
            if object["bomFormat"] != nil || object["specVersion"] != nil {
                format = object["bomFormat"]?.stringValue == "CycloneDX" ? .cyclonedx : nil
                version = object["specVersion"]?.stringValue
            } else if let spdx = object["spdxVersion"]?.stringValue {
                format = .spdx
                version = spdx
            }
        }
        return .success(SBOMDocument(path: path, data: data, value: value, format: format, version: version))
    }

    /// "record A (path)" for one record, "records A, B, C and 4 more" for many: whose SBOM it is.
    static func owners(_ records: [Record]) -> String {
        guard records.count > 1 else { return records.first.map { "record \($0.label) (\($0.path))" } ?? "no record" }
        let shown = records.prefix(3).map(\.label).joined(separator: ", ")
        return records.count > 3 ? "records \(shown) and \(records.count - 3) more" : "records \(shown)"
    }

    /// Where JSON pointers point in the document; computed only when there is something to point at.
    func positions() -> [String: SourcePosition] {
        (try? JSONValue.parseWithPositions(data).1) ?? [:]
    }

    /// The position of a pointer, or of the nearest enclosing value that has one.
    static func mark(of pointer: String, in positions: [String: SourcePosition]) -> Mark {
        var pointer = pointer
        while true {
            if let position = positions[pointer] { return Mark(line: position.line, column: position.column) }
            guard let slash = pointer.lastIndex(of: "/") else { return Mark(line: 1, column: 1) }
            pointer = String(pointer[..<slash])
        }
    }
}

/// A component an SBOM lists, as `sbom-component` compares it with a record's risk handling.
struct SBOMComponent {
    var purl: String?
    /// "name@version" for messages when there is no purl.
    var label: String
    /// JSON pointer of the component in the document.
    var pointer: String
}

extension SBOMDocument {
    /// The third-party components: CycloneDX `components` (nested too), SPDX `packages` other than
    /// the ones the document describes (the product itself).
    var components: [SBOMComponent] {
        guard let object = value.objectValue else { return [] }
        switch format {
        case .cyclonedx:
            var found: [SBOMComponent] = []
            func walk(_ list: JSONValue?, _ pointer: String) {
                guard let items = list?.arrayValue else { return }
                for (index, item) in items.enumerated() {
                    guard let component = item.objectValue else { continue }
                    let here = "\(pointer)/\(index)"
                    found.append(SBOMComponent(purl: component["purl"]?.stringValue, label: Self.label(component["name"], component["version"]), pointer: here))
                    walk(component["components"], here + "/components")
                }
            }
            walk(object["components"], "/components")
            return found
        case .spdx:
            var described = Set((object["documentDescribes"]?.arrayValue ?? []).compactMap(\.stringValue))
            for relationship in object["relationships"]?.arrayValue ?? [] {
                if relationship["spdxElementId"]?.stringValue == "SPDXRef-DOCUMENT", relationship["relationshipType"]?.stringValue == "DESCRIBES",
                   let target = relationship["relatedSpdxElement"]?.stringValue {
                    described.insert(target)
                }
            }
            var found: [SBOMComponent] = []
            for (index, item) in (object["packages"]?.arrayValue ?? []).enumerated() {
                guard let package = item.objectValue else { continue }
                if let id = package["SPDXID"]?.stringValue, described.contains(id) { continue }
                found.append(SBOMComponent(purl: Self.spdxPurl(package), label: Self.label(package["name"], package["versionInfo"]), pointer: "/packages/\(index)"))
            }
            return found
        case nil:
            return []
        }
    }

    /// Every purl the document mentions for a component or the product itself.
    var allPurls: Set<String> {
        var purls = Set(components.compactMap(\.purl))
        guard let object = value.objectValue else { return purls }
        if let product = object["metadata"]?["component"]?["purl"]?.stringValue { purls.insert(product) }
        for item in object["packages"]?.arrayValue ?? [] {
            if let object = item.objectValue, let purl = Self.spdxPurl(object) { purls.insert(purl) }
        }
        return purls
    }

    static func spdxPurl(_ package: JSONObject) -> String? {
        for reference in package["externalRefs"]?.arrayValue ?? [] where reference["referenceType"]?.stringValue == "purl" {
            if let locator = reference["referenceLocator"]?.stringValue { return locator }
        }
        return nil
    }

    static func label(_ name: JSONValue?, _ version: JSONValue?) -> String {
        let name = name?.stringValue ?? "(unnamed)"
        return version?.stringValue.map { "\(name)@\($0)" } ?? name
    }
}
