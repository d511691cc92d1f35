import Foundation
import GitKit

/// Git facts for rules and reporters, over one repository and one history walk of the records root.
public final class RepositoryFacts: GitFacts, @unchecked Sendable {
    public let repository: Repository
    public let history: PathHistory?
    /// The commit the facts are judged at (HEAD, or `--rev`).
    public let tip: ObjectID?
    private let aliases: [String: String]
    private let lock = NSLock()
    private var commits: [ObjectID: Commit] = [:]
    private let attributions = Memo<String, Attribution?>()
    /// Per commit and per identity: one mailmap look-up each, however many records share them.
    private let events = Memo<ObjectID, Attribution.Event?>()
    private let identities = Memo<String, (name: String, email: String)>()
    /// Blob ids of files as they stand in the judged content (working tree, index or commit), to tell uncommitted changes.
    private let currentBlobs: [String: String]
    private let tipBlobs: [String: String]

    public let commitSignatures: CommitSignatures?

    public convenience init(repository: Repository, recordsRoot: String, tip: ObjectID?, currentBlobs: [String: String],
                            identities: [Configuration.Identity], signatures: CommitSignatures? = nil) throws {
        self.init(repository: repository, walked: try Walked(repository: repository, recordsRoot: recordsRoot, tip: tip),
                  currentBlobs: currentBlobs, identities: identities, signatures: signatures)
    }

    /// Facts over a walk already made (`Workspace` walks while the records load).
    init(repository: Repository, walked: Walked, currentBlobs: [String: String], identities: [Configuration.Identity],
         signatures: CommitSignatures?) {
        self.repository = repository
        self.commitSignatures = signatures
        self.tip = walked.tip
        self.currentBlobs = currentBlobs
        var aliases: [String: String] = [:]
        for identity in identities {
            for alias in identity.aliases { aliases[alias.lowercased()] = identity.email.lowercased() }
        }
        self.aliases = aliases
        history = walked.history
        tipBlobs = walked.tipBlobs
    }

    /// What the facts read from git before any record is known: the records root's history from the
    /// tip, and the blob id of each of its files at the tip.
    struct Walked: Sendable {
        var tip: ObjectID?
        var history: PathHistory?
        var tipBlobs: [String: String] = [:]

        init(repository: Repository, recordsRoot: String, tip: ObjectID?) throws {
            self.tip = tip
            guard let tip else { return }
            history = try repository.pathHistory(under: recordsRoot, from: tip, cache: HistoryCache(repository: repository))
            for file in (try? repository.files(inCommit: tip, under: recordsRoot)) ?? [] { tipBlobs[file.path] = file.blobID.hex }
        }
    }

    public func commit(_ id: ObjectID) -> Commit? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = commits[id] { return cached }
        guard let loaded = try? repository.commit(id) else { return nil }
        commits[id] = loaded
        return loaded
    }

    /// Answers of `resolveCommit`, `tagCommit` and `isAncestor`: many records name the same few
    /// revisions, and asking libgit2 about a name that does not exist probes every ref folder.
    private let resolved = Memo<String, String?>()
    private let tags = Memo<String, String?>()
    private let ancestry = Memo<String, Bool>()

    public func resolveCommit(_ revision: String) -> String? {
        resolved.value(revision) { (try? repository.resolve(revision: revision))?.hex }
    }

    public func isAncestor(_ ancestor: String, of descendant: String) -> Bool {
        ancestry.value(ancestor + ".." + descendant) {
            guard let a = ObjectID(hex: ancestor), let d = ObjectID(hex: descendant) else { return false }
            // Many defects claimed fixed in one release: past a few questions about the same release,
            // one walk of its history answers all the others (each question alone may walk it).
            if askedAbout(d) > Self.ancestorWalkThreshold, let ancestors = ancestorSets.value(d, { Self.ancestors(of: d, in: repository) }) {
                return ancestors.contains(a)
            }
            return (try? repository.isAncestor(a, of: d)) ?? false
        }
    }

    static let ancestorWalkThreshold = 4
    private var questions: [ObjectID: Int] = [:]
    private let ancestorSets = Memo<ObjectID, Set<ObjectID>?>()

    /// How often ancestry below `descendant` has been asked, this question included.
    private func askedAbout(_ descendant: ObjectID) -> Int {
        lock.lock()
        defer { lock.unlock() }
        questions[descendant, default: 0] += 1
        return questions[descendant]!
    }

    /// Every commit reachable from `descendant`; nil when the walk fails (a shallow clone's missing parents).
    static func ancestors(of descendant: ObjectID, in repository: Repository) -> Set<ObjectID>? {
        (try? repository.commits(from: nil, to: descendant)).map(Set.init)
    }

    public func canonicalEmail(_ email: String) -> String {
        let mapped = identity(name: "", email: email).email.lowercased()
        return aliases[mapped] ?? mapped
    }

    /// `2026-04-13T09:30:00Z`: what `ISO8601DateFormatter` prints in UTC, without building one
    /// (an ICU formatter per commit dominated a check's profile).
    static func isoDate(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm, proleptic Gregorian).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(two(month))-\(two(day))T\(two(secondOfDay / 3_600)):\(two(secondOfDay % 3_600 / 60)):\(two(secondOfDay % 60))Z"
    }

    /// `Repository.resolveIdentity`, remembered (it reads the mailmap each time).
    func identity(name: String, email: String) -> (name: String, email: String) {
        identities.value(name + "\u{0}" + email) { repository.resolveIdentity(name: name, email: email) }
    }

    func event(_ id: ObjectID) -> Attribution.Event? {
        events.value(id) {
            guard let commit = commit(id) else { return nil }
            let identity = identity(name: commit.author.name, email: commit.author.email)
            // The signature reads the raw commit through the same repository handle: one reader at a time.
            lock.lock()
            let signature = commitSignatures?.verdict(id, isSigned: commit.isSigned)
            lock.unlock()
            return Attribution.Event(commit: id.hex, author: identity.name, email: identity.email, date: Self.isoDate(commit.author.time),
                                     signature: signature)
        }
    }

    /// The commits that changed a path, newest first (git log -- PATH).
    public func commits(of path: String) -> [ObjectID] {
        history?.commits(for: path) ?? []
    }

    public func attribution(of path: String) -> Attribution? {
        attributions.value(path) {
            let list = commits(of: path)
            guard !list.isEmpty else {
                return Attribution(created: nil, lastChanged: nil, commits: 0, authors: [], uncommitted: true)
            }
            var authors: [String] = []
            var seen = Set<String>()
            for id in list.reversed() {
                if let email = event(id)?.email, seen.insert(email).inserted { authors.append(email) }
            }
            let uncommitted = currentBlobs[path] != nil && currentBlobs[path] != tipBlobs[path]
            return Attribution(created: list.last.flatMap(event), lastChanged: list.first.flatMap(event),
                               commits: list.count, authors: authors, uncommitted: uncommitted)
        }
    }

    public func tagCommit(_ name: String) -> String? {
        tags.value(name) { (try? repository.resolveTag(name: name))?.commitID.hex }
    }

    public var historyNote: String? {
        if tip == nil {
            return repository.isEmpty
                ? "the repository has no commits yet: no record is committed, and commit and tag references cannot resolve"
                : "the current branch has no commits yet (unborn HEAD): no record is committed on it"
        }
        guard repository.isShallow else { return nil }
        return "shallow clone: history before \(repository.graftedCommits().count) grafted commit(s) is missing, so creation, early authors and ancestry past it cannot be told"
    }

    /// Answers of `authors(range:)` and `authors(paths:excluding:upTo:)`: test reports and code
    /// reviews written from the templates all ask the same question, and each answer is a walk.
    private let rangeAuthors = Memo<String, Set<String>?>()
    private let pathAuthors = Memo<String, Set<String>?>()
    /// The whole tree's history from a commit (one walk per distinct revision, shared by every query).
    private let treeHistories = Memo<ObjectID, TreeHistory?>()

    public func authors(range: String) -> Set<String>? {
        rangeAuthors.value(range) {
            let parts = range.components(separatedBy: "..")
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
                  let from = try? repository.resolve(revision: parts[0]),
                  let to = try? repository.resolve(revision: parts[1]) else { return nil }
            // Commits reachable from `to` but not from `from`, first-parent and merged alike.
            if let ids = try? repository.commits(from: from, to: to) { return authorEmails(ids) }
            return authorsAsking(from: from, to: to)
        }
    }

    /// The range's authors when the revision walk fails (a shallow clone's missing parents): each
    /// commit reached from `to` that is not an ancestor of `from`, skipping what cannot be read.
    private func authorsAsking(from: ObjectID, to: ObjectID) -> Set<String> {
        var emails = Set<String>()
        var pending = [to]
        var seen = Set<ObjectID>()
        while let id = pending.popLast(), seen.count < 100_000 {
            guard seen.insert(id).inserted, id != from, !((try? repository.isAncestor(id, of: from)) ?? false),
                  let commit = commit(id) else { continue }
            emails.insert(canonicalEmail(commit.author.email))
            pending.append(contentsOf: commit.parentIDs)
        }
        return emails
    }

    /// Canonical author emails of commits, each commit read once.
    private func authorEmails<S: Sequence>(_ ids: S) -> Set<String> where S.Element == ObjectID {
        var emails = Set<String>()
        for id in ids { if let commit = commit(id) { emails.insert(canonicalEmail(commit.author.email)) } }
        return emails
    }

    public func authors(paths: [String], excluding: [String], upTo revision: String) -> Set<String>? {
        guard let tip = resolveCommit(revision).flatMap({ ObjectID(hex: $0) }) else { return nil }
        let key = ([tip.hex] + paths + ["\u{0}"] + excluding).joined(separator: "\u{1}")
        return pathAuthors.value(key) {
            guard let history = treeHistories.value(tip, { TreeHistory(repository: repository, tip: tip) }) else { return Set<String>() }
            let prefixes = paths.isEmpty ? [""] : paths.compactMap { RepositoryPath.normalize($0) }
            var ids = Set<ObjectID>()
            for prefix in prefixes {
                for (file, list) in history.files(under: prefix)
                    where !excluding.contains(where: { RepositoryPath.isUnder(file, folder: $0) }) {
                    ids.formUnion(list)
                }
            }
            return authorEmails(ids)
        }
    }

    public func author(of revision: String) -> String? {
        guard let id = try? repository.resolve(revision: revision), let commit = commit(id) else { return nil }
        return canonicalEmail(commit.author.email)
    }

    public func approvalCommit(path: String, approval: Approval) -> ApprovalCommit? {
        // Walking back from the newest commit: the oldest of the run carrying this very block.
        var introducing: (ObjectID, Commit)?
        for id in commits(of: path) {
            guard let data = try? repository.blobData(atPath: path, inCommit: id),
                  let node = YAMLLoader.load(data).root,
                  let block = Record(path: path, node: node).approval, block.sameBlock(as: approval),
                  let commit = commit(id) else { break }
            introducing = (id, commit)
        }
        return introducing.map { ApprovalCommit(id: $0.0.hex, author: canonicalEmail($0.1.author.email)) }
    }

    public func node(path: String, atCommit commit: String) -> YAMLNode? {
        guard let id = ObjectID(hex: commit), let data = try? repository.blobData(atPath: path, inCommit: id) else { return nil }
        let loaded = YAMLLoader.load(data)
        return loaded.problems.isEmpty ? loaded.root : nil
    }
}

/// `git log --format=%H -- PATH` for every path of the whole tree from one commit, paths in byte
/// order so that the files under a folder are one contiguous run (found by binary search).
struct TreeHistory {
    private let paths: [String]
    private let commits: [[ObjectID]]

    init?(repository: Repository, tip: ObjectID) {
        guard let history = try? repository.pathHistory(under: "", from: tip, cache: HistoryCache(repository: repository)) else { return nil }
        let sorted = history.commitsByPath.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        paths = sorted.map(\.key)
        commits = sorted.map(\.value)
    }

    /// The files at `prefix` (a file, or anything under a folder; everything when empty) with their commits.
    func files(under prefix: String) -> [(String, [ObjectID])] {
        guard !prefix.isEmpty else { return Array(zip(paths, commits)) }
        var found: [(String, [ObjectID])] = []
        var index = lowerBound(prefix)
        if index < paths.count, paths[index] == prefix {
            found.append((paths[index], commits[index]))
        }
        let folder = prefix + "/"
        index = lowerBound(folder)
        while index < paths.count, paths[index].hasPrefix(folder) {
            found.append((paths[index], commits[index]))
            index += 1
        }
        return found
    }

    private func lowerBound(_ key: String) -> Int {
        var low = 0, high = paths.count
        while low < high {
            let middle = (low + high) / 2
            if paths[middle].utf8.lexicographicallyPrecedes(key.utf8) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
