import Foundation
import Testing
@testable import EvidentCore

/// Foundation's and the system's errors in the words a user reads (a fake failing writer's errors).
struct PlainErrorTests {
    @Test func foundationErrorsBecomeTheSystemReason() {
        let full = NSError(domain: NSCocoaErrorDomain, code: CocoaError.Code.fileWriteOutOfSpace.rawValue,
                           userInfo: [NSFilePathErrorKey: "/mnt/x.zip", "NSUserStringVariant": "Folder"])
        #expect(PlainError.describe(full) == "no space left on device")
        let underlying = NSError(domain: NSCocoaErrorDomain, code: 512,
                                 userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS))])
        #expect(PlainError.describe(underlying) == "read-only file system")
        #expect(PlainError.describe(POSIXError(.EACCES)) == "permission denied")
        #expect(PlainError.describe(WriteError.cannotWrite(path: "a", reason: "no space left on device")) == "cannot write a: no space left on device")
        #expect(!PlainError.describe(CocoaError(.fileWriteUnknown)).contains("Domain="))
    }
}
