import CLibGit2
import Foundation

extension Repository {
    /// For one trailer key (e.g. `Evidence-For`), every value named by commits reachable from `tip`,
    /// mapped to those commits, newest first. Values split on commas (`Evidence-For: SI-1, SI-2`).
    public func trailerIndex(key: String, from tip: ObjectID) throws -> [String: [ObjectID]] {
        let walk = try makeHandle(owner: self, call: "git_revwalk_new", free: { git_revwalk_free($0) }) {
            git_revwalk_new($0, pointer)
        }
        try check(git_revwalk_sorting(walk.pointer, GIT_SORT_TIME.rawValue), "git_revwalk_sorting")
        var start = tip.oid
        try check(git_revwalk_push(walk.pointer, &start), "git_revwalk_push")
        var result: [String: [ObjectID]] = [:]
        let wanted = key.lowercased()
        var oid = git_oid()
        while git_revwalk_next(&oid, walk.pointer) == 0 {
            let id = ObjectID(oid)
            var object: OpaquePointer?
            guard git_commit_lookup(&object, pointer, &oid) == 0, let commitPointer = object else { continue }
            defer { git_commit_free(commitPointer) }
            guard let raw = git_commit_message_raw(commitPointer) else { continue }
            let message = lossyString(raw)
            guard message.range(of: key, options: .caseInsensitive) != nil else { continue }
            for trailer in Repository.trailers(ofRawMessage: raw) where trailer.key.lowercased() == wanted {
                for value in trailer.value.split(separator: ",") {
                    let name = value.trimmingCharacters(in: .whitespaces)
                    if !name.isEmpty, result[name]?.last != id { result[name, default: []].append(id) }
                }
            }
        }
        return result
    }
}
