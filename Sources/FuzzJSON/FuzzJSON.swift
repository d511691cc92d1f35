import EvidentCore
import Foundation
import JSONSchema

/// libFuzzer entry: arbitrary bytes as JSON, parsed (with and without positions) and validated
/// against the embedded defect record schema.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Data(bytes: data, count: size)
    _ = try? JSONValue.parseWithPositions(bytes)
    if let value = try? JSONValue.parse(bytes) {
        _ = RecordSchemas.shared.validate(value, kind: "defect")
        _ = RecordSchemas.shared.validate(value, kind: "threat-model")
    }
    return 0
}

/// SwiftPM links executables with `main` renamed to `<module>_main` (`--defsym main=FuzzJSON_main`), so
/// libFuzzer's own `main` is never used: this one hands the command line to libFuzzer's driver.
@_cdecl("FuzzJSON_main")
public func fuzzJSONMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzJSON)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
