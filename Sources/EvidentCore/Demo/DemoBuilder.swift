import Foundation
import GitKit

/// Builds the embedded sample product repository (FG-200 fieldbus gateway firmware) by replaying
/// `demo/script.yaml` as commits through libgit2: fixed authors and dates, tags, approvals.
public struct DemoBuilder {
    public enum DemoError: Error, CustomStringConvertible {
        case notEmpty(String)
        case script(String)

        public var description: String {
            switch self {
            case .notEmpty(let path): return "\(path) exists and is not empty; name a new or empty folder"
            case .script(let reason): return "the embedded demo script is broken: \(reason)"
            }
        }
    }

    /// What was built.
    public struct Result {
        public var directory: URL
        public var commits: Int
        public var tags: [String]
        public var authors: [String]
    }

    public init() {}

    public func build(at directory: URL) throws -> Result {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.path), !((try? manager.contentsOfDirectory(atPath: directory.path))?.isEmpty ?? true) {
            throw DemoError.notEmpty(directory.path)
        }
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        guard let scriptData = EmbeddedResources.data("demo/script.yaml") else { throw DemoError.script("demo/script.yaml is missing") }
        let document = YAMLLoader.load(scriptData)
        guard document.problems.isEmpty, case .sequence(let steps, _)? = document.root?["steps"] else {
            throw DemoError.script(document.problems.first.map { "\($0.mark): \($0.message)" } ?? "no steps")
        }
        let repository = try Repository.create(at: directory.path)
        var tree: [String: Data] = [:]
        var stepCommits: [String: ObjectID] = [:]
        var tags: [String] = []
        var authors: [String] = []
        var names: [String: String] = [:]
        var commitCount = 0
        let formatter = ISO8601DateFormatter()
        for step in steps {
            guard let name = step["name"]?.string, let message = step["message"]?.string,
                  let dateText = step["date"]?.string, let date = formatter.date(from: dateText),
                  let authorName = step["author"]?["name"]?.string, let authorEmail = step["author"]?["email"]?.string else {
                throw DemoError.script("step at \(step.mark) lacks name, message, date or author")
            }
            var changes: [String: Data?] = [:]
            if case .mapping(let pairs, _)? = step["files"] {
                for pair in pairs {
                    guard let path = pair.key.string else { continue }
                    guard let source = pair.value.scalarString else {
                        changes[path] = .some(nil)
                        tree[path] = nil
                        continue
                    }
                    guard let data = EmbeddedResources.data("demo/\(source)") else { throw DemoError.script("missing demo/\(source)") }
                    var text = String(decoding: data, as: UTF8.self)
                    for (stepName, id) in stepCommits { text = text.replacingOccurrences(of: "{{commit:\(stepName)}}", with: id.hex) }
                    changes[path] = Data(text.utf8)
                    tree[path] = Data(text.utf8)
                }
            }
            let day = String(dateText.prefix(10))
            let approver = step["approver"]?.string ?? authorEmail
            // Approvals are committed by the approver (approval-not-by-approver): in the step's commit when
            // the approver wrote it, else in a follow-up commit of their own.
            var approvals: [String: Data?] = [:]
            for id in step["approve"]?.stringItems ?? [] {
                guard let (path, data) = tree.first(where: { Self.recordID(in: $0.value) == id.value }) else {
                    throw DemoError.script("step \(name) approves \(id.value), which no file holds")
                }
                let (updated, _) = try ApprovalWriter.apply(to: String(decoding: data, as: UTF8.self), by: approver, date: day)
                tree[path] = Data(updated.utf8)
                approvals[path] = Data(updated.utf8)
            }
            names[authorEmail] = authorName
            let signature = Signature(name: authorName, email: authorEmail, time: date)
            if approver == authorEmail { changes.merge(approvals) { $1 } }
            var commit = try repository.commit(files: changes, message: message, author: signature, committer: signature)
            commitCount += 1
            stepCommits[name] = commit
            if !authors.contains(authorEmail) { authors.append(authorEmail) }
            if approver != authorEmail, !approvals.isEmpty {
                let approverSignature = Signature(name: names[approver] ?? approver, email: approver, time: date.addingTimeInterval(600))
                let ids = (step["approve"]?.stringItems ?? []).map(\.value).joined(separator: ", ")
                commit = try repository.commit(files: approvals, message: "Approve \(ids)\n", author: approverSignature, committer: approverSignature)
                commitCount += 1
            }
            if let tagName = step["tag"]?["name"]?.string {
                _ = try repository.createAnnotatedTag(name: tagName, target: commit, tagger: signature,
                                                  message: step["tag"]?["message"]?.string ?? tagName)
                tags.append(tagName)
            }
        }
        try repository.checkoutHead()
        return Result(directory: directory, commits: commitCount, tags: tags, authors: authors)
    }

    static func recordID(in data: Data) -> String? {
        YAMLLoader.load(data).root?["id"]?.scalarString
    }
}
