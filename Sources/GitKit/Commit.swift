import CLibGit2
import Foundation

/// A commit's metadata, copied out of libgit2 (messages decoded lossily, never failing on bad UTF-8).
public struct Commit: Sendable, Equatable {
    public let id: ObjectID
    public let treeID: ObjectID
    public let parentIDs: [ObjectID]
    public let author: Signature
    public let committer: Signature
    /// The full message, invalid UTF-8 replaced by U+FFFD.
    public let message: String
    /// The first paragraph, lines joined by spaces (as `git log --format=%s`).
    public let summary: String
    /// True when the commit carries a `gpgsig` (GPG, SSH or X.509) or `gpgsig-sha256` header.
    public let isSigned: Bool
    /// Trailers of the last paragraph (`Signed-off-by`, `Evidence-For`...), in order.
    public let trailers: [Trailer]

    /// Values of the trailers named `key` (case-insensitive), in order.
    public func trailerValues(_ key: String) -> [String] {
        trailers.filter { $0.key.caseInsensitiveCompare(key) == .orderedSame }.map(\.value)
    }
}

/// One `Key: value` trailer line.
public struct Trailer: Sendable, Equatable {
    public let key: String
    public let value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

extension Repository {
    /// Reads the commit `id`.
    public func commit(_ id: ObjectID) throws -> Commit {
        WorkCounts.add(.commitsRead)
        var oid = id.oid
        let handle = try makeHandle(owner: self, call: "git_commit_lookup(\(id.hex))", free: { git_commit_free($0) }) {
            git_commit_lookup($0, pointer, &oid)
        }
        let c = handle.pointer
        let treeID = ObjectID(pointer: git_commit_tree_id(c))
        var parents: [ObjectID] = []
        for i in 0..<git_commit_parentcount(c) {
            if let p = git_commit_parent_id(c, i) { parents.append(ObjectID(pointer: p)) }
        }
        guard let authorPtr = git_commit_author(c), let committerPtr = git_commit_committer(c) else {
            throw GitError(message: "commit \(id.hex) has no author or committer", call: "git_commit_author",
                           kind: .corrupt)
        }
        let rawMessage = git_commit_message_raw(c)
        let message = rawMessage.map { lossyString($0) } ?? ""
        var signed = false
        for field in ["gpgsig", "gpgsig-sha256"] {
            var buf = git_buf()
            let rc = git_commit_header_field(&buf, c, field)
            git_buf_dispose(&buf)
            if rc == 0 { signed = true }
        }
        let trailers = rawMessage.map { Repository.trailers(ofRawMessage: $0) } ?? []
        return Commit(id: id, treeID: treeID, parentIDs: parents, author: Signature(authorPtr),
                      committer: Signature(committerPtr), message: message,
                      summary: Repository.summary(of: message), isSigned: signed, trailers: trailers)
    }

    /// Parses trailers as `git interpret-trailers` does (libgit2's `git_message_trailers`).
    public static func trailers(of message: String) -> [Trailer] {
        message.withCString { trailers(ofRawMessage: $0) }
    }

    static func trailers(ofRawMessage raw: UnsafePointer<CChar>) -> [Trailer] {
        var array = git_message_trailer_array()
        guard git_message_trailers(&array, raw) == 0 else { return [] }
        defer { git_message_trailer_array_free(&array) }
        var out: [Trailer] = []
        guard let entries = array.trailers else { return [] }
        for i in 0..<array.count {
            let t = entries[i]
            guard let k = t.key, let v = t.value else { continue }
            out.append(Trailer(key: lossyString(k), value: lossyString(v)))
        }
        return out
    }

    /// First paragraph with its lines joined by single spaces.
    static func summary(of message: String) -> String {
        var lines: [Substring] = []
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if lines.isEmpty { continue }
                break
            }
            lines.append(Substring(trimmed))
        }
        return lines.joined(separator: " ")
    }
}
