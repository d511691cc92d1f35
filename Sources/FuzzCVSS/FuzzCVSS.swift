import EvidentCore
import Foundation

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

/// SwiftPM links executables with `main` renamed to `<module>_main` (`--defsym main=FuzzCVSS_main`), so
/// libFuzzer's own `main` is never used: this one hands the command line to libFuzzer's driver.
@_cdecl("FuzzCVSS_main")
public func fuzzCVSSMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzCVSS)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
