import EvidentCore
import Foundation
import GitKit

/// Repository files a bundle carries: every record file under the records root and the evidence
/// files records reference (`document`, `documents`, `report`, `csaf` at any depth), and the
/// `.evident.yml` the commit was judged under, as of one commit.
struct BundleSourceFiles {
    struct Item {
        var path: String
        var blob: ObjectID
    }

    var items: [Item] = []
    /// Problems with references: unsafe paths (never read) and files missing from the commit.
    var findings: [Finding] = []

    init(project: Project, tree: [String: TreeFile]) {
        var chosen: [String: ObjectID] = [:]
        for file in project.files where !file.isSymlink {
            if let entry = tree[file.path], entry.kind == .file || entry.kind == .executable { chosen[file.path] = entry.blobID }
        }
        // The configuration the bundle was judged under (target level, exemptions and their reasons).
        if let entry = tree[Configuration.fileName], entry.kind == .file || entry.kind == .executable { chosen[Configuration.fileName] = entry.blobID }
        for record in project.records {
            for reference in EvidenceReferences.paths(in: record.node) {
                guard let path = RepositoryPath.normalize(reference.value), !path.isEmpty, !reference.value.hasPrefix("/") else {
                    findings.append(Finding(rule: "bundle-evidence-path", severity: .error, path: record.path, mark: reference.mark,
                                            message: "evidence path '\(reference.value)' is absolute or leaves the repository; it was not read", record: record.id))
                    continue
                }
                guard let entry = tree[path], entry.kind == .file || entry.kind == .executable else {
                    findings.append(Finding(rule: "bundle-evidence-missing", severity: .warning, path: record.path, mark: reference.mark,
                                            message: "evidence file '\(path)' is not a regular file in the exported commit", record: record.id))
                    continue
                }
                chosen[path] = entry.blobID
            }
        }
        items = chosen.map { Item(path: $0.key, blob: $0.value) }.sorted { $0.path < $1.path }
    }

}

/// Attribution for any repository path at one commit: record paths from the project's git facts,
/// other paths from a second history walk over the whole tree, made only when needed. Safe to use from
/// several threads: it, and whatever else goes through `readingGit`, reads the repository one at a time.
final class AttributionLookup {
    let project: Project
    let repository: Repository
    let tip: ObjectID
    private var wholeTree: RepositoryFacts?
    private let gitLock = NSLock()

    init(project: Project, repository: Repository, tip: ObjectID) {
        self.project = project
        self.repository = repository
        self.tip = tip
    }

    func attribution(of path: String) -> Attribution? {
        readingGit { unlockedAttribution(of: path) }
    }

    /// Runs `body` while no other thread reads the repository through this lookup.
    func readingGit<T>(_ body: () throws -> T) rethrows -> T {
        gitLock.lock()
        defer { gitLock.unlock() }
        return try body()
    }

    private func unlockedAttribution(of path: String) -> Attribution? {
        if RepositoryPath.isUnder(path, folder: project.configuration.recordsRoot), let facts = project.git {
            return facts.attribution(of: path)
        }
        if wholeTree == nil {
            wholeTree = try? RepositoryFacts(repository: repository, recordsRoot: "", tip: tip, currentBlobs: [:],
                                             identities: project.configuration.identities, signatures: project.git?.commitSignatures)
        }
        return wholeTree?.attribution(of: path)
    }

    static func manifest(_ attribution: Attribution?) -> BundleManifest.FileAttribution? {
        guard let attribution else { return nil }
        func event(_ event: Attribution.Event?) -> BundleManifest.FileAttribution.Event? {
            event.map { .init(commit: $0.commit, author: $0.author, email: $0.email, date: $0.date,
                              signature: $0.signature.map { .init(status: $0.status.rawValue, format: $0.format?.rawValue, signer: $0.signer, key: $0.key) }) }
        }
        return .init(created: event(attribution.created), lastChanged: event(attribution.lastChanged),
                     authors: attribution.authors, commits: attribution.commits)
    }
}
