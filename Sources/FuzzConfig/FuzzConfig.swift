import EvidentCore
import Foundation
import FuzzSupport

/// libFuzzer entry: arbitrary bytes as `.evident.yml`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    _ = try? Configuration.parse(Data(bytes: data, count: size))
    return 0
}

/// The executable's entry (see FuzzSupport).
@_cdecl("FuzzConfig_main")
public func fuzzConfigMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzConfig)
}
