import CLibGit2
import Foundation

/// A commit or tag split as git splits it before verifying: the signed payload and the signature text.
public struct SignedObject: Sendable, Equatable {
    public enum Kind: String, Sendable { case commit, tag }

    public var kind: Kind
    /// The exact bytes the signer signed.
    public var payload: [UInt8]
    /// The signature (armored text), nil when the object is unsigned.
    public var signature: String?
    /// The committer's (commit) or tagger's (tag) date: the time a signature is judged at, as git does.
    public var time: Date?

    /// Splits a raw commit object as git's `parse_buffer_signed_by_header` does: only headers before the first
    /// blank line count; `gpgsig` and its continuation lines (one leading space each) are the signature; any other
    /// `gpgsig*` header (`gpgsig-sha256`) is dropped from the payload with its continuation lines; the rest,
    /// message included, is the payload. A `gpgsig` line in the message is message, never a signature.
    public static func commit(raw: [UInt8]) -> SignedObject {
        var payload: [UInt8] = []
        var signature: [UInt8] = []
        var sawSignature = false, inSignature = false, otherSignature = false
        var start = 0
        let header = Array("gpgsig ".utf8), otherPrefix = Array("gpgsig".utf8)
        while start < raw.count {
            let end = raw[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? raw.count
            let line = raw[start..<end]
            if inSignature, line.first == 0x20 {
                signature += line.dropFirst()
            } else if line.starts(with: header) {
                signature += line.dropFirst(header.count)
                sawSignature = true
                inSignature = true
                otherSignature = false
                start = end
                continue
            } else {
                inSignature = false
                if line.starts(with: otherPrefix) {
                    otherSignature = true
                } else if otherSignature, line.first != 0x20 {
                    otherSignature = false
                }
                if line.first == 0x0A {
                    payload += raw[start...]
                    break
                }
                if !otherSignature { payload += line }
            }
            start = end
        }
        let text = sawSignature ? String(decoding: signature, as: UTF8.self) : nil
        return SignedObject(kind: .commit, payload: payload, signature: text, time: headerTime(payload, "committer"))
    }

    /// Splits a raw tag object as git's `parse_signed_buffer` does: the signature starts at the last line that
    /// opens a PGP, SSH or X.509 signature block; everything before it is the payload.
    public static func tag(raw: [UInt8]) -> SignedObject {
        let markers = ["-----BEGIN PGP SIGNATURE-----", "-----BEGIN PGP MESSAGE-----", "-----BEGIN SSH SIGNATURE-----",
                       "-----BEGIN SIGNED MESSAGE-----"].map { Array($0.utf8) }
        var match = raw.count
        var start = 0
        while start < raw.count {
            if markers.contains(where: { raw[start...].starts(with: $0) }) { match = start }
            start = raw[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? raw.count
        }
        let payload = Array(raw[..<match])
        let signature = match < raw.count ? String(decoding: raw[match...], as: UTF8.self) : nil
        return SignedObject(kind: .tag, payload: payload, signature: signature, time: headerTime(payload, "tagger"))
    }

    /// The timestamp of the `name` header (`committer Name <mail> 1700000000 +0100`), before the first blank line.
    static func headerTime(_ payload: [UInt8], _ name: String) -> Date? {
        let text = String(decoding: payload, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }
            guard line.hasPrefix(name + " "), let close = line.lastIndex(of: ">") else { continue }
            let fields = line[line.index(after: close)...].split(separator: " ")
            if let first = fields.first, let seconds = Int64(first) { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        }
        return nil
    }
}

extension Repository {
    /// The raw bytes and type of an object, read from the object database (`git_odb_read`).
    public func rawObject(_ id: ObjectID) throws -> (type: String, data: [UInt8]) {
        let database = try odb()
        var oid = id.oid
        let handle = try makeHandle(owner: self, call: "git_odb_read(\(id.hex))", free: { git_odb_object_free($0) }) {
            git_odb_read($0, database.pointer, &oid)
        }
        let size = git_odb_object_size(handle.pointer)
        let type = String(cString: git_object_type2string(git_odb_object_type(handle.pointer)))
        guard let bytes = git_odb_object_data(handle.pointer) else { return (type, []) }
        let buffer = UnsafeRawBufferPointer(start: bytes, count: size)
        return (type, Array(buffer))
    }

    /// A commit or annotated tag split into signed payload and signature.
    public func signedObject(_ id: ObjectID) throws -> SignedObject {
        let (type, data) = try rawObject(id)
        switch type {
        case "commit": return SignedObject.commit(raw: data)
        case "tag": return SignedObject.tag(raw: data)
        default:
            throw GitError(message: "object \(id.hex) is a \(type), not a commit or tag", call: "signedObject", kind: .invalid)
        }
    }
}
