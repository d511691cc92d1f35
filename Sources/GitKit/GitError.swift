import Foundation
import CLibGit2

/// A failure reported by libgit2 (or by GitKit itself), naming the call that failed.
public struct GitError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Broad categories the domain layer may want to react to.
    public enum Kind: Sendable, Equatable {
        case notFound, notARepository, unknownRevision, ambiguous, invalid, locked, corrupt, other
    }

    /// The libgit2 return code (`GIT_ENOTFOUND`, ...), or -1 for GitKit's own errors.
    public let code: Int32
    /// The libgit2 error class (`GIT_ERROR_ODB`, ...), 0 when unknown.
    public let errorClass: Int32
    /// Human-readable message.
    public let message: String
    /// The C function (or GitKit operation) that failed.
    public let call: String
    public let kind: Kind

    public init(code: Int32 = -1, errorClass: Int32 = 0, message: String, call: String, kind: Kind = .other) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
        self.call = call
        self.kind = kind
    }

    public var description: String {
        "\(message) (\(call) failed, code \(code), class \(errorClass))"
    }

    /// Builds an error from `git_error_last()`; must be called right after the failing call.
    static func last(code: Int32, call: String) -> GitError {
        var message = "unknown libgit2 error"
        var errorClass: Int32 = 0
        if let err = git_error_last() {
            errorClass = err.pointee.klass
            if let msg = err.pointee.message {
                message = String(cString: msg)
            }
        }
        let kind: Kind
        switch code {
        case GIT_ENOTFOUND.rawValue: kind = .notFound
        case GIT_EAMBIGUOUS.rawValue: kind = .ambiguous
        case GIT_ELOCKED.rawValue: kind = .locked
        case GIT_EINVALIDSPEC.rawValue, GIT_EINVALID.rawValue: kind = .invalid
        default: kind = .other
        }
        return GitError(code: code, errorClass: errorClass, message: message, call: call, kind: kind)
    }
}

/// Throws a `GitError` when a libgit2 call returned a negative code.
@inline(__always)
@discardableResult
func check(_ result: Int32, _ call: @autoclosure () -> String) throws -> Int32 {
    if result < 0 {
        throw GitError.last(code: result, call: call())
    }
    return result
}

/// `git_libgit2_init()` exactly once per process, with the object cache keeping trees of up to 1 MiB
/// (a records folder of thousands of files is one large tree, read for every path looked up in it).
enum LibGit2 {
    static let initialized: Int32 = {
        let result = git_libgit2_init()
        _ = evident_git_set_tree_cache_limit(1 << 20)
        return result
    }()
    @inline(__always) static func ensure() { _ = initialized }
}

extension Repository {
    /// Starts libgit2's one-time set-up on another thread, so it overlaps whatever the process does
    /// before its first git call (argument parsing): Debian's libgit2 loads the system's CA
    /// certificates then (7 ms of base64 decoding, for network transports evident never uses).
    /// The first git call waits for it if it has not finished.
    public static func prepareInBackground() {
        Thread.detachNewThread { LibGit2.ensure() }
    }
}
