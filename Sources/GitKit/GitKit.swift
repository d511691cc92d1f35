import CLibGit2

/// Namespace for libgit2 facts.
public enum GitKit {
    /// The linked libgit2 version, as "major.minor.revision".
    public static var libgit2Version: String {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }
}
