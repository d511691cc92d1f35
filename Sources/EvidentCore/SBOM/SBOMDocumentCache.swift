import Foundation

/// The SBOM documents of one check, each read, parsed and indexed once however many records name
/// it (a product repository often has one SBOM per release and many records pointing at it).
final class SBOMDocumentCache: @unchecked Sendable {
    private let documents = Memo<String, Result<SBOMDocument, SBOMReadProblem>>()
    private let purls = Memo<String, Set<String>>()

    /// The document at a repository path, read at most once.
    func document(_ path: String, from source: any EvidenceSource) -> Result<SBOMDocument, SBOMReadProblem> {
        documents.value(path) { SBOMDocument.read(path, from: source) }
    }

    /// Every purl a document mentions, computed at most once per document.
    func allPurls(of document: SBOMDocument) -> Set<String> {
        purls.value(document.path) { document.allPurls }
    }
}

extension Project {
    /// The SBOM document at a repository path, as the project's source holds it (read once per check).
    func sbomDocument(_ path: String) -> Result<SBOMDocument, SBOMReadProblem> {
        derived.sbom.document(path, from: source)
    }

    /// Every purl an SBOM document mentions (computed once per check).
    func sbomPurls(_ document: SBOMDocument) -> Set<String> {
        derived.sbom.allPurls(of: document)
    }
}
