import Foundation

/// Any error in the words a user reads: evident's own errors as they describe themselves, and
/// Foundation's and the operating system's as the system's one-line reason ("no space left on
/// device"), never an `Error Domain=NSCocoaErrorDomain Code=640 ... UserInfo=...` dump.
public enum PlainError {
    public static func describe(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return WriteError.reason(posix.code.rawValue) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return WriteError.reason(Int32(ns.code)) }
        if ns.domain == NSCocoaErrorDomain { return cocoa(ns) }
        return String(describing: error)
    }

    /// A Foundation file error as the POSIX reason behind it.
    static func cocoa(_ error: NSError) -> String {
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return WriteError.reason(Int32(underlying.code))
        }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileWriteOutOfSpace: return WriteError.reason(ENOSPC)
        case .fileWriteNoPermission, .fileReadNoPermission: return WriteError.reason(EACCES)
        case .fileWriteVolumeReadOnly: return WriteError.reason(EROFS)
        case .fileNoSuchFile, .fileReadNoSuchFile: return WriteError.reason(ENOENT)
        case .fileWriteFileExists: return WriteError.reason(EEXIST)
        case .fileReadTooLarge: return "the file is too large"
        case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: return "the file is not readable text"
        default: return "the operation failed (Foundation error \(error.code))"
        }
    }
}
