import Vulnerabilities
import Foundation
import FuzzSupport

/// libFuzzer entry: arbitrary bytes as a CVSS vector; a parsed v3 vector must score within 0...10.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCVSS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if case .success(let vector) = CVSSVector.parse(text), let score = vector.baseScore, !(0...10).contains(score) {
        abort()
    }
    return 0
}

/// The executable's entry (see FuzzSupport).
@_cdecl("FuzzCVSS_main")
public func fuzzCVSSMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzCVSS)
}
