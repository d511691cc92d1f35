import EvidentCore
import Foundation

/// libFuzzer entry: arbitrary bytes as a CVSS vector; a parsed v3 vector must score within 0...10.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCVSS(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if case .success(let vector) = CVSSVector.parse(text), let score = vector.baseScore, !(0...10).contains(score) {
        abort()
    }
    return 0
}
