import Foundation
import Testing
@testable import EvidentCore

/// The dangling-link hint's index gives what comparing with every id gives.
struct NearIDsTests {
    static let ids: Set<String> = ["DEF-001", "DEF-002", "DEF-010", "TM-001", "TM-01", "SBOM-FG200-2.3-C00000", "DÉF-001", "A", "AB", "ABC", "CR-00012"]

    @Test(arguments: ["DEF-003", "DEF-0001", "DEF-01", "TM-001", "TM-1", "TM-0001", "XYZ", "", "B", "DEF-001X", "DÈF-001", "DEF001", "EDF-001",
                      "SBOM-FG200-2.3-C00001", "CR-0012", "CR-000123", "RC-00012", "DEF-2026-001"])
    func agreesWithComparingEveryID(_ name: String) {
        let brute = NearIDs.nearest(to: name, among: Self.ids)
        #expect(NearIDs(Self.ids).closest(to: name) == brute, "\(name)")
    }

    @Test func randomNamesAgree() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("AB-01é")
        let ids = Set((0..<200).map { _ in String((0..<Int.random(in: 1...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }) })
        let index = NearIDs(ids)
        for _ in 0..<300 {
            let name = String((0..<Int.random(in: 0...7, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(index.closest(to: name) == NearIDs.nearest(to: name, among: ids), "\(name)")
        }
    }
}
