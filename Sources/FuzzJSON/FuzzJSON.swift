import EvidentCore
import Foundation
import FuzzSupport
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

/// The executable's entry (see FuzzSupport).
@_cdecl("FuzzJSON_main")
public func fuzzJSONMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzJSON)
}
