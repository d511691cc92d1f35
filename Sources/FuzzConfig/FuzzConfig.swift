import EvidentCore
import Foundation

/// libFuzzer entry: arbitrary bytes as `.evident.yml`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? Configuration.parse(Data(bytes: data, count: size))
    return 0
}
