import EvidentBundle
import Foundation
import FuzzSupport

/// libFuzzer entry: arbitrary bytes as an audit bundle (zip), verified without extraction.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundle(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let url = FuzzFile.url
    guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes: data, count: size)) else { return 0 }
    _ = try? BundleVerifier().verify(url)
    return 0
}

enum FuzzFile {
    static let url = FileManager.default.temporaryDirectory.appendingPathComponent("evident-fuzz-bundle-\(ProcessInfo.processInfo.processIdentifier).zip")
}

/// The executable's entry (see FuzzSupport).
@_cdecl("FuzzBundle_main")
public func fuzzBundleMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzBundle)
}
