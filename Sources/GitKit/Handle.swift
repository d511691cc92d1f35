import CLibGit2

/// Owns one libgit2 pointer and frees it in `deinit`; keeps its owner (the repository) alive.
final class Handle {
    let pointer: OpaquePointer
    private let free: (OpaquePointer) -> Void
    private let owner: AnyObject?

    init(_ pointer: OpaquePointer, owner: AnyObject?, free: @escaping (OpaquePointer) -> Void) {
        self.pointer = pointer
        self.owner = owner
        self.free = free
    }

    deinit { free(pointer) }
}

/// Calls a libgit2 constructor that fills an out-pointer, checks it, and wraps the result.
func makeHandle(
    owner: AnyObject?, call: @autoclosure () -> String,
    free: @escaping (OpaquePointer) -> Void,
    _ body: (UnsafeMutablePointer<OpaquePointer?>) -> Int32
) throws -> Handle {
    var out: OpaquePointer?
    let rc = body(&out)
    try check(rc, call())
    guard let pointer = out else {
        throw GitError(message: "libgit2 returned no object", call: call())
    }
    return Handle(pointer, owner: owner, free: free)
}

/// Copies and frees a `git_buf`.
func takeBuffer(_ buf: inout git_buf) -> String {
    defer { git_buf_dispose(&buf) }
    guard let ptr = buf.ptr else { return "" }
    return lossyString(ptr)
}
