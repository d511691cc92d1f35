import CLibGit2
import Foundation

extension Repository {
    /// The commits reachable from `head` but not from `base` (`git rev-list BASE..HEAD`; every
    /// ancestor of `head` and itself when `base` is nil), in one revision walk: the walk marks what
    /// `base` reaches once instead of asking, per commit, whether it is an ancestor of `base`.
    public func commits(from base: ObjectID?, to head: ObjectID) throws -> [ObjectID] {
        WorkCounts.add(.historyWalks)
        let walk = try makeHandle(owner: self, call: "git_revwalk_new", free: { git_revwalk_free($0) }) {
            git_revwalk_new($0, pointer)
        }
        var start = head.oid
        try check(git_revwalk_push(walk.pointer, &start), "git_revwalk_push")
        if let base {
            var hidden = base.oid
            try check(git_revwalk_hide(walk.pointer, &hidden), "git_revwalk_hide")
        }
        var result: [ObjectID] = []
        var oid = git_oid()
        while true {
            let rc = git_revwalk_next(&oid, walk.pointer)
            if rc == GIT_ITEROVER.rawValue { break }
            try check(rc, "git_revwalk_next")
            WorkCounts.add(.commitsRead)
            result.append(ObjectID(oid))
        }
        return result
    }
}
